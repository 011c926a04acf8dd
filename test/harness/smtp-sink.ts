import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import { freePort } from '../../main/free-port.js';
import { fileSentCopy, type SentCopyTarget } from './sent-copy.js';

export interface ReceivedMail {
  rcptTo: string[];
  mail: ParsedMail;
}

/**
 * A real SMTP listener on loopback that keeps what it receives; can go down and come back.
 * With `sentCopies`, it takes a login (any password) and, like Gmail, files every mail it
 * accepts from a logged-in sender into that user's Sent folder on the test Dovecot.
 */
export class SmtpSink {
  readonly received: ReceivedMail[] = [];
  /** Every address given at RCPT TO, taken or not. */
  readonly rcptAttempts: string[] = [];
  /** Recipients refused at RCPT TO, with the reply code: 550 refuses for good, 450 for now. */
  readonly refuse = new Map<string, number>();
  /** Recipients whose RCPT TO is answered only once the promise settles (a slow remote server). */
  readonly hold = new Map<string, Promise<unknown>>();
  private server: SMTPServer | null = null;

  private constructor(readonly port: number, private readonly sentCopies?: SentCopyTarget) {}

  static async start(o: { sentCopies?: SentCopyTarget } = {}): Promise<SmtpSink> {
    const sink = new SmtpSink(await freePort(), o.sentCopies);
    await sink.up();
    return sink;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  async up(): Promise<void> {
    const copies = this.sentCopies;
    this.server = new SMTPServer({
      disabledCommands: copies ? ['STARTTLS'] : ['STARTTLS', 'AUTH'], logger: false, closeTimeout: 500,
      authOptional: true, allowInsecureAuth: true, onAuth: (auth, _session, cb) => cb(null, { user: auth.username }),
      onRcptTo: (address, _session, cb) => {
        this.rcptAttempts.push(address.address);
        const key = address.address.toLowerCase();
        void Promise.resolve(this.hold.get(key)).finally(() => {
          const code = this.refuse.get(key);
          if (!code) return cb();
          cb(Object.assign(new Error(code >= 500 ? '5.1.1 No such user here' : '4.2.1 Mailbox busy, try again later'), { responseCode: code }));
        });
      },
      onData: (stream, session, cb) => {
        const chunks: Buffer[] = [];
        stream.on('data', (d: Buffer) => chunks.push(d));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks);
          const user = typeof session.user === 'string' ? session.user : undefined;
          (copies && user ? fileSentCopy(copies, user, raw) : Promise.resolve())
            .then(() => simpleParser(raw))
            .then((mail) => {
              this.received.push({ rcptTo: session.envelope.rcptTo.map((r) => r.address), mail });
              cb();
            }, cb);
        });
      },
    });
    // A client killed mid-session resets its connection; that is not a test failure.
    this.server.on('error', () => {});
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
  }

  async down(): Promise<void> {
    const s = this.server;
    this.server = null;
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  }
}
