import { capSubject } from '../../../connectors/mail/cap-subject.js';

test('a subject within the limit is left as it is', () => {
  expect(capSubject('[#1042] Printer does not print')).toBe('[#1042] Printer does not print');
  expect(capSubject('x'.repeat(200))).toBe('x'.repeat(200));
});

test('a long subject is cut at the last word that fits, with an ellipsis', () => {
  const s = `[#1042] ${'Принтер не печатает, '.repeat(20)}`;
  const capped = capSubject(s);
  expect([...capped].length).toBeLessThanOrEqual(200);
  expect(capped).toMatch(/^\[#1042\] Принтер не печатает, .* печатает…$/);
});

test('one endless word is cut where it must be; an emoji at the edge is not split', () => {
  expect(capSubject('a'.repeat(300))).toBe(`${'a'.repeat(199)}…`);
  const emoji = capSubject('😀'.repeat(250));
  expect([...emoji]).toHaveLength(200);
  expect(emoji.endsWith('😀…')).toBe(true);
});
