import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';

// PGlite's first start in an empty folder runs its own initdb inside WASM: 20 s on a quiet
// machine, 40 s and more on a busy one, for every test app on the embedded engine. Global
// setup does it once; each test then starts on a copy of that empty cluster, where opening
// takes a few seconds. Our migrations still run on the copy, as on any first start: the copy
// holds no table of ours.

const TEMPLATE_ENV = 'TEST_PGLITE_TEMPLATE';

/** Global setup: an empty PGlite cluster in `dir`, named in the environment the test workers inherit. */
export async function makePgliteTemplate(dir: string): Promise<void> {
  const db = await PGlite.create(dir);
  await db.close();
  process.env[TEMPLATE_ENV] = dir;
}

/**
 * The PGlite folder to open at `dir`: a copy of the empty cluster global setup made, when there
 * is one and `dir` does not exist yet; otherwise left to PGlite to create. Returns `dir`.
 */
export function freshPgliteDir(dir: string): string {
  const template = process.env[TEMPLATE_ENV];
  if (template && !fs.existsSync(dir)) {
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    fs.cpSync(template, dir, { recursive: true });
  }
  return dir;
}
