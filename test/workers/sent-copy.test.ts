import pg from 'pg';
import { SmtpSink } from '../harness/smtp-sink.js';
import { deliver, makeTestEnv, type TestEnv } from '../harness/app.js';
import { DOVECOT_PASSWORD } from '../harness/dovecot.js';
import { exited, kill9, spawnEntry } from '../harness/processes.js';
import { clientMail } from '../harness/messenger.js';
import { eventually } from '../harness/wait.js';
import { fileSentCopy } from '../harness/sent-copy.js';
import { freePort } from '../../main/free-port.js';
import { SentFolder, SentFolderUnreachableError } from '../../connectors/mail/sent-folder.js';

const imapPort = Number(process.env.TEST_IMAP_PORT);
let sink: SmtpSink;
// Like Gmail: what the listener accepts from a logged-in sender is filed into their Sent folder.
beforeAll(async () => { sink = await SmtpSink.start({ sentCopies: { imapPort, folder: 'Sent' } }); });
afterAll(async () => { await sink.down(); });

/** Settings where the worker logs in to SMTP as the support mailbox, as with a real provider. */
async function providerEnv(withSentFolder: boolean): Promise<TestEnv> {
  const t = await makeTestEnv({ smtp: sink });
  const user = t.mailboxUser;
  Object.assign(t.env, {
    SMTP_URL: `smtp://${user}:${DOVECOT_PASSWORD}@127.0.0.1:${sink.port}`, JOB_LOCK_SECONDS: '2', OUTBOX_SWEEP_SECONDS: '1',
    ...(withSentFolder ? { SMTP_SENT_FOLDER_URL: `imap://${user}:${DOVECOT_PASSWORD}@127.0.0.1:${imapPort}/Sent` } : {}),
  });
  return t;
}

interface AckRow { message_id: string; send_state: string; send_attempted_at: Date | null }

/**
 * A worker armed to die right after SMTP accepted the acknowledgement, then a plain worker
 * that takes the job over. Returns how many copies of the acknowledgement reached SMTP.
 */
async function killAfterSmtpAccepted(t: TestEnv, subject: string): Promise<{ ack: AckRow; received: number }> {
  const db = new pg.Pool({ connectionString: t.env.DATABASE_URL, max: 1 });
  const intake = spawnEntry('intake', t.env);
  const armed = spawnEntry('worker', { ...t.env, MODEST_CRASH_AT: 'after-smtp-accepted' });
  let worker: ReturnType<typeof spawnEntry> | undefined;
  try {
    await deliver(t.mailboxUser, [clientMail({ from: 'olga@romashka.example', subject, text: 'Не работает вход.', messageId: `${t.env.QUEUE_PREFIX}@romashka.example` })]);
    expect(await exited(armed)).toBe(137);
    const [between] = (await db.query<AckRow>(`select message_id, send_state, send_attempted_at from messages where kind = 'ack'`)).rows;
    // The narrow window: the relay has it, we have not recorded it.
    expect(between.send_state).toBe('pending');
    expect(between.send_attempted_at).not.toBeNull();
    worker = spawnEntry('worker', t.env);
    const ack = await eventually('the acknowledgement recorded as sent', async () =>
      (await db.query<AckRow>(`select message_id, send_state, send_attempted_at from messages where kind = 'ack' and send_state = 'sent'`)).rows[0], 60_000);
    const received = sink.received.filter((r) => r.mail.messageId === `<${ack.message_id}>`).length;
    return { ack, received };
  } finally {
    await kill9(...[intake, armed, worker].filter((c): c is NonNullable<typeof c> => !!c));
    await db.end();
  }
}

test('a worker killed after SMTP accepted an acknowledgement: the Sent folder shows it went, the client gets it once', async () => {
  const { received } = await killAfterSmtpAccepted(await providerEnv(true), 'Вход не работает');
  expect(received).toBe(1);
}, 120_000);

test('without a Sent folder to ask, the same crash sends the acknowledgement again (at least once)', async () => {
  const { received } = await killAfterSmtpAccepted(await providerEnv(false), 'Пароль не подходит');
  expect(received).toBe(2);
}, 120_000);

test('the Sent folder look-up finds a mail by its Message-ID only; an unreadable folder decides nothing', async () => {
  const t = await makeTestEnv({ smtp: sink });
  const box = { name: 'sent', host: '127.0.0.1', port: imapPort, secure: false, user: t.mailboxUser, password: DOVECOT_PASSWORD, folder: 'Sent' };
  await fileSentCopy({ imapPort, folder: 'Sent' }, t.mailboxUser, Buffer.from('Message-ID: <a1@modest.example>\r\nSubject: x\r\n\r\nx\r\n'));
  const sent = new SentFolder(box);
  expect(await sent.has('a1@modest.example')).toBe(true);
  expect(await sent.has('a1@modest.exampl')).toBe(false);
  expect(await sent.has('other@modest.example')).toBe(false);
  // No folder named: the Sent folder is found by its \Sent mark (or, unmarked as here, its usual name).
  expect(await new SentFolder({ ...box, folder: '' }).has('a1@modest.example')).toBe(true);
  // A server that cannot be reached answers neither yes nor no.
  await expect(new SentFolder({ ...box, port: await freePort() }).has('a1@modest.example')).rejects.toBeInstanceOf(SentFolderUnreachableError);
}, 60_000);
