// A large capture stays quick to browse: the session list is virtualised (only the rows near the
// viewport exist), scrolls to its end, and the keyboard selection keeps the selected row in view.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';

import { baseUrl, launchBrowser, screenshots } from './harness.mjs';

const SESSIONS = 3000;
let browser;

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});

/** A raw HTTP transcript of `count` sessions from `count / 3` devices, each one Inform. */
function transcript(count) {
  const parts = [];
  for (let i = 0; i < count; i += 1) {
    const serial = `SN${String(i % Math.ceil(count / 3)).padStart(5, '0')}`;
    const second = String(i % 60).padStart(2, '0');
    const minute = String(Math.floor(i / 60) % 60).padStart(2, '0');
    const body = '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:cwmp="urn:dslforum-org:cwmp-1-0">'
      + `<soap:Header><cwmp:ID soap:mustUnderstand="1">${i}</cwmp:ID></soap:Header><soap:Body><cwmp:Inform>`
      + `<DeviceId><Manufacturer>Acme</Manufacturer><OUI>00D09E</OUI><ProductClass>HGW</ProductClass><SerialNumber>${serial}</SerialNumber></DeviceId>`
      + '<Event><EventStruct><EventCode>2 PERIODIC</EventCode><CommandKey></CommandKey></EventStruct></Event>'
      + `<MaxEnvelopes>1</MaxEnvelopes><CurrentTime>2026-11-24T10:${minute}:${second}Z</CurrentTime><RetryCount>0</RetryCount>`
      + '<ParameterList></ParameterList></cwmp:Inform></soap:Body></soap:Envelope>';
    const response = `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:cwmp="urn:dslforum-org:cwmp-1-0"><soap:Header><cwmp:ID soap:mustUnderstand="1">${i}</cwmp:ID></soap:Header><soap:Body><cwmp:InformResponse><MaxEnvelopes>1</MaxEnvelopes></cwmp:InformResponse></soap:Body></soap:Envelope>`;
    parts.push(
      `POST /acs HTTP/1.1\r\nHost: acs\r\nContent-Type: text/xml\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
      `HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: ${response.length}\r\n\r\n${response}`,
      'POST /acs HTTP/1.1\r\nHost: acs\r\nContent-Length: 0\r\n\r\n',
      'HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n',
    );
  }
  return parts.join('');
}

test('thousands of sessions: few rows in the document, all reachable', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(baseUrl);
  await page.setInputFiles('[data-testid=capture-input]', {
    name: 'many-sessions.http',
    mimeType: 'text/plain',
    buffer: Buffer.from(transcript(SESSIONS)),
  });
  await page.locator('[data-testid=session]').first().waitFor({ timeout: 60_000 });
  const list = page.locator('.session-list');
  assert.equal(await list.getAttribute('class'), 'session-list virtual');
  // 1,000 device headers and 3,000 sessions are rows of the list…
  assert.equal(Number(await list.getAttribute('data-rows')), SESSIONS + SESSIONS / 3);
  // …but only those near the viewport are in the document.
  const rendered = await page.locator('[data-testid=session]').count();
  assert.ok(rendered > 5 && rendered < 80, `${rendered} session rows rendered`);

  // Scrolling to the end renders the last rows.
  await page.locator('.sessions-pane').evaluate((pane) => { pane.scrollTop = pane.scrollHeight; });
  const last = page.locator(`[data-testid=session][data-session-id="${SESSIONS - 1}"]`);
  await last.waitFor();
  assert.ok(await last.isVisible());
  await page.screenshot({ path: path.join(screenshots, 'large-list-end.png') });

  // Back to the top, then the keyboard walks down past the first screenful: the selected row
  // is always rendered and inside the pane.
  await page.locator('.sessions-pane').evaluate((pane) => { pane.scrollTop = 0; });
  await page.locator('[data-testid=session][data-session-id="0"]').click();
  for (let i = 0; i < 40; i += 1) await page.keyboard.press('ArrowDown');
  const selected = page.locator('[data-testid=session][aria-current=true]');
  await selected.waitFor();
  // The scroll follows the render that follows the last key: wait for it (a busy CI machine
  // may take a while), up to thirty seconds.
  const inView = await page.waitForFunction(() => {
    const row = document.querySelector('[data-testid=session][aria-current=true]');
    if (!row) return false;
    const pane = row.closest('.sessions-pane').getBoundingClientRect();
    const box = row.getBoundingClientRect();
    return box.top >= pane.top - 1 && box.bottom <= pane.bottom + 1;
  }, null, { timeout: 30_000 }).then(() => true, () => false);
  assert.ok(inView, 'the selected row is scrolled into view');
  assert.ok(Number(await selected.getAttribute('data-session-id')) > 0);
  assert.deepEqual(errors, []);
  await page.close();
});

/**
 * A raw HTTP transcript of one session of `rounds` GetParameterValues round trips: the Inform,
 * then for each round the ACS's request (answering the CPE's POST) and the CPE's response, and
 * the ACS's closing 204. Messages: 2 + 2 × rounds + 2.
 */
function longSession(rounds) {
  const envelope = (id, body) => '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:cwmp="urn:dslforum-org:cwmp-1-0">'
    + `<soap:Header><cwmp:ID soap:mustUnderstand="1">${id}</cwmp:ID></soap:Header><soap:Body>${body}</soap:Body></soap:Envelope>`;
  const post = (body) => `POST /acs HTTP/1.1\r\nHost: acs\r\nContent-Type: text/xml\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
  const ok = (body) => `HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
  const parts = [
    post(envelope('inform', '<cwmp:Inform><DeviceId><Manufacturer>Acme</Manufacturer><OUI>00D09E</OUI><ProductClass>HGW</ProductClass>'
      + '<SerialNumber>LONG0001</SerialNumber></DeviceId><Event><EventStruct><EventCode>2 PERIODIC</EventCode><CommandKey></CommandKey></EventStruct></Event>'
      + '<MaxEnvelopes>1</MaxEnvelopes><CurrentTime>2026-11-24T10:00:00Z</CurrentTime><RetryCount>0</RetryCount><ParameterList></ParameterList></cwmp:Inform>')),
    ok(envelope('inform', '<cwmp:InformResponse><MaxEnvelopes>1</MaxEnvelopes></cwmp:InformResponse>')),
  ];
  let cpe = 'POST /acs HTTP/1.1\r\nHost: acs\r\nContent-Length: 0\r\n\r\n';
  for (let i = 0; i < rounds; i += 1) {
    parts.push(cpe, ok(envelope(`g${i}`, `<cwmp:GetParameterValues><ParameterNames><string>Device.Test.P${i}</string></ParameterNames></cwmp:GetParameterValues>`)));
    cpe = post(envelope(`g${i}`, '<cwmp:GetParameterValuesResponse><ParameterList><ParameterValueStruct>'
      + `<Name>Device.Test.P${i}</Name><Value>${i}</Value></ParameterValueStruct></ParameterList></cwmp:GetParameterValuesResponse>`));
  }
  parts.push(cpe, 'HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n');
  return parts.join('');
}

test('a session of thousands of messages: the ladder draws the arrows in view, all reachable', async () => {
  const ROUNDS = 1500;
  const MESSAGES = 2 + 2 * ROUNDS + 2;
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(baseUrl);
  await page.setInputFiles('[data-testid=capture-input]', {
    name: 'long-session.http',
    mimeType: 'text/plain',
    buffer: Buffer.from(longSession(ROUNDS)),
  });
  await page.locator('[data-testid=session]').first().click({ timeout: 60_000 });
  await page.locator('[data-testid=message]').first().waitFor();
  const drawn = () => page.locator('[data-testid=message]').evaluateAll((arrows) => arrows.map((a) => Number(a.dataset.index)));
  let indices = await drawn();
  assert.ok(indices.length < 150, `${indices.length} arrows drawn of ${MESSAGES}`);
  assert.equal(indices[0], 0);

  // Scrolled to the end, the last arrows are drawn and the first are not.
  await page.locator('.ladder-pane').evaluate((pane) => { pane.scrollTop = pane.scrollHeight; });
  await page.waitForFunction((last) => document.querySelector(`[data-testid=message][data-index="${last}"]`), MESSAGES - 1);
  indices = await drawn();
  // (The first is the selected message since the session opened: it stays drawn.)
  assert.ok(!indices.includes(5), 'the early arrows are still drawn at the end');
  assert.ok(indices.length < 150, `${indices.length} arrows drawn at the end`);
  await page.screenshot({ path: path.join(screenshots, 'long-session-end.png') });

  // The last arrow opens its message: the CPE's closing… the ACS's 204.
  const last = page.locator(`[data-testid=message][data-index="${MESSAGES - 1}"]`);
  assert.equal(await last.getAttribute('data-direction'), 'acs-to-cpe');
  await last.click();
  assert.match(await last.getAttribute('class'), /selected/);

  // Back at the top, the first arrows are drawn again, and the selected one stays drawn.
  await page.locator('.ladder-pane').evaluate((pane) => { pane.scrollTop = 0; });
  await page.waitForFunction(() => document.querySelector('[data-testid=message][data-index="0"]'));
  indices = await drawn();
  assert.ok(indices.includes(MESSAGES - 1), 'the selected arrow is drawn while out of view');
  assert.deepEqual(errors, []);
  await page.close();
});
