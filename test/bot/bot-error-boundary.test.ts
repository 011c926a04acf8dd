import { Writable } from 'node:stream';
import pino from 'pino';
import { B24ApiError, B24UnreachableError } from '../../connectors/bitrix24/b24-errors.js';
import { IllegalTransitionError } from '../../tickets/errors.js';
import { botErrorBoundary, judgeBotError } from '../../bot/bot-error-boundary.js';

/** A real pino logger writing its JSON lines into an array. */
function capturedLog() {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({ write(chunk, _enc, done) { lines.push(JSON.parse(String(chunk))); done(); } });
  return { log: pino({ level: 'info' }, stream), lines };
}
const event = { key: 'evt-42', type: 'ONIMBOTV2COMMANDADD', userId: 7, dialogId: 'chat3', messageId: 991, command: 'tkt emp 1042 5' };
const sqlError = (code: string) => Object.assign(new Error('db said no'), { code });

test('errors are judged by type: what can heal is retried, what cannot is given up', () => {
  expect(judgeBotError(new B24UnreachableError('imbot.v2.Chat.Message.send', new Error('ECONNRESET')))).toEqual({ verdict: 'retry', kind: 'unreachable' });
  expect(judgeBotError(new B24ApiError('imbot.v2.Chat.Message.send', 'QUERY_LIMIT_EXCEEDED', '', 503)).verdict).toBe('retry');
  expect(judgeBotError(Object.assign(new Error('socket'), { code: 'ECONNREFUSED' })).verdict).toBe('retry');
  expect(judgeBotError(sqlError('40P01'))).toEqual({ verdict: 'retry', kind: 'sql.40P01' });
  expect(judgeBotError(sqlError('08006')).verdict).toBe('retry');
  expect(judgeBotError(new Error('something new')).verdict).toBe('retry');

  expect(judgeBotError(new B24ApiError('imbot.v2.Chat.Message.update', 'MESSAGE_NOT_FOUND', '', 400))).toEqual({ verdict: 'give_up', kind: 'b24.MESSAGE_NOT_FOUND' });
  expect(judgeBotError(new IllegalTransitionError('resolved', 'assign'))).toEqual({ verdict: 'give_up', kind: 'ticket.illegal_transition' });
  expect(judgeBotError(sqlError('23503')).verdict).toBe('give_up');
  expect(judgeBotError(new TypeError('x is undefined'))).toEqual({ verdict: 'give_up', kind: 'bug' });
});

test('a retryable failure of an event is logged with the event and thrown again, so its queue retries it', async () => {
  const { log, lines } = capturedLog();
  const err = new B24UnreachableError('imbot.v2.Chat.Message.send', new Error('timeout'));
  await expect(botErrorBoundary({ log }, event, async () => { throw err; })).rejects.toBe(err);
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatchObject({ level: 40, event, kind: 'unreachable', msg: 'bot event failed; it will be tried again' });
});

test('a failure that cannot succeed is logged as an error with the event and its stack, and not retried', async () => {
  const { log, lines } = capturedLog();
  await expect(botErrorBoundary({ log }, event, async () => { throw new TypeError('cannot read properties of undefined'); })).resolves.toBeUndefined();
  expect(lines[0]).toMatchObject({ level: 50, event, kind: 'bug', msg: 'bot event given up: it cannot succeed' });
  expect(String(lines[0].stack)).toContain('TypeError');
});

test('a scheduled chore that fails is retried by the next tick: nothing is thrown at the others', async () => {
  const { log, lines } = capturedLog();
  await expect(botErrorBoundary({ log }, { key: 'tick.remind', type: 'tick' }, async () => { throw sqlError('57P01'); },
    { retryBy: 'next_tick' })).resolves.toBeUndefined();
  expect(lines[0]).toMatchObject({ level: 40, kind: 'sql.57P01', msg: 'bot chore failed; the next tick tries again' });
  let ran = false;
  await botErrorBoundary({ log }, event, async () => { ran = true; });
  expect(ran).toBe(true);
  expect(lines).toHaveLength(1);
});
