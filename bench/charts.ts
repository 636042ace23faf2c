/**
 * Charts derived from suites' raw results (bench/results/<suite>.json) for the main comparisons, so RESULTS.md
 * always shows them, whichever run produced the data. Suites may also return their own `charts`.
 */
import type { Chart } from './lib.js';

type Row = { name: string; medianMs: number; opsPerSec: number; group?: string };
const label = (name: string) => name.replace(/^privkit /i, 'PrivKit ');

export const derivedCharts: Record<string, (data: unknown) => Chart[]> = {
  hpke: (data) => {
    const rows = data as Row[];
    return [{
      title: 'HPKE single-shot seal+open of 1 KiB (same run)',
      unit: 'ops/s',
      bars: rows.map((r) => ({ label: label(r.name), value: r.opsPerSec })),
    }];
  },
  'ring-sig': (data) => {
    const sizes = data as { n: number; rows: Row[] }[];
    const pick = (name: string) => sizes.flatMap((s) => s.rows.filter((r) => r.name === name).map((r) => ({ label: `${label(name)}, n = ${s.n}`, value: r.medianMs })));
    return [{
      title: 'Ring signature verification time by ring size',
      unit: 'ms per verify',
      lowerIsBetter: true,
      log: true,
      bars: [...pick('privkit CLSAG verify'), ...pick('privkit CLSAG verify (ring context)'), ...pick('alicesring-lsag verify (secp256k1)')],
    }];
  },
  he: (data) => {
    const d = data as { seal: { rate: number; cpuRate: number }; sealWire: { rate: number }; paillier: { rate: number } };
    return [{
      title: 'Readings aggregated per second: 1,000 devices × 4,096 readings',
      unit: 'readings/s',
      log: true,
      bars: [
        { label: 'PrivKit BFV-4096 (wall clock)', value: d.seal.rate },
        { label: 'PrivKit BFV-4096 (per CPU-second)', value: d.seal.cpuRate },
        { label: 'PrivKit BFV-4096 incl. serialization', value: d.sealWire.rate },
        { label: 'paillier-bigint 2048, packed', value: d.paillier.rate },
      ],
    }];
  },
};
