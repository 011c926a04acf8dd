import { renderBillableChoice, renderSpecialistCard, renderTimeChoice } from '../../bot/render-specialist-card.js';
import { renderMissingTimeReminder, renderUnassignedReminder } from '../../bot/render-reminders.js';
import { formatMinutes } from '../../bot/texts.js';
import { isWorkingTime } from '../../bot/working-hours.js';
import { readBotEvent } from '../../bot/read-bot-event.js';

const ticket = (number: number, subject = 'Не работает 1С') => ({
  number, subject, company: 'ООО «Ромашка»', requesterName: 'Ольга', requesterEmail: 'olga@romashka.example', excerpt: '', attachments: 0,
});
const btn = (TEXT: string, COMMAND_PARAMS: string, tone?: string) =>
  ({ TEXT, COMMAND: 'tkt', COMMAND_PARAMS, DISPLAY: 'LINE', ...(tone ? { BG_COLOR_TOKEN: tone } : {}) });
const NL = { TYPE: 'NEWLINE' };

test('the assignee\'s card offers what fits the status; a resolved ticket has no buttons', () => {
  expect(renderSpecialistCard(ticket(1042), 'assigned', 'en').keyboard).toEqual([
    btn('Accept', 'accept 1042', 'primary'), btn('Reply', 'reply 1042'), NL, btn('Escalate', 'esc 1042'), btn('Close', 'close 1042'), NL,
    btn('Reassign', 'reassign 1042'),
  ]);
  expect(renderSpecialistCard(ticket(1042), 'escalated', 'en').keyboard).toEqual([
    btn('Reply', 'reply 1042'), btn('Close', 'close 1042'), NL, btn('Reassign', 'reassign 1042'),
  ]);
  const resolved = renderSpecialistCard(ticket(1042), 'resolved', 'ru');
  expect(resolved.keyboard).toBeNull();
  expect(resolved.text.split('\n').at(-1)).toBe('Статус: решено');
});

test('close asks for the time with quick buttons and Other, then whether it is billable', () => {
  const time = renderTimeChoice(ticket(7), 'ru');
  expect(time.text).toBe('Сколько времени ушло на #7?\n[b]Не работает 1С[/b]');
  expect(time.keyboard!.filter((b) => 'TEXT' in b).map((b) => ('TEXT' in b ? `${b.TEXT}=${b.COMMAND_PARAMS}` : ''))).toEqual([
    '10 мин=time 7 10', '15 мин=time 7 15', '30 мин=time 7 30', '45 мин=time 7 45', '1 ч=time 7 60', '1 ч 30 мин=time 7 90',
    '2 ч=time 7 120', '3 ч=time 7 180', 'Другое=other 7',
  ]);
  expect(renderBillableChoice(ticket(7), 80, 'en')).toEqual({
    text: '#7: 1 h 20 min. Billable to the client?',
    keyboard: [btn('Billable', 'bill 7 80', 'primary'), NL, btn('Our fault — not billable', 'free 7 80')],
  });
});

test('one reminder lists the oldest tickets with department buttons and counts the rest; one ticket can be opened', () => {
  const depts = [{ id: 1, name: 'L1' }, { id: 2, name: 'L2' }];
  const items = [{ card: ticket(10), waitingMinutes: 12 }, { card: ticket(11, 'Почта'), waitingMinutes: 6 }];
  const r = renderUnassignedReminder(items, 250, depts, 'en', { ticket: 11, department: depts[1], employees: [{ id: 5, name: 'Ann' }] });
  expect(r.text).toBe('Unassigned tickets: 250. Oldest first:\n[b]#10[/b] · ООО «Ромашка» · Не работает 1С (waiting 12 min)\n'
    + '[b]#11[/b] · ООО «Ромашка» · Почта (waiting 6 min)\n…and 248 more. All of them: /unassigned');
  expect(r.keyboard).toEqual([btn('#10 L1', 'dept 10 1'), btn('#10 L2', 'dept 10 2'), NL, btn('#11 Ann', 'emp 11 5', 'primary'), btn('« Back', 'back 11')]);
  expect(renderUnassignedReminder([], 0, depts, 'ru')).toEqual({ text: 'Неназначенных обращений нет.', keyboard: null });
  const missing = renderMissingTimeReminder([ticket(20), ticket(21)], 3, 'ru');
  expect(missing.text.split('\n')[0]).toBe('Закрыто без времени: 3. Укажите время:');
  expect(missing.text.split('\n').at(-1)).toBe('…и ещё 1');
  expect(missing.keyboard).toEqual([btn('#20', 'close 20'), btn('#21', 'close 21')]);
});

test('minutes read as people say them', () => {
  expect([10, 60, 80, 125].map((m) => formatMinutes(m, 'en'))).toEqual(['10 min', '1 h', '1 h 20 min', '2 h 5 min']);
});

test('reminders keep to the working-hours calendar in the portal\'s time zone', () => {
  const hours = { days: [1, 2, 3, 4, 5], fromMinute: 9 * 60, toMinute: 18 * 60 };
  // Monday 23 Nov 2026: 06:30 UTC is 09:30 in Moscow, 15:30 UTC is 18:30.
  expect(isWorkingTime(hours, new Date('2026-11-23T06:30:00Z'), 'Europe/Moscow')).toBe(true);
  expect(isWorkingTime(hours, new Date('2026-11-23T15:30:00Z'), 'Europe/Moscow')).toBe(false);
  expect(isWorkingTime(hours, new Date('2026-11-22T10:00:00Z'), 'Europe/Moscow')).toBe(false); // Sunday
  expect(isWorkingTime(null, new Date('2026-11-22T03:00:00Z'), 'Europe/Moscow')).toBe(true);
});

test('a pushed (form-encoded, all strings) command event reads the same as a pulled one', () => {
  const pulled = readBotEvent('ONIMBOTV2COMMANDADD', {
    command: { id: 3, command: '/tkt', params: 'dept 1042 2', context: 'keyboard' },
    message: { id: 55, authorId: 9, text: 'x', isSystem: false }, chat: { id: 4, dialogId: 'chat4', type: 'chat' },
    user: { id: 2, name: 'Ольга Кузнецова', bot: false }, language: 'ru',
  });
  const pushed = readBotEvent('ONIMBOTV2COMMANDADD', {
    command: { id: '3', command: '/tkt', params: 'dept 1042 2', context: 'keyboard' },
    message: { id: '55', authorId: '9', text: 'x', isSystem: 'N' }, chat: { id: '4', dialogId: 'chat4', type: 'chat' },
    user: { id: '2', name: 'Ольга Кузнецова', bot: 'N' }, language: 'ru',
  });
  expect(pushed).toEqual(pulled);
  expect(pulled).toMatchObject({ dialogId: 'chat4', isPrivate: false, messageId: 55, command: { name: 'tkt', params: 'dept 1042 2', context: 'keyboard' } });
});
