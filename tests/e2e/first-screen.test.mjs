// Browser end-to-end tests: the release build served by the real `cwmpi serve`, driven in Debian's
// Chromium through playwright-core. `cargo xtask test` starts the server and sets CWMPI_URL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

import { animationsDone, baseUrl, captureVectors, launchBrowser, screenshots, soapVectors } from './harness.mjs';


let browser;

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});

/** Opens the app and collects every page error and console error, CSP violations included. */
async function openApp() {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const problems = [];
  const responses = new Map();
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('response', (response) => {
    responses.set(new URL(response.url()).pathname, response);
    if (response.status() >= 400) problems.push(`HTTP ${response.status()} for ${response.url()}`);
  });
  const main = await page.goto(baseUrl);
  assert.equal(main.status(), 200);
  await page.locator('#drop-zone').waitFor();
  return { page, problems, responses, mainResponse: main };
}

test('first screen renders under the strict CSP, with the wasm served as application/wasm', async () => {
  const { page, problems, responses, mainResponse } = await openApp();
  const csp = mainResponse.headers()['content-security-policy'];
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval' 'sha256-/);
  assert.doesNotMatch(csp, /unsafe-inline/);
  const wasm = [...responses.entries()].find(([name]) => name.endsWith('_bg.wasm'));
  assert.ok(wasm, 'the wasm module was fetched');
  assert.equal(wasm[1].headers()['content-type'], 'application/wasm');

  assert.equal(await page.locator('h1').textContent(), 'cwmp-inspector');
  assert.match(await page.locator('.lead').textContent(), /TR-069 \(CWMP\)/);
  assert.equal(await page.locator('#drop-zone .drop-title').textContent(), 'Drop a capture here');
  assert.ok(await page.getByText('Open file…').isVisible());
  assert.ok(await page.locator('#paste-box').isVisible());
  assert.match(await page.locator('.privacy').textContent(), /Nothing is uploaded/);
  await page.screenshot({ path: path.join(screenshots, 'first-screen.png') });
  await page.emulateMedia({ colorScheme: 'dark' });
  assert.notEqual(
    await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor),
    'rgb(246, 247, 249)',
    'the dark scheme follows the system',
  );
  // Let the drop zone's colour transition finish before the picture.
  await animationsDone(page);
  await page.screenshot({ path: path.join(screenshots, 'first-screen-dark.png') });
  await page.emulateMedia({ colorScheme: 'light' });

  await page.click('#about-open');
  assert.match(await page.locator('#about .version').textContent(), /^Version \d+\.\d+\.\d+/);
  await page.screenshot({ path: path.join(screenshots, 'about.png') });
  await page.keyboard.press('Escape');
  await page.locator('#about').waitFor({ state: 'detached' });
  assert.deepEqual(problems, []);
  await page.close();
});

test('dropping a real pcap shows its name, size and detected format', async () => {
  const { page, problems } = await openApp();
  const name = 'magma_baicells_qrtb_enodebd_tr069.pcap';
  const bytes = await readFile(path.join(captureVectors, name));
  const transfer = await page.evaluateHandle(
    ({ name, data }) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([new Uint8Array(data)], name, { type: 'application/vnd.tcpdump.pcap' }));
      return transfer;
    },
    { name, data: [...bytes] },
  );
  await page.dispatchEvent('#drop-zone', 'dragover', { dataTransfer: transfer });
  await page.dispatchEvent('#drop-zone', 'drop', { dataTransfer: transfer });
  // The capture opens in the inspector; the start screen keeps it in its list.
  await page.locator('.inspector').waitFor();
  assert.equal(await page.locator('.capture-name .name').textContent(), name);
  await page.click('#new-capture');
  const row = page.locator('.loaded-input').first();
  await row.waitFor();
  assert.equal(await row.getAttribute('data-format'), 'pcap');
  assert.equal(await row.locator('.name').textContent(), name);
  assert.equal(await row.locator('.size').textContent(), '88,103 bytes (86.0 KiB)');
  assert.equal(
    await row.locator('.format').textContent(),
    'pcap (little-endian, microsecond timestamps)',
  );
  await page.screenshot({ path: path.join(screenshots, 'dropped-pcap.png') });
  assert.deepEqual(problems, []);
  await page.close();
});

test('pasting a SOAP Inform, in the box or anywhere, is detected as XML', async () => {
  const { page, problems } = await openApp();
  const inform = await readFile(path.join(soapVectors, 'jdalberg_inform_1.xml'), 'utf8');
  await page.fill('#paste-box', inform);
  await page.click('#paste-load');
  await page.locator('.inspector').waitFor();
  await page.click('#new-capture');
  const row = page.locator('.loaded-input').first();
  await row.waitFor();
  assert.equal(await row.getAttribute('data-format'), 'XML');
  assert.equal(await row.locator('.name').textContent(), 'pasted text');
  assert.match(await row.locator('.size').textContent(), new RegExp(`^${Buffer.byteLength(inform).toLocaleString('en-US')} bytes`));

  // Ctrl+V outside any text field: the page itself takes the clipboard.
  await page.evaluate(() => {
    const data = new DataTransfer();
    data.setData('text/plain', 'POST /acs HTTP/1.1\r\nHost: acs.example\r\nContent-Length: 0\r\n\r\n');
    document.body.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true }));
  });
  await page.locator('.inspector').waitFor();
  await page.click('#new-capture');
  await page.locator('.loaded-input').nth(1).waitFor();
  assert.equal(await page.locator('.loaded-input').first().getAttribute('data-format'), 'HTTP text');
  await page.screenshot({ path: path.join(screenshots, 'pasted.png') });
  assert.deepEqual(problems, []);
  await page.close();
});

test('the file picker reads a chosen file', async () => {
  const { page, problems } = await openApp();
  assert.equal(await page.getAttribute('#file-input', 'data-testid'), 'capture-input');
  assert.notEqual(await page.getAttribute('#file-input', 'multiple'), null);
  await page.setInputFiles('#file-input', {
    name: 'session.har',
    mimeType: 'application/json',
    buffer: Buffer.from('{"log": {"version": "1.2", "entries": []}}'),
  });
  await page.locator('.inspector').waitFor();
  await page.click('#new-capture');
  const row = page.locator('.loaded-input').first();
  await row.waitFor();
  assert.equal(await row.getAttribute('data-format'), 'JSON');
  assert.equal(await row.locator('.name').textContent(), 'session.har');
  assert.deepEqual(problems, []);
  await page.close();
});
