/**
 * Entry point: `pnpm --filter @privkit/example-smart-city start` (or `pnpm example` at the root).
 * Runs the smart-city scenario, prints a report of every step and exits non-zero if any check failed.
 * @module
 */
import { runScenario } from './scenario.js';

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};

console.log('PrivKit smart-city scenario: attest + envelope, ring-sig, he, ledger, qr, on embedded defaults');
const sensors = arg('sensors-per-district');
const report = await runScenario({
  log: (text) => console.log(text),
  ...(sensors === undefined ? {} : { sensorsPerDistrict: Number(sensors) }),
  ...(process.argv.includes('--passphrase') ? { passphraseCard: true } : {}),
});
// The embedded EVM and the gRPC client keep handles open; the run is over.
process.exit(report.ok ? 0 : 1);
