import crypto from 'node:crypto';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import { SmtpSink } from '../../harness/smtp-sink.js';
import { deliver, makeTestEnv, startApp, type RunningApp } from '../../harness/app.js';
import { eventually } from '../../harness/wait.js';
import { listMessages } from '../../../tickets/store/message-repo.js';

let smtp: SmtpSink;
let app: RunningApp;
let user: string;

beforeAll(async () => {
  smtp = await SmtpSink.start();
  const t = await makeTestEnv({ smtp, engine: 'pglite', extra: { MAIL_MAX_ATTACHMENT_MB: '0.01' } });
  user = t.mailboxUser;
  app = await startApp(t);
});
afterAll(async () => {
  await app.stop();
  await smtp.down();
});

async function compose(opts: SendMailOptions): Promise<Buffer> {
  const tx = nodemailer.createTransport({ streamTransport: true, buffer: true });
  return (await tx.sendMail(opts)).message as Buffer;
}

test('attachments are stored once by content; one over the size limit is listed but not stored', async () => {
  const small = Buffer.from('Лог ошибки: 0x80070005 доступ запрещён\n');
  const big = crypto.randomBytes(20 * 1024);
  const raw = (id: string) => compose({
    from: 'client@files.example', to: 'support@modest.example', subject: `Logs ${id}`, messageId: `<${id}@files.example>`,
    text: 'See the attached files.',
    attachments: [{ filename: 'ошибка.txt', content: small }, { filename: 'dump.bin', content: big }],
  });
  await deliver(user, [await raw('a1'), await raw('a2')]);
  const [first, second] = await eventually('both mails', async () => {
    const rows = await app.core.db.query<{ ticket_id: number }>(`select ticket_id from messages where subject like 'Logs%' order by id`);
    return rows.length === 2 && Promise.all(rows.map(async (r) => (await listMessages(app.core.db, r.ticket_id))[0]));
  });
  expect(first.attachments).toEqual([
    { filename: 'ошибка.txt', contentType: 'text/plain', size: small.length, sha256: crypto.createHash('sha256').update(small).digest('hex') },
    { filename: 'dump.bin', contentType: 'application/octet-stream', size: big.length, sha256: null, skipped: 'too_large' },
  ]);
  expect(await app.core.blobs.get(first.attachments[0].sha256!)).toEqual(small);
  expect(second.attachments[0].sha256).toBe(first.attachments[0].sha256);
});
