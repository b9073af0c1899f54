// Decoding in a Web Worker: a large generated capture shows a progress bar that advances, the page
// keeps answering while it decodes, Cancel stops it, and a second run ends in the inspector.
// Runs against the real `cwmpi serve` (CWMPI_URL), like the other e2e tests.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';

import { baseUrl, holdsFor, launchBrowser, screenshots } from './harness.mjs';

/** Sessions in the generated capture; each is about 4 KB of HTTP. */
const SESSIONS = Number(process.env.WORKER_TEST_SESSIONS ?? 8000);
/**
 * An HTTP transcript of `sessions` CWMP sessions: a BOOT Inform with 24 parameters answered by an
 * InformResponse, then the CPE's empty POST answered by 204.
 */
export function bigTranscript(sessions) {
  const parts = [];
  const params = (n) => {
    let list = '';
    for (let p = 0; p < 24; p += 1) {
      list += `<ParameterValueStruct><Name>Device.DeviceInfo.X_Test.Parameter${p}</Name>`
        + `<Value xsi:type="xsd:string">value ${n}.${p} of a generated capture</Value></ParameterValueStruct>`;
    }
    return list;
  };
  for (let n = 0; n < sessions; n += 1) {
    const serial = `SN${String(n).padStart(8, '0')}`;
    const inform = '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" '
      + 'xmlns:cwmp="urn:dslforum-org:cwmp-1-0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
      + 'xmlns:xsd="http://www.w3.org/2001/XMLSchema">'
      + `<soap:Header><cwmp:ID soap:mustUnderstand="1">${n}</cwmp:ID></soap:Header><soap:Body><cwmp:Inform>`
      + `<DeviceId><Manufacturer>Example</Manufacturer><OUI>001122</OUI><ProductClass>Router</ProductClass><SerialNumber>${serial}</SerialNumber></DeviceId>`
      + '<Event soapenc:arrayType="cwmp:EventStruct[1]" xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/">'
      + '<EventStruct><EventCode>1 BOOT</EventCode><CommandKey></CommandKey></EventStruct></Event>'
      + '<MaxEnvelopes>1</MaxEnvelopes><CurrentTime>2024-01-01T00:00:00Z</CurrentTime><RetryCount>0</RetryCount>'
      + `<ParameterList>${params(n)}</ParameterList></cwmp:Inform></soap:Body></soap:Envelope>`;
    const response = '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" '
      + 'xmlns:cwmp="urn:dslforum-org:cwmp-1-0">'
      + `<soap:Header><cwmp:ID soap:mustUnderstand="1">${n}</cwmp:ID></soap:Header>`
      + '<soap:Body><cwmp:InformResponse><MaxEnvelopes>1</MaxEnvelopes></cwmp:InformResponse></soap:Body></soap:Envelope>';
    parts.push(
      `POST /acs HTTP/1.1\r\nHost: acs.example\r\nContent-Type: text/xml\r\nContent-Length: ${Buffer.byteLength(inform)}\r\n\r\n${inform}`,
      `HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nSet-Cookie: session=${n}\r\nContent-Length: ${Buffer.byteLength(response)}\r\n\r\n${response}`,
      `POST /acs HTTP/1.1\r\nHost: acs.example\r\nCookie: session=${n}\r\nContent-Length: 0\r\n\r\n`,
      'HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n',
    );
  }
  return Buffer.from(parts.join(''));
}
let browser;

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});

