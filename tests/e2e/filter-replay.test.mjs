// The filter box and the replay, end to end on a real capture: terms narrow the session list and
// highlight arrows; ←/→, the step buttons and autoplay move the replay cursor, and the state
// machine panel follows it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

import { animationsDone, baseUrl, captureVectors, holdsFor, launchBrowser, screenshots, watchProblems } from './harness.mjs';

const baicells = 'magma_baicells_qrtb_enodebd_tr069.pcap';
let browser;

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});

/** Opens the app, collecting page errors, console errors and dialogs, and drops the Baicells pcap. */
async function openBaicells(viewport = { width: 1280, height: 800 }) {
  const page = await browser.newPage({ viewport });
  const problems = watchProblems(page);
  assert.equal((await page.goto(baseUrl)).status(), 200);
  await page.locator('#drop-zone').waitFor();
  const bytes = await readFile(path.join(captureVectors, baicells));
  const transfer = await page.evaluateHandle(
    ({ name, data }) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([new Uint8Array(data)], name));
      return transfer;
    },
    { name: baicells, data: [...bytes] },
  );
  await page.dispatchEvent('#drop-zone', 'dragover', { dataTransfer: transfer });
  await page.dispatchEvent('#drop-zone', 'drop', { dataTransfer: transfer });
  await page.locator('[data-testid=session]').first().waitFor();
  return { page, problems };
}

async function shoot(page, name) {
  await animationsDone(page);
  await page.screenshot({ path: path.join(screenshots, `${name}.png`), fullPage: false });
}

async function sessionIds(page) {
  return page.locator('[data-testid=session]').evaluateAll((all) => all.map((s) => s.dataset.sessionId));
}

test('filter terms narrow the sessions and highlight the matching arrows', async () => {
  const { page, problems } = await openBaicells();
  const filter = page.locator('[data-testid=filter]');
  const count = page.locator('[data-testid=filter-count]');
  assert.deepEqual(await sessionIds(page), ['0', '1', '2']);

  // `/` focuses the filter box.
  await page.keyboard.press('/');
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'filter');
  assert.equal(await filter.inputValue(), '');

  await page.keyboard.type('rpc:SetParameterValues');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=session]').length === 1);
  assert.deepEqual(await sessionIds(page), ['1']);
  assert.equal(await count.textContent(), '1 of 3 sessions');
  // The hidden session gave way to session 1; its SetParameterValues arrows are highlighted.
  await page.locator('[data-testid=session][data-session-id="1"].selected').waitFor();
  const matching = page.locator('[data-testid=message].match');
  assert.ok(await matching.count() >= 1);
  for (const rpc of await matching.evaluateAll((all) => all.map((m) => m.dataset.rpc))) {
    assert.match(rpc, /^SetParameterValues/);
  }
  assert.match(await page.locator('[data-testid=match-count]').textContent(), /^◆ \d+ of 14$/);
  await shoot(page, 'filter-rpc');

  // Esc in the box clears it.
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=session]').length === 3);
  assert.equal(await count.count(), 0);

  await filter.fill('param:LockedLatitude');
  await count.waitFor();
  assert.match(await count.textContent(), /^[1-3] of 3 sessions$/);
  const latitude = page.locator('[data-testid=message].match').first();
  await latitude.click();
  assert.match(await page.locator('[data-testid=parameters]').textContent(), /LockedLatitude/);

  await filter.fill('rule:codec.missing-element');
  await page.waitForFunction(() => document.querySelector('[data-testid=filter-count]')?.textContent === '1 of 3 sessions');
  assert.deepEqual(await sessionIds(page), ['1']);
  assert.equal(await page.locator('[data-testid=message].match').getAttribute('data-index'), '9');

  // Terms combine per session: session 1 has the finding on one message and an Inform on
  // another, so it shows, with both highlighted.
  await filter.fill('rule:codec.missing-element rpc:Inform');
  await page.waitForFunction(() => document.querySelector('[data-testid=filter-count]')?.textContent === '1 of 3 sessions');
  const both = await page.locator('[data-testid=message].match').evaluateAll((all) => all.map((m) => m.dataset.rpc));
  assert.ok(both.some((rpc) => rpc.startsWith('Inform')) && both.length >= 2, both.join(', '));
  // A term that matches nowhere leaves nothing.
  await filter.fill('rule:codec.missing-element nothing-like-this');
  await page.locator('[data-testid=no-match]').waitFor();
  assert.equal(await count.textContent(), '0 of 3 sessions');

  await page.click('[data-testid=filter-clear]');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=session]').length === 3);
  assert.equal(await filter.inputValue(), '');
  assert.equal(await page.locator('[data-testid=message].match').count(), 0);
  assert.deepEqual(problems, []);
  await page.close();
});

