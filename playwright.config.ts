import { defineConfig } from '@playwright/test';
import { chromiumPath } from './scripts/browser.ts';

// The built site is served by `astro preview` under the same sub-path GitHub Pages uses, so
// every test also proves that links and assets work below a base path.
const PORT = Number(process.env.PORT ?? 4321);
const BASE = (process.env.BASE_PATH ?? '/descent/').replace(/^\/*/, '/').replace(/\/*$/, '/');

export default defineConfig({
  testDir: 'e2e',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: true,
  workers: 2,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: process.env.CI ? 'line' : 'list',
  use: {
    baseURL: `http://127.0.0.1:${PORT}${BASE}`,
    browserName: 'chromium',
    // Each test gets a fresh context; a service worker installing the book's assets in every
    // one of them would only add load. The offline spec allows it.
    serviceWorkers: 'block',
    launchOptions: {
      executablePath: chromiumPath(),
      // The machine has no network beyond localhost; these flags keep Chromium from trying.
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  webServer: {
    command: `npm run preview -- --port ${PORT} --host 127.0.0.1`,
    url: `http://127.0.0.1:${PORT}${BASE}`,
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
  },
});
