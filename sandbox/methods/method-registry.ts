import type { PortalContext } from '../portal-context.js';
import type { WebhookRecord } from '../portal-state.js';
import type { MethodOutput } from '../rest/rest-envelope.js';

/** Who is calling: an inbound webhook (creator's rights, ticked scopes) or an OAuth app's token. */
export interface Caller {
  kind: 'webhook' | 'app';
  userId: number;
  scopes: string[];
  clientId: string | null;
  webhook: WebhookRecord | null;
}

export type Params = Record<string, unknown>;

export type Invoke = (name: string, params: Params, opts?: { inBatch?: boolean }) => Promise<MethodOutput>;

export interface MethodContext {
  portal: PortalContext;
  caller: Caller;
  invoke: Invoke;
}

export interface MethodDef {
  /** As documented; lookup ignores case (UNCONFIRMED on real portals, harmless). */
  name: string;
  /** Any one of these scopes lets the call through; null = no scope needed. */
  scope: string[] | null;
  /** Methods that only work in an application's context (event.bind, …). */
  appOnly?: boolean;
  /** False for methods that `batch` must refuse. */
  batchable?: boolean;
  handle(ctx: MethodContext, params: Params): MethodOutput | Promise<MethodOutput>;
}

export function ok(result: unknown): MethodOutput {
  return { result };
}

export function buildRegistry(families: MethodDef[][]): Map<string, MethodDef> {
  const registry = new Map<string, MethodDef>();
  for (const def of families.flat()) registry.set(def.name.toLowerCase(), def);
  return registry;
}
