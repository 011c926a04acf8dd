import { parsePhpQuery } from '../php-query.js';
import { ok, type MethodContext, type MethodDef, type Params } from '../methods/method-registry.js';
import { asBool } from '../methods/params.js';
import { phpArray, timeBlock } from './rest-envelope.js';
import { RestError, v2ErrorBody } from './rest-error.js';

// reference §7: at most 50 calls per batch, no nesting
const MAX_CALLS = 50;

type Parts = Record<'result' | 'result_error' | 'result_total' | 'result_next' | 'result_time', Array<[string, unknown]>>;

function commandEntries(cmd: unknown): Array<[string, unknown]> {
  if (Array.isArray(cmd)) return cmd.map((row, i) => [String(i), row]);
  if (typeof cmd === 'object' && cmd !== null) return Object.entries(cmd);
  return [];
}

/**
 * `batch {halt, cmd}`: each row `method?query` runs with the batch's auth; `$result[key][field]`
 * reads an earlier answer. HTTP 200 even when sub-calls fail; halt=1 stops at the first error.
 */
async function batch(ctx: MethodContext, params: Params) {
  const entries = commandEntries(params.cmd);
  if (entries.length > MAX_CALLS) throw new RestError(400, 'ERROR_BATCH_LENGTH_EXCEEDED', 'Max batch length exceeded');
  const halt = asBool(params.halt, false);
  const parts: Parts = { result: [], result_error: [], result_total: [], result_next: [], result_time: [] };
  for (const [key, row] of entries) {
    const failed = await runRow(ctx, key, row, parts);
    if (failed && halt) break;
  }
  return ok({
    result: phpArray(parts.result),
    result_error: phpArray(parts.result_error),
    result_total: phpArray(parts.result_total),
    result_next: phpArray(parts.result_next),
    result_time: phpArray(parts.result_time),
  });
}

async function runRow(ctx: MethodContext, key: string, row: unknown, parts: Parts): Promise<boolean> {
  const started = ctx.portal.now();
  try {
    if (typeof row !== 'string' || !row.trim()) throw new RestError(400, 'ERROR_BATCH_METHOD_NOT_ALLOWED', 'Wrong batch command');
    const q = row.indexOf('?');
    const method = (q < 0 ? row : row.slice(0, q)).trim();
    if (method.toLowerCase() === 'batch') {
      throw new RestError(405, 'ERROR_BATCH_METHOD_NOT_ALLOWED', 'Method is not allowed for batch usage');
    }
    const query = substitute(parsePhpQuery(q < 0 ? '' : row.slice(q + 1)), parts) as Params;
    const out = await ctx.invoke(method, query, { inBatch: true });
    parts.result.push([key, out.result]);
    if (out.total !== undefined) parts.result_total.push([key, out.total]);
    if (out.next !== undefined) parts.result_next.push([key, out.next]);
    parts.result_time.push([key, timeBlock(started, ctx.portal.now(), ctx.portal.config.tzOffsetMinutes)]);
    return false;
  } catch (e) {
    const err = e instanceof RestError ? e : new RestError(500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
    parts.result_error.push([key, v2ErrorBody(err)]);
    return true;
  }
}

const REF = /\$(result|result_error|result_total|result_next)\[([^\]]*)\]((?:\[[^\]]*\])*)/g;

/** Replaces `$result[key][a][b]` with the earlier answer's value; a whole-value reference keeps its type. */
function substitute(value: unknown, parts: Parts): unknown {
  if (Array.isArray(value)) return value.map((v) => substitute(v, parts));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, parts)]));
  }
  if (typeof value !== 'string' || !value.includes('$result')) return value;
  const whole = new RegExp(`^${REF.source}$`).exec(value);
  if (whole) return lookup(parts, whole[1], whole[2], whole[3]);
  return value.replace(REF, (_m, part: string, key: string, path: string) => {
    const found = lookup(parts, part, key, path);
    return found === undefined || typeof found === 'object' ? '' : String(found);
  });
}

function lookup(parts: Parts, part: string, key: string, path: string): unknown {
  const entry = parts[part as keyof Parts].find(([k]) => k === key);
  let cur: unknown = entry?.[1];
  for (const m of path.matchAll(/\[([^\]]*)\]/g)) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Record<string, unknown>)[m[1]];
  }
  return cur;
}

export const batchMethods: MethodDef[] = [{ name: 'batch', scope: null, batchable: false, handle: batch }];