async function openApp() {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const problems = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()} for ${response.url()}`);
  });
  assert.equal((await page.goto(baseUrl)).status(), 200);
  await page.locator('#drop-zone').waitFor();
  return { page, problems };
}

/** The progress bar's value, from 0 to 100. */
async function progressValue(page) {
  return Number(await page.locator('[data-testid=progress]').getAttribute('value'));
}

test('a large capture decodes in a worker: progress, a responsive page, cancel, then a full run', { timeout: 240_000 }, async () => {
  const capture = bigTranscript(SESSIONS);
  const file = { name: 'big-transcript.txt', mimeType: 'text/plain', buffer: capture };
  const { page, problems } = await openApp();

  // First run: watch it advance, use the page meanwhile, then cancel.
  await page.locator('#file-input').setInputFiles(file);
  const bar = page.locator('[data-testid=progress]');
  await bar.waitFor();
  await page.waitForFunction(
    () => document.querySelector('[data-testid=progress]')?.dataset.stage === 'decoding',
    null,
    { timeout: 60_000 },
  );
  const first = await progressValue(page);
  await page.waitForFunction(
    (before) => Number(document.querySelector('[data-testid=progress]')?.getAttribute('value')) > before,
    first,
    { timeout: 60_000 },
  );
  assert.ok((await progressValue(page)) > first, 'the bar advances');
  // The label is checked, and Cancel clicked, in the page in one go while it decodes: from
  // here, through the DevTools protocol, a loaded machine lets the decoder finish in between.
  await page.waitForFunction(() => {
    const label = document.querySelector('[data-testid=progress-stage]')?.textContent ?? '';
    if (!/^Decoding messages \([\d,]+ of [\d,]+ HTTP exchanges\) — \d+%$/.test(label)) return false;
    document.querySelector('[data-testid=cancel]').click();
    return true;
  }, null, { timeout: 60_000, polling: 'raf' });
  await page.locator('[data-testid=note]').waitFor();
  assert.equal(await page.locator('[data-testid=note]').textContent(), 'Decoding cancelled');
  assert.equal(await bar.count(), 0);
  assert.equal(await page.locator('.loaded-input').count(), 0, 'a cancelled input is forgotten');
  await page.screenshot({ path: path.join(screenshots, 'worker-cancelled.png') });

  // Second run: to the end, with typing in the paste box while it decodes.
  const started = Date.now();
  await page.locator('#file-input').setInputFiles(file);
  await bar.waitFor();
  await page.screenshot({ path: path.join(screenshots, 'worker-progress.png') });
  // The page answers while the worker decodes: About opens and closes. How fast is measured
  // (aboutMs in the report) but not asserted: budgets belong to `cargo xtask bench-browser`,
  // and a loaded machine must not fail this test by chance.
  const clicked = Date.now();
  await page.click('#about-open');
  await page.locator('#about').waitFor();
  await page.click('#about-close');
  await page.locator('#about').waitFor({ state: 'detached' });
  const aboutMs = Date.now() - clicked;
  await page.locator('[data-testid=session]').first().waitFor({ timeout: 180_000 });
  const decodeMs = Date.now() - started;
  const sessions = await page.locator('[data-testid=session]').count();
  assert.ok(sessions > 0, 'sessions are listed');
  // The detail pane has the decoded envelope (recomputed on the page): the Inform's parameters.
  await page.locator('[data-testid=message]').first().click();
  await page.locator('[data-testid=parameters]').waitFor();
  assert.match(await page.locator('[data-testid=parameters]').textContent(), /Device\.DeviceInfo\.X_Test\.Parameter0/);
  await page.screenshot({ path: path.join(screenshots, 'worker-done.png') });
  const report = { bytes: capture.length, sessions: SESSIONS, listed: sessions, decodeMs, aboutMs };
  console.log(`worker decode: ${JSON.stringify(report)}`);
  await writeFile(path.join(screenshots, 'worker-timing.json'), JSON.stringify(report));
  assert.deepEqual(problems, []);
  await page.close();
});

test('the decoder is fetched and warmed up when the user reaches for the start screen, not with the page', { timeout: 120_000 }, async () => {
  const { page, problems } = await openApp();
  const requested = [];
  page.on('request', (request) => requested.push(new URL(request.url()).pathname));
  // Idle on the start screen with the pointer elsewhere: the worker is not fetched.
  await holdsFor(1_500, () => !requested.some((p) => p.startsWith('/worker')), 'no worker request while idle');
  assert.equal(await page.evaluate(() => performance.getEntriesByName('cwmpi-decoder-warmed').length), 0);

  // The pointer reaches the drop zone: the worker is fetched, started and warmed up.
  await page.locator('#drop-zone').hover();
  await page.waitForFunction(() => performance.getEntriesByName('cwmpi-decoder-warmed').length > 0, null, { timeout: 60_000 });
  assert.ok(requested.includes('/worker_bg.wasm'), `requests: ${requested.join(', ')}`);
  const warmUp = await page.evaluate(() => performance.getEntriesByName('cwmpi-decoder-warmed')[0].detail.ms);
  assert.ok(warmUp > 0, `warm-up took ${warmUp} ms`);

  // The warmed-up worker decodes the next file: the real Baicells capture, 3 sessions.
  const examples = path.join(path.dirname(new URL(import.meta.url).pathname), '..', '..', 'static', 'examples');
  await page.setInputFiles('[data-testid=capture-input]', path.join(examples, 'magma-baicells-enodebd.pcap'));
  await page.locator('[data-testid=session]').first().waitFor({ timeout: 60_000 });
  assert.equal(await page.locator('[data-testid=session]').count(), 3);
  assert.deepEqual(problems, []);
  await page.close();
});
