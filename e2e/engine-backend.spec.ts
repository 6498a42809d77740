import { test, expect } from '@playwright/test';
import { replaceCode } from './support/cells-ui.ts';

// The engine's wasm kernels load in the notebook's kernel worker under the site's CSP
// ('wasm-unsafe-eval'), so the reader's cells run on the same kernels as the build's.
test('cells run on the wasm kernel backend in the browser', async ({ page }) => {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto('how-to-use/');
  const cell = page.locator('[data-cell="hello"]');
  await replaceCode(
    page,
    cell,
    'const c = matmul(ones([64, 64]), ones([64, 64])).data[0];\n`${getBackend()} ${c}`',
  );
  await cell.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(cell.locator('[data-output]')).toContainText('wasm 64');
  expect(errors.filter((e) => /Content Security Policy|WebAssembly/i.test(e))).toEqual([]);
});
