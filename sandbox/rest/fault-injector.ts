export interface RestFaults {
  /** Added before every REST answer. */
  latencyMs: number;
  /** Fraction (0..1) of REST requests that fail with a 5xx. */
  errorRate: number;
  /**
   * Of those, the share answered 502 with an HTML body and no JSON — after the method ran, as
   * when a gateway loses the portal's answer. The rest get 500 INTERNAL_SERVER_ERROR, before it runs.
   */
  badGatewayShare: number;
  /**
   * Of those (taken first), the share whose connection is reset after the method ran: the
   * socket is destroyed with no answer at all, as when a connection drops on the way back.
   */
  resetShare: number;
  /** The next N requests calling `resetMethod` (any method when empty; also inside a `batch`) are reset after it ran. */
  resetNext: number;
  resetMethod: string;
  /** While now < stormUntil, or for the next stormCount requests, every REST call gets 503 QUERY_LIMIT_EXCEEDED. */
  stormUntil: number;
  stormCount: number;
}

export const noFaults: RestFaults = { latencyMs: 0, errorRate: 0, badGatewayShare: 0.5, resetShare: 0, resetNext: 0, resetMethod: '', stormUntil: 0, stormCount: 0 };

export type FaultPick = 'none' | 'internal' | 'bad-gateway' | 'reset';

export class FaultInjector {
  private faults: RestFaults = { ...noFaults };
  /** How many requests each kind of fault has hit since start (a chaos run checks its phase really ran). */
  readonly injected: Record<Exclude<FaultPick, 'none'>, number> = { internal: 0, 'bad-gateway': 0, reset: 0 };

  constructor(private readonly random: () => number, private readonly now: () => number) {}

  set(partial: Partial<RestFaults>): RestFaults {
    this.faults = { ...this.faults, ...partial };
    return this.current();
  }

  clear(): void {
    this.faults = { ...noFaults };
  }

  current(): RestFaults {
    return { ...this.faults };
  }

  async delay(): Promise<void> {
    if (this.faults.latencyMs > 0) await new Promise((r) => setTimeout(r, this.faults.latencyMs));
  }

  /** Consumes one storm slot when a storm is on. */
  inStorm(): boolean {
    if (this.now() < this.faults.stormUntil) return true;
    if (this.faults.stormCount > 0) {
      this.faults.stormCount -= 1;
      return true;
    }
    return false;
  }

  pick(): FaultPick {
    if (this.faults.errorRate <= 0 || this.random() >= this.faults.errorRate) return 'none';
    const kind = this.faults.resetShare > 0 && this.random() < this.faults.resetShare ? 'reset'
      : this.random() < this.faults.badGatewayShare ? 'bad-gateway' : 'internal';
    this.injected[kind] += 1;
    return kind;
  }

  /** Consumes one "reset after acting" slot when this request calls the chosen method (see resetNext). */
  takeReset(methods: string[]): boolean {
    const want = this.faults.resetMethod.toLowerCase();
    if (this.faults.resetNext <= 0 || (want && !methods.some((m) => m.toLowerCase() === want))) return false;
    this.faults.resetNext -= 1;
    return true;
  }
}
