import { expect, type Locator, type Page } from '@playwright/test';

/**
 * Opens a cell's editor (the runtime mounts CodeMirror on demand) and replaces its code by
 * selecting everything and typing over it, as a reader would.
 */
export async function replaceCode(page: Page, cell: Locator, code: string): Promise<void> {
  await cell.locator('[data-code]').click();
  const editor = cell.locator('.cm-content');
  await expect(editor).toBeVisible();
  await editor.click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.insertText(code);
}
