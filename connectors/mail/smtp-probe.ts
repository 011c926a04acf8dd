import nodemailer, { type Transporter } from 'nodemailer';

export interface SmtpHealth {
  reachable: boolean;
  /** When the last probe finished (ISO), null before the first. */
  checkedAt: string | null;
  /** Since when the server has been unreachable (ISO), while it is. */
  downSince?: string;
  /** The failure's code (ESOCKET, ECONNECTION, EAUTH, ETIMEDOUT, ...) and nodemailer's text (host and port, never the password). */
  error?: string;
  message?: string;
}

/**
 * Whether the SMTP server answers: connect, greeting, EHLO, STARTTLS and login (nodemailer's
 * verify()), repeated in the background so /readyz answers at once from the last result.
 */
export class SmtpProbe {
  private readonly transport: Transporter;
  private health: SmtpHealth = { reachable: true, checkedAt: null };
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(smtpUrl: string, private readonly everyMs: number, private readonly timeoutMs = 5000) {
    // A connection of its own (no pool): a probe must not queue behind a burst of sends.
    const timeouts = `connectionTimeout=${timeoutMs}&greetingTimeout=${timeoutMs}&socketTimeout=${timeoutMs}`;
    this.transport = nodemailer.createTransport(`${smtpUrl}${smtpUrl.includes('?') ? '&' : '?'}${timeouts}`);
  }

  start(): void {
    void this.probe();
    this.timer = setInterval(() => { void this.probe(); }, this.everyMs).unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.transport.close();
  }

  current(): SmtpHealth {
    return { ...this.health };
  }

  /** One probe now (at most one at a time); resolves when it is done. */
  probe(): Promise<void> {
    this.running ??= this.transport.verify().then(
      () => { this.health = { reachable: true, checkedAt: new Date().toISOString() }; },
      (err: NodeJS.ErrnoException) => {
        this.health = {
          reachable: false, checkedAt: new Date().toISOString(),
          downSince: this.health.downSince ?? new Date().toISOString(), error: err.code ?? err.name, message: err.message,
        };
      },
    ).finally(() => { this.running = null; });
    return this.running;
  }
}
