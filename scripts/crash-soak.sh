#!/usr/bin/env bash
# Crash soak for the checkpoint store: record W3 and kill the recorder with
# SIGKILL at a random instant, KILLS times; after each kill, check that the
# store opens, holds every checkpoint the recorder reported committed (and
# at most one more), and that every block verifies.
# Usage: scripts/crash-soak.sh [KILLS] [--encrypted]   (default 1000 kills;
# --encrypted records into encrypted stores, with a new key)
set -euo pipefail
cd "$(dirname "$0")/.."
kills="${1:-1000}"
swift build -c release --product tickscope >&2
bin="$PWD/.build/release/tickscope"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
keys=()
if [ "${2:-}" = "--encrypted" ]; then
  "$bin" key new "$work/key" > /dev/null
  keys=(--key-file "$work/key")
fi
bad=0
for i in $(seq 1 "$kills"); do
  store="$work/store-$i"
  "$bin" record swarm "$store" --entities 500 --ticks 60 "${keys[@]}" > "$work/out" 2>/dev/null &
  pid=$!
  sleep "0.0$(( RANDOM % 100 ))"
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  reported=$(grep -c '^committed ' "$work/out" || true)
  if [ ! -f "$store/MANIFEST" ]; then
    [ "$reported" = 0 ] || { echo "kill $i: $reported commits reported, no store"; bad=$((bad + 1)); }
    continue
  fi
  stored=$("$bin" log "$store" --json "${keys[@]}" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["checkpoints"]))')
  if [ "$stored" -lt "$reported" ] || [ "$stored" -gt $((reported + 1)) ]; then
    echo "kill $i: $reported reported, $stored stored"; bad=$((bad + 1))
  fi
  "$bin" verify "$store" "${keys[@]}" > /dev/null || { echo "kill $i: verify failed"; bad=$((bad + 1)); }
  rm -rf "$store"
done
echo "$kills kills, $bad problems"
[ "$bad" = 0 ]
