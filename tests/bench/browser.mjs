// The browser half of `cargo xtask bench-browser` (not a test: CI never runs it). It measures the
// app as served by the real `cwmpi serve` (CWMPI_URL) in Debian's Chromium and prints `key: value`
// lines that xtask reads; it judges nothing itself.
//
// - startup: LOADS cold loads (a new browser context each, so no HTTP or code cache), then the
//   same with the CPU throttled 4x through CDP. Per load: first contentful paint, the wasm's
//   instantiation, when the file input appears, and "interactive": the latest of the file input
//   appearing, the first contentful paint and the end of the last long task before a quiet window
//   of QUIET_MS. Medians.
// - decode (when CAPTURE names a file), DECODE_RUNS times in a new browser each: the file set on
//   the file input CHOOSE_MS after the pointer moves onto the drop zone (a person takes that
//   long at least to choose a file; the page starts and warms up its decoder's worker as soon
//   as the pointer is on the start screen), then the time from the input's `change` event to the first session row and
//   to the inspector with the progress gone, the stages the progress went through, every long
//   task during and after, and the renderer's resident memory (the page and its worker share
//   that process). The fastest run's details are printed, or those of the first run that did
//   not finish, with every run's total and the worst long task of all.
import { readFileSync, statSync } from 'node:fs';
import { launchChromium } from '../e2e/chromium.mjs';

const baseUrl = process.env.CWMPI_URL;
const loads = Number(process.env.LOADS ?? 5);
const capture = process.env.CAPTURE;
/** Decodes of the capture, each in a new browser: the fastest is reported. */
const decodeRuns = Number(process.env.DECODE_RUNS ?? 3);
/** No long task for this long after the file input appears: the page is idle. */
const QUIET_MS = 1_000;
/** How long the decode may take before it counts as stuck. */
const DECODE_TIMEOUT_MS = Number(process.env.DECODE_TIMEOUT_MS ?? 600_000);
/** How long after the file input appears the capture is chosen. */
const CHOOSE_MS = Number(process.env.CHOOSE_MS ?? 3_000);
/** How long after the inspector shows long tasks still count as part of the load. */
const AFTER_MS = 3_000;

if (!baseUrl) {
  console.error('CWMPI_URL must name a running `cwmpi serve` (cargo xtask bench-browser sets it)');
  process.exit(2);
}

const print = (key, value) => console.log(`${key}: ${value}`);
const round = (ms) => (ms === undefined || ms === null || Number.isNaN(ms) ? 'n/a' : ms.toFixed(1));
const median = (values) => {
  const sorted = values.filter((v) => typeof v === 'number' && !Number.isNaN(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return undefined;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** Debian's Chromium, started as the e2e tests start it. */
const launch = launchChromium;

/**
 * Runs in the page before any of its scripts: long tasks, the wasm's instantiation (as a
 * Performance API measure), and DOM milestones stamped when they happen, so that a busy main
 * thread cannot delay the stamps the way polling from here would.
 */
function instrument() {
  const bench = { longtasks: [], stages: [], marks: {}, wall: {} };
  window.__bench = bench;
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        bench.longtasks.push({ start: entry.startTime, duration: entry.duration });
      }
    }).observe({ type: 'longtask', buffered: true });
  } catch (error) {
    bench.longtaskError = String(error);
  }
  for (const name of ['instantiateStreaming', 'instantiate']) {
    const original = WebAssembly[name];
    if (typeof original !== 'function') continue;
    WebAssembly[name] = function timed(...args) {
      const start = performance.now();
      const result = original.apply(this, args);
      result.then(() => performance.measure(`wasm-${name}`, { start, end: performance.now() }), () => {});
      return result;
    };
  }
  const mark = (key) => {
    if (bench.marks[key] === undefined) {
      bench.marks[key] = performance.now();
      bench.wall[key] = Date.now();
    }
  };
  addEventListener('TrunkApplicationStarted', () => mark('started'));
  document.addEventListener('change', (event) => {
    if (event.target?.dataset?.testid === 'capture-input') mark('change');
  }, true);
  const watch = () => {
    if (document.querySelector('[data-testid=capture-input]')) mark('input');
    if (bench.marks.change === undefined) return;
    const progress = document.querySelector('[data-testid=progress]');
    if (progress) {
      const stage = progress.dataset.stage;
      const last = bench.stages[bench.stages.length - 1];
      const value = Number(progress.getAttribute('value'));
      if (!last || last.stage !== stage) {
        bench.stages.push({ stage, at: performance.now(), wall: Date.now(), value, lastValue: value });
      } else {
        last.lastValue = value;
      }
    }
    if (document.querySelector('[data-testid=session]')) {
      if (bench.marks.firstSession === undefined) {
        mark('firstSession');
        requestAnimationFrame(() => mark('firstSessionFrame'));
      }
    }
    if (!progress && document.querySelector('main.inspector')) {
      if (bench.marks.done === undefined) {
        mark('done');
        requestAnimationFrame(() => mark('doneFrame'));
      }
    } else if (!progress && bench.stages.length > 0 && bench.marks.done === undefined) {
      // Back on the start screen without an inspector: the decode failed.
      mark('failed');
      bench.failure = [...document.querySelectorAll('.note, .failed, [role=alert]')]
        .map((element) => element.textContent.trim()).filter(Boolean).join(' | ');
    }
  };
  new MutationObserver(watch).observe(document, {
    childList: true, subtree: true, attributes: true, attributeFilter: ['data-stage', 'value'],
  });
}

