// Deterministic mixed support mail for the ingest benchmark: the same seed and count always
// give the same bytes. Pure: no I/O, no clock.
import { seededRandom } from '../sandbox/portal-context.js';
import {
  encodeBase64Lines, encodeCharset, encodeQuotedPrintable, encodeWords, type MailCharset,
} from './encode-charset.js';

export type BodyShape = 'plain' | 'alternative' | 'html';

export interface BenchMail {
  index: number;
  raw: Buffer;
  /** Without angle brackets, as the store keeps it. */
  messageId: string;
  /** The decoded subject the pipeline should store. */
  subject: string;
  shape: BodyShape;
  charset: MailCharset;
  attachmentBytes: number;
  /** Index of the earlier mail this one answers (In-Reply-To), or null. */
  replyTo: number | null;
}

/** Seedable, so the same seed gives the same mails. */
export const makeRandom = seededRandom;

const EN = ('the order export fails since yesterday morning when we open the report page it shows an error and '
  + 'nothing is saved please check our account settings invoice payment delivery status customer portal '
  + 'login password reset integration webhook timeout server database backup import price list warehouse '
  + 'manager cannot see new deals after the update our team is blocked kindly advise urgent').split(' ');
const RU = ('не работает выгрузка заказов со вчерашнего дня при открытии отчёта появляется ошибка и ничего '
  + 'не сохраняется просим проверить настройки нашего портала счёт оплата доставка статус клиента вход '
  + 'пароль сброс интеграция вебхук таймаут сервер база резервная копия импорт прайс склад менеджер не видит '
  + 'новые сделки после обновления наша команда не может работать подскажите пожалуйста срочно ещё').split(' ');
const FIRST_EN = ['John', 'Mary', 'Peter', 'Anna', 'David', 'Laura', 'Mike', 'Kate'];
const LAST_EN = ['Smith', 'Brown', 'Taylor', 'Wilson', 'Clark', 'Lewis', 'Walker', 'Young'];
const FIRST_RU = ['Иван', 'Мария', 'Пётр', 'Анна', 'Дмитрий', 'Елена', 'Сергей', 'Ольга'];
const LAST_RU = ['Петров', 'Смирнова', 'Кузнецов', 'Попова', 'Соколов', 'Лебедева', 'Новиков', 'Морозова'];
const BASE_DATE = Date.UTC(2026, 0, 5, 9, 0, 0);

type Random = () => number;
const pick = <T>(rnd: Random, xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
const between = (rnd: Random, lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));

function sentence(rnd: Random, words: string[]): string {
  const s = Array.from({ length: between(rnd, 6, 14) }, () => pick(rnd, words)).join(' ');
  return `${s[0].toUpperCase()}${s.slice(1)}.`;
}

function paragraphs(rnd: Random, words: string[]): string[] {
  return Array.from({ length: between(rnd, 1, 5) }, () =>
    Array.from({ length: between(rnd, 2, 8) }, () => sentence(rnd, words)).join(' '));
}

/** Soft-wraps at `width` so 8bit parts stay far below the 998-byte line limit. */
function wrap(text: string, width = 72): string {
  return text.split('\n').map((line) => line.replace(new RegExp(`(.{1,${width}})(?: +|$)`, 'g'), '$1\r\n').replace(/\r\n$/, ''))
    .join('\r\n');
}

function randomBytes(rnd: Random, size: number): Buffer {
  const words = new Uint32Array(Math.ceil(size / 4));
  for (let i = 0; i < words.length; i++) words[i] = Math.floor(rnd() * 4294967296);
  return Buffer.from(words.buffer, 0, size);
}

interface Part { headers: string[]; body: string }

function textPart(mime: 'text/plain' | 'text/html', text: string, charset: MailCharset, rnd: Random): Part {
  const bytes = encodeCharset(mime === 'text/plain' ? wrap(text) : text, charset);
  const cte = charset === 'windows-1251' ? 'quoted-printable'
    : charset === 'koi8-r' && mime === 'text/plain' ? (rnd() < 0.5 ? '8bit' : 'base64')
      : rnd() < 0.5 ? 'base64' : 'quoted-printable';
  const body = cte === 'base64' ? encodeBase64Lines(bytes) : cte === 'quoted-printable' ? encodeQuotedPrintable(bytes)
    : bytes.toString('latin1'); // 8bit: bytes carried as is (latin1 maps them 1:1)
  return { headers: [`Content-Type: ${mime}; charset=${charset}`, `Content-Transfer-Encoding: ${cte}`], body };
}

function multipart(kind: 'alternative' | 'mixed', boundary: string, parts: Part[]): Part {
  const body = parts.map((p) => `--${boundary}\r\n${p.headers.join('\r\n')}\r\n\r\n${p.body}\r\n`).join('') + `--${boundary}--`;
  return { headers: [`Content-Type: multipart/${kind}; boundary="${boundary}"`], body };
}

