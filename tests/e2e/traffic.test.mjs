// ACS-side traffic end to end: a failed connection request says how it failed, in its row and its
// pane; HTTP that is not CWMP is counted in the import summary and makes no session.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { baseUrl, launchBrowser } from './harness.mjs';

const vectors = path.join(path.dirname(fileURLToPath(import.meta.url)), 'vectors');
let browser;

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});

test('a connection request refused after its credentials says so in its row and pane', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  await page.goto(baseUrl);
  await page.setInputFiles('[data-testid=capture-input]', path.join(vectors, 'cr-auth-loop.pcap'));
  const row = page.locator('[data-testid=connection-request]');
  await row.waitFor();
  assert.match(await row.textContent(), /failed: still 401 after 2 authenticated attempts · 3 attempt/);
  await row.click();
  const detail = page.locator('[data-testid=connection-request-detail]');
  await detail.waitFor();
  assert.match(await detail.textContent(), /failed: still 401 after 2 authenticated attempts/);
  await page.close();
});

test('HTTP that is not CWMP is listed in the import summary, not made into a session', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  await page.goto(baseUrl);
  await page.setInputFiles('[data-testid=capture-input]', path.join(vectors, 'other-http.pcap'));
  const chip = page.locator('[data-testid=import-summary]');
  await chip.waitFor();
  assert.match(await chip.textContent(), /1 session · 4 other HTTP/);
  await chip.click();
  const other = page.locator('[data-testid=other-http]');
  await other.waitFor();
  assert.match(await other.textContent(), /4 exchanges to acs\.example\.net:3000/);
  assert.equal(await page.locator('[data-testid=session]').count(), 1);
  await page.close();
});
