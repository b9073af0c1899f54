// "Copy link", end to end: the Baicells capture shared with its secrets redacted, the link read
// back in a new page at the same session and step, and broken links explained on the start screen.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateRawSync, deflateRawSync } from 'node:zlib';

import { animationsDone, baseUrl, captureVectors, launchBrowser, screenshots, watchProblems } from './harness.mjs';

/** Waits until the worker has found the redactions (the dialog says it is looking meanwhile). */
async function scanned(page) {
  await page.locator('[data-testid=share-dialog]').waitFor();
  await page.locator('[data-testid=share-scanning]').waitFor({ state: 'detached', timeout: 15_000 });
}

let browser;

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});

/** The Baicells CPE's `Authorization: Basic` credentials (cpe:cpe). */
const SECRET = 'Y3BlOmNwZQ==';
const baicells = path.join(captureVectors, 'magma_baicells_qrtb_enodebd_tr069.pcap');

/** A page in its own context (clipboard allowed), collecting errors. */
async function newPage() {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    permissions: ['clipboard-read', 'clipboard-write'],
  });
  const page = await context.newPage();
  const problems = watchProblems(page);
  return { page, problems };
}

async function shoot(page, name) {
  await animationsDone(page);
  await page.screenshot({ path: path.join(screenshots, `${name}.png`), fullPage: false });
}

/** The HAR a share link carries, as text: base64url, then raw DEFLATE. */
function linkText(link) {
  const fragment = new URL(link).hash;
  const match = /^#share=v1\.([A-Za-z0-9_-]+)(?:&|$)/.exec(fragment);
  assert.ok(match, `a share link: ${link.slice(0, 120)}`);
  const base64 = match[1].replaceAll('-', '+').replaceAll('_', '/');
  return inflateRawSync(Buffer.from(base64, 'base64')).toString('utf8');
}

/** The sessions on screen and the selected session's messages. */
async function view(page) {
  const sessions = await page.locator('[data-testid=session]').evaluateAll(
    (rows) => rows.map((row) => row.getAttribute('data-session-id')),
  );
  const messages = await page.locator('[data-testid=message]').evaluateAll(
    (arrows) => arrows.map((arrow) => `${arrow.getAttribute('data-index')}:${arrow.getAttribute('data-rpc')}`),
  );
  const session = await page.locator('[data-testid=session].selected').getAttribute('data-session-id');
  const step = await page.locator('[data-testid=message].selected').getAttribute('data-index');
  return { sessions, messages, session, step };
}

/** The link once the dialog has made it (it is remade after each switch). */
async function readLink(page, previous = '') {
  const field = page.locator('[data-testid=share-link]');
  await page.waitForFunction(
    (previous) => {
      const value = document.querySelector('[data-testid=share-link]')?.value ?? '';
      return value.includes('#share=v1.') && value !== previous;
    },
    previous,
  );
  return field.inputValue();
}

