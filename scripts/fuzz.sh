#!/usr/bin/env bash
# Builds and runs every fuzz target (libFuzzer with AddressSanitizer) for
# SECONDS each (default 600), from the seed corpora Fuzz/make-seeds.sh makes
# out of the committed fixtures, golden files and samples.
# Usage: scripts/fuzz.sh [SECONDS] [TARGET...]
# Targets: snapshot block jsonl store foreign config. A crash stops the run
# and leaves its input in .build-fuzz/crash-TARGET-*; make it a regression
# test before fixing it.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-600}"
shift || true
targets="${*:-snapshot block jsonl store store-folder foreign config}"
exec make fuzz FUZZ_SECONDS="$seconds" FUZZ_TARGETS="$targets"
