import type { z } from 'zod';
import { InvalidInputError } from '../portal-errors.js';

/** Validates a body or query with its API schema; a clear 400 naming each problem otherwise. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const r = schema.safeParse(input);
  if (!r.success) throw new InvalidInputError(r.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`));
  return r.data;
}
