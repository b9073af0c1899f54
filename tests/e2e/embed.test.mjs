// Embedding: static/embed.html shows the one-tag form (<cwmp-inspector>, static/embed.js) and a
// plain iframe; each frame runs the app with ?embed=1 and shows only the requested session's
// ladder at the requested message, with a link to the full app.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';

import { baseUrl, holdsFor, launchBrowser, screenshots, waitUntil } from './harness.mjs';

let browser;

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});

/** The frame whose URL has `embed=1` and this `src` file name. */
async function frameFor(page, file) {
  return waitUntil(
    () => page.frames().find((f) => f.url().includes('embed=1') && f.url().includes(encodeURIComponent(file))),
    `an embed frame for ${file}`,
  );
}

/** How many captures the app's IndexedDB history holds, read with the IndexedDB API itself. */
function keptCaptures(frameOrPage) {
  return frameOrPage.evaluate(() => new Promise((resolve) => {
    const request = indexedDB.open('cwmp-inspector');
    // No database yet: do not create one (the app would then find it without its stores).
    request.onupgradeneeded = () => request.transaction.abort();
    request.onerror = () => resolve(0);
    request.onsuccess = () => {
      const db = request.result;
      if (!db.objectStoreNames.contains('meta')) { db.close(); resolve(0); return; }
      const count = db.transaction('meta').objectStore('meta').count();
      count.onsuccess = () => { db.close(); resolve(count.result); };
    };
  }));
}

/** Checks one embedded inspector: the selected message, no session list, and the full-app link. */
async function checkEmbed(frame, { file, session, step, rpc }) {
  const selected = frame.locator('[data-testid=message].selected');
  await selected.waitFor({ timeout: 30_000 });
  assert.equal(await selected.getAttribute('data-index'), String(step));
  assert.equal(await selected.getAttribute('data-rpc'), rpc);
  assert.ok(await frame.locator('[data-testid=message][data-rpc]').count() > step);
  // The message pane shows the selected message.
  assert.match(await frame.locator('.message-pane').textContent(), new RegExp(rpc));
  // Only the ladder and the message: no session list, no top bar, no filter.
  assert.equal(await frame.locator('[data-testid=session]').count(), 0);
  assert.equal(await frame.locator('.sessions-pane').count(), 0);
  assert.equal(await frame.locator('.topbar').count(), 0);
  assert.equal(await frame.locator('[data-testid=filter]').count(), 0);
  assert.equal(await frame.locator('#drop-zone').count(), 0);

  const link = frame.locator('[data-testid=open-full]');
  assert.equal((await link.textContent()).trim(), 'Open in cwmp-inspector ↗');
  assert.equal(await link.getAttribute('target'), '_blank');
  const href = new URL(await link.getAttribute('href'));
  assert.equal(href.origin + href.pathname, new URL(baseUrl).origin + '/');
  assert.equal(href.searchParams.get('embed'), null);
  assert.equal(href.searchParams.get('src'), new URL(`examples/${file}`, baseUrl).href);
  assert.equal(href.searchParams.get('session'), String(session));
  assert.equal(href.searchParams.get('step'), String(step));
  return href;
}

test('embed.js turns <cwmp-inspector> into a titled, sized iframe of the app in embed mode', async () => {
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  const problems = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  // Only the element and its iframe are checked here, not what the frame shows.
  await page.route(/[?&]embed=1/, (route) => route.fulfill({ status: 204, body: '' }));
  await page.goto(new URL('embed.html', baseUrl).href);

  // The tag on the page: a title, 480px by default, the app's URL with absolute src.
  const tagFrame = page.locator('#live-tag cwmp-inspector iframe');
  await tagFrame.waitFor();
  assert.equal(await tagFrame.getAttribute('title'), 'cwmp-inspector: fault-digest-401.http');
  const frameUrl = new URL(await tagFrame.getAttribute('src'));
  assert.equal(frameUrl.origin + frameUrl.pathname, new URL(baseUrl).origin + '/');
  assert.equal(frameUrl.searchParams.get('embed'), '1');
  assert.equal(frameUrl.searchParams.get('src'), new URL('examples/fault-digest-401.http', baseUrl).href);
  assert.equal(frameUrl.searchParams.get('session'), '0');
  assert.equal(frameUrl.searchParams.get('step'), '6');
  const box = await tagFrame.boundingBox();
  assert.ok(Math.abs(box.height - 480) <= 2, `frame height ${box.height}`);

  // A tag added later, with its own height and title; a step that is not a number is left out;
  // changing an attribute updates the frame.
  const added = await page.evaluate(() => {
    const element = document.createElement('cwmp-inspector');
    element.setAttribute('src', 'captures/other.pcap');
    element.setAttribute('session', '2');
    element.setAttribute('step', 'x');
    element.setAttribute('height', '300');
    element.setAttribute('title', 'Boot storm, session 2');
    document.querySelector('main').append(element);
    const frame = element.querySelector('iframe');
    const before = { src: frame.getAttribute('src'), title: frame.title, height: frame.getBoundingClientRect().height };
    element.setAttribute('session', '3');
    return { before, after: frame.getAttribute('src'), frames: element.querySelectorAll('iframe').length };
  });
  const url = new URL(added.before.src);
  assert.equal(url.searchParams.get('src'), new URL('captures/other.pcap', baseUrl).href);
  assert.equal(url.searchParams.get('session'), '2');
  assert.equal(url.searchParams.get('step'), null);
  assert.equal(added.before.title, 'Boot storm, session 2');
  assert.ok(Math.abs(added.before.height - 300) <= 2, `frame height ${added.before.height}`);
  assert.equal(new URL(added.after).searchParams.get('session'), '3');
  assert.equal(added.frames, 1);
  assert.deepEqual(problems, []);
  await page.close();
});

