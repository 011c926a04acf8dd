import type { PortalContext } from '../portal-context.js';
import type { Caller, Invoke, MethodDef, Params } from '../methods/method-registry.js';
import { v2Methods, v3Methods } from '../methods/registry.js';
import type { MethodOutput } from './rest-envelope.js';
import { RestError, restErrors } from './rest-error.js';

/** A test's stand-in for one method: return the `result`, or throw a RestError. */
export type MethodOverride = (params: Params, caller: Caller) => unknown;

/**
 * Finds and runs a method for one caller: overrides first, then the registry of the path's
 * REST version; refuses missing scopes (403 insufficient_scope) and app-only methods for webhooks.
 */
export function makeInvoker(
  portal: PortalContext,
  caller: Caller,
  version: 'v2' | 'v3',
  overrides: Map<string, MethodOverride>,
): Invoke {
  const invoke: Invoke = async (name, params, opts) => {
    const key = name.toLowerCase();
    const override = overrides.get(key);
    if (override) return { result: await override(params, caller) };
    const def = (version === 'v3' ? v3Methods : v2Methods).get(key);
    if (!def) throw restErrors.methodNotFound();
    checkAllowed(def, caller, opts?.inBatch ?? false);
    return await def.handle({ portal, caller, invoke }, params) as MethodOutput;
  };
  return invoke;
}

function checkAllowed(def: MethodDef, caller: Caller, inBatch: boolean): void {
  if (inBatch && def.batchable === false) {
    throw new RestError(405, 'ERROR_BATCH_METHOD_NOT_ALLOWED', 'Method is not allowed for batch usage');
  }
  if (def.appOnly && caller.kind !== 'app') throw restErrors.wrongAuthType();
  if (def.scope && !def.scope.some((s) => caller.scopes.includes(s))) throw restErrors.insufficientScope();
}