test('Copy link: redacted by default, switchable, reopens at the same session and step', async () => {
  const { page, problems } = await newPage();
  assert.equal((await page.goto(baseUrl)).status(), 200);
  await page.setInputFiles('[data-testid=capture-input]', baicells);
  await page.locator('[data-testid=session]').first().waitFor();
  assert.equal(await page.locator('[data-testid=session]').count(), 3);

  // Session 1, message 6, then two steps: message 8, a GetParameterValuesResponse the CPE sent
  // with its Authorization and Password headers.
  await page.click('[data-testid=session][data-session-id="1"]');
  await page.locator('[data-testid=session][data-session-id="1"].selected').waitFor();
  await page.click('[data-testid=message][data-index="6"]');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await page.locator('[data-testid=message][data-index="8"].selected').waitFor();
  const before = await view(page);
  assert.deepEqual(before.sessions, ['0', '1', '2']);
  assert.equal(before.session, '1');
  assert.equal(before.step, '8');
  assert.equal(before.messages.length, 14);
  await page.click('.tab[data-tab=http]');
  assert.ok((await page.locator('[data-testid=http]').textContent()).includes(SECRET), 'the original has the secret');

  await page.click('[data-testid=share-open]');
  const dialog = page.locator('[data-testid=share-dialog]');
  await scanned(page);
  await dialog.waitFor();
  assert.match(await dialog.textContent(), /nothing is uploaded/);

  // The list: the Basic credentials and the Password header on; serial and addresses off.
  const authorization = dialog.locator('[data-testid=redaction][data-kind=authorization]');
  assert.equal(await authorization.count(), 1);
  assert.match(await authorization.textContent(), /Authorization: Basic, user “cpe”/);
  assert.match(await authorization.textContent(), /17 places/);
  const authorizationBox = authorization.locator('input[type=checkbox]');
  assert.equal(await authorizationBox.isChecked(), true);
  const password = dialog.locator('[data-testid=redaction][data-kind=password]');
  assert.equal(await password.count(), 1);
  assert.equal(await password.locator('input[type=checkbox]').isChecked(), true);
  const serial = dialog.locator('[data-testid=redaction][data-kind=serial]');
  assert.equal(await serial.count(), 1);
  assert.equal(await serial.locator('input[type=checkbox]').isChecked(), false);
  const addresses = dialog.locator('[data-testid=redaction][data-kind=ip]');
  assert.ok(await addresses.count() >= 2);
  for (const box of await addresses.locator('input[type=checkbox]').all()) {
    assert.equal(await box.isChecked(), false);
  }

  let link = await readLink(page);
  assert.ok(link.startsWith(baseUrl.replace(/\/$/, '')), link.slice(0, 80));
  assert.match(new URL(link).hash, /&session=1&step=8$/);
  assert.ok(!link.includes(SECRET));
  let har = linkText(link);
  assert.ok(!har.includes(SECRET), 'the secret is not in the link');
  assert.ok(har.includes('Basic [redacted]'));
  assert.match(await page.locator('[data-testid=share-size]').textContent(), /The link is [\d,]+ bytes/);

  // Off: the link carries the credentials; on again: it does not.
  await authorizationBox.uncheck();
  link = await readLink(page, link);
  assert.ok(linkText(link).includes(SECRET), 'switched off, the credentials travel');
  await authorizationBox.check();
  link = await readLink(page, link);
  har = linkText(link);
  assert.ok(!har.includes(SECRET));
  // The per-kind switch turns every address on, and the link changes with it.
  await dialog.locator('[data-testid=redaction-kind][data-kind=ip]').check();
  for (const box of await addresses.locator('input[type=checkbox]').all()) {
    assert.equal(await box.isChecked(), true);
  }
  link = await readLink(page, link);
  har = linkText(link);
  assert.ok(!har.includes('192.88.99.142') && !har.includes('10.0.2.243'), 'addresses replaced');
  await dialog.locator('[data-testid=redaction-kind][data-kind=ip]').uncheck();
  link = await readLink(page, link);
  har = linkText(link);
  assert.ok(har.includes('192.88.99.142') && !har.includes(SECRET));

  await page.click('[data-testid=share-copy]');
  await page.locator('[data-testid=share-copied]').filter({ hasText: /\S/ }).waitFor();
  const copied = await page.locator('[data-testid=share-copied]').textContent();
  if (copied.startsWith('Copied')) {
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), link);
  }
  await shoot(page, 'share-dialog');

  // Only the session on screen: a shorter link, opened as the capture's one session.
  await dialog.locator('[data-testid=share-only-session]').check();
  const single = await readLink(page, link);
  assert.match(new URL(single).hash, /&session=0&step=8$/);
  const singleHar = JSON.parse(linkText(single));
  assert.equal(singleHar.log.entries.length, 7);
  assert.ok(single.length < link.length);
  assert.ok(!linkText(single).includes(SECRET));
  assert.match(await authorization.textContent(), /7 places/);
  await dialog.locator('[data-testid=share-only-session]').uncheck();
  assert.equal(await readLink(page, single), link);
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });

  // The link in a new page: the same sessions and messages, at the same session and step.
  const { page: other, problems: otherProblems } = await newPage();
  const requests = [];
  other.on('request', (request) => requests.push(request.url()));
  await other.goto(link);
  await other.locator('[data-testid=message].selected').waitFor();
  const after = await view(other);
  assert.deepEqual(after, before);
  assert.equal(
    await other.locator('.capture-name .name').textContent(),
    'magma_baicells_qrtb_enodebd_tr069.pcap (shared link)',
  );
  await other.click('.tab[data-tab=http]');
  const http = await other.locator('[data-testid=http]').textContent();
  assert.ok(!http.includes(SECRET), 'the secret is not in the reopened HTTP tab');
  assert.match(http, /Authorization: Basic \[redacted\]/);
  assert.match(http, /Password: \[redacted\]/);
  assert.ok(!(await other.content()).includes(SECRET));
  // The fragment never went to the server.
  assert.ok(requests.length > 0);
  for (const url of requests) assert.ok(!url.includes('share=v1'), url);
  await shoot(other, 'share-reopened');

  const { page: third, problems: thirdProblems } = await newPage();
  await third.goto(single);
  await third.locator('[data-testid=message].selected').waitFor();
  const alone = await view(third);
  assert.deepEqual(alone, { ...before, sessions: ['0'], session: '0' });
  assert.deepEqual(thirdProblems, []);
  await third.context().close();

  assert.deepEqual(problems, []);
  assert.deepEqual(otherProblems, []);
  await page.context().close();
  await other.context().close();
});