test('embed.html: the one-tag form and the iframe each show the requested session and step', async () => {
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  const problems = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  const response = await page.goto(new URL('embed.html', baseUrl).href);
  assert.equal(response.status(), 200);
  // The page frames the app: its Content-Security-Policy must allow frames from this site.
  const policy = response.headers()['content-security-policy'] ?? '';
  assert.match(policy, /(frame-src|child-src)[^;]*'self'/,
    `embed.html is served with a CSP that blocks its own iframes (default-src 'none', no frame-src 'self'): ${policy}`);

  const tagFrame = page.locator('#live-tag cwmp-inspector iframe');
  await tagFrame.waitFor();
  await tagFrame.scrollIntoViewIfNeeded();
  const tag = await frameFor(page, 'fault-digest-401.http');
  await checkEmbed(tag, { file: 'fault-digest-401.http', session: 0, step: 6, rpc: 'Fault' });
  await page.locator('#live-tag').screenshot({ path: path.join(screenshots, 'embed-tag.png') });

  await page.locator('#live-iframe iframe').scrollIntoViewIfNeeded();
  const plain = await frameFor(page, 'magma-baicells-enodebd.pcap');
  await checkEmbed(plain, { file: 'magma-baicells-enodebd.pcap', session: 1, step: 3, rpc: 'GetParameterValues' });
  await page.locator('#live-iframe').screenshot({ path: path.join(screenshots, 'embed-iframe.png') });
  await page.screenshot({ path: path.join(screenshots, 'embed-page.png'), fullPage: true });

  // Embed mode keeps nothing in the browser's history.
  assert.equal(await keptCaptures(tag), 0);
  assert.deepEqual(problems, []);
  await page.close();
});

test('the "Open in cwmp-inspector" link opens the full app at the same place', async () => {
  const page = await browser.newPage({ viewport: { width: 900, height: 480 } });
  const src = new URL('examples/magma-baicells-enodebd.pcap', baseUrl).href;
  await page.goto(`${baseUrl}?embed=1&src=${encodeURIComponent(src)}&session=2&step=1`);
  await page.locator('[data-testid=message].selected').waitFor();
  await page.screenshot({ path: path.join(screenshots, 'embed-direct.png') });
  // Give a save, were there one, time to land: embed mode must not store anything.
  await holdsFor(500, async () => (await keptCaptures(page)) === 0, 'an empty history in embed mode');
  const [full] = await Promise.all([
    page.context().waitForEvent('page'),
    page.click('[data-testid=open-full]'),
  ]);
  await full.locator('[data-testid=session].selected').waitFor();
  assert.equal(await full.locator('[data-testid=session].selected').getAttribute('data-session-id'), '2');
  assert.equal(await full.locator('[data-testid=message].selected').getAttribute('data-index'), '1');
  // The full app has its chrome back.
  assert.equal(await full.locator('.topbar').count(), 1);
  await full.close();
  await page.close();
});

test('an embed whose capture is missing says why, and keeps nothing', async () => {
  const page = await browser.newPage({ viewport: { width: 700, height: 480 } });
  const missing = new URL('examples/gone.pcap', baseUrl).href;
  await page.goto(`${baseUrl}?embed=1&src=${encodeURIComponent(missing)}`);
  const error = page.locator('.error');
  await error.waitFor();
  assert.match(await error.textContent(), /gone\.pcap.*HTTP 404/);
  // Embed mode offers no ways in, no examples and no history.
  assert.equal(await page.locator('#drop-zone').count(), 0);
  assert.equal(await page.locator('[data-testid=example]').count(), 0);
  assert.equal(await page.locator('[data-testid=history]').count(), 0);
  await page.screenshot({ path: path.join(screenshots, 'embed-404.png') });
  await page.close();
});
