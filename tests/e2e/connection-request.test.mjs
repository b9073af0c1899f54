// Connection requests end to end: the row on the session timeline opens the request, and the auth
// debugger recomputes the ACS's Digest answer from a password typed in the page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { baseUrl, launchBrowser, screenshots } from './harness.mjs';

const vectors = path.join(path.dirname(fileURLToPath(import.meta.url)), 'vectors');
let browser;

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});

/** Types `password` into the auth debugger, checks, and returns the verdict once shown. */
async function tryPassword(page, password, ok) {
  await page.fill('[data-testid=auth-password]', password);
  await page.click('[data-testid=auth-check]');
  const verdict = page.locator(`[data-testid=auth-verdict][data-ok=${ok}]`);
  await verdict.waitFor();
  return verdict;
}

test('the auth debugger says which password the Digest answer was made with', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(baseUrl);
  await page.setInputFiles('[data-testid=capture-input]', path.join(vectors, 'connection-request-digest.http'));
  const row = page.locator('[data-testid=connection-request]');
  await row.waitFor();
  assert.match(await row.textContent(), /200 accepted · 2 attempt/);
  await row.click();

  const detail = page.locator('[data-testid=connection-request-detail]');
  await detail.waitFor();
  const text = await detail.textContent();
  assert.ok(text.includes('/cr/7f3a'), text);
  assert.ok(text.includes('dcd98b7102dd2f0e8b11d0f600bfb0c093'), 'the nonce is shown');
  // The session the request started is in the centre.
  assert.equal(await page.locator('[data-testid=session][aria-current=true]').getAttribute('data-session-id'), '0');

  // A wrong password: no match, and the response is the field at fault.
  let verdict = await tryPassword(page, 'wrong', false);
  assert.equal(await verdict.getAttribute('data-ok'), 'false');
  assert.ok((await verdict.textContent()).includes('response'), await verdict.textContent());
  await page.screenshot({ path: path.join(screenshots, 'auth-debugger-wrong.png') });

  // The right one (gen.py computed the answer with it): a match, step by step, password masked.
  verdict = await tryPassword(page, 's3cret', true);
  const steps = await page.locator('.auth-steps').textContent();
  assert.ok(steps.includes('HA1') && steps.includes('acs:cwmp:***'), steps);
  assert.ok(!(await verdict.textContent()).includes('s3cret'), 'the password is never shown');
  await page.screenshot({ path: path.join(screenshots, 'auth-debugger-match.png') });

  // Clicking a message goes back to the message pane.
  await page.locator('[data-testid=message]').first().click();
  await page.locator('[data-testid=message-detail]').waitFor();
  assert.equal(await detail.count(), 0);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a UDP connection request (Annex G) opens with its values, and its signature is checked against a password', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(baseUrl);
  await page.setInputFiles('[data-testid=capture-input]', path.join(vectors, 'udp-connection-request.pcap'));
  const row = page.locator('[data-testid=connection-request][data-request-kind=udp]');
  await row.waitFor();
  assert.match(await row.textContent(), /UDP connection request/);
  // It sits on the timeline just before the session it triggered…
  const listed = await page.locator('.session-list button').evaluateAll((rows) => rows.map((r) => r.dataset.testid));
  assert.deepEqual(listed.slice(0, 2), ['connection-request', 'session'], listed.join(', '));
  // …and that session has no "unmatched connection request" finding: the datagram explains it.
  assert.equal(await page.locator('[data-testid=finding][data-rule="event.connection-request-unmatched"]').count(), 0);
  await row.click();

  const detail = page.locator('[data-testid=connection-request-detail]');
  await detail.waitFor();
  const text = await detail.textContent();
  for (const expected of ['UDP connection request', 'TR-069 Annex G', '7001', 'cpe-user', 'XTGU9', '198.51.100.7:7547', '#0 followed']) {
    assert.ok(text.includes(expected), `${expected} in ${text}`);
  }
  assert.equal(await page.locator('[data-testid=session][aria-current=true]').getAttribute('data-session-id'), '0');

  // A wrong password: sig does not match.
  let verdict = await tryPassword(page, 'wrong', false);
  assert.equal(await verdict.getAttribute('data-ok'), 'false');
  assert.ok((await verdict.textContent()).includes('sig'), await verdict.textContent());

  // The password gen.py signed with: a match, with the HMAC-SHA1 step shown.
  verdict = await tryPassword(page, 'udp-s3cret', true);
  assert.ok((await page.locator('.auth-steps').textContent()).includes('HMAC-SHA1'));
  assert.ok(!(await verdict.textContent()).includes('udp-s3cret'), 'the password is never shown');
  await page.screenshot({ path: path.join(screenshots, 'udp-connection-request.png') });
  assert.deepEqual(errors, []);
  await page.close();
});