test('a UDP connection request\'s sig is redacted by default, marked in the recipient\'s pane, and travels when switched off', async () => {
  const udp = path.join(path.dirname(fileURLToPath(import.meta.url)), 'vectors', 'udp-connection-request.pcap');
  const { page, problems } = await newPage();
  await page.goto(baseUrl);
  await page.setInputFiles('[data-testid=capture-input]', udp);
  const row = page.locator('[data-testid=connection-request][data-request-kind=udp]');
  await row.click();
  const sigField = (p) => p.locator('[data-testid=connection-request-detail] dt[title="HMAC-SHA1 signature"] + dd');
  const sig = (await sigField(page).textContent()).trim();
  assert.match(sig, /^[0-9a-fA-F]{40}$/);

  await page.click('[data-testid=share-open]');
  const dialog = page.locator('[data-testid=share-dialog]');
  await scanned(page);
  const redaction = dialog.locator('[data-testid=redaction][data-kind=digest]').filter({ hasText: 'UDP' });
  assert.equal(await redaction.count(), 1);
  assert.match(await redaction.textContent(), /sig of user “cpe-user”.*1 place/);
  assert.match(await dialog.textContent(), /Digest responses and UDP signatures/);
  const box = redaction.locator('input[type=checkbox]');
  assert.equal(await box.isChecked(), true);
  const link = await readLink(page);
  const har = linkText(link);
  assert.ok(!har.toLowerCase().includes(sig.toLowerCase()), 'the sig is not in the link');
  assert.ok(har.includes('sig=[redacted]'));

  // The recipient sees it marked, and the debugger says why it cannot check it.
  const { page: other, problems: otherProblems } = await newPage();
  await other.goto(link);
  await other.locator('[data-testid=connection-request][data-request-kind=udp]').click();
  assert.equal((await sigField(other).textContent()).trim(), '[redacted]');
  const detail = other.locator('[data-testid=connection-request-detail]');
  assert.match(await detail.textContent(), /redacted sig: it cannot be checked/);
  assert.equal(await other.locator('[data-testid=auth-check]').isDisabled(), true);
  await shoot(other, 'share-udp-redacted');

  // Switched off, the sig travels.
  await box.uncheck();
  const open = await readLink(page, link);
  assert.ok(linkText(open).includes(sig), 'switched off, the sig travels');

  assert.deepEqual(problems, []);
  assert.deepEqual(otherProblems, []);
  await page.context().close();
  await other.context().close();
});

