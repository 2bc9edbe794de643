import type { Locator, Page } from 'playwright/test';
import { expectNoSeriousA11yViolations, PICTURES, shoot } from './axe.ts';
import { expect } from './serve-fixture.ts';

/**
 * The wizard step shown now through axe, then shoot(): no sideways scrolling at either
 * size, and its pictures (light, dark) unless FERRY_E2E_PICTURES=0. With `toEnd` and
 * pictures, shot again scrolled to the end of the step (`<name>-end`), for steps longer
 * than the dialog (scrolling down changes no width: without pictures once is enough).
 */
export async function look(page: Page, name: string, options: { toEnd?: boolean } = {}): Promise<void> {
  await expectNoSeriousA11yViolations(page, name);
  if (!options.toEnd || !PICTURES) {
    await shoot(page, name);
    return;
  }
  const scroll = (top: string) => page.evaluate(`document.querySelector('[role="dialog"] .MuiDialogContent-root').scrollTop = ${top}`);
  await scroll('0');
  await shoot(page, name);
  await scroll('1e6');
  await shoot(page, `${name}-end`);
}

/** Next, and the wizard must then show `step`. */
export async function next(dialog: Locator, step: string): Promise<void> {
  await dialog.getByRole('button', { name: 'Next', exact: true }).click();
  await expect(dialog.getByRole('heading', { level: 3, name: step, exact: true })).toBeVisible();
}
