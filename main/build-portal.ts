// Builds the client cabinet's assets when missing or stale (`npm run build:portal`). The web
// process, the demo and the browser tests do the same by themselves; this is for deploy images.
import { ensurePortalBuild } from '../portal/build-portal.js';

process.stdout.write(`${await ensurePortalBuild((msg) => process.stderr.write(`${msg}\n`))}\n`);