test('a broken share link says why on the start screen, without a panic', async () => {
  const { page, problems } = await newPage();
  const cases = [
    ['#share=v1.not*base64', /damaged: its data is not valid base64url/],
    ['#share=v1.AAAAAAAA', /damaged: its data does not decompress/],
    [`#share=v1.${deflateRawSync('hello, not a capture').toString('base64url')}`, /not a capture \(a HAR file\)/],
    ['#share=v7.AAAA', /another version of cwmp-inspector/],
  ];
  for (const [fragment, reason] of cases) {
    await page.goto('about:blank');
    await page.goto(`${baseUrl}${fragment}`);
    const note = page.locator('[data-testid=note]');
    await note.waitFor();
    const text = await note.textContent();
    assert.match(text, /^This shared link cannot be opened: /);
    assert.match(text, reason);
  }
  await shoot(page, 'share-broken-link');
  assert.deepEqual(problems, []);
  await page.context().close();
});

test('an ACS message pasted alone travels in the link too', async () => {
  const { page, problems } = await newPage();
  await page.goto(baseUrl);
  await page.locator('#drop-zone').waitFor();
  const rpc = '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" '
    + 'xmlns:cwmp="urn:dslforum-org:cwmp-1-0"><soap:Header><cwmp:ID soap:mustUnderstand="1">1</cwmp:ID>'
    + '</soap:Header><soap:Body><cwmp:GetParameterValues><ParameterNames><string>Device.</string>'
    + '</ParameterNames></cwmp:GetParameterValues></soap:Body></soap:Envelope>';
  await page.evaluate((text) => {
    const data = new DataTransfer();
    data.setData('text/plain', text);
    document.body.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true }));
  }, rpc);
  await page.locator('[data-testid=message]').first().waitFor();
  const sent = await shownAnalysis(page);
  await page.click('[data-testid=share-open]');
  await scanned(page);
  assert.equal(await page.locator('[data-testid=share-left-out]').count(), 0);
  assert.match(await page.locator('[data-testid=share-dialog]').textContent(), /No password, credential, serial number or IP address/);
  await shoot(page, 'share-acs-message-alone');
  const link = await readLink(page);
  const { page: other, problems: otherProblems } = await newPage();
  await other.goto(link);
  await other.locator('[data-testid=message]').first().waitFor();
  assert.deepEqual(await shownAnalysis(other), sent);
  assert.deepEqual(problems, []);
  assert.deepEqual(otherProblems, []);
  await page.context().close();
  await other.context().close();
});

test('a long link is flagged with its size', async () => {
  const { page, problems } = await newPage();
  await page.goto(baseUrl);
  await page.locator('#drop-zone').waitFor();
  // 120 KB of random text does not compress: the link ends up past the 64 KB warning.
  const { randomBytes } = await import('node:crypto');
  const blob = randomBytes(90 * 1024).toString('base64');
  const body = '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" '
    + 'xmlns:cwmp="urn:dslforum-org:cwmp-1-0"><soap:Header><cwmp:ID soap:mustUnderstand="1">1</cwmp:ID>'
    + '</soap:Header><soap:Body><cwmp:GetParameterValuesResponse><ParameterList><ParameterValueStruct>'
    + `<Name>Device.X_Blob</Name><Value>${blob}</Value></ParameterValueStruct></ParameterList>`
    + '</cwmp:GetParameterValuesResponse></soap:Body></soap:Envelope>';
  const transcript = `POST /acs HTTP/1.1\r\nHost: acs.example\r\nContent-Length: ${body.length}\r\n\r\n${body}`
    + 'HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n';
  await page.evaluate((text) => {
    const data = new DataTransfer();
    data.setData('text/plain', text);
    document.body.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true }));
  }, transcript);
  await page.locator('[data-testid=message]').first().waitFor();
  await page.click('[data-testid=share-open]');
  await scanned(page);
  const link = await readLink(page);
  assert.ok(link.length > 64 * 1024, `${link.length} characters`);
  const size = page.locator('[data-testid=share-size]');
  assert.match(await size.getAttribute('class'), /\bwarning\b/);
  assert.match(await size.textContent(), /^The link is [\d,]+ bytes \([\d.]+ KiB\) long: browsers open it, but chat tools/);
  await shoot(page, 'share-long-link');
  assert.deepEqual(problems, []);
  await page.context().close();
});

