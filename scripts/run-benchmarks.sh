#!/usr/bin/env bash
# Runs every benchmark under benchmarks/ one after another and prints their figures.
# Pass --quick for the small sizes. Each benchmark is a plain script: run one alone with
#   .venv/bin/python benchmarks/NAME.py [--quick]
set -euo pipefail
cd "$(dirname "$0")/.."
py=.venv/bin/python
for bench in benchmarks/*_bench.py; do
  echo "=== $bench $*"
  "$py" "$bench" "$@"
done
