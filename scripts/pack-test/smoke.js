// The smoke test run over the installed tarballs: ESM (`import`), CJS (`require`), the browser bundle, Bun and
// Deno all run this same function (scripts/pack-test.mjs wraps it with the imports of each flavour). Every step does
// a real operation and checks its result; a failure throws. `P` maps package names to their loaded modules; a package
// missing from `P` is not part of that flavour (the runner says which and why).
// biome-ignore lint/correctness/noUnusedVariables: called by the wrappers scripts/pack-test.mjs generates around this file
async function smoke(P, log) {
  const hex = (b) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  const eq = (a, b, what) => {
    if (hex(a) !== hex(b)) throw new Error(`${what}: ${hex(a)} != ${hex(b)}`);
  };
  const ok = (cond, what) => {
    if (!cond) throw new Error(`${what}: check failed`);
  };
  const te = new TextEncoder();
  const msg = te.encode('privkit smoke test');
  const throwsPrivkit = (fn, what) => {
    try {
      fn();
    } catch (e) {
      if (P.core.isPrivkitError(e)) return e;
      throw new Error(`${what}: threw a non-PrivkitError ${e && e.name}: ${e && e.message}`);
    }
    throw new Error(`${what}: did not throw`);
  };
  let steps = 0;
  const step = async (name, fn) => {
    await fn();
    steps++;
    log(`ok ${name}`);
  };

  const c = P.core;
  if (c) {
    await step('core: sm3 and hmac-sm3', () => {
      eq(c.sm3(te.encode('abc')), c.hexToBytes('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0'), 'sm3(abc)');
      ok(c.hmacSm3(new Uint8Array(32), msg).length === 32, 'hmac-sm3 length');
    });
    await step('core: every AEAD seals and opens, and rejects a forged tag with a PrivkitError', () => {
      for (const id of c.AEAD_IDS) {
        const a = c.getAead(id);
        const key = c.randomBytes(a.keyLength),
          nonce = c.randomBytes(a.nonceLength);
        const ct = a.seal(key, nonce, msg);
        eq(a.open(key, nonce, ct), msg, id);
        ct[0] ^= 1;
        const e = throwsPrivkit(() => a.open(key, nonce, ct), `${id} forged`);
        ok(e instanceof c.DecryptError, `${id}: DecryptError`);
      }
    });
    await step('core: sm4-cbc round trip', () => {
      const key = c.randomBytes(16),
        iv = c.randomBytes(16);
      eq(c.sm4.cbc(key, iv).decrypt(c.sm4.cbc(key, iv).encrypt(msg)), msg, 'sm4-cbc');
    });
    await step('core: every DH group agrees (x448, secp256k1, sm2 included)', () => {
      for (const id of c.DH_GROUP_IDS) {
        const g = c.getDhGroup(id);
        const a = g.randomSecretKey(),
          b = g.randomSecretKey();
        eq(g.getSharedSecret(a, g.getPublicKey(b)), g.getSharedSecret(b, g.getPublicKey(a)), id);
      }
    });
    await step('core: sm2 sign/verify', () => {
      const { secretKey, publicKey } = c.sm2.keygen();
      ok(c.sm2.verify(c.sm2.sign(msg, secretKey), msg, publicKey), 'sm2 verify');
      ok(!c.sm2.verify(c.sm2.sign(msg, secretKey), te.encode('other'), publicKey), 'sm2 verify other message');
    });
    await step('core: hkdf-sha256 (RFC 5869 A.1)', () => {
      const okm = c.hkdf('sha256', c.hexToBytes('0b'.repeat(22)), c.hexToBytes('000102030405060708090a0b0c'), c.hexToBytes('f0f1f2f3f4f5f6f7f8f9'), 42);
      eq(okm, c.hexToBytes('3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865'), 'hkdf');
    });
    await step('core: bad input is a typed PrivkitError', () => {
      const e = throwsPrivkit(() => c.getAead('aes-128-gcm').seal(new Uint8Array(3), new Uint8Array(12), msg), 'short key');
      ok(typeof e.code === 'string', 'code');
    });
  }
  const env = P.envelope;
  if (env) {
    await step('envelope: HPKE X25519 and X448 base mode', () => {
      for (const kemId of [0x20, 0x21]) {
        const s = env.hpke.suite(kemId, 1, 1);
        const kp = s.kem.generateKeyPair();
        const { enc, ct } = env.hpke.sealBase(s, kp.publicKey, msg, msg, msg);
        eq(env.hpke.openBase(s, enc, kp.secretKey, msg, msg, ct), msg, `hpke ${kemId}`);
      }
    });
    await step('envelope: seal/open with SM2-SM3-SM4 and the default suite; a wrong key is an OpenError', () => {
      for (const suite of ['SM2-SM3-SM4', undefined]) {
        const kem = env.hpke.suite(...env.suites[suite ?? 'X25519-SHA256-AES-256-GCM']).kem;
        const bob = kem.generateKeyPair(),
          eve = kem.generateKeyPair();
        const opts = suite ? { suite } : {};
        const sealed = env.seal(msg, [bob.publicKey], opts);
        eq(env.open(sealed, bob.secretKey, suite ? { suites: [suite] } : {}), msg, `envelope ${suite}`);
        const e = throwsPrivkit(() => env.open(sealed, eve.secretKey, suite ? { suites: [suite] } : {}), 'wrong key');
        ok(e instanceof env.OpenError, 'OpenError');
      }
    });
  }
  const rs = P['ring-sig'];
  if (rs) {
    await step('ring-sig: CLSAG sign, verify, link', () => {
      const devices = [rs.keygen(), rs.keygen(), rs.keygen()];
      const ring = devices.map((d) => d.publicKey);
      const sig = rs.sign(msg, ring, devices[1].secretKey, { scope: 'smoke' });
      ok(rs.verify(rs.encode(sig), msg, ring, { scope: 'smoke' }), 'verify');
      ok(!rs.verify(sig, te.encode('other'), ring, { scope: 'smoke' }), 'verify other message');
      ok(rs.linked(sig, rs.sign(msg, ring, devices[1].secretKey, { scope: 'smoke' })), 'linked');
    });
  }
  const at = P.attest;
  if (at) {
    await step('attest: software quote verifies (ecdsa-p256, sm2, ed25519)', () => {
      for (const alg of ['ecdsa-p256', 'sm2', 'ed25519']) {
        const bank = at.createPcrBank('sha256');
        bank.measure(0, te.encode('firmware 1.0'));
        const ak = at.createAttestationKey(alg);
        const nonce = c.randomBytes(32);
        const q = at.quote({ bank, selection: [0], nonce, key: ak, data: msg });
        const r = at.verifyQuote(q, { publicKey: ak.publicKey, nonce, data: msg, expectedPcrs: bank.pcrValues([0]) });
        ok(r.verified, `${alg} quote`);
        ok(!at.verifyQuote(q, { publicKey: ak.publicKey, nonce, data: te.encode('x'), expectedPcrs: bank.pcrValues([0]) }).verified, `${alg} wrong data`);
      }
    });
  }
  const qr = P.qr;
  if (qr) {
    await step('qr: base45, key card to QR and back', () => {
      eq(qr.base45Decode(qr.base45Encode(msg)), msg, 'base45');
      ok(qr.base45Encode(te.encode('AB')) === 'BB8', 'base45 RFC 9285 example');
      const publicKey = c.randomBytes(32);
      const card = qr.encodeKeyCard({ keyType: 'x25519', publicKey, label: 'smoke' });
      const frames = qr.toQr(card);
      ok(frames.length >= 1, 'frames');
      const scan = qr.decodePayload(card);
      ok(scan.type === 'keyCard' && hex(scan.publicKey) === hex(publicKey), 'key card');
    });
  }
  const he = P.he;
  if (he) {
    await step('he: BFV encrypt, aggregate, decrypt', async () => {
      const ctx = await he.createAggregationContext({ preset: 'bfv-4096', maxAbsReading: 65_535 });
      const owner = ctx.keygen();
      const device = ctx.device(owner.publicKey.serialize({ compression: 'none' })); // browsers have no zlib: uploads uncompressed
      const agg = ctx.aggregator({});
      const acc = agg.accumulator();
      for (const r of [
        [1, 2, 3],
        [10, -20, 30],
      ]) {
        const ct = ctx.deserialize(device.encrypt(r).serialize({ compression: 'none' }), 'ciphertext');
        acc.add(ct);
        ct.dispose();
      }
      const total = owner.decrypt(ctx.deserialize(acc.result().serialize({ compression: 'none' }), 'aggregate'));
      ok(total.values[0] === 11n && total.values[1] === -18n && total.values[2] === 33n, `he sums ${total.values.slice(0, 3)}`);
    });
  }
  const lg = P.ledger;
  if (lg) {
    await step('ledger: memory ledger put/get; a stranger is refused with a LedgerError', async () => {
      const ledger = lg.createMemoryLedger();
      const alice = ledger.as('alice');
      const anchor = c.randomBytes(32);
      await alice.put('rec-1', { anchor });
      eq((await alice.get('rec-1')).anchor, anchor, 'anchor');
      let refused = false;
      try {
        await ledger.as('mallory').put('rec-1', { anchor });
      } catch (e) {
        refused = P.core.isPrivkitError(e);
      }
      ok(refused, 'mallory refused');
    });
  }
  const st = P.storage;
  if (st) {
    await step('storage: a sealed block in a directory store, read back by its CID (re-checked)', async () => {
      const kp = env.hpke.suite(0x20, 1, 1).kem.generateKeyPair();
      const sealed = env.seal(msg, [kp.publicKey]);
      // A relative folder: every flavour runs in the pack test's temporary app folder.
      const store = await st.createDirectoryStorage({ directory: 'smoke-store' });
      const { cid } = await store.put(sealed);
      ok(typeof cid === 'string' && cid.startsWith('b'), `CIDv1 ${cid}`);
      ok(await store.has(cid), 'has');
      eq(await store.get(cid), sealed, 'get');
      eq(env.open(await store.get(cid), kp.secretKey), msg, 'open what storage returned');
      await store.close();
    });
  }
  return steps;
}
