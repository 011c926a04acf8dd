import { renderBillableChoice, renderSpecialistCard, renderTimeChoice } from '../../bot/render-specialist-card.js';
import { renderMissingTimeReminder, renderUnassignedReminder } from '../../bot/render-reminders.js';
import { formatMinutes } from '../../bot/texts.js';
import { isWorkingTime } from '../../bot/working-hours.js';
import { readBotEvent } from '../../bot/read-bot-event.js';

const ticket = (number: number, subject = 'Не работает 1С') => ({
  number, subject, company: 'ООО «Ромашка»', requesterName: 'Ольга', requesterEmail: 'olga@romashka.example', excerpt: '', attachments: [],
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

test('a reminder lists the oldest tickets with one number button each, however many departments there are', () => {
  const depts = [{ id: 1, name: 'L1' }, { id: 2, name: 'L2' }, { id: 3, name: 'L3' }, { id: 4, name: 'Sales' }];
  const items = [10, 11, 12, 13, 14].map((n, i) => ({ card: ticket(n, n === 11 ? 'Почта' : 'Не работает 1С'), waitingMinutes: [80, 6, 1, 0, 0][i] }));
  const r = renderUnassignedReminder(items, 250, depts, 'en');
  expect(r.text).toBe('Unassigned tickets: 250. Oldest first:\n[b]#10[/b] · ООО «Ромашка» · Не работает 1С (waiting 1 h 20 min)\n'
    + '[b]#11[/b] · ООО «Ромашка» · Почта (waiting 6 min)\n[b]#12[/b] · ООО «Ромашка» · Не работает 1С (waiting 1 min)\n'
    + '[b]#13[/b] · ООО «Ромашка» · Не работает 1С (just now)\n[b]#14[/b] · ООО «Ромашка» · Не работает 1С (just now)\n'
    + '…and 245 more. All of them: /unassigned\nTap a number to assign it.');
  expect(r.keyboard).toEqual([
    btn('#10', 'open 10', 'primary'), btn('#11', 'open 11', 'primary'), btn('#12', 'open 12', 'primary'), btn('#13', 'open 13', 'primary'), NL,
    btn('#14', 'open 14', 'primary'),
  ]);
  expect(renderUnassignedReminder(items.slice(3, 4), 1, depts, 'ru').text).toContain('(только что)');
  expect(renderUnassignedReminder([], 0, depts, 'ru')).toEqual({ text: 'Неназначенных обращений нет.', keyboard: null });
});

test('a number opens that ticket in the reminder: departments and "not a request", then the department\'s people, Back to the list', () => {
  const depts = [{ id: 1, name: 'L1' }, { id: 2, name: 'L2' }, { id: 3, name: 'L3' }];
  const items = [{ card: ticket(10), waitingMinutes: 12 }, { card: ticket(11, 'Почта'), waitingMinutes: 6 }];
  const opened = renderUnassignedReminder(items, 2, depts, 'ru', { ticket: 11, step: 'departments' });
  expect(opened.text.split('\n').at(-1)).toBe('#11: выберите отдел или «Не обращение».');
  expect(opened.keyboard).toEqual([
    btn('L1', 'dept 11 1'), btn('L2', 'dept 11 2'), NL, btn('L3', 'dept 11 3'), NL, btn('Не обращение', 'spam 11', 'alert'), btn('« Назад', 'back 11'),
  ]);
  const people = renderUnassignedReminder(items, 2, depts, 'en', { ticket: 11, step: 'employees', department: depts[1], employees: [{ id: 5, name: 'Ann' }] });
  expect(people.text.split('\n').at(-1)).toBe('#11 · L2: choose an employee.');
  expect(people.keyboard).toEqual([btn('Ann', 'emp 11 5', 'primary'), NL, btn('« Back', 'back 11')]);
  const reasons = renderUnassignedReminder(items, 2, depts, 'en', { ticket: 10, step: 'reasons' });
  expect(reasons.keyboard).toEqual([btn('Spam', 'spam 10 spam', 'alert'), btn('Duplicate', 'spam 10 duplicate', 'alert'), btn('Other', 'spam 10 other', 'alert'), NL, btn('« Back', 'back 10')]);
  // A ticket taken meanwhile is no longer listed: the reminder falls back to its numbers.
  expect(renderUnassignedReminder(items, 2, depts, 'en', { ticket: 99, step: 'departments' }).keyboard).toHaveLength(2);
});

test('the missing-time reminder gives each ticket one button', () => {
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
