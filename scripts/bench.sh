#!/usr/bin/env bash
# npm run bench — the benchmark of BENCHMARKS.md against real Kafka and Postgres on this machine.
#   BENCH_SCALE=0.05 npm run bench   a quick, scaled-down run
source "$(dirname "$0")/lib.sh"
ensure_node_modules
build
ensure_postgres
ensure_kafka
command -v pgbench >/dev/null || say "pgbench not found (Debian: postgresql-contrib / postgresql-client): the Postgres baseline is skipped"
node dist/bench/run.js
