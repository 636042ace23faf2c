// Serves a folder over http://127.0.0.1 and loads its index.html in headless Chromium (playwright-core with the
// system's /usr/bin/chromium); prints the page's console, and exits non-zero on a page error or when the page does
// not set `window.__done` within 120 s. Used by scripts/pack-test.mjs.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { chromium } from 'playwright-core';

const dir = process.argv[2];
const types = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm' };
const server = createServer(async (req, res) => {
  const asked = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
  const path = asked === '/' ? 'index.html' : asked;
  try {
    const body = await readFile(join(dir, path));
    res.writeHead(200, { 'content-type': types[extname(path)] ?? 'application/octet-stream' }).end(body);
  } catch {
    res.writeHead(404).end();
  }
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
let failed = false;
try {
  const page = await browser.newPage();
  page.on('console', (m) => console.log(m.text()));
  const pageError = new Promise((_, reject) => page.on('pageerror', reject));
  pageError.catch(() => {}); // handled by the race below; an error during goto must not end the process first
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  await Promise.race([page.waitForFunction(() => window.__done !== undefined, undefined, { timeout: 120_000 }), pageError]).catch((e) => {
    failed = true;
    console.error(`page error: ${e?.stack ?? e}`);
  });
} finally {
  await browser.close();
  server.close();
}
process.exitCode = failed ? 1 : 0;
