// Things a user hits (issue 12): a file dropped onto an open inspector opens it (the browser must
// not navigate to the file); an embed narrower than 950 px still shows the requested step; and a
// capture whose CWMP runs over TLS says so, with its connections and what would open them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { animationsDone, baseUrl, captureVectors, launchBrowser, screenshots, waitUntil, watchProblems } from './harness.mjs';

const tlsOnly = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'crates', 'cwmp-capture', 'tests', 'vectors', 'tls', 'tls-only.pcap');
const baicells = 'magma_baicells_qrtb_enodebd_tr069.pcap';
let browser;

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});

/** A DataTransfer in the page holding one file with these bytes. */
function transferOf(page, name, bytes) {
  return page.evaluateHandle(({ name, data }) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([new Uint8Array(data)], name));
    return transfer;
  }, { name, data: [...bytes] });
}

test('a file dropped onto an open inspector opens it, and the page stays', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const problems = watchProblems(page);
  assert.equal((await page.goto(baseUrl)).status(), 200);
  await page.setInputFiles('#file-input', { name: baicells, mimeType: 'application/vnd.tcpdump.pcap', buffer: await readFile(path.join(captureVectors, baicells)) });
  await page.locator('[data-testid=session]').first().waitFor();
  const url = page.url();

  // Dropped on the ladder, far from any drop zone.
  const name = 'tls-only.pcap';
  const transfer = await transferOf(page, name, await readFile(tlsOnly));
  await page.dispatchEvent('.ladder', 'dragover', { dataTransfer: transfer });
  const dropped = await page.evaluate((transfer) => {
    const event = new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: transfer });
    document.querySelector('.ladder').dispatchEvent(event);
    return event.defaultPrevented;
  }, transfer);
  assert.ok(dropped, 'the drop was left to the browser, which would navigate to the file');
  await page.locator('[data-testid=encrypted-note]').waitFor();
  assert.equal(page.url(), url);
  assert.deepEqual(problems, []);
  await page.close();
});

test('CWMP over TLS: the centre pane lists the connections and what would open them', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const problems = watchProblems(page);
  assert.equal((await page.goto(baseUrl)).status(), 200);
  const name = 'tls-only.pcap';
  await page.setInputFiles('#file-input', { name, mimeType: 'application/vnd.tcpdump.pcap', buffer: await readFile(tlsOnly) });
  const note = page.locator('[data-testid=encrypted-note]');
  await note.waitFor();
  const text = await note.textContent();
  assert.match(text, /2 TLS connections/);
  assert.match(text, /TLS key log/);
  assert.deepEqual(await page.locator('[data-testid=tls-connection]').allTextContents(), [
    '198.51.100.7:49300 → 192.0.2.10:7547 · SNI acs.example.net · TLS 1.2',
    '198.51.100.7:49301 → 192.0.2.10:443 · SNI acs.example.net · TLS 1.3',
  ]);
  assert.ok(!(await page.locator('main.inspector').textContent()).includes('No CWMP session in this input'));
  await animationsDone(page);
  await page.screenshot({ path: path.join(screenshots, 'encrypted.png') });
  assert.deepEqual(problems, []);
  await page.close();
});

for (const width of [940, 900, 600, 400]) {
  test(`an embed ${width} px wide shows the requested step`, async () => {
    const page = await browser.newPage({ viewport: { width, height: 480 } });
    const problems = watchProblems(page);
    const src = new URL('examples/magma-baicells-enodebd.pcap', baseUrl).href;
    await page.goto(`${baseUrl}?embed=1&src=${encodeURIComponent(src)}&session=1&step=3`);
    const selected = page.locator('[data-testid=message].selected');
    await selected.waitFor();
    assert.equal(await selected.getAttribute('data-index'), '3');
    // The requested step's arrow is in view, and so is its message, without scrolling.
    const inView = (selector) => page.evaluate((selector) => {
      const box = document.querySelector(selector)?.getBoundingClientRect();
      return Boolean(box) && box.width > 0 && box.top >= 0 && box.bottom <= window.innerHeight
        && box.left >= 0 && box.right <= window.innerWidth;
    }, selector);
    await waitUntil(() => inView('[data-testid=message].selected'), 'the selected arrow in view');
    await waitUntil(
      () => page.evaluate(() => {
        const header = document.querySelector('.message-pane .message-header, .message-pane h2, .message-pane');
        const box = header?.getBoundingClientRect();
        return Boolean(box) && box.top >= 0 && box.top < window.innerHeight;
      }),
      'the message pane begins in view',
    );
    assert.match(await page.locator('.message-pane').textContent(), /GetParameterValues/);
    await animationsDone(page);
    await page.screenshot({ path: path.join(screenshots, `embed-${width}.png`) });
    assert.deepEqual(problems, []);
    await page.close();
  });
}
