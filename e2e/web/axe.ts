import { AxeBuilder } from '@axe-core/playwright';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright/test';
import { artifacts, expect } from './serve-fixture.ts';

export type Theme = 'light' | 'dark';

export const THEMES: readonly Theme[] = ['light', 'dark'];

/**
 * FERRY_E2E_PICTURES=0 (what .ci/run sets, to stay within CI's time) takes no pictures:
 * shoot(), shot() and the specs' own screenshots write nothing. What CI keeps: every
 * page, dialog and wizard step that is shot still fails on sideways scrolling at either
 * size; every axe check stays as written (pages in both themes, wizard steps in light
 * through the wizard specs), except the story's per-step axe runs, which repeat the
 * wizard specs' on the same steps.
 */
export const PICTURES = process.env.FERRY_E2E_PICTURES !== '0';

/** The two window sizes every page and wizard step must look right at. */
export const SIZES = [
  { width: 1280, height: 800 },
  { width: 1024, height: 700 },
] as const;

const BLOCKING = new Set(['serious', 'critical']);

/**
 * Runs axe-core on what the page shows now and fails on any serious or critical
 * violation, listing each with its rule, impact and the elements at fault, so the
 * report alone says what to fix. `label` names the page or step in that report; `rules`
 * limits the run to those axe rule ids. A soft
 * check: the test goes on (and still fails at its end), so one run lists every page's faults.
 */
export async function expectNoSeriousA11yViolations(page: Page, label: string, rules?: readonly string[]): Promise<void> {
  const builder = new AxeBuilder({ page });
  const { violations } = await (rules ? builder.withRules([...rules]) : builder).analyze();
  const blocking = violations.filter((violation) => BLOCKING.has(violation.impact ?? ''));
  const report = blocking.map((violation) => {
    const targets = violation.nodes.map((node) => `    ${node.target.join(' ')}\n      ${(node.failureSummary ?? '').replaceAll('\n', '\n      ')}`);
    return `${violation.id} (${violation.impact}): ${violation.help}\n${targets.join('\n')}`;
  });
  expect.soft(blocking.length, `${label}: ${blocking.length} serious or critical accessibility violations\n${report.join('\n')}`).toBe(0);
}

/** Waits two frames, so React and MUI's media queries have drawn the new size or theme. */
async function settle(page: Page): Promise<void> {
  await page.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))');
}

/** The theme the (emulated) OS prefers now. */
async function osTheme(page: Page): Promise<Theme> {
  return (await page.evaluate('matchMedia("(prefers-color-scheme: dark)").matches')) ? 'dark' : 'light';
}

/**
 * Shows the console in `theme` by emulating the OS preference, which it follows until
 * the user picks one; fails clearly when a choice pins it, instead of shooting the
 * wrong theme under the right name.
 */
export async function useTheme(page: Page, theme: Theme): Promise<void> {
  await page.emulateMedia({ colorScheme: theme });
  await expect
    .poll(() => page.evaluate('document.documentElement.style.colorScheme'), {
      message: `the console should follow the OS to ${theme} (is an appearance chosen in Settings?)`,
    })
    .toBe(theme);
  await settle(page);
}

/**
 * Saves what the page shows now in light and dark, at 1280×800 and 1024×700, as
 * `e2e/artifacts/<name>-<theme>-<width>.png`: the window as the admin sees it, and when
 * the page is taller, `…-full.png` with what needs scrolling too (there the side bar,
 * one window high, ends early: that is the picture, not the page). Then it puts the
 * window size and theme back. A page that scrolls sideways at a size fails the test
 * (softly, like the axe check): the admin's window must not need it.
 * Returns the files written.
 */
export async function shoot(page: Page, name: string): Promise<string[]> {
  await mkdir(artifacts, { recursive: true });
  const viewport = page.viewportSize();
  const before = await osTheme(page);
  const files: string[] = [];
  for (const size of SIZES) {
    await page.setViewportSize(size);
    await settle(page);
    for (const theme of PICTURES ? THEMES : []) {
      await useTheme(page, theme);
      const file = path.join(artifacts, `${name}-${theme}-${size.width}.png`);
      await page.screenshot({ path: file, animations: 'disabled' });
      files.push(file);
      if (Number(await page.evaluate('document.documentElement.scrollHeight - window.innerHeight')) > 0) {
        const full = path.join(artifacts, `${name}-${theme}-${size.width}-full.png`);
        await page.screenshot({ path: full, fullPage: true, animations: 'disabled' });
        files.push(full);
      }
    }
    const overflow = Number(await page.evaluate('document.documentElement.scrollWidth - window.innerWidth'));
    expect.soft(overflow, `${name} at ${size.width}×${size.height} scrolls sideways by ${overflow} px: something is wider than the window`).toBeLessThanOrEqual(0);
  }
  if (viewport) await page.setViewportSize(viewport);
  await useTheme(page, before);
  return files;
}

/**
 * The usual check of a page or wizard step: every axe rule in light, the colour
 * contrast again in dark (the only rule a theme changes; the whole set costs ~1.5 s a
 * run here), then the screenshot matrix.
 */
export async function checkAndShoot(page: Page, name: string): Promise<void> {
  const before = await osTheme(page);
  await useTheme(page, 'light');
  await expectNoSeriousA11yViolations(page, `${name} (light)`);
  await useTheme(page, 'dark');
  await expectNoSeriousA11yViolations(page, `${name} (dark)`, ['color-contrast']);
  await useTheme(page, before);
  await shoot(page, name);
}
