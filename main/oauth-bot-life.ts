import type { Logger } from './logger.js';
import { waitAtMost } from './wait-at-most.js';

/** What the bot of one installation is doing now, as /readyz tells it. */
export type OAuthBotState = 'not installed' | 'starting' | 'running' | { failed: string };

/**
 * The bot's life in OAuth mode follows the installation, which the web process records
 * (issue 12): nothing runs before a verified install, ONAPPUNINSTALL stops it, and a
 * verified reinstall (a new application_token) starts it again, without anyone touching the
 * database. The installation is read from the database every `pollMs`; a failed start is
 * tried again on the next poll.
 */
export class OAuthBotLife {
  state: OAuthBotState = 'not installed';
  private current: string | null = null;
  private stopBot: (() => Promise<void>) | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> = Promise.resolve();
  private stopping = false;

  constructor(
    private readonly installation: () => Promise<string | null>,
    private readonly start: () => Promise<() => Promise<void>>,
    private readonly pollMs: number,
    private readonly log: Logger,
  ) {}

  begin(): void {
    const round = () => {
      this.running = this.poll().catch((err: Error) => { this.log.warn({ err: err.message }, 'bitrix24 installation check failed'); })
        .finally(() => { if (!this.stopping) this.timer = setTimeout(round, this.pollMs); });
    };
    round();
  }

  async end(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    // A start still under way (registering, reading the staff) stops itself when it gets there.
    await waitAtMost(this.running, 3000);
    await this.halt();
  }

  private async poll(): Promise<void> {
    const token = await this.installation();
    if (token === this.current && !(token && typeof this.state === 'object')) return;
    if (this.stopBot) {
      await this.halt();
      this.log.warn(token ? 'bitrix24 application reinstalled: restarting the bot' : 'bitrix24 application not installed: bot stopped');
    }
    this.current = token;
    if (!token) {
      this.state = 'not installed';
      return;
    }
    this.state = 'starting';
    try {
      this.stopBot = await this.start();
      this.state = 'running';
      // Stopped while starting: stop what just started.
      if (this.stopping) await this.halt();
    } catch (err) {
      this.state = { failed: (err as Error).message };
      this.log.error({ err: (err as Error).message }, 'bitrix24 bot start failed; trying again');
    }
  }

  private async halt(): Promise<void> {
    const stop = this.stopBot;
    this.stopBot = null;
    await stop?.();
  }
}
