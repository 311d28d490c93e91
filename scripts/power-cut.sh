#!/usr/bin/env bash
# A longer power-cut sweep than `make test` runs: N random scripts of every
# writing operation (commit, fork with and without edits, marks, prune, gc, branch delete and rename),
# the power cut after every sync point of each (docs/RELIABILITY.md).
# Usage: scripts/power-cut.sh [N]   (default 200)
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --build-tests
TICKSCOPE_POWER_CUT_SCRIPTS="${1:-200}" swift test --skip-build --disable-xctest --filter "PowerCutTests/randomScripts" 2>&1 \
  | grep -E "power-cut sweep|passed|failed|recorded an issue"
