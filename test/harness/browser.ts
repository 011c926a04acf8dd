import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { startSandbox, type Sandbox } from '../../sandbox/index.js';

/** Headless Chromium as every browser test runs it: the system's build, nothing fetched in the background. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** The sandbox and the page of a messenger-page test; both are replaced before each test. */
export interface SandboxPage {
  sandbox: Sandbox;
  page: Page;
}

/**
 * Registers the hooks of a messenger-page test file: one sandbox and one browser for the file, and
 * before each test a reset sandbox and a fresh page opened with `contextOptions`.
 */
export function useSandboxPage(contextOptions: BrowserContextOptions): SandboxPage {
  const ctx = {} as SandboxPage;
  let browser: Browser;
  let context: BrowserContext;
  beforeAll(async () => {
    ctx.sandbox = await startSandbox();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await ctx.sandbox?.close();
  });
  beforeEach(async () => {
    ctx.sandbox.reset();
    context = await browser.newContext(contextOptions);
    ctx.page = await context.newPage();
  });
  afterEach(() => context.close());
  return ctx;
}
