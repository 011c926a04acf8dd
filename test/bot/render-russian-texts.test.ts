import { WORD_JOINER as WJ } from '../../bot/escape-bb.js';
import { nameIn, personOf } from '../../bot/person-name.js';
import { renderAssigned } from '../../bot/render-dispatch-message.js';
import { renderResolvedCard, renderSpecialistCard } from '../../bot/render-specialist-card.js';
import { TEXTS } from '../../bot/texts.js';

const ticket = {
  number: 7, subject: 'Не работает 1С', company: 'ООО «Ромашка»', requesterName: 'Ольга', requesterEmail: 'olga@romashka.example',
  excerpt: '', attachments: [],
};
const at = new Date('2026-11-23T07:42:00Z');
const lastLine = (text: string) => text.split('\n').at(-1);

test('the verb agrees with the portal\'s gender of whoever assigned, both ways', () => {
  const sergey = personOf('Сергей Морозов', 'M');
  expect(lastLine(renderAssigned(ticket, sergey, personOf('Ольга Кузнецова', 'F'), at, 'Europe/Moscow', 'ru').text))
    .toBe('Назначено: Сергей Морозов (назначила Ольга Кузнецова в 10:42)');
  expect(lastLine(renderAssigned(ticket, sergey, personOf('Дмитрий Волков', 'M'), at, 'Europe/Moscow', 'ru').text))
    .toBe('Назначено: Сергей Морозов (назначил Дмитрий Волков в 10:42)');
  expect(TEXTS.ru.alreadyAssigned(7, sergey, personOf('Анна Белова', 'F'))).toBe('#7 уже назначено: Сергей Морозов (назначила Анна Белова).');
  expect(TEXTS.ru.devComment(7, personOf('Павел Соколов', 'M'))).toBe('Павел Соколов прокомментировал задачу по #7:');
  expect(TEXTS.ru.devComment(7, personOf('Мария Павлова', 'F'))).toBe('Мария Павлова прокомментировала задачу по #7:');
});

test('without the portal\'s field the name tells the gender; a name that does not tell gets "назначил(а)"', () => {
  expect(personOf('Ольга Кузнецова', '').gender).toBe('F');
  expect(personOf('Дмитрий Волков', null).gender).toBe('M');
  // The portal wins over the name.
  expect(personOf('Саша Ким', 'F').gender).toBe('F');
  expect(personOf('Саша Ким', '').gender).toBeNull();
  expect(personOf('John Smith', undefined).gender).toBeNull();
  expect(TEXTS.ru.assigned(personOf('Ольга Кузнецова', null), personOf('Саша Ким', null), '10:42'))
    .toBe('Назначено: Ольга Кузнецова (назначил(а) Саша Ким в 10:42)');
});

test('names take the case the sentence needs, by lvovich; Latin names stay as written', () => {
  expect(TEXTS.ru.taskCreated(7, 12, personOf('Павел Соколов', 'M'))).toBe('По #7 создана задача 12 для Павла Соколова. Обращение остаётся у вас.');
  expect(TEXTS.ru.taskCreated(7, 12, personOf('Анна Иванова', 'F'))).toBe('По #7 создана задача 12 для Анны Ивановой. Обращение остаётся у вас.');
  expect(nameIn(personOf('Ольга Кузнецова', 'F'), 'dative')).toBe('Ольге Кузнецовой');
  expect(TEXTS.ru.taskCreated(7, 12, personOf('John Smith', null))).toBe('По #7 создана задача 12 для John Smith. Обращение остаётся у вас.');
  expect(TEXTS.en.taskCreated(7, 12, personOf('Павел Соколов', 'M'))).toBe('Task 12 for Павел Соколов created for #7. The ticket stays with you.');
});

test('names from the portal never become markup', () => {
  expect(TEXTS.ru.reassignedAway(7, personOf('Иван [b]Петров[/b]', 'M'))).toBe(`#7 передано: Иван [${WJ}b]Петров[${WJ}/b].`);
});

test('what a person typed, echoed back by the bot, stays words in either language', () => {
  expect(TEXTS.ru.badTime('[b]час[/b]')).toBe(`Не понял «[${WJ}b]час[${WJ}/b]». Примеры: 1ч20м, 1:20, 80 (минуты), 1,5 ч, 1 ч 20 мин.`);
  expect(TEXTS.en.badTime('[url=https://x.example]1h[/url]')).toContain(`"[${WJ}url=https://x.example]1h[${WJ}/url]"`);
  expect(TEXTS.ru.notFound('[user=all]')).toBe(`Обращение [${WJ}user=all] не найдено.`);
  expect(TEXTS.en.notFound('[b]x')).toBe(`Ticket [${WJ}b]x not found.`);
});

test('the examples of typed time are in the reader\'s language', () => {
  expect(TEXTS.ru.typeTime(7)).toContain('например 1ч20м, 1:20, 80, 1,5 ч');
  expect(TEXTS.en.typeTime(7)).toContain('e.g. 1h20m, 1:20, 80, 1.5h');
  expect(TEXTS.ru.badTime('xx')).toContain('Примеры: 1ч20м');
});

test('after close the card says closed, when, how long and whether billable, with no buttons and no "for you" header', () => {
  const closedAt = new Date('2026-11-23T11:05:00Z');
  const free = renderResolvedCard(ticket, { minutes: 90, billable: false, closedAt, timeZone: 'Europe/Moscow' }, 'ru');
  expect(free).toEqual({
    text: 'Обращение закрыто\n[b]#7[/b] · ООО «Ромашка»\nОт: Ольга <olga@romashka.example>\n[b]Не работает 1С[/b]\n'
      + 'Статус: решено\nЗакрыто в 23.11 14:05 · учтено 1 ч 30 мин · бесплатно для клиента (наша ошибка)',
    keyboard: null,
  });
  const billable = renderResolvedCard(ticket, { minutes: 80, billable: true, closedAt, timeZone: 'Europe/Moscow' }, 'en');
  expect(billable.text.split('\n')[0]).toBe('Ticket closed');
  expect(lastLine(billable.text)).toBe('Closed at 23.11 14:05 · 1 h 20 min logged · billable to the client');
  expect(billable.text).not.toContain(TEXTS.en.yourTicket);
  // The open card it replaces said otherwise.
  expect(renderSpecialistCard(ticket, 'in_progress', 'ru').text.split('\n')[0]).toBe('Вам назначено обращение');
});