test('the replay steps with ←/→ and buttons, plays, and shows the state machine', async () => {
  const { page, problems } = await openBaicells();
  await page.click('[data-testid=session][data-session-id="1"]');
  await page.locator('[data-testid=session][data-session-id="1"].selected').waitFor();
  const counter = page.locator('[data-testid=replay-counter]');
  const state = page.locator('[data-testid=machine-state]');
  assert.equal(await counter.textContent(), '1 / 14');
  assert.equal(await page.locator('[data-testid=message].later').count(), 0);
  const first = await state.textContent();
  assert.match(first, /State after #0:/);

  const seen = new Set([first]);
  for (let step = 2; step <= 5; step += 1) {
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction((text) => document.querySelector('[data-testid=replay-counter]').textContent === text, `${step} / 14`);
    const cursor = page.locator('[data-testid=message].cursor');
    assert.equal(await cursor.getAttribute('data-index'), String(step - 1));
    assert.match(await cursor.getAttribute('class'), /\bselected\b/);
    assert.equal(await page.locator('[data-testid=message].later').count(), 14 - step);
    const text = await state.textContent();
    assert.match(text, new RegExp(`State after #${step - 1}:`));
    seen.add(text);
  }
  assert.equal(seen.size, 5, 'the state panel changes with every step');
  assert.match(await state.textContent(), /may send/);
  // The detail pane shows the cursor's message.
  const cursorRpc = await page.locator('[data-testid=message].cursor').getAttribute('data-rpc');
  assert.match(await page.locator('.message-header').textContent(), new RegExp(cursorRpc));
  await shoot(page, 'replay');

  await page.click('[data-testid=replay-back]');
  assert.equal(await counter.textContent(), '4 / 14');
  await page.keyboard.press('ArrowLeft');
  assert.equal(await counter.textContent(), '3 / 14');

  // Autoplay at 4× advances on its own and stops at the end.
  await page.click('[data-testid=replay] .speed >> text=4×');
  await page.click('[data-testid=replay-play]');
  assert.equal(await page.locator('[data-testid=replay-play]').getAttribute('aria-pressed'), 'true');
  await page.waitForFunction(() => document.querySelector('[data-testid=replay-counter]').textContent !== '3 / 14');
  await page.waitForFunction(() => document.querySelector('[data-testid=replay-counter]').textContent === '14 / 14', null, { timeout: 30_000 });
  assert.equal(await page.locator('[data-testid=replay-play]').getAttribute('aria-pressed'), 'false');
  assert.equal(await state.getAttribute('data-state'), 'ended');
  // The ladder pane followed the cursor: the last arrow is in view, below the sticky controls.
  const pane = await page.locator('.ladder-pane').boundingBox();
  const last = await page.locator('[data-testid=message].cursor').boundingBox();
  const controls = await page.locator('.ladder-header').boundingBox();
  assert.ok(last.y >= controls.y + controls.height - 1 && last.y + last.height <= pane.y + pane.height + 1,
    `cursor arrow at ${last.y}–${last.y + last.height}, pane view ${controls.y + controls.height}–${pane.y + pane.height}`);
  await shoot(page, 'replay-end');

  // Play again starts over; a change of session stops it.
  await page.click('[data-testid=replay-play]');
  assert.equal(await page.locator('[data-testid=replay-play]').getAttribute('aria-pressed'), 'true');
  await page.click('[data-testid=session][data-session-id="0"]');
  assert.equal(await page.locator('[data-testid=replay-play]').getAttribute('aria-pressed'), 'false');
  assert.equal(await counter.textContent(), '1 / 10');
  await holdsFor(500, async () => (await counter.textContent()) === '1 / 10', 'a stopped replay');

  // Esc leaves the replay view.
  await page.keyboard.press('ArrowRight');
  assert.ok(await page.locator('[data-testid=message].later').count() > 0);
  await page.keyboard.press('Escape');
  assert.equal(await page.locator('[data-testid=message].later').count(), 0);

  await page.emulateMedia({ colorScheme: 'dark' });
  await page.click('[data-testid=session][data-session-id="1"]');
  for (let i = 0; i < 9; i += 1) await page.keyboard.press('ArrowRight');
  await shoot(page, 'replay-dark');
  assert.deepEqual(problems, []);
  await page.close();
});

test('keyboard: ? lists the shortcuts, 1–4 switch tabs, </> shows a parameter in the XML, headers sort', async () => {
  const { page, problems } = await openBaicells();
  // The second message of the first session is a GetParameterValues with names to sort and show.
  await page.locator('[data-testid=message][data-rpc=GetParameterValuesResponse]').first().click();
  await page.keyboard.press('?');
  const sheet = page.locator('[data-testid=shortcuts]');
  await sheet.waitFor();
  assert.ok((await sheet.textContent()).includes('focus the filter box'));
  await page.screenshot({ path: path.join(screenshots, 'shortcuts.png') });
  await page.keyboard.press('Escape');
  await sheet.waitFor({ state: 'detached' });

  await page.keyboard.press('2');
  await page.locator('[data-testid=xml]').waitFor();
  await page.keyboard.press('3');
  await page.locator('[data-testid=http]').waitFor();
  await page.keyboard.press('1');
  const names = () => page.locator('[data-testid=parameters] td.param-name').evaluateAll(
    (cells) => cells.map((cell) => cell.getAttribute('title')),
  );
  const original = await names();
  assert.ok(original.length > 1);
  await page.locator('[data-testid=parameters] [data-testid=sort]').first().click();
  const sorted = await names();
  assert.deepEqual(sorted, [...original].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())));
  await page.locator('[data-testid=parameters] [data-testid=sort]').first().click();
  assert.deepEqual(await names(), [...sorted].reverse());

  // "</>" on a row: the XML tab opens with that ParameterValueStruct highlighted.
  const row = page.locator('[data-testid=parameters] tbody tr').nth(1);
  const name = await row.locator('td.param-name').getAttribute('title');
  await row.locator('[data-testid=show-xml]').click();
  const highlighted = page.locator('[data-testid=xml] .hl');
  await highlighted.first().waitFor();
  const text = (await highlighted.allTextContents()).join('');
  assert.ok(text.includes(`<Name>${name}</Name>`), text);
  assert.ok(text.includes('<ParameterValueStruct>') && text.includes('</ParameterValueStruct>'), text);
  assert.ok(await highlighted.first().isVisible(), 'scrolled into view');
  await page.screenshot({ path: path.join(screenshots, 'xml-highlight.png') });
  assert.deepEqual(problems, []);
  await page.close();
});
