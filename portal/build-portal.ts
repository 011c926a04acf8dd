import crypto from 'node:crypto';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const portalDir = fileURLToPath(new URL('.', import.meta.url));
const repoDir = path.resolve(portalDir, '..');
const distRoot = path.join(portalDir, 'dist');

/**
 * The files under `dir`, sorted. node_modules is left out: the UI kit's Vite plugin writes its
 * generated components there (portal/app/node_modules/.b24ui-nuxt) during a build, and
 * counting them would make the first build stale at once, so a fresh clone built twice.
 */
function listFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (!e.isDirectory()) return [path.join(dir, e.name)];
    return e.name === 'node_modules' ? [] : listFiles(path.join(dir, e.name));
  }).sort();
}

/** What the built assets depend on: the app's sources, the shared API schemas and the locked packages. */
export function portalSourceHash(): string {
  const h = crypto.createHash('sha256');
  const panelSchemas = listFiles(path.join(portalDir, 'panel')).filter((f) => f.endsWith('-schemas.ts'));
  const files = [...listFiles(path.join(portalDir, 'app')), path.join(portalDir, 'api-schemas.ts'),
    ...panelSchemas, path.join(repoDir, 'package-lock.json')];
  for (const f of files) h.update(path.relative(repoDir, f)).update('\0').update(fs.readFileSync(f)).update('\0');
  return h.digest('hex').slice(0, 16);
}

const BUILD_WAIT_MS = 180_000;

async function appears(file: string, withinMs: number): Promise<boolean> {
  for (const until = Date.now() + withinMs; Date.now() < until; await new Promise((r) => setTimeout(r, 500))) {
    if (fs.existsSync(file)) return true;
  }
  return fs.existsSync(file);
}

/**
 * The folder of built cabinet assets for the current sources, building it with Vite when it
 * is missing or stale (a fresh clone, a pull). Built assets are never committed. Each build
 * lands in dist/<source hash>/ by an atomic rename, so processes (or test workers) starting
 * together never serve a half-written build; the loser of a race simply uses the winner's.
 */
export async function ensurePortalBuild(log: (msg: string) => void = () => {}): Promise<string> {
  const hash = portalSourceHash();
  const target = path.join(distRoot, hash);
  if (fs.existsSync(path.join(target, 'index.html'))) return target;
  fs.mkdirSync(distRoot, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(distRoot, '.build-'));
  log(`building the client cabinet (portal/app) into ${path.relative(repoDir, target)}`);
  const run = (args: string[]) => promisify(execFile)(process.execPath, args, { cwd: repoDir, maxBuffer: 16 << 20 });
  try {
    // As the standard Vue template's "vue-tsc && vite build": a type error in the app (or a
    // mismatch with the API schemas) fails the build instead of shipping.
    // vue-tsc is a dev dependency: an image installed with --omit=dev builds without the check.
    const vueTsc = path.join(repoDir, 'node_modules/vue-tsc/bin/vue-tsc.js');
    if (fs.existsSync(vueTsc)) {
      await run([vueTsc, '-p', path.join(portalDir, 'app/tsconfig.json')])
        .catch((err: { stdout?: string }) => { throw new Error(`the cabinet app does not type-check:\n${err.stdout ?? err}`); });
    } else log('vue-tsc is not installed (dev dependencies omitted): building without the type check');
    await run([path.join(repoDir, 'node_modules/vite/bin/vite.js'), 'build',
      '--config', path.join(portalDir, 'app/vite.config.ts'), '--outDir', tmp, '--emptyOutDir']);
    fs.renameSync(tmp, target);
  } catch (err) {
    fs.rmSync(tmp, { recursive: true, force: true });
    // Vite refuses a second build of one project at a time: the other process's build lands in
    // the same target, so wait for it rather than fail.
    if (!(await appears(path.join(target, 'index.html'), BUILD_WAIT_MS))) throw err;
  }
  // Older builds go once nothing could still be serving them (a process started an hour ago might).
  for (const old of fs.readdirSync(distRoot)) {
    const dir = path.join(distRoot, old);
    if (old !== hash && Date.now() - fs.statSync(dir).mtimeMs > 3600_000) fs.rmSync(dir, { recursive: true, force: true });
  }
  return target;
}
