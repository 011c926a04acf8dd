import { startSandbox, type RateLimitOptions, type Sandbox, type SandboxOptions } from '../../sandbox/index.js';

// The portal of the app tests: the sandbox with its leaky bucket at ten times the standard
// plan's 2/s, and the app paced to that bucket through B24_RATE_DRAIN / B24_RATE_BURST, as an
// operator sets them for a faster plan. At the standard pace each of our calls waits ~0.6 s
// for its turn (rate-pacer.ts) and a bot's start alone makes a dozen, so a flow test spent
// most of its time queued. The portal still refuses what overflows its bucket, and our pacing
// works the same at any rate.
const TEST_LIMITS: RateLimitOptions = { drainPerSec: 20, burst: 50 };
/** The standard plan's bucket, for the tests of the rate limit itself (and the app at its default pace). */
export const STANDARD_LIMITS: RateLimitOptions = { drainPerSec: 2, burst: 50 };
const limitsOf = new WeakMap<Sandbox, RateLimitOptions>();

/** A sandbox with the tests' bucket unless `opts.rateLimit` says otherwise. */
export async function startTestSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  const rateLimit = opts.rateLimit ?? TEST_LIMITS;
  const sandbox = await startSandbox({ ...opts, rateLimit });
  if (rateLimit) limitsOf.set(sandbox, rateLimit);
  return sandbox;
}

/** The app's pacing for this sandbox's bucket; none (the production defaults) for a sandbox not started here. */
export function paceFor(sandbox: Sandbox): Record<string, string> {
  const limits = limitsOf.get(sandbox);
  return limits ? { B24_RATE_DRAIN: String(limits.drainPerSec), B24_RATE_BURST: String(limits.burst) } : {};
}
