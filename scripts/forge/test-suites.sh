#!/usr/bin/env bash
# Runs every forge suite under test/forge one at a time (`npm run test:forge`; extra arguments go to
# each `forge test`). Why not one `forge test`: solc-js 0.8.28 (soljson) aborts inside its wasm
# ("RuntimeError: Aborted()") when asked for the bytecode of all 76 files of the project and its
# suites in one compilation unit, while every suite with its own imports compiles; foundry.toml's
# sparse_mode makes each run compile only what its suite needs. On a cold cache `forge test` still
# hands every file to solc at once (98 files since the v2 modules: solc-js runs out of wasm memory),
# so each suite is first built on its own (`forge build <suite>`: its import closure only), and the
# test then reuses that build.
set -euo pipefail
cd "$(dirname "$0")/../.."
status=0
while IFS= read -r suite; do
  echo "==> forge: ${suite}"
  npx forge build "${suite}" >/dev/null || status=1
  npx forge test --match-path "${suite}" "$@" || status=1
done < <(find test/forge -name '*.t.sol' | sort)
exit "${status}"
