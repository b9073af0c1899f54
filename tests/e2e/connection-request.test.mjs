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
  await page.fill('[data-testid=auth-password]', 'wrong');
  await page.click('[data-testid=auth-check]');
  const verdict = page.locator('[data-testid=auth-verdict]');
  await verdict.waitFor();
  assert.equal(await verdict.getAttribute('data-ok'), 'false');
  assert.ok((await verdict.textContent()).includes('response'), await verdict.textContent());
  await page.screenshot({ path: path.join(screenshots, 'auth-debugger-wrong.png') });

  // The right one (gen.py computed the answer with it): a match, step by step, password masked.
  await page.fill('[data-testid=auth-password]', 's3cret');
  await page.click('[data-testid=auth-check]');
  await page.locator('[data-testid=auth-verdict][data-ok=true]').waitFor();
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
