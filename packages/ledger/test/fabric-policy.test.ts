/**
 * The harness's Fabric policy evaluation (the semantics the endorsement tests rest on): a random signature policy,
 * printed in Fabric's syntax, parses back to a policy that agrees with a direct evaluation for every signer set;
 * MAJORITY/ANY/ALL are the implicit-meta rules; discovery's choice is minimal and satisfies every policy.
 */
import { describe, expect, it } from 'vitest';
import * as fc from 'fast-check';
import { LedgerFormatError } from '@privkit/ledger';
import { chooseEndorsers, parsePolicy, satisfies, type Policy } from '../src/fabric/_policy.js';

const ORGS = ['Org1MSP', 'Org2MSP', 'Org3MSP', 'Org4MSP'];
type Tree = { org: string; role: string } | { op: 'OR' | 'AND' | 'OutOf'; n: number; kids: Tree[] };

const arbTree: fc.Arbitrary<Tree> = fc.letrec<{ tree: Tree }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ org: fc.constantFrom(...ORGS), role: fc.constantFrom('member', 'peer', 'admin') }),
    fc.array(tie('tree'), { minLength: 1, maxLength: 3 }).chain((kids) =>
      fc.record({ op: fc.constantFrom('OR' as const, 'AND' as const, 'OutOf' as const), n: fc.integer({ min: 1, max: kids.length }), kids: fc.constant(kids) })),
  ),
})).tree;

const print = (t: Tree): string =>
  'org' in t ? `'${t.org}.${t.role}'` : t.op === 'OutOf' ? `OutOf(${t.n}, ${t.kids.map(print).join(', ')})` : `${t.op}(${t.kids.map(print).join(',')})`;
const direct = (t: Tree, s: Set<string>): boolean => {
  if ('org' in t) return s.has(t.org);
  const ok = t.kids.filter((k) => direct(k, s)).length;
  return t.op === 'OR' ? ok >= 1 : t.op === 'AND' ? ok === t.kids.length : ok >= t.n;
};

describe('Fabric policies in the harness', () => {
  it('printed signature policies parse back and evaluate like the definition', () => {
    fc.assert(fc.property(arbTree, fc.subarray(ORGS), (tree, signers) => {
      const p = parsePolicy(print(tree), ORGS);
      expect(satisfies(p, new Set(signers))).toBe(direct(tree, new Set(signers)));
    }), { numRuns: 500 });
  });

  it('MAJORITY, ANY and ALL over the channel organisations', () => {
    const s = (...o: string[]) => new Set(o);
    expect(satisfies(parsePolicy('MAJORITY', ORGS.slice(0, 3)), s('Org1MSP', 'Org3MSP'))).toBe(true);
    expect(satisfies(parsePolicy('MAJORITY', ORGS.slice(0, 3)), s('Org1MSP'))).toBe(false);
    expect(satisfies(parsePolicy('MAJORITY Endorsement', ORGS), s('Org1MSP', 'Org2MSP'))).toBe(false); // 2 of 4 is no majority
    expect(satisfies(parsePolicy('ANY', ORGS), s('Org4MSP'))).toBe(true);
    expect(satisfies(parsePolicy('ALL', ORGS.slice(0, 2)), s('Org1MSP'))).toBe(false);
  });

  it('discovery picks a smallest satisfying set, with the gateway\'s organisation when possible', () => {
    fc.assert(fc.property(fc.array(arbTree, { minLength: 1, maxLength: 3 }), fc.constantFrom(...ORGS), (trees, preferred) => {
      const policies: Policy[] = trees.map((t) => parsePolicy(print(t), ORGS));
      const chosen = chooseEndorsers(policies, ORGS, preferred);
      const all = [...Array(1 << ORGS.length).keys()].map((m) => ORGS.filter((_, i) => m & (1 << i)));
      const ok = all.filter((set) => policies.every((p) => satisfies(p, new Set(set))));
      if (ok.length === 0) return expect(chosen).toBeUndefined();
      expect(policies.every((p) => satisfies(p, new Set(chosen)))).toBe(true);
      const min = Math.min(...ok.map((x) => x.length));
      expect(chosen!.length).toBe(min);
      if (ok.some((x) => x.length === min && x.includes(preferred))) expect(chosen).toContain(preferred);
    }), { numRuns: 200 });
  });

  it('malformed policies are refused with a typed error', () => {
    for (const bad of ['', 'OR(', "OR('Org1MSP')", "AND('Org1MSP.member',)", "OutOf(3, 'A.member', 'B.member')", "OR('A.member') trailing", 'x'.repeat(5000)]) {
      expect(() => parsePolicy(bad, ORGS), bad.slice(0, 20)).toThrow(LedgerFormatError);
    }
  });
});
