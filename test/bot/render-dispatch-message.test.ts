import { WORD_JOINER as WJ } from '../../bot/escape-bb.js';
import { personOf } from '../../bot/person-name.js';
import { renderAssigned, renderDispatchMessage, renderEmployeeChoice } from '../../bot/render-dispatch-message.js';

const ticket = {
  number: 1042, subject: 'Не работает [b]1С[/b]', company: 'ООО «Ромашка»', requesterName: 'Ольга', requesterEmail: 'olga@romashka.example',
  excerpt: 'После обновления\nне запускается 1С',
  attachments: [{ name: 'скрин [1].png', size: 348_160 }, { name: 'log.txt', size: 1_572_864 }],
};
/** The client's subject as the card carries it: brackets kept, each followed by an invisible word joiner. */
const SUBJECT = `Не работает [${WJ}b]1С[${WJ}/b]`;

test('the dispatch message shows the essentials and one button per department plus "not a request"', () => {
  expect(renderDispatchMessage(ticket, [{ id: 11, name: '1st line' }, { id: 12, name: '2nd line' }, { id: 14, name: 'Sales' }], 'ru')).toEqual({
    text: `[b]#1042[/b] · ООО «Ромашка»\nОт: Ольга <olga@romashka.example>\n[b]${SUBJECT}[/b]\n`
      + '>>После обновления не запускается 1С\n'
      + `Вложения: скрин [${WJ}1].png (340 КБ), log.txt (1,5 МБ)\n[url=/tickets/1042]Открыть[/url]\n`
      + 'Выберите отдел:',
    keyboard: [
      { TEXT: '1st line', COMMAND: 'tkt', COMMAND_PARAMS: 'dept 1042 11', DISPLAY: 'LINE', BG_COLOR_TOKEN: 'primary' },
      { TEXT: '2nd line', COMMAND: 'tkt', COMMAND_PARAMS: 'dept 1042 12', DISPLAY: 'LINE', BG_COLOR_TOKEN: 'primary' },
      { TYPE: 'NEWLINE' },
      { TEXT: 'Sales', COMMAND: 'tkt', COMMAND_PARAMS: 'dept 1042 14', DISPLAY: 'LINE', BG_COLOR_TOKEN: 'primary' },
      { TYPE: 'NEWLINE' },
      { TEXT: 'Не обращение', COMMAND: 'tkt', COMMAND_PARAMS: 'spam 1042', DISPLAY: 'LINE', BG_COLOR_TOKEN: 'alert' },
    ],
  });
});

test('a department click lists its employees with Back; an unknown client is named so', () => {
  const r = renderEmployeeChoice({ ...ticket, company: null, attachments: [], excerpt: '' }, { id: 11, name: '1st line' },
    [{ id: 3, name: 'Oleg' }], 'en');
  expect(r.text).toBe(`[b]#1042[/b] · unknown client\nFrom: Ольга <olga@romashka.example>\n[b]${SUBJECT}[/b]\n1st line: choose an employee`);
  expect(r.keyboard).toEqual([
    { TEXT: 'Oleg', COMMAND: 'tkt', COMMAND_PARAMS: 'emp 1042 3', DISPLAY: 'LINE' },
    { TYPE: 'NEWLINE' },
    { TEXT: '« Back', COMMAND: 'tkt', COMMAND_PARAMS: 'back 1042', DISPLAY: 'LINE' },
  ]);
});

test('once assigned, the message says who, by whom and when (portal time), and has no buttons', () => {
  const r = renderAssigned(ticket, personOf('Oleg Smirnov', 'M'), personOf('Maria', 'F'), new Date('2026-11-23T07:42:00Z'), 'Europe/Moscow', 'en');
  expect(r.keyboard).toBeNull();
  expect(r.text.split('\n').at(-1)).toBe('Assigned to Oleg Smirnov by Maria at 10:42');
});

test('a ticket whose first mail had no usable From says so under the sender, in either language', () => {
  const unknown = { ...ticket, requesterName: 'Пётр', requesterEmail: 'petr@reply-to.example', senderUnknown: true, excerpt: '', attachments: [] };
  expect(renderDispatchMessage(unknown, [], 'ru').text).toBe('[b]#1042[/b] · ООО «Ромашка»\nОт: Пётр <petr@reply-to.example>\n'
    + `⚠ отправитель не определён (в письме нет надёжного адреса From)\n[b]${SUBJECT}[/b]\n[url=/tickets/1042]Открыть[/url]\nВыберите отдел:`);
  expect(renderAssigned(unknown, personOf('Oleg', null), personOf('Maria', null), new Date('2026-11-23T07:42:00Z'), 'Europe/Moscow', 'en').text.split('\n')[2])
    .toBe('⚠ unknown sender (the mail has no reliable From address)');
});