/** Console errors, page errors and failed requests, as the e2e tests collect them. */
function collectProblems(page) {
  const problems = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()} for ${response.url()}`);
  });
  page.on('crash', () => problems.push('the page crashed'));
  return problems;
}

/** Problems, each distinct one once with its count, shortened to a line. */
function summarise(problems) {
  const counts = new Map();
  for (const problem of problems) {
    const short = problem.length > 160 ? `${problem.slice(0, 157)}...` : problem;
    counts.set(short, (counts.get(short) ?? 0) + 1);
  }
  if (counts.size === 0) return 'none';
  return [...counts].map(([problem, n]) => (n > 1 ? `${n}x ${problem}` : problem)).join(' | ');
}

/** One cold load: a new context, optionally a throttled CPU, until the page is interactive. */
async function coldLoad(browser, throttle) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const page = await context.newPage();
    const problems = collectProblems(page);
    await page.addInitScript(instrument);
    if (throttle > 1) {
      const cdp = await context.newCDPSession(page);
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle });
    }
    await page.goto(baseUrl);
    await page.locator('[data-testid=capture-input]').waitFor({ state: 'attached', timeout: 60_000 });
    // Idle: no long task for QUIET_MS after the input appeared or after the last long task.
    await page.waitForFunction((quiet) => {
      const bench = window.__bench;
      const lastEnd = Math.max(bench.marks.input ?? 0,
        ...bench.longtasks.map((task) => task.start + task.duration));
      return performance.now() - lastEnd >= quiet;
    }, QUIET_MS, { polling: 100, timeout: 60_000 });
    const result = await page.evaluate(() => {
      const bench = window.__bench;
      const input = bench.marks.input;
      const before = bench.longtasks.filter((task) => task.start + task.duration > 0);
      const lastEnd = Math.max(0, ...before.map((task) => task.start + task.duration));
      const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime;
      const measure = performance.getEntriesByName('wasm-instantiateStreaming')[0]
        ?? performance.getEntriesByName('wasm-instantiate')[0];
      const resources = performance.getEntriesByType('resource').map((entry) => ({
        name: new URL(entry.name).pathname,
        bytes: entry.transferSize,
        body: entry.encodedBodySize,
        end: entry.responseEnd,
      }));
      const wasm = resources.find((entry) => entry.name.endsWith('_bg.wasm'));
      return {
        // Rendered (painted) and idle with the file input in place.
        interactive: Math.max(input, lastEnd, fcp ?? Infinity),
        input,
        started: bench.marks.started,
        fcp,
        wasmInstantiate: measure?.duration,
        wasmInstantiateEnd: measure ? measure.startTime + measure.duration : undefined,
        wasmResponseEnd: wasm?.end,
        longest: Math.max(0, ...bench.longtasks.map((task) => task.duration)),
        resources,
      };
    });
    result.problems = problems;
    return result;
  } finally {
    await context.close();
  }
}

async function startup(browser, throttle, prefix) {
  const runs = [];
  for (let i = 0; i < loads; i += 1) {
    runs.push(await coldLoad(browser, throttle));
  }
  const pick = (key) => runs.map((run) => run[key]);
  print(`${prefix}_cpu_throttle`, throttle);
  print(`${prefix}_loads`, runs.length);
  print(`${prefix}_interactive_ms_runs`, pick('interactive').map(round).join(','));
  print(`${prefix}_interactive_ms`, round(median(pick('interactive'))));
  print(`${prefix}_capture_input_ms`, round(median(pick('input'))));
  print(`${prefix}_app_started_ms`, round(median(pick('started'))));
  print(`${prefix}_fcp_ms`, round(median(pick('fcp'))));
  print(`${prefix}_wasm_instantiate_ms`, round(median(pick('wasmInstantiate'))));
  print(`${prefix}_wasm_response_end_ms`, round(median(pick('wasmResponseEnd'))));
  print(`${prefix}_wasm_instantiate_end_ms`, round(median(pick('wasmInstantiateEnd'))));
  print(`${prefix}_longest_task_ms`, round(Math.max(...pick('longest'))));
  // What a cold load fetched: shows that neither the worker nor the data model is loaded.
  print(`${prefix}_resources`, runs[0].resources.map((r) => `${r.name}=${r.bytes}`).join(' '));
  print(`${prefix}_problems`, summarise(runs.flatMap((run) => run.problems)));
}

/** The renderer processes' pids, from the browser's own process list. */
async function rendererPids(browser) {
  const cdp = await browser.newBrowserCDPSession();
  try {
    const { processInfo } = await cdp.send('SystemInfo.getProcessInfo');
    return processInfo.filter((info) => info.type === 'renderer').map((info) => info.id);
  } finally {
    await cdp.detach();
  }
}

/** `VmRSS` and `VmHWM` of a process, in bytes (Linux). */
function memoryOf(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key) => Number(status.match(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm'))?.[1] ?? 0) * 1024;
    return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
  } catch {
    return { rss: 0, hwm: 0 };
  }
}

/** One decode of CAPTURE in a fresh page; its figures go to `emit(key, value)`. */
async function decode(browser, emit) {
  const bytes = statSync(capture).size;
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const problems = collectProblems(page);
  await page.addInitScript(instrument);
  await page.goto(baseUrl);
  await page.locator('[data-testid=capture-input]').waitFor({ state: 'attached', timeout: 60_000 });
  const pids = await rendererPids(browser);
  // Resident memory of the renderers, sampled from here (the page's thread may be busy).
  const samples = [];
  const sampler = setInterval(() => {
    samples.push({ now: Date.now(), rss: Object.fromEntries(pids.map((pid) => [pid, memoryOf(pid).rss])) });
  }, 200);
  let outcome = 'done';
  // A person reaches for the file picker (the page starts its decoder's worker then) and takes
  // seconds to choose a file.
  await page.locator('#drop-zone').hover();
  await page.waitForTimeout(CHOOSE_MS);
  try {
    await page.locator('[data-testid=capture-input]').setInputFiles(capture, { timeout: 120_000 });
    await page.waitForFunction(() => window.__bench.marks.done !== undefined
      || window.__bench.marks.failed !== undefined,
    null, { polling: 250, timeout: DECODE_TIMEOUT_MS });
    if (await page.evaluate(() => window.__bench.marks.failed !== undefined)) outcome = 'failed';
    // Long tasks just after the inspector shows (rendering, the first effects) count too.
    await page.waitForTimeout(AFTER_MS);
  } catch (error) {
    outcome = page.isClosed() || problems.includes('the page crashed') ? 'crashed' : `stuck (${error.message.split('\n')[0]})`;
  }
  clearInterval(sampler);
  // Chromium keeps spare renderers: the page's is the one that grew most. Chromium resets VmHWM
  // now and then (clear_refs), so the peak is the larger of it and the sampled maximum.
  const peakOf = (p) => Math.max(memoryOf(p).hwm, ...samples.map((sample) => sample.rss[p] ?? 0));
  const [pid, peakHwm] = pids.map((p) => [p, peakOf(p)]).reduce((a, b) => (b[1] > a[1] ? b : a), [0, 0]);
  let bench;
  try {
    bench = await page.evaluate(() => {
      // The decoder's worker warms its code up once started (src/worker.rs): when and how long.
      const warmed = performance.getEntriesByName('cwmpi-decoder-warmed')[0];
      return { ...window.__bench, warmed: warmed ? { at: warmed.startTime, ms: warmed.detail?.ms } : undefined };
    });
  } catch (error) {
    bench = { marks: {}, wall: {}, stages: [], longtasks: [] };
    problems.push(`cannot read the page's figures: ${error.message.split('\n')[0]}`);
  }
  await context.close();

  const { marks } = bench;
  const since = (key) => (marks[key] === undefined || marks.change === undefined ? undefined : marks[key] - marks.change);
  emit('decode_outcome', outcome);
  emit('decode_worker_warm_up_ms', round(bench.warmed?.ms));
  emit('decode_worker_warmed_at_ms', round(bench.warmed?.at));
  emit('decode_first_session_ms', round(since('firstSession')));
  emit('decode_first_session_frame_ms', round(since('firstSessionFrame')));
  emit('decode_total_ms', round(since('done')));
  emit('decode_done_frame_ms', round(since('doneFrame')));
  if (marks.done !== undefined) emit('decode_mb_per_s', (bytes / 1e6 / ((marks.done - marks.change) / 1000)).toFixed(2));
  if (bench.failure) emit('decode_failure', bench.failure);
  // Each stage with when it began (ms after `change`), how long it lasted and the bar at its end.
  const end = marks.done ?? marks.failed;
  const stages = bench.stages.map((stage, i) => {
    const next = bench.stages[i + 1]?.at ?? end;
    const duration = next === undefined ? 'unfinished' : `${round(next - stage.at)}ms`;
    return `${stage.stage}@${round(stage.at - marks.change)}ms+${duration}(${stage.value}->${stage.lastValue}%)`;
  });
  emit('decode_stages', stages.join(' ') || 'none');
  const changeAt = marks.change ?? 0;
  const during = bench.longtasks.filter((t) => t.start >= changeAt && (end === undefined || t.start < end));
  const after = bench.longtasks.filter((t) => end !== undefined && t.start >= end);
  const longest = (tasks) => tasks.reduce((best, t) => (t.duration > (best?.duration ?? -1) ? t : best), undefined);
  const describe = (task) => (task ? `${round(task.duration)}ms at ${round(task.start - changeAt)}ms` : 'none');
  const stageAt = (ms) => bench.stages.filter((s) => s.at <= ms).pop()?.stage ?? 'none yet: reading the file on the page, starting the worker';
  emit('decode_longtasks_during', during.length);
  emit('decode_longest_task_during_ms', round(longest(during)?.duration ?? 0));
  emit('decode_longest_task_during', `${describe(longest(during))}${longest(during) ? ` (stage ${stageAt(longest(during).start)})` : ''}`);
  emit('decode_blocking_ms_during', round(during.reduce((sum, t) => sum + Math.max(0, t.duration - 50), 0)));
  emit('decode_longtasks_after', after.length);
  emit('decode_longest_task_after_ms', round(longest(after)?.duration ?? 0));
  emit('decode_longest_task_after', describe(longest(after)));
  // Memory: the renderer's peak (page and worker), and the resident size at each stage's start.
  emit('decode_renderer_peak_rss_bytes', peakHwm);
  emit('decode_renderer_max_sampled_rss_bytes', samples.reduce((max, s) => Math.max(max, s.rss[pid] ?? 0), 0));
  const rssAt = (wall) => (samples.filter((s) => s.now <= wall).pop() ?? samples[0])?.rss[pid];
  const mb = (wall) => `${((rssAt(wall) ?? 0) / 1e6).toFixed(0)}MB`;
  const byStage = bench.stages.map((s) => `${s.stage}=${mb(s.wall)}`);
  const endWall = bench.wall.done ?? bench.wall.failed;
  if (endWall !== undefined) byStage.push(`end=${mb(endWall)}`);
  emit('decode_rss_by_stage', byStage.join(' ') || 'none');
  emit('decode_problems', summarise(problems));
  return {
    outcome,
    total: marks.done === undefined ? undefined : marks.done - marks.change,
    longest: longest(during)?.duration ?? 0,
    longestAfter: longest(after)?.duration ?? 0,
    peak: peakHwm,
  };
}

