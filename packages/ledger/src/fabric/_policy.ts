/**
 * Fabric endorsement and collection-membership policies for the test harness: the implicit-meta rules
 * (`MAJORITY`, `ANY`, `ALL` over the channel's organisations) and the signature-policy language of
 * `collections_config.json` and `peer lifecycle … --signature-policy` (`OR`, `AND`, `OutOf(n, …)` over
 * `'<MSP id>.<role>'` principals). A policy is evaluated against the set of organisations that signed; roles are
 * not distinguished (every harness signer is a member and every peer is a peer of its organisation).
 * Test infrastructure only.
 * @module
 */
import { LedgerFormatError } from '../errors.js';

/** A parsed policy: `n` of `rules` must hold; a leaf is one organisation. */
export type Policy = { org: string } | { n: number; rules: Policy[] };

const MAX_POLICY = 4096;

/**
 * Parses `MAJORITY` / `ANY` / `ALL` (relative to `channelOrgs`) or a signature policy such as
 * `OR('Org1MSP.member', AND('Org2MSP.peer', 'Org3MSP.peer'))` or `OutOf(2, 'A.member', 'B.member', 'C.member')`.
 * @throws {LedgerFormatError} `LEDGER_INVALID_RECORD` on a malformed policy
 */
export function parsePolicy(text: string, channelOrgs: readonly string[]): Policy {
  if (typeof text !== 'string' || text.length === 0 || text.length > MAX_POLICY) throw bad(text);
  const leaves = channelOrgs.map((org) => ({ org }));
  const t = text.trim();
  if (/^(MAJORITY|ANY|ALL)( Endorsement)?$/i.test(t)) {
    const kind = t.split(' ')[0]!.toUpperCase();
    const n = kind === 'ANY' ? 1 : kind === 'ALL' ? leaves.length : Math.floor(leaves.length / 2) + 1;
    return { n, rules: leaves };
  }
  let pos = 0;
  const ws = () => {
    while (pos < t.length && /\s/.test(t[pos]!)) pos++;
  };
  const expect = (c: string) => {
    ws();
    if (t[pos] !== c) throw bad(text);
    pos++;
  };
  const node = (): Policy => {
    ws();
    if (t[pos] === "'" || t[pos] === '"') {
      const q = t[pos]!;
      const end = t.indexOf(q, pos + 1);
      if (end < 0) throw bad(text);
      const principal = t.slice(pos + 1, end);
      pos = end + 1;
      const dot = principal.lastIndexOf('.');
      if (dot <= 0 || !/^(member|peer|admin|client|orderer)$/i.test(principal.slice(dot + 1))) throw bad(text);
      return { org: principal.slice(0, dot) };
    }
    const m = /^(OR|AND|OutOf)\s*\(/i.exec(t.slice(pos));
    if (!m) throw bad(text);
    pos += m[0].length;
    const op = m[1]!.toUpperCase();
    let n = -1;
    if (op === 'OUTOF') {
      ws();
      const num = /^\d{1,3}/.exec(t.slice(pos));
      if (!num) throw bad(text);
      n = Number(num[0]);
      pos += num[0].length;
      expect(',');
    }
    const rules: Policy[] = [node()];
    for (ws(); t[pos] === ','; ws()) {
      pos++;
      rules.push(node());
    }
    expect(')');
    if (op === 'OR') n = 1;
    if (op === 'AND') n = rules.length;
    if (n < 1 || n > rules.length) throw bad(text);
    return { n, rules };
  };
  const p = node();
  ws();
  if (pos !== t.length) throw bad(text);
  return p;
}

function bad(text: unknown): LedgerFormatError {
  return new LedgerFormatError(`malformed Fabric policy ${JSON.stringify(String(text).slice(0, 80))}`, { code: 'LEDGER_INVALID_RECORD' });
}

/** True when the organisations in `signers` satisfy `policy` (each signer counts once per leaf). */
export function satisfies(policy: Policy, signers: ReadonlySet<string>): boolean {
  if ('org' in policy) return signers.has(policy.org);
  let ok = 0;
  for (const r of policy.rules) if (satisfies(r, signers)) ok++;
  return ok >= policy.n;
}

/** Every organisation named in a policy (the members of a collection). */
export function policyOrgs(policy: Policy): Set<string> {
  if ('org' in policy) return new Set([policy.org]);
  const out = new Set<string>();
  for (const r of policy.rules) for (const o of policyOrgs(r)) out.add(o);
  return out;
}

/**
 * The smallest set of organisations from `available` that satisfies every policy, preferring sets that contain
 * `preferred` (the gateway's own organisation); undefined when none does.
 */
export function chooseEndorsers(policies: readonly Policy[], available: readonly string[], preferred?: string): string[] | undefined {
  const orgs = [...available];
  let best: string[] | undefined;
  const rank = (set: string[]) => set.length * 2 + (preferred !== undefined && set.includes(preferred) ? 0 : 1);
  for (let mask = 1; mask < 1 << orgs.length; mask++) {
    const set = orgs.filter((_, i) => mask & (1 << i));
    if (best && rank(set) >= rank(best)) continue;
    const signers = new Set(set);
    if (policies.every((p) => satisfies(p, signers))) best = set;
  }
  return best;
}
