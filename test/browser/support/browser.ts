import fs from 'node:fs';
import path from 'node:path';
import type * as PlaywrightCore from '../../../web/node_modules/playwright-core';

/**
 * Headless Debian Chromium driven by playwright-core. playwright-core is a dev dependency of the console
 * (web/package.json), not of the server, so it is loaded from web/node_modules; nothing downloads a browser.
 */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const REPO = path.resolve(__dirname, '../../..');
export const WEB_DIST = path.join(REPO, 'web', 'dist');
export const ARTIFACTS = path.join(REPO, 'test-artifacts');

/** Fails with the command that fixes it, rather than with a stack trace from deep inside a launch. */
export function requireBrowserPrerequisites(): void {
  const missing: string[] = [];
  if (!fs.existsSync(CHROMIUM)) missing.push(`Chromium at ${CHROMIUM}: apt-get install -y chromium`);
  if (!fs.existsSync(path.join(REPO, 'web', 'node_modules', 'playwright-core'))) {
    missing.push('playwright-core in web/node_modules: npm ci --prefix web');
  }
  if (!fs.existsSync(path.join(WEB_DIST, 'index.html')))
    missing.push('the built console in web/dist: npm run build --prefix web');
  if (missing.length > 0) {
    throw new Error(`The browser tests need:\n  - ${missing.join('\n  - ')}`);
  }
}

export type Browser = PlaywrightCore.Browser;
export type BrowserContext = PlaywrightCore.BrowserContext;
export type Page = PlaywrightCore.Page;

export async function launchChromium(): Promise<Browser> {
  requireBrowserPrerequisites();
  const entry = require.resolve('playwright-core', { paths: [path.join(REPO, 'web')] });
  const playwright = (await import(entry)) as typeof PlaywrightCore;
  return playwright.chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // Without the background-networking flags Chromium keeps calling out, and this machine's network refuses it.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
      '--disable-quic',
    ],
  });
}

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

/** Saves a full-page screenshot as test-artifacts/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** Nothing may stick out sideways: the page scrolls vertically only (tables scroll inside their frame). */
export async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

/** The elements that reach past the right edge of the window (for a failure message that says what to fix). */
export async function overflowingElements(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll('body *'))
      .filter((element) => element.getBoundingClientRect().right > window.innerWidth + 0.5)
      // Inside a scrolling frame (a wide table, the phone's row of tabs), reaching past the edge is fine.
      .filter((element) => {
        // An absolute element escapes the clipping of frames that are not its containing block.
        if (getComputedStyle(element).position === 'absolute') return true;
        for (let parent = element.parentElement; parent && parent !== document.body; parent = parent.parentElement) {
          if (getComputedStyle(parent).overflowX !== 'visible') return false;
        }
        return true;
      })
      .slice(0, 8)
      .map((element) => {
        const rect = element.getBoundingClientRect();
        return `${element.tagName.toLowerCase()}${element.id ? `#${element.id}` : ''}.${Array.from(element.classList).join('.')} right=${Math.round(rect.right)}`;
      }),
  );
}

export interface AccessibilityViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/**
 * Runs axe-core (a dev dependency of the console) in the page against WCAG 2.x A and AA rules and answers
 * the violations, each with the elements it found them on.
 */
export async function accessibilityViolations(page: Page): Promise<AccessibilityViolation[]> {
  const axePath = require.resolve('axe-core/axe.min.js', { paths: [path.join(REPO, 'web')] });
  // Evaluated through the DevTools protocol, so the console's Content-Security-Policy does not apply.
  await page.evaluate(fs.readFileSync(axePath, 'utf8'));
  const outcome = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: unknown, options: unknown): Promise<any> } }).axe;
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return {
      rulesPassed: result.passes.length as number,
      violations: result.violations.map((v: any) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        targets: v.nodes.map((n: any) => String(n.target)),
      })) as AccessibilityViolation[],
    };
  });
  // A run that checked nothing would pass vacuously.
  if (outcome.rulesPassed < 5) throw new Error(`axe-core checked only ${outcome.rulesPassed} rules on ${page.url()}`);
  if (process.env.AXE_DEBUG) console.log('axe', page.url(), 'rules passed', outcome.rulesPassed);
  return outcome.violations;
}
