/**
 * The pages in a real browser: Debian's Chromium (never a downloaded one), headless, phone-sized, against
 * the local stack that the global setup starts (`npm run app`'s own script on free ports: a node with the
 * contracts deployed and filled, the responder, the site intake, `vite build` + `vite preview`).
 */
import { defineConfig } from "@playwright/test";

export default defineConfig({
  testDir: "./tests",
  testMatch: "*.spec.ts",
  globalSetup: "./tests/global-setup.ts",
  globalTeardown: "./tests/global-teardown.ts",
  timeout: 180_000,
  expect: { timeout: 30_000 },
  workers: 1,
  fullyParallel: false,
  retries: 0,
  outputDir: "test-results/artifacts",
  reporter: [["list"]],
  use: {
    headless: true,
    viewport: { width: 390, height: 844 },
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
});
