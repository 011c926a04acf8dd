import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { portalSourceHash } from '../../portal/build-portal.js';

// A build of the cabinet is made for the hash of its sources. The UI kit's Vite plugin writes
// generated components under portal/app/node_modules during every build; were they counted,
// the build just made would be stale at once and a fresh clone's first start would build twice.
const generated = fileURLToPath(new URL(`../../portal/app/node_modules/.hash-probe-${process.pid}/`, import.meta.url));

afterAll(() => fs.rmSync(generated, { recursive: true, force: true }));

test('what a build generates under portal/app/node_modules does not make the build stale', () => {
  const before = portalSourceHash();
  fs.mkdirSync(generated, { recursive: true });
  fs.writeFileSync(path.join(generated, 'component.ts'), `export const made = ${Date.now()};\n`);
  expect(portalSourceHash()).toBe(before);
});
