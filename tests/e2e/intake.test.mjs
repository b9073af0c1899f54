// Every way in, end to end on the release build: paste (box and Ctrl+V), a real drop, the file
// picker with two files at once, "Load example", and `?src=URL` (success and a 404).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { animationsDone, baseUrl, captureVectors, holdsFor, launchBrowser, screenshots, watchProblems } from './harness.mjs';

const examples = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'static', 'examples');
const baicells = 'magma_baicells_qrtb_enodebd_tr069.pcap';
let browser;

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});

/** Opens `url` (default the app) and collects page errors, console errors and dialogs. */
async function openApp(url = baseUrl, { allowConsole = [] } = {}) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const problems = watchProblems(page, allowConsole);
  const main = await page.goto(url);
  assert.equal(main.status(), 200);
  return { page, problems };
}

async function shoot(page, name, fullPage = false) {
  await animationsDone(page);
  await page.screenshot({ path: path.join(screenshots, `${name}.png`), fullPage });
}

/** A SOAP Inform from a device with this serial number. */
function inform(serial) {
  return [
    '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:cwmp="urn:dslforum-org:cwmp-1-0">',
    '<soap:Header><cwmp:ID soap:mustUnderstand="1">1</cwmp:ID></soap:Header><soap:Body><cwmp:Inform>',
    `<DeviceId><Manufacturer>Acme</Manufacturer><OUI>00D09E</OUI><ProductClass>Box</ProductClass><SerialNumber>${serial}</SerialNumber></DeviceId>`,
    '<Event><EventStruct><EventCode>2 PERIODIC</EventCode><CommandKey></CommandKey></EventStruct></Event>',
    '<MaxEnvelopes>1</MaxEnvelopes><CurrentTime>2024-01-01T00:00:00Z</CurrentTime><RetryCount>0</RetryCount>',
    '<ParameterList></ParameterList></cwmp:Inform></soap:Body></soap:Envelope>',
  ].join('');
}

/** Waits for the inspector to show a capture named `name`, then goes back to the start screen. */
async function expectOpened(page, name) {
  await page.locator('.capture-name .name', { hasText: name }).waitFor();
  await page.locator('[data-testid=session]').first().waitFor();
}

test('paste: the paste box and Ctrl+V anywhere each open the pasted message', async () => {
  const { page, problems } = await openApp();
  await page.fill('#paste-box', inform('PASTEBOX1'));
  await page.click('#paste-load');
  await expectOpened(page, 'pasted text');
  assert.match(await page.locator('.sessions-pane').textContent(), /PASTEBOX1/);

  await page.click('#new-capture');
  await page.locator('#drop-zone').waitFor();
  // Ctrl+V with the focus outside any text field: a real paste event carrying the text.
  await page.evaluate((text) => {
    document.activeElement?.blur();
    const data = new DataTransfer();
    data.setData('text/plain', text);
    document.body.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, inform('CTRLV2'));
  await expectOpened(page, 'pasted text');
  assert.match(await page.locator('.sessions-pane').textContent(), /CTRLV2/);
  assert.deepEqual(problems, []);
  await page.close();
});

test('drop: a File in a DataTransfer dropped on the zone is read and decoded', async () => {
  const { page, problems } = await openApp();
  await page.locator('#drop-zone').waitFor();
  const bytes = await readFile(path.join(captureVectors, baicells));
  const transfer = await page.evaluateHandle(({ name, data }) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([new Uint8Array(data)], name));
    return transfer;
  }, { name: baicells, data: [...bytes] });
  await page.dispatchEvent('#drop-zone', 'dragenter', { dataTransfer: transfer });
  await page.dispatchEvent('#drop-zone', 'dragover', { dataTransfer: transfer });
  assert.match(await page.locator('#drop-zone').getAttribute('class'), /\bdragging\b/);
  // Passing over the zone's own button keeps the highlight; leaving the zone ends it.
  const leave = (selector) => page.evaluate((selector) => {
    const zone = document.querySelector('#drop-zone');
    zone.dispatchEvent(new DragEvent('dragleave', { bubbles: true, relatedTarget: document.querySelector(selector) }));
  }, selector);
  await leave('#drop-zone label');
  await holdsFor(100, async () => /\bdragging\b/.test(await page.locator('#drop-zone').getAttribute('class')),
    'the drop zone highlight');
  await leave('body');
  await page.locator('#drop-zone:not(.dragging)').waitFor();
  await page.dispatchEvent('#drop-zone', 'dragover', { dataTransfer: transfer });
  await page.dispatchEvent('#drop-zone', 'drop', { dataTransfer: transfer });

  await expectOpened(page, baicells);
  assert.equal(await page.locator('[data-testid=session]').count(), 3);
  assert.deepEqual(problems, []);
  await page.close();
});

