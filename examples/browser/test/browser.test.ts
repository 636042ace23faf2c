/**
 * The portable packages in a real browser: the page bundle (esbuild, browser platform) runs in headless Chromium
 * (Debian's `chromium`, driven by playwright-core) and reports each round trip back. Skipped with a named reason
 * when Chromium is not installed, except in CI (PRIVKIT_REQUIRE_BROWSER=1, set by .ci/run), where that is a failure.
 */
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { bundlePage, pageAssets } from '../src/bundle.js';

const CHROMIUM = process.env.PRIVKIT_CHROMIUM ?? '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
const required = process.env.PRIVKIT_REQUIRE_BROWSER === '1';

let server: Server | undefined;
let browser: Browser | undefined;
let url = '';

describe.runIf(haveChromium || required)('portable packages in headless Chromium', () => {
  beforeAll(async () => {
    if (!haveChromium) throw new Error(`Chromium not found at ${CHROMIUM} (install Debian's chromium)`);
    const { code } = await bundlePage();
    const assets = pageAssets();
    const html = '<!doctype html><meta charset="utf-8"><title>PrivKit browser check</title><script type="module" src="/page.js"></script>';
    server = createServer((req, res) => {
      if (req.url === '/page.js') {
        res.writeHead(200, { 'content-type': 'text/javascript' });
        res.end(code);
      } else if (req.url && assets[req.url]) {
        res.writeHead(200, { 'content-type': 'application/wasm' });
        res.end(assets[req.url]);
      } else {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end(html);
      }
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  });

  it('every round trip succeeds in the page', async () => {
    const page = await browser!.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    await page.goto(url);
    // Finish as soon as the page reports, or fail fast with the page's own error (e.g. a module that cannot load).
    const deadline = Date.now() + 90_000;
    while (Date.now() < deadline && errors.length === 0) {
      const done = await page.evaluate(() => (window as unknown as { __privkit?: { done: boolean } }).__privkit?.done === true);
      if (done) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(errors).toEqual([]);
    const report = (await page.evaluate(() => (window as unknown as { __privkit: unknown }).__privkit)) as {
      results: { name: string; ok: boolean; detail: string }[];
    };
    for (const r of report.results) console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${r.name} — ${r.detail.split('\n')[0]}`);
    expect(errors).toEqual([]);
    expect(report.results.length).toBe(9);
    expect(report.results.filter((r) => !r.ok).map((r) => `${r.name}: ${r.detail}`)).toEqual([]);
  }, 120_000);
});
