// Debian's Chromium through playwright-core, for the browser tests: never a downloaded browser,
// and no background networking (this machine has no internet; Chromium would keep trying).
//
//   browser = await launchChromium();    // before()
//   await browser.close();               // after()
import { type Browser, chromium } from 'playwright-core';

// Test glue, not app configuration: which Chromium to drive (CI installs Debian's).
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath,
    args: [
      '--no-sandbox',
      '--headless',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
  });
}
