// Sample mails of the common shapes (plain, HTML, alternative, attachments; UTF-8,
// windows-1251, KOI8-R; quoted-printable and base64), for a parser thread to warm up on
// before it takes real mail. Pure and deterministic.

/** Enough rounds for V8 to optimize the parser; the time bound keeps a slow machine's start short. */
export const WARM_UP_ROUNDS = 60;
export const WARM_UP_MS = 1500;

const CRLF = '\r\n';
const RU = 'Не работает выгрузка заказов в личном кабинете, отчёт пустой. Просим проверить срочно.';
const EN = 'The order export fails since yesterday; the report page shows an error. Please check.';
/** A few kilobytes of text, as a real request with some quoting runs to. */
const LONG = Array.from({ length: 24 }, (_, i) => (i % 3 === 2 ? `> ${EN}` : `${RU} ${i % 2 ? EN : ''}`)).join('\n');

/** windows-1251 puts А..я at 0xC0..0xFF in order, and Ё/ё at 0xA8/0xB8. */
const cp1251 = (s: string) => Buffer.from([...s].map((c) => {
  const code = c.charCodeAt(0);
  if (code >= 0x410 && code <= 0x44f) return code - 0x410 + 0xc0;
  return code === 0x401 ? 0xa8 : code === 0x451 ? 0xb8 : code < 0x80 ? code : 0x3f;
}));
/** "Привет, отчёт не работает" in KOI8-R. */
const KOI8 = Buffer.from('f0d2c9d7c5d42c20cfd4dea3d420cec520d2c1c2cfd4c1c5d4', 'hex');

const qp = (buf: Buffer) => [...buf].map((b) => (b >= 33 && b <= 126 && b !== 61 ? String.fromCharCode(b) : b === 32 ? ' '
  : `=${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('').replace(/(.{72})/g, `$1=${CRLF}`);
const b64 = (buf: Buffer) => buf.toString('base64').replace(/(.{76})/g, `$1${CRLF}`);
const word = (s: string) => `=?utf-8?B?${Buffer.from(s).toString('base64')}?=`;
const html = `<html><head><style>p{color:red}</style></head><body>${LONG.split('\n').map((l) => `<p style="margin:0">${l}</p>`).join('')}`
  + `<table><tr><td><a href="https://portal.example/orders">${EN}</a></td></tr></table><img src="cid:logo"><br>${EN}</body></html>`;

function head(n: number, type: string, extra: string[] = []): string[] {
  return [`From: ${word('Иван Петров')} <client${n}@warm-up.example>`, 'To: support@warm-up.example',
    `Subject: ${word(`Запрос ${n}: ${RU.slice(0, 30)}`)}`, `Message-ID: <warm-up-${n}@warm-up.example>`,
    ...(n % 2 ? [`In-Reply-To: <warm-up-${n - 1}@warm-up.example>`, `References: <warm-up-${n - 1}@warm-up.example>`] : []),
    'MIME-Version: 1.0', `Content-Type: ${type}`, ...extra];
}

function part(type: string, encoding: string, body: string, extra: string[] = []): string {
  return [`Content-Type: ${type}`, `Content-Transfer-Encoding: ${encoding}`, ...extra, '', body].join(CRLF);
}

function multipart(boundary: string, parts: string[]): string {
  return `${parts.map((p) => `--${boundary}${CRLF}${p}${CRLF}`).join('')}--${boundary}--${CRLF}`;
}

/** A handful of mails, one of each common shape. */
export function warmUpMails(): Buffer[] {
  const pattern = Buffer.from(Array.from({ length: 160 * 1024 }, (_, i) => (i * 31 + (i >> 7)) & 0xff));
  const alternative = multipart('alt', [
    part('text/plain; charset=koi8-r', 'quoted-printable', qp(KOI8)),
    part('text/html; charset=utf-8', 'quoted-printable', qp(Buffer.from(html))),
  ]);
  const mails = [
    [...head(1, 'text/plain; charset=utf-8', ['Content-Transfer-Encoding: quoted-printable']), '', qp(Buffer.from(LONG))],
    [...head(2, 'text/plain; charset=windows-1251', ['Content-Transfer-Encoding: base64']), '', b64(cp1251(LONG))],
    [...head(3, 'multipart/alternative; boundary="alt"'), '', alternative],
    [...head(4, 'text/html; charset=utf-8', ['Content-Transfer-Encoding: base64']), '', b64(Buffer.from(html))],
    [...head(5, 'multipart/mixed; boundary="mix"'), '', multipart('mix', [
      `Content-Type: multipart/alternative; boundary="alt"${CRLF}${CRLF}${alternative}`,
      part('application/pdf; name="счёт.pdf"', 'base64', b64(pattern), [`Content-Disposition: attachment; filename="${word('счёт.pdf')}"`]),
      part('text/plain; charset=windows-1251; name="log.txt"', 'base64', b64(cp1251(RU)), ['Content-Disposition: attachment; filename="log.txt"']),
    ])],
  ];
  return mails.map((lines) => Buffer.from(lines.join(CRLF), 'utf8'));
}
