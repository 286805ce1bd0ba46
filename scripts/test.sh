#!/usr/bin/env bash
# npm test — the whole suite: type-check and build, unit tests, then end-to-end tests against real
# Kafka and Postgres (from KAFKA_BROKERS / DATABASE_URL, or started locally when not given).
#   npm test            everything
#   npm test -- unit    unit tests only (no services)
#   npm test -- e2e     end-to-end tests only
source "$(dirname "$0")/lib.sh"
scope="${1:-all}"

ensure_node_modules
build
if [ "$scope" != e2e ]; then npx jest --selectProjects unit --silent; fi
if [ "$scope" != unit ]; then
  ensure_postgres
  ensure_kafka
  npx jest --selectProjects e2e --runInBand
fi
