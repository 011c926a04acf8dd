import type { Page } from 'playwright-core';
import { sampleRoles } from '../../sandbox/index.js';
import { useSandboxPage } from '../harness/browser.js';
import { hookClient, registerBot } from './sandbox-helpers.js';

// The messenger page on a phone (390 × 844), the first thing a newcomer opens: one pane at a
// time (chat list, or the dialog with a way back), nothing wider than the screen, and the
// person picker usable.
const PHONE = { width: 390, height: 844 };
const ctx = useSandboxPage({ ignoreHTTPSErrors: true, viewport: PHONE, isMobile: true, hasTouch: true });

/** Elements whose right edge passes the screen's, and the page's own horizontal scroll. */
async function overflow(p: Page): Promise<{ scroll: number; wide: string[] }> {
  return p.evaluate(() => {
    const wide: string[] = [];
    for (const el of Array.from(document.querySelectorAll('body *'))) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      if (r.right > window.innerWidth + 0.5 || r.left < -0.5) wide.push(`${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}.${el.className} ${Math.round(r.left)}..${Math.round(r.right)}`);
    }
    return { scroll: document.documentElement.scrollWidth - window.innerWidth, wide };
  });
}

async function expectFits(p: Page): Promise<void> {
  expect(await overflow(p)).toEqual({ scroll: 0, wide: [] });
}

/** A bot card as the dispatcher gets it: long unbroken text, a wide keyboard. */
async function postWideCard(): Promise<{ botId: number; messageId: number }> {
  const b24 = hookClient(ctx.sandbox);
  const { botId } = await registerBot(b24, { code: 'dispatch', botToken: 'phone-token' });
  const buttons = ['1st line', '2nd line', 'Разработка и внедрение интеграций', 'Не обращение']
    .map((text, i) => ({ TEXT: text, COMMAND: 'ticket', COMMAND_PARAMS: `dept 1042 ${i}`, DISPLAY: 'LINE', BLOCK: 'Y' }));
  const sent = await b24.actions.v2.call.make<{ id: number }>({
    method: 'imbot.v2.Chat.Message.send',
    params: { botId, botToken: 'phone-token', dialogId: String(sampleRoles.dispatcher), fields: {
      message: '[b]#1042[/b] ООО «Ромашка и Партнёры» · Не работает импорт\n'
        + 'https://romashka.bitrix24.ru/crm/deal/details/123456789/?IFRAME=Y&IFRAME_TYPE=SIDE_SLIDER&very_long_parameter_without_spaces=1\n'
        + 'Вложение: выгрузка_сделок_из_1С_за_октябрь_2026_года_полная_версия.xlsx',
      keyboard: { BOT_ID: botId, BUTTONS: buttons },
    } },
  });
  return { botId, messageId: sent.getData()!.result.id };
}

test('the chat list alone, then the dialog alone with a way back; nothing wider than 390 px', async () => {
  const { botId, messageId } = await postWideCard();
  await ctx.page.goto(`${ctx.sandbox.messengerUrl}?user=${sampleRoles.dispatcher}`);
  const chat = ctx.page.locator(`#chats li[data-dialog-id="${botId}"]`);
  await chat.waitFor();
  expect(await ctx.page.locator('nav').isVisible()).toBe(true);
  expect(await ctx.page.locator('#dialog').isVisible()).toBe(false);
  // The list takes the whole width: nothing is squeezed beside it.
  expect((await ctx.page.locator('nav').boundingBox())!.width).toBe(PHONE.width);
  await expectFits(ctx.page);

  await chat.tap();
  const card = ctx.page.locator(`.message[data-message-id="${messageId}"]`);
  await card.waitFor();
  expect(await ctx.page.locator('nav').isVisible()).toBe(false);
  expect(await ctx.page.locator('#back').isVisible()).toBe(true);
  expect(await ctx.page.locator('#composer').isVisible()).toBe(true);
  await expectFits(ctx.page);
  // Every button of the card can be reached and pressed on the screen.
  for (const b of await card.locator('button.kb-button').all()) {
    const box = (await b.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width);
  }
  await card.locator('button.kb-button', { hasText: 'Разработка и внедрение интеграций' }).tap();
  await ctx.page.waitForSelector(`.message[data-message-id="${messageId}"] button[data-index="2"]:disabled`);

  await ctx.page.locator('#back').tap();
  await chat.waitFor();
  expect(await ctx.page.locator('#dialog').isVisible()).toBe(false);
  expect(new URL(ctx.page.url()).searchParams.get('dialog')).toBeNull();
  await expectFits(ctx.page);
});

test('a link to a dialog opens it alone; a long task title wraps instead of widening the page', async () => {
  const developer = sampleRoles.developers[0];
  const add = await hookClient(ctx.sandbox).actions.v2.call.make<{ task: { id: string; chatId: number } }>({
    method: 'tasks.task.add', params: { fields: { TITLE: '#1042 ООО «Ромашка и Партнёры»: импорт_из_1С_не_работает_после_обновления_модуля_обмена', RESPONSIBLE_ID: developer } },
  });
  const { chatId } = add.getData()!.result.task;
  await ctx.page.goto(`${ctx.sandbox.messengerUrl}?user=${developer}&dialog=chat${chatId}`);
  await ctx.page.waitForSelector('#task-bar:not([hidden])');
  expect(await ctx.page.locator('nav').isVisible()).toBe(false);
  await ctx.page.locator('#text').fill('Исправлено в сборке 512: https://git.example/modest/commit/0123456789abcdef0123456789abcdef01234567');
  await ctx.page.locator('#send').tap();
  await ctx.page.waitForSelector('.message.own');
  await expectFits(ctx.page);
  await ctx.page.locator('#back').tap();
  await ctx.page.locator(`#chats li[data-dialog-id="chat${chatId}"]`).waitFor();
  await expectFits(ctx.page);
});

test('the person picker fits the screen, shows whole names and switches person', async () => {
  const { botId } = await postWideCard();
  await ctx.page.goto(`${ctx.sandbox.messengerUrl}?user=${sampleRoles.dispatcher}`);
  const lastLine = ctx.page.locator(`#chats li[data-dialog-id="${botId}"] .last`);
  await ctx.page.waitForFunction((id) => document.querySelector(`#chats li[data-dialog-id="${id}"] .last`)?.textContent !== '', botId);
  // The list previews the last message as text, as Bitrix24 does: no BB-code in sight.
  expect(await lastLine.textContent()).toMatch(/^#1042 ООО «Ромашка и Партнёры» · Не работает импорт https:/);
  const who = ctx.page.locator('#who');
  await who.waitFor();
  const box = (await who.boundingBox())!;
  // A line of its own, wide enough to read a name and a position, and a finger-sized target.
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width);
  expect(box.width).toBeGreaterThan(250);
  expect(box.height).toBeGreaterThanOrEqual(30);
  expect(await who.locator('option:checked').textContent()).toMatch(/^Ольга Кузнецова — Диспетчер/);
  await expectFits(ctx.page);

  const developer = sampleRoles.developers[0];
  await who.selectOption(String(developer));
  expect(new URL(ctx.page.url()).searchParams.get('user')).toBe(String(developer));
  // The developer has no dialog with the bot yet: the list is theirs, not the dispatcher's.
  await ctx.page.waitForFunction((id) => document.querySelector(`#chats li[data-dialog-id="${id}"] .last`)?.textContent === '', botId);
  expect(await lastLine.textContent()).toBe('');
  expect(await ctx.page.locator('nav').isVisible()).toBe(true);
  await expectFits(ctx.page);
});
