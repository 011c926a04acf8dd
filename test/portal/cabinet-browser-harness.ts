import type { Browser, Page } from 'playwright-core';

export { launchChromium } from '../harness/browser.js';

/** Every cabinet story runs at both sizes, one in each language. */
export const VIEWPORTS = [
  { name: 'desktop', viewport: { width: 1280, height: 800 }, language: 'en' as const },
  { name: 'phone', viewport: { width: 390, height: 844 }, language: 'ru' as const },
];
export type Viewport = (typeof VIEWPORTS)[number];

export async function newPage(browser: Browser, v: Viewport): Promise<Page> {
  const context = await browser.newContext({ viewport: v.viewport, locale: v.language === 'ru' ? 'ru-RU' : 'en-GB' });
  return context.newPage();
}

const SET_PASSWORD = {
  en: { password: 'New password (10 characters or more)', save: 'Save and sign in', tickets: 'Tickets' },
  ru: { password: 'Новый пароль (не короче 10 символов)', save: 'Сохранить и войти', tickets: 'Обращения' },
};

/** Follows a set-password link from a mail, as the person would, and waits for the ticket list. */
export async function setPasswordFromLink(page: Page, v: Viewport, link: string, password = 'a long enough password'): Promise<void> {
  const x = SET_PASSWORD[v.language];
  await page.goto(link);
  await page.getByLabel(x.password).fill(password);
  await page.getByRole('button', { name: x.save }).click();
  await page.getByRole('heading', { name: x.tickets }).waitFor();
}
