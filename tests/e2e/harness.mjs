// What every browser end-to-end test shares: where things are, and a Chromium that runs as root
// on a CI machine. `cargo xtask test` starts `cwmpi serve` and sets CWMPI_URL.
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from './chromium.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.join(here, '..', '..');

/** The crates' own test vectors: one copy of each real capture and message in the repository. */
export const captureVectors = path.join(repo, 'crates', 'cwmp-capture', 'tests', 'vectors');
export const soapVectors = path.join(repo, 'crates', 'cwmp-codec', 'tests', 'vectors', 'soap');
/** Where screenshots go, for people to look at. */
export const screenshots = process.env.SCREENSHOT_DIR ?? path.join(repo, 'target', 'e2e-screenshots');
/** The running server. */
export const baseUrl = process.env.CWMPI_URL;
assert.ok(baseUrl, 'CWMPI_URL must name a running `cwmpi serve` (cargo xtask test sets it)');

/** Debian's Chromium, headless, with the flags it needs as root and without network chatter. */
export async function launchBrowser() {
  await mkdir(screenshots, { recursive: true });
  return launchChromium();
}

/**
 * Collects what should never happen on a page: uncaught errors, console errors (but those
 * matching a pattern of `allowConsole`, which a test expects) and dialogs (dismissed). Tests end
 * with `assert.deepEqual(problems, [])`.
 */
export function watchProblems(page, allowConsole = []) {
  const problems = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    const text = message.text();
    if (message.type() === 'error' && !allowConsole.some((pattern) => pattern.test(text))) {
      problems.push(`console error: ${text}`);
    }
  });
  page.on('dialog', async (dialog) => {
    problems.push(`dialog opened: ${dialog.type()} ${dialog.message()}`);
    await dialog.dismiss();
  });
  return problems;
}

/** How long a test waits for the page to reach a state: generous, for a loaded CI machine. */
export const DEADLINE = 15_000;

/**
 * Waits until `condition()` (sync or async) returns something truthy, polling, and returns it;
 * fails saying `what` it waited for after `timeout` ms. Tests wait for what they will assert,
 * never for a fixed time.
 */
export async function waitUntil(condition, what, timeout = DEADLINE) {
  const started = Date.now();
  for (;;) {
    const value = await condition();
    if (value) return value;
    if (Date.now() - started > timeout) throw new Error(`waited ${timeout} ms for ${what}, in vain`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Checks that `condition()` stays truthy for `period` ms: for what must NOT happen (a save in
 * embed mode, a fetch while idle). Not a synchronisation: a slow machine can only make it
 * lenient, never make it fail by chance.
 */
export async function holdsFor(period, condition, what) {
  const started = Date.now();
  do {
    assert.ok(await condition(), `${what} stopped holding after ${Date.now() - started} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  } while (Date.now() - started < period);
  assert.ok(await condition(), `${what} stopped holding at the end of ${period} ms`);
}

/** Waits until every finite CSS transition and animation on the page has finished (before a screenshot). */
export async function animationsDone(page) {
  await page.evaluate(() => Promise.all(
    document.getAnimations()
      .filter((animation) => animation.effect?.getComputedTiming().endTime !== Infinity)
      .map((animation) => animation.finished.catch(() => {})),
  ));
}
