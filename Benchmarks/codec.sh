#!/usr/bin/env bash
# The codec benchmark on every workload size of bench/WORKLOADS.md, as JSON
# rows (one array per run), for docs/PERFORMANCE.md.
# Usage: Benchmarks/codec.sh [RESULTS.json]   (default: standard output)
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product tickscope >&2
bin=.build/release/tickscope
out="${1:-/dev/stdout}"
{
  echo "["
  first=1
  for workload in swarm ramp; do
    for n in 10000 100000 1000000; do
      [ $first = 1 ] || echo ","
      first=0
      "$bin" bench codec --workload "$workload" --entities "$n" --repeat 9 --json
    done
  done
  echo "]"
} > "$out"
