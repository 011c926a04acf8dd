import { formatBitrixDate } from './bitrix-date.js';
import type { PortalState } from './portal-state.js';
import type { PushDelivery } from './events/push-delivery.js';

export interface PortalConfig {
  /** `https://127.0.0.1:PORT`, known once the server listens. */
  baseUrl: string;
  /** `127.0.0.1:PORT`: what Bitrix24 calls the portal's domain. */
  domain: string;
  memberId: string;
  language: string;
  tzOffsetMinutes: number;
  accessTokenTtlSec: number;
  eventRetentionMs: number;
}

/** What every method, action and event builder works with. */
export interface PortalContext {
  state: PortalState;
  config: PortalConfig;
  pushes: PushDelivery;
  now(): number;
  random(): number;
}

export function portalDate(ctx: PortalContext, ms: number): string {
  return formatBitrixDate(ms, ctx.config.tzOffsetMinutes);
}

export function touch(ctx: PortalContext): void {
  ctx.state.version += 1;
}

export function restEndpoint(ctx: PortalContext): string {
  return `${ctx.config.baseUrl}/rest/`;
}

/** mulberry32: a seedable generator, so fault injection can be made repeatable in tests. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
