import { WORD_JOINER as WJ } from '../../bot/escape-bb.js';
import { personOf } from '../../bot/person-name.js';
import { CABINET_TEXTS } from '../../bot/texts.js';
import { decodePlanButton, encodePlanButton, renderPlanRequest, type PlanRequestCard } from '../../bot/render-plan-request.js';

const card: PlanRequestCard = {
  id: 7, company: 'ООО «Ромашка» [main]', requester: { name: 'Анна', email: 'anna@romashka.example' }, text: 'Нужно 20 часов\nс января',
  terms: { number: 'Д-12', supportType: 'Стандарт', monthlyFee: 60000, currency: 'RUB', packageHours: 10, hourlyRate: 3000, overPackageRate: 3500, bonusHours: 2 },
  toDispatch: false,
};

test('the manager sees the client, the terms, the text, and one button that names the request', () => {
  const r = renderPlanRequest(card, 'ru');
  expect(r.text.replace(/\u00a0/g, ' ').split('\n')).toEqual([
    `[b]Запрос на изменение тарифа[/b] · ООО «Ромашка» [${WJ}main], договор Д-12`,
    'От: Анна <anna@romashka.example>',
    'Сейчас: Стандарт; часов в пакете: 10; абонентская плата 60 000 ₽; час 3 000 ₽, сверх пакета 3 500 ₽; бонусных часов: 2',
    'Запрос:',
    '>>Нужно 20 часов',
    '>>с января',
  ]);
  expect(r.keyboard).toEqual([{ TEXT: 'Взять в работу', COMMAND: 'plan', COMMAND_PARAMS: 'take 7', DISPLAY: 'LINE', BG_COLOR_TOKEN: 'primary' }]);
});

test('once taken, the message says who took it and the button is gone; without a manager it says where it went', () => {
  const r = renderPlanRequest({ ...card, terms: null, toDispatch: true }, 'en', { by: personOf('Maria', 'F'), at: '06/12/2026, 18:00' });
  expect(r.text).toContain('(no contract)');
  expect(r.text).toContain('The client has no personal manager: the request came to the dispatch chat.');
  expect(r.text.endsWith('✅ Taken by Maria, 06/12/2026, 18:00')).toBe(true);
  expect(r.keyboard).toBeNull();
});

test('the button codec reads back only its own payloads', () => {
  expect(decodePlanButton(encodePlanButton(42))).toBe(42);
  expect(decodePlanButton('take 42 extra')).toBeNull();
  expect(decodePlanButton('approve 2026-10')).toBeNull();
});

test('who took the request is named with a verb that agrees with them, and their name never becomes markup', () => {
  const taken = (by: ReturnType<typeof personOf>) => renderPlanRequest(card, 'ru', { by, at: '06.12.2026, 18:00' }).text.split('\n').at(-1);
  expect(taken(personOf('Мария Лебедева', 'F'))).toBe('✅ Взяла в работу: Мария Лебедева, 06.12.2026, 18:00');
  expect(taken(personOf('Павел Соколов', 'M'))).toBe('✅ Взял в работу: Павел Соколов, 06.12.2026, 18:00');
  // No portal field: the name tells; a name that does not gets both endings.
  expect(taken(personOf('Ольга Кузнецова', null))).toBe('✅ Взяла в работу: Ольга Кузнецова, 06.12.2026, 18:00');
  expect(taken(personOf('Саша [b]Ким[/b]', null))).toBe(`✅ Взял(а) в работу: Саша [${WJ}b]Ким[${WJ}/b], 06.12.2026, 18:00`);
  expect(CABINET_TEXTS.ru.alreadyTaken(personOf('Мария Лебедева', 'F'))).toBe('Этот запрос уже взяла в работу Мария Лебедева.');
  expect(CABINET_TEXTS.ru.alreadyTaken(personOf('Павел Соколов', 'M'))).toBe('Этот запрос уже взял в работу Павел Соколов.');
  expect(CABINET_TEXTS.en.alreadyTaken(personOf('Мария Лебедева', 'F'))).toBe('Мария Лебедева has already taken this request.');
});
