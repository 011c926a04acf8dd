import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import { freePort } from '../../main/free-port.js';

export interface ReceivedMail {
  rcptTo: string[];
  mail: ParsedMail;
}

/** A real SMTP listener on loopback that keeps what it receives; can go down and come back. */
export class SmtpSink {
  readonly received: ReceivedMail[] = [];
  /** Every address given at RCPT TO, taken or not. */
  readonly rcptAttempts: string[] = [];
  /** Recipients refused at RCPT TO, with the reply code: 550 refuses for good, 450 for now. */
  readonly refuse = new Map<string, number>();
  private server: SMTPServer | null = null;

  private constructor(readonly port: number) {}

  static async start(): Promise<SmtpSink> {
    const sink = new SmtpSink(await freePort());
    await sink.up();
    return sink;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  async up(): Promise<void> {
    this.server = new SMTPServer({
      disabledCommands: ['STARTTLS', 'AUTH'], logger: false, closeTimeout: 500,
      onRcptTo: (address, _session, cb) => {
        this.rcptAttempts.push(address.address);
        const code = this.refuse.get(address.address.toLowerCase());
        if (!code) return cb();
        cb(Object.assign(new Error(code >= 500 ? '5.1.1 No such user here' : '4.2.1 Mailbox busy, try again later'), { responseCode: code }));
      },
      onData: (stream, session, cb) => {
        simpleParser(stream).then((mail) => {
          this.received.push({ rcptTo: session.envelope.rcptTo.map((r) => r.address), mail });
          cb();
        }, cb);
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
