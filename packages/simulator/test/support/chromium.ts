import { chromium, type Browser } from 'playwright-core'

/** Debian's Chromium; CI installs it (`.ci/run`). Tests fail, never skip, when it is missing. */
export const CHROMIUM_PATH = '/usr/bin/chromium'

/** Headless Chromium with the flags this machine needs (no sandbox as root, no background network). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  })
}
