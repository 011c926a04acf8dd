#!/usr/bin/env bash
# The one test command (README and .ci/run both use it): typecheck, then Jest against real
# services started by test/global-setup.ts. Prints "N passed, N failed" as its last line.
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p reports-out
npx tsc --noEmit || { echo "typecheck failed"; echo "0 passed, 1 failed"; exit 1; }
# The client cabinet's assets, built once here rather than by several test processes at once.
npm run --silent build:portal >/dev/null || { echo "portal build failed"; echo "0 passed, 1 failed"; exit 1; }
NODE_OPTIONS="--experimental-vm-modules ${NODE_OPTIONS:-}" npx jest --json --outputFile=reports-out/jest.json "$@"
rc=$?
node -e "const r=require('./reports-out/jest.json');console.log(r.numPassedTests+' passed, '+(r.numFailedTests+r.numRuntimeErrorTestSuites)+' failed')" \
  || { echo "0 passed, 1 failed"; exit 1; }
exit $rc
