import { describe, expect, it } from 'vitest';
import * as main from '@privkit/ledger';
import * as testing from '@privkit/ledger/testing';
import * as chaincode from '../src/chaincode.js';

describe('API lock', () => {
  it('main entry', () => {
    expect(Object.keys(main).sort()).toMatchSnapshot();
  });
  it('testing entry', () => {
    expect(Object.keys(testing).sort()).toMatchSnapshot();
  });
  it('chaincode entry', () => {
    expect(Object.keys(chaincode).sort()).toMatchSnapshot();
  });
  it('exported constants are frozen', () => {
    for (const v of [main.PROOF_KIND, main.RECORD_KIND, main.FABRIC_EVENTS]) expect(Object.isFrozen(v)).toBe(true);
  });
});
