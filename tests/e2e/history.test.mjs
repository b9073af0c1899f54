// History: a capture loaded in the app is kept in IndexedDB (a real browser database), listed on
// the start screen after a reload, reopened through the normal decoding path, and deleted.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { baseUrl, captureVectors, launchBrowser, screenshots, waitUntil, watchProblems } from './harness.mjs';

const baicells = 'magma_baicells_qrtb_enodebd_tr069.pcap';
let browser;

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});

/** What the app's database holds, read with the IndexedDB API itself (not through the app). */
function readDatabase(page) {
  return page.evaluate(() => new Promise((resolve, reject) => {
    const request = indexedDB.open('cwmp-inspector');
    // Read only: never create the database the app is about to make.
    request.onupgradeneeded = () => request.transaction.abort();
    request.onerror = () => resolve({ stores: [], meta: [], sizes: [] });
    request.onsuccess = () => {
      const db = request.result;
      const stores = [...db.objectStoreNames];
      if (!stores.includes('meta')) { db.close(); resolve({ stores, meta: [], sizes: [] }); return; }
      const tx = db.transaction(['meta', 'bytes']);
      const meta = tx.objectStore('meta').getAll();
      const bytes = tx.objectStore('bytes').getAll();
      tx.oncomplete = () => {
        db.close();
        resolve({ stores, meta: meta.result, sizes: bytes.result.map((b) => b.byteLength) });
      };
      tx.onerror = () => reject(tx.error);
    };
  }));
}

test('a loaded capture is kept in IndexedDB, listed after a reload, reopened and deleted', async () => {
  // A fresh context: an empty database.
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const problems = watchProblems(page);
  await page.goto(baseUrl);
  await page.locator('[data-testid=history]').waitFor();
  assert.equal(await page.locator('[data-testid=history-entry]').count(), 0);

  const bytes = await readFile(path.join(captureVectors, baicells));
  await page.setInputFiles('#file-input', { name: baicells, mimeType: 'application/vnd.tcpdump.pcap', buffer: bytes });
  await page.locator('[data-testid=session]').first().waitFor();

  // The database itself holds the record and the exact bytes.
  const stored = await waitUntil(async () => {
    const read = await readDatabase(page);
    return read.meta.length > 0 && read;
  }, 'the capture in IndexedDB');
  assert.deepEqual(stored.stores.sort(), ['bytes', 'meta']);
  assert.equal(stored.meta.length, 1);
  assert.equal(stored.meta[0].name, baicells);
  assert.equal(stored.meta[0].size, bytes.length);
  assert.match(stored.meta[0].format, /^pcap/);
  assert.ok(Math.abs(stored.meta[0].date - Date.now()) < 120_000);
  assert.deepEqual(stored.sizes, [bytes.length]);

  // After a reload nothing is in the page any more, but history lists it.
  await page.reload();
  const entry = page.locator('[data-testid=history-entry]');
  await entry.first().waitFor();
  assert.equal(await entry.count(), 1);
  assert.equal(await entry.locator('.name').textContent(), baicells);
  assert.equal(await entry.locator('.size').textContent(), '88,103 bytes (86.0 KiB)');
  assert.match(await entry.locator('.format').textContent(), /^pcap/);
  assert.match(await entry.locator('.date').textContent(), /^\d{4}-\d\d-\d\d \d\d:\d\d$/);
  assert.equal(await page.locator('.loaded-input').count(), 0);
  await page.locator('[data-testid=history]').scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(screenshots, 'history-listed.png'), fullPage: true });
  // On a phone the list fits without sideways scrolling.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.locator('[data-testid=history]').scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(screenshots, 'history-listed-390.png') });
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `the history list scrolls sideways: ${width}px`);
  await page.setViewportSize({ width: 1280, height: 800 });

  // Open decodes it again through the normal path.
  await entry.locator('[data-testid=history-open]').click();
  await page.locator('.capture-name .name', { hasText: baicells }).waitFor();
  await page.locator('[data-testid=session]').nth(2).waitFor();
  assert.equal(await page.locator('[data-testid=session]').count(), 3);
  assert.match(await page.locator('[data-testid=import-summary]').textContent(), /170 frames/);
  // Reopening does not add a second copy.
  await page.click('#new-capture');
  await entry.first().waitFor();
  assert.equal(await entry.count(), 1);
  assert.equal((await readDatabase(page)).meta.length, 1);

  // Delete removes it from the list and from the database, for good.
  await entry.locator('[data-testid=history-delete]').click();
  await entry.first().waitFor({ state: 'detached' });
  const afterDelete = await readDatabase(page);
  assert.deepEqual(afterDelete.meta, []);
  assert.deepEqual(afterDelete.sizes, []);
  await page.reload();
  await page.locator('[data-testid=history]').waitFor();
  assert.equal(await entry.count(), 0);
  assert.deepEqual((await readDatabase(page)).meta, []);
  assert.deepEqual(problems, []);
  await context.close();
});