const browser = await launch();
let failed = false;
for (const [name, run] of [
  ['startup', () => startup(browser, 1, 'startup')],
  ['startup (CPU 4x slower)', () => startup(browser, 4, 'startup4x')],
]) {
  try {
    await run();
  } catch (error) {
    failed = true;
    print(`error_${name.replace(/\W+/g, '_')}`, error.message.split('\n')[0]);
  }
}
await browser.close();
if (capture) {
  print('decode_file', capture);
  print('decode_bytes', statSync(capture).size);
  // Each run in a browser of its own, so that its renderers are only this page's.
  const runs = [];
  for (let i = 0; i < decodeRuns; i += 1) {
    const lines = [];
    const decodeBrowser = await launch();
    try {
      runs.push({ lines, ...await decode(decodeBrowser, (key, value) => lines.push([key, value])) });
    } catch (error) {
      failed = true;
      runs.push({ lines, outcome: `error (${error.message.split('\n')[0]})` });
    }
    await decodeBrowser.close();
  }
  print('decode_runs', runs.length);
  print('decode_outcome_runs', runs.map((run) => run.outcome).join(','));
  print('decode_total_ms_runs', runs.map((run) => round(run.total)).join(','));
  print('decode_longest_task_during_ms_worst', round(Math.max(...runs.map((run) => run.longest ?? 0))));
  print('decode_longest_task_after_ms_worst', round(Math.max(...runs.map((run) => run.longestAfter ?? 0))));
  print('decode_renderer_peak_rss_bytes_worst', Math.max(...runs.map((run) => run.peak ?? 0)));
  // The details of the fastest run, or of the first that did not finish: that one matters more.
  const unfinished = runs.find((run) => run.total === undefined);
  const shown = unfinished ?? runs.reduce((a, b) => (b.total < a.total ? b : a));
  print('decode_shown_run', runs.indexOf(shown) + 1);
  for (const [key, value] of shown.lines) print(key, value);
}
process.exit(failed ? 1 : 0);