/**
 * What the page shows of a capture: the session list (sessions, HTTP and UDP connection
 * requests, each row's text), and per session its messages, its findings and, per message, the
 * decoded tab's fields (time, HTTP status, frames, TCP stream, body size).
 */
async function shownAnalysis(page) {
  const rows = await page.locator('.session-list button').evaluateAll((list) => list.map((row) => ({
    kind: row.dataset.testid,
    session: row.dataset.sessionId ?? null,
    request: row.dataset.requestKind ?? null,
    text: row.textContent.trim(),
  })));
  const sessions = [];
  for (const { session } of rows.filter((row) => row.kind === 'session')) {
    const row = page.locator(`[data-testid=session][data-session-id="${session}"]`);
    await row.click();
    await page.locator(`[data-testid=session][data-session-id="${session}"].selected`).waitFor();
    const messages = await page.locator('[data-testid=message]').evaluateAll(
      (arrows) => arrows.map((arrow) => `${arrow.dataset.index}:${arrow.dataset.rpc}`),
    );
    const findings = await page.locator('[data-testid=finding]').evaluateAll(
      (list) => list.map((finding) => finding.textContent.trim()),
    );
    const fields = [];
    for (const message of messages) {
      const index = message.split(':')[0];
      await page.click(`[data-testid=message][data-index="${index}"]`);
      await page.waitForFunction(
        ([index, session]) => document.querySelector('.message-header .muted')?.textContent
          .startsWith(`#${index} in session #${session} `),
        [index, session],
      );
      fields.push(await page.locator('[data-testid=message-detail] dl.fields').first().textContent());
    }
    sessions.push({ session, messages, findings, fields });
  }
  return { rows, sessions };
}

test('every e2e capture reads back through its link as the sender saw it', async () => {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const examples = path.join(here, '..', '..', 'static', 'examples');
  const inputs = async (dir) => (await readdir(dir))
    .filter((name) => !/\.(md|py)$/.test(name))
    .sort()
    .map((name) => path.join(dir, name));
  const files = [
    ...await inputs(path.join(here, 'vectors')),
    ...await inputs(examples),
    baicells,
    // One run as a log and a capture: refused Informs, each its own session.
    ...await inputs(path.join(here, '..', '..', 'crates', 'cwmp-session', 'tests', 'vectors', 'log_vs_capture')),
  ];
  assert.ok(files.length >= 11, files.join(', '));
  for (const file of files) {
    const { page, problems } = await newPage();
    await page.goto(baseUrl);
    await page.setInputFiles('[data-testid=capture-input]', file);
    await page.locator('.session-list button').first().waitFor();
    const sent = await shownAnalysis(page);
    assert.ok(sent.sessions.length > 0, `${file}: sessions`);
    await page.click('[data-testid=share-open]');
    await scanned(page);
    const link = await readLink(page);

    const { page: other, problems: otherProblems } = await newPage();
    await other.goto(link);
    await other.locator('.session-list button').first().waitFor();
    const received = await shownAnalysis(other);
    assert.deepEqual(received, sent, `${path.basename(file)} through its link`);
    assert.equal(
      await other.locator('.capture-name .name').textContent(),
      `${path.basename(file)} (shared link)`,
    );
    assert.deepEqual(problems, []);
    assert.deepEqual(otherProblems, []);
    await page.context().close();
    await other.context().close();
  }
});
