import { SmtpSink } from '../harness/smtp-sink.js';
import { deliver, makeTestEnv, startApp, type RunningApp, type TestEnv } from '../harness/app.js';
import { clientMail } from '../harness/messenger.js';
import { eventually } from '../harness/wait.js';
import { makeBacklogAnnouncer } from '../../workers/intake-backlog.js';

// Another intake works through a backlog the whole time (its announcement renewed), and the
// hold is long: what goes out meanwhile went without waiting for the backlog.
let smtp: SmtpSink;
let t: TestEnv;
let app: RunningApp;
let renew: NodeJS.Timeout;
beforeAll(async () => {
  smtp = await SmtpSink.start();
  t = await makeTestEnv({ smtp, engine: 'pglite', extra: { MAIL_SEND_HOLD_SECONDS: '3600' } });
  app = await startApp(t);
  const announce = makeBacklogAnnouncer(app.core.redis, app.config.redis.queuePrefix);
  await announce('another-intake', 900);
  renew = setInterval(() => { void announce('another-intake', 900); }, 1000);
}, 300_000);
afterAll(async () => {
  clearInterval(renew);
  await app.stop();
  await smtp.down();
});

const acksTo = (messageId: string) => smtp.received.filter((r) => r.mail.inReplyTo === `<${messageId}>`);
const from = 'olga@romashka.example';

test('during a backlog a new request is acknowledged at once; a reply that came before its original gets no acknowledgement', async () => {
  await deliver(t.mailboxUser, [clientMail({ from, subject: 'Не работает VPN', text: 'VPN не подключается.', messageId: 'hold-root@romashka.example' })]);
  const ack = await eventually('the acknowledgement of the new request', async () => acksTo('hold-root@romashka.example')[0]);
  expect(ack.mail.subject).toMatch(/^\[#\d+\] Не работает VPN$/);

  // A colleague's answer to mail of that thread we do not have yet opens a ticket of its own...
  await deliver(t.mailboxUser, [clientMail({ from, subject: 'Re: Re: Не работает VPN', text: 'У меня тоже.', messageId: 'hold-early@romashka.example',
    inReplyTo: 'hold-middle@romashka.example' })]);
  await eventually('the early reply committed', async () =>
    (await app.core.db.query(`select 1 from messages where message_id = 'hold-early@romashka.example'`)).length === 1);
  // ...until the mail it answers arrives, belongs to the first ticket, and the early reply's ticket is merged into it.
  await deliver(t.mailboxUser, [clientMail({ from, subject: 'Re: Не работает VPN', text: 'Всё ещё не работает.', messageId: 'hold-middle@romashka.example',
    inReplyTo: 'hold-root@romashka.example' })]);
  await eventually('the early reply merged', async () =>
    (await app.core.db.query(`select 1 from tickets where status = 'merged'`)).length === 1);
  clearInterval(renew);
  await makeBacklogAnnouncer(app.core.redis, app.config.redis.queuePrefix)('another-intake', 0);
  await eventually('every send job done', async () => {
    const c = await app.core.queues.mailOut.getJobCounts('waiting', 'active', 'delayed');
    return c.waiting + c.active + c.delayed === 0;
  });
  expect(acksTo('hold-early@romashka.example')).toEqual([]);
  expect(smtp.received).toHaveLength(1);
}, 120_000);
