#!/usr/bin/env bash
# npm test — the whole suite: type-check and build, unit tests, medium tests against a real Postgres, then
# end-to-end tests against real Kafka and Postgres (from KAFKA_BROKERS / DATABASE_URL, or started locally when not given).
#   npm test              everything
#   npm test -- unit      unit tests only (no services)
#   npm test -- medium    stores and use cases against Postgres only (no Kafka)
#   npm test -- e2e       end-to-end tests only
source "$(dirname "$0")/lib.sh"
scope="${1:-all}"
rm -f "$RUN"/jest-*.json

ensure_node_modules
build
# jest only transpiles: the type-check of every file, specs included, is this
say "type-checking (tsc --noEmit)"
npm run -s lint:types >&2
# the layers and the format are kept by a machine: ESLint (eslint.config.mjs) and Prettier (.prettierrc.json)
if [ "$scope" = all ]; then say "linting (eslint, prettier)"; npm run -s lint >&2; fi
case "$scope" in all | unit | medium | e2e) ;; *) die "npm test -- $scope: the tiers are unit, medium and e2e" ;; esac
if [ "$scope" = all ] || [ "$scope" = unit ]; then npx jest --selectProjects unit --silent --json --outputFile="$RUN/jest-unit.json"; fi
if [ "$scope" = all ] || [ "$scope" = medium ]; then
  ensure_postgres
  npx jest --selectProjects medium --runInBand --json --outputFile="$RUN/jest-medium.json"
fi
if [ "$scope" = all ] || [ "$scope" = e2e ]; then
  ensure_postgres
  ensure_kafka
  ensure_chromium
  # --forceExit: a suite that failed mid-way (a timed-out fault test) can leave a child process or socket open,
  # and Jest would then wait for it forever after printing its results instead of ending the run.
  npx jest --selectProjects e2e --runInBand --forceExit --json --outputFile="$RUN/jest-e2e.json"
fi
# One plain closing line over the tiers, for CI and humans.
node -e '
  const fs = require("fs"); let p = 0, f = 0, s = 0;
  for (const file of process.argv.slice(1)) { if (!fs.existsSync(file)) continue;
    const r = JSON.parse(fs.readFileSync(file)); p += r.numPassedTests; f += r.numFailedTests; s += r.numPendingTests + r.numTodoTests; }
  console.log(`tests: ${p} passed, ${f} failed` + (s ? `, ${s} skipped` : ""));
' "$RUN/jest-unit.json" "$RUN/jest-medium.json" "$RUN/jest-e2e.json"