function htmlOf(paras: string[], ru: boolean, index: number, charset: MailCharset): string {
  const items = paras.slice(0, 3).map((p) => `<li>${p.split('. ')[0]}</li>`).join('');
  return `<html><head><meta charset="${charset}"><style>p{margin:0 0 8px}</style></head><body>`
    + paras.map((p, i) => `<p${i === 0 ? ' style="color:#333"' : ''}>${i === 1 ? `<b>${p}</b>` : p}</p>`).join('')
    + `<ul>${items}</ul><p><a href="https://portal.example/t/${index}" onclick="steal()">${ru ? 'ссылка' : 'link'}</a></p>`
    + `<img src="https://tracker.example/p${index}.gif" width="1" height="1"><script>alert(${index})</script></body></html>`;
}

interface Plan {
  ru: boolean;
  charset: MailCharset;
  shape: BodyShape;
  attachmentBytes: number;
  replyTo: number | null;
}

function plan(rnd: Random, index: number, replyShare: number): Plan {
  const ru = rnd() < 0.6;
  const charset: MailCharset = ru ? pick(rnd, ['utf-8', 'windows-1251', 'koi8-r'] as const) : 'utf-8';
  const r = rnd();
  const shape: BodyShape = r < 0.45 ? 'plain' : r < 0.85 ? 'alternative' : 'html';
  const attachmentBytes = rnd() < 0.2 ? between(rnd, 180_000, 220_000) : 0;
  // By default about 1 in 20 answers a mail at least 10 positions earlier (already in its ticket, usually).
  const replyTo = index >= 20 && rnd() < replyShare ? between(rnd, 0, index - 10) : null;
  return { ru, charset, shape, attachmentBytes, replyTo };
}

/** N mails, deterministic for a given seed; replies point at earlier ones in the list. */
export function generateBenchMails(n: number, seed = 20260105, replyShare = 0.05): BenchMail[] {
  const rnd = makeRandom(seed);
  const mails: BenchMail[] = [];
  for (let i = 0; i < n; i++) mails.push(generateOne(rnd, i, seed, mails, replyShare));
  return mails;
}

function generateOne(rnd: Random, index: number, seed: number, earlier: BenchMail[], replyShare: number): BenchMail {
  const p = plan(rnd, index, replyShare);
  const original = p.replyTo === null ? null : earlier[p.replyTo];
  const words = p.ru ? RU : EN;
  const person = between(rnd, 0, 299);
  const name = p.ru ? `${FIRST_RU[person % 8]} ${LAST_RU[(person >> 3) % 8]}` : `${FIRST_EN[person % 8]} ${LAST_EN[(person >> 3) % 8]}`;
  const address = `user${person}@client${person % 40}.example`;
  const subject = original ? `Re: ${original.subject}` : `${sentence(rnd, words).slice(0, -1)} ${1000 + index}`;
  const messageId = `bench.${seed}.${index}.${Math.floor(rnd() * 0xffffffff).toString(16)}@mail.client${person % 40}.example`;
  const paras = paragraphs(rnd, words);
  const text = paras.join('\n\n');
  const boundary = (k: string) => `==bench_${seed}_${index}_${k}==`;
  let body: Part = p.shape === 'plain' ? textPart('text/plain', text, p.charset, rnd)
    : p.shape === 'html' ? textPart('text/html', htmlOf(paras, p.ru, index, p.charset), p.charset, rnd)
      : multipart('alternative', boundary('alt'), [
        textPart('text/plain', text, p.charset, rnd), textPart('text/html', htmlOf(paras, p.ru, index, p.charset), p.charset, rnd)]);
  if (p.attachmentBytes > 0) {
    const filename = p.ru ? encodeWords(`Скриншот ошибки ${index}.pdf`, p.charset) : `error-report-${index}.pdf`;
    body = multipart('mixed', boundary('mix'), [body, {
      headers: ['Content-Type: application/pdf', `Content-Disposition: attachment; filename="${filename}"`,
        'Content-Transfer-Encoding: base64'],
      body: encodeBase64Lines(randomBytes(rnd, p.attachmentBytes)),
    }]);
  }
  const headers = [
    `From: ${encodeWords(name, p.charset)} <${address}>`,
    'To: Acme Support <support@modest.example>',
    `Subject: ${encodeWords(subject, p.charset)}`,
    `Date: ${new Date(BASE_DATE + index * 37_000).toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: <${messageId}>`,
    ...(original ? [`In-Reply-To: <${original.messageId}>`, `References: <${original.messageId}>`] : []),
    'MIME-Version: 1.0',
    ...body.headers,
  ];
  const raw = Buffer.from(`${headers.join('\r\n')}\r\n\r\n${body.body}\r\n`, 'latin1');
  return { index, raw, messageId, subject, shape: p.shape, charset: p.charset, attachmentBytes: p.attachmentBytes, replyTo: p.replyTo };
}
