import iconv from 'iconv-lite';
import { decodeHeaderBytes, repairFilename } from '../../../connectors/mail/decode-headers.js';

const cases = ['Счёт', 'Привет', 'Ошибка 1С', 'Re: заявка', 'Счёт на оплату от 01.12', 'Re: Fwd: Сломалась почта', 'Не работает принтер в бухгалтерии'];

test.each(cases.flatMap((s) => [[s, 'windows-1251'], [s, 'koi8-r']]))('"%s" sent as unlabelled %s decodes', (text, charset) => {
  expect(decodeHeaderBytes(iconv.encode(text, charset))).toEqual({ text, confident: true });
});

test('Western European text without a label is not read as Cyrillic', () => {
  expect(decodeHeaderBytes(iconv.encode('Grüße aus Köln', 'windows-1252'))).toEqual({ text: 'Grüße aus Köln', confident: true });
});

test('encoded words: split multibyte characters join, raw 8-bit bytes inside are read in the label, UTF-7 decodes', () => {
  expect(decodeHeaderBytes(Buffer.from('=?UTF-8?B?0J/RgNC4?= =?UTF-8?B?0LLQtdGC?= world'))).toEqual({ text: 'Привет world', confident: true });
  expect(decodeHeaderBytes(Buffer.concat([Buffer.from('=?windows-1251?Q?'), iconv.encode('Не работает', 'windows-1251'), Buffer.from('?=')])).text)
    .toBe('Не работает');
  expect(decodeHeaderBytes(Buffer.from('=?utf-7?Q?+BB0ENQRC-_+BEEEMgRPBDcEOA-?=')).text).toBe('Нет связи');
});

test('bytes no charset reads clearly are not guessed: each becomes a single U+FFFD, never a twice-encoded one', () => {
  const d = decodeHeaderBytes(Buffer.from([0x4f, 0x72, 0x20, 0x83, 0x84, 0x8f, 0x90, 0x9d]));
  expect(d.confident).toBe(false);
  expect(d.text).toBe('Or \ufffd\ufffd\ufffd\ufffd\ufffd');
});

test('a file name read as latin1 from raw windows-1251 or KOI8-R bytes is repaired; a real latin1 name is not', () => {
  expect(repairFilename(iconv.encode('Отчёт.pdf', 'windows-1251').toString('latin1'))).toBe('Отчёт.pdf');
  expect(repairFilename(iconv.encode('Счёт-фактура.xls', 'koi8-r').toString('latin1'))).toBe('Счёт-фактура.xls');
  expect(repairFilename('café.pdf')).toBe('café.pdf');
  expect(repairFilename('отчёт.pdf')).toBe('отчёт.pdf');
});
