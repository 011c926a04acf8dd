import qs from 'qs';
import { buildPhpQuery, parsePhpQuery } from '../../sandbox/php-query.js';
import { LeakyBucket } from '../../sandbox/rest/leaky-bucket.js';
import { renderBbCode } from '../../sandbox/messenger/bbcode.js';
import { formatBitrixDate } from '../../sandbox/bitrix-date.js';

describe('PHP query strings', () => {
  test('http_build_query: strings only, booleans as 1/0, null keys and empty arrays dropped', () => {
    const body = buildPhpQuery({
      event: 'ONIMBOTV2MESSAGEADD',
      data: { bot: { id: 456, auth: { domain: 'x.bitrix24.ru' } }, message: { isSystem: false, forward: null, params: {} }, ok: true },
      tags: ['a b', 'c&d'],
    });
    expect(body).toBe('event=ONIMBOTV2MESSAGEADD&data%5Bbot%5D%5Bid%5D=456&data%5Bbot%5D%5Bauth%5D%5Bdomain%5D=x.bitrix24.ru'
      + '&data%5Bmessage%5D%5BisSystem%5D=0&data%5Bok%5D=1&tags%5B0%5D=a+b&tags%5B1%5D=c%26d');
    expect(qs.parse(body)).toEqual({
      event: 'ONIMBOTV2MESSAGEADD',
      data: { bot: { id: '456', auth: { domain: 'x.bitrix24.ru' } }, message: { isSystem: '0' }, ok: '1' },
      tags: ['a b', 'c&d'],
    });
  });

  test('parses nested keys, appends with [] and turns 0..n keys into lists', () => {
    expect(parsePhpQuery('FILTER%5BUF_DEPARTMENT%5D=2&FILTER[ACTIVE]=true&select[]=ID&select[]=NAME&x[0]=a&x[2]=b&q=a+b%21'))
      .toEqual({ FILTER: { UF_DEPARTMENT: '2', ACTIVE: 'true' }, select: ['ID', 'NAME'], x: { 0: 'a', 2: 'b' }, q: 'a b!' });
    expect(parsePhpQuery(qs.stringify({ fields: { keyboard: [{ TEXT: 'Да', COMMAND: 'ok' }] } })))
      .toEqual({ fields: { keyboard: [{ TEXT: 'Да', COMMAND: 'ok' }] } });
  });
});

test('the leaky bucket drains at its rate and refuses above its burst', () => {
  let now = 0;
  const bucket = new LeakyBucket({ drainPerSec: 5, burst: 250 }, () => now);
  let passed = 0;
  for (let i = 0; i < 300; i++) if (bucket.take()) passed++;
  expect(passed).toBe(250);
  expect(bucket.take()).toBe(false);
  now += 1000;
  expect([bucket.take(), bucket.take(), bucket.take(), bucket.take(), bucket.take(), bucket.take()])
    .toEqual([true, true, true, true, true, false]);
});

test('BB-codes become safe HTML', () => {
  expect(renderBbCode('[b]#1042[/b] от [user=5]Ивана[/user]\n>>цитата [url=https://x.test/a?b=1&c=2]link[/url] <script>'))
    .toBe('<b>#1042</b> от <span class="bb-user" data-user="5">Ивана</span><br><blockquote>цитата '
      + '<a href="https://x.test/a?b=1&amp;c=2" target="_blank" rel="noopener">link</a> &lt;script&gt;</blockquote>');
  expect(renderBbCode('[url=javascript:alert(1)]x[/url] [color=#f00][i]red[/i][/color]'))
    .toBe('x <span style="color:#f00"><i>red</i></span>');
});

test('dates carry the portal offset and no milliseconds', () => {
  expect(formatBitrixDate(Date.UTC(2025, 0, 15, 7, 30, 0, 123), 180)).toBe('2025-01-15T10:30:00+03:00');
  expect(formatBitrixDate(Date.UTC(2025, 0, 15, 0, 0), -90)).toBe('2025-01-14T22:30:00-01:30');
});