test('the file picker takes two files at once and both are decoded', async () => {
  const { page, problems } = await openApp();
  await page.locator('#drop-zone').waitFor();
  await page.setInputFiles('#file-input', [
    { name: 'one.xml', mimeType: 'text/xml', buffer: Buffer.from(inform('FIRST0001')) },
    { name: 'two.xml', mimeType: 'text/xml', buffer: Buffer.from(inform('SECOND0002')) },
  ]);
  // The one read last is opened; both are listed, each with its own analysis.
  await page.locator('[data-testid=session]').first().waitFor();
  await page.click('#new-capture');
  const rows = page.locator('.loaded-input');
  await rows.nth(1).waitFor();
  assert.equal(await rows.count(), 2);
  assert.deepEqual((await page.locator('.loaded-input .name').allTextContents()).sort(), ['one.xml', 'two.xml']);
  await page.locator('.loaded-input .open button').nth(1).waitFor();
  for (const [name, serial] of [['one.xml', 'FIRST0001'], ['two.xml', 'SECOND0002']]) {
    await page.locator('.loaded-input', { hasText: name }).locator('.open button').click();
    await expectOpened(page, name);
    assert.match(await page.locator('.sessions-pane').textContent(), new RegExp(serial));
    await page.click('#new-capture');
  }
  assert.deepEqual(problems, []);
  await page.close();
});

test('"Load example" lists each example with its size and provenance and opens it', async () => {
  const { page, problems } = await openApp();
  const items = page.locator('[data-testid=example]');
  await items.first().waitFor();
  assert.equal(await items.count(), 4);
  await shoot(page, 'intake-start-examples', true);
  // The size shown is the file's real size; the file is fetched only on click.
  const requested = [];
  page.on('request', (request) => requested.push(new URL(request.url()).pathname));
  for (const item of await items.all()) {
    const file = await item.getAttribute('data-file');
    const { size } = await stat(path.join(examples, file));
    const meta = await item.locator('.example-meta').textContent();
    assert.ok(meta.includes(`${size.toLocaleString('en-US')} bytes`), `${file}: "${meta}" should say ${size} bytes`);
    assert.ok((await item.locator('.example-provenance').textContent()).length > 5);
  }
  assert.deepEqual(requested.filter((p) => p.includes('/examples/')), []);

  await page.locator('[data-testid=example][data-file="fault-digest-401.http"] [data-testid=load-example]').click();
  await expectOpened(page, 'fault-digest-401.http');
  assert.ok(requested.includes('/examples/fault-digest-401.http'));
  assert.equal(await page.locator('[data-testid=session]').count(), 2);
  // The fault and the Digest challenge are in the first session's ladder.
  const rpcs = await page.locator('[data-testid=message]').evaluateAll((all) => all.map((m) => m.dataset.rpc));
  assert.ok(rpcs.includes('Fault'), rpcs.join(','));
  assert.ok(rpcs.includes('SetParameterValues'), rpcs.join(','));
  await shoot(page, 'intake-example-opened');
  // Examples are not kept in history: they are always here.
  await page.click('#new-capture');
  await page.locator('[data-testid=history]').waitFor();
  assert.equal(await page.locator('[data-testid=history-entry]').count(), 0);
  assert.deepEqual(problems, []);
  await page.close();
});

test('?src=URL fetches and opens the capture at ?session= and ?step=', async () => {
  const src = new URL('examples/magma-baicells-enodebd.pcap', baseUrl).href;
  const { page, problems } = await openApp(`${baseUrl}?src=${encodeURIComponent(src)}&session=1&step=3`);
  await expectOpened(page, 'magma-baicells-enodebd.pcap');
  assert.equal(await page.locator('[data-testid=session].selected').getAttribute('data-session-id'), '1');
  const selected = page.locator('[data-testid=message].selected');
  assert.equal(await selected.getAttribute('data-index'), '3');
  assert.equal(await selected.getAttribute('data-rpc'), 'GetParameterValues');
  await shoot(page, 'intake-src');
  assert.deepEqual(problems, []);
  await page.close();
});

test('?src= that answers 404 says so, with the URL and the status', async () => {
  const missing = new URL('examples/no-such-capture.pcap', baseUrl).href;
  const { page, problems } = await openApp(`${baseUrl}?src=${encodeURIComponent(missing)}`, {
    // Chromium logs the failed request itself.
    allowConsole: [/404/],
  });
  const error = page.locator('.loaded .error');
  await error.waitFor();
  const text = await error.textContent();
  assert.ok(text.includes(missing), text);
  assert.match(text, /HTTP 404/);
  assert.equal(await page.locator('[data-testid=fetching]').count(), 0);
  await shoot(page, 'intake-src-404', true);
  assert.deepEqual(problems, []);
  await page.close();
});

test('?src= on a server that cannot be reached says it is a network or CORS failure', async () => {
  // Port 9 (discard) on loopback: refused at once. The page's CSP (connect-src 'self') may
  // block it first: either way the fetch fails without an HTTP answer.
  const unreachable = 'http://127.0.0.1:9/capture.pcap';
  const { page, problems } = await openApp(`${baseUrl}?src=${encodeURIComponent(unreachable)}`, {
    allowConsole: [/Content Security Policy|Failed to load|ERR_|Fetch API cannot load|Refused to connect/],
  });
  const error = page.locator('.loaded .error');
  await error.waitFor();
  const text = await error.textContent();
  assert.ok(text.includes(unreachable), text);
  assert.match(text, /CORS/);
  assert.deepEqual(problems, []);
  await page.close();
});

test('the start screen with examples and history fits a phone, in light and dark', async () => {
  for (const scheme of ['light', 'dark']) {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto(baseUrl);
    await page.locator('[data-testid=example]').first().waitFor();
    await page.locator('[data-testid=history]').waitFor();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390, `the start screen scrolls sideways: ${width}px`);
    await page.locator('.examples').scrollIntoViewIfNeeded();
    await shoot(page, `intake-start-390-${scheme}`);
    await page.close();
  }
});
