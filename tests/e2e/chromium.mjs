// Debian's Chromium as every browser run here starts it: headless, with the flags it needs as
// root on a CI machine and without network chatter. Shared by the e2e tests and the benchmarks.
import { chromium } from 'playwright-core';

/** Launches Chromium (`$CHROMIUM`, else /usr/bin/chromium). */
export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
}