test('loading the same file twice keeps one entry; a paste is kept under "pasted text"', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(baseUrl);
  await page.locator('[data-testid=history]').waitFor();
  const bytes = await readFile(path.join(captureVectors, baicells));
  for (let round = 0; round < 2; round++) {
    await page.setInputFiles('#file-input', { name: baicells, mimeType: 'application/octet-stream', buffer: bytes });
    await page.locator('[data-testid=session]').first().waitFor();
    await page.click('#new-capture');
  }
  await page.fill('#paste-box', 'POST /acs HTTP/1.1\r\nContent-Length: 0\r\n\r\n');
  await page.click('#paste-load');
  await page.click('#new-capture');
  const names = page.locator('[data-testid=history-entry] .name');
  await names.nth(1).waitFor();
  await waitUntil(async () => (await names.allTextContents()).join('|') === `pasted text|${baicells}`,
    'the pasted text listed first, then the pcap');
  assert.equal((await readDatabase(page)).meta.length, 2);
  await context.close();
});

test('a database of the same name without the stores is upgraded, not a dead end', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  // Same origin, before the app ever runs: an empty version-1 database named like the app's.
  await page.goto(new URL('embed.html', baseUrl).href);
  await page.evaluate(() => new Promise((resolve, reject) => {
    const request = indexedDB.open('cwmp-inspector', 1);
    request.onsuccess = () => { request.result.close(); resolve(); };
    request.onerror = () => reject(request.error);
  }));
  await page.goto(baseUrl);
  await page.locator('[data-testid=history]').waitFor();
  assert.equal(await page.locator('[data-testid=history-error]').count(), 0);
  await page.fill('#paste-box', 'POST /acs HTTP/1.1\r\nContent-Length: 0\r\n\r\n');
  await page.click('#paste-load');
  await page.click('#new-capture');
  await page.locator('[data-testid=history-entry]').first().waitFor();
  const stored = await readDatabase(page);
  assert.deepEqual(stored.stores.sort(), ['bytes', 'meta']);
  assert.equal(stored.meta.length, 1);
  await context.close();
});

test('a capture over 50 MB is not kept, and the start screen says so', { timeout: 120_000 }, async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(baseUrl);
  await page.locator('[data-testid=history]').waitFor();
  // 50 MB + 1 byte of text that is no capture: decoded quickly, too large to keep.
  const dir = await mkdtemp(path.join(tmpdir(), 'cwmpi-history-'));
  const big = path.join(dir, 'big.txt');
  await writeFile(big, Buffer.alloc(50 * 1000 * 1000 + 1, 'x'));
  try {
    await page.setInputFiles('#file-input', big);
    await page.locator('#new-capture').click({ timeout: 60_000 });
    const note = page.locator('[data-testid=note]');
    await note.waitFor({ timeout: 30_000 });
    assert.match(await note.textContent(), /^big\.txt is larger than 50 MB: it was not kept in this browser's history\.$/);
    assert.equal(await page.locator('[data-testid=history-entry]').count(), 0);
    assert.equal((await readDatabase(page)).meta.length, 0);
  } finally {
    await rm(dir, { recursive: true, force: true });
    await context.close();
  }
});
