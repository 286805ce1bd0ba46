# Shared by scripts/up.sh, scripts/down.sh and scripts/test.sh. Sourced, not run.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE="${SCIMFLOW_STATE_DIR:-$ROOT/.local}"
RUN="$ROOT/.run"
mkdir -p "$STATE/logs" "$RUN"
cd "$ROOT"

say() { echo "[scimflow] $*" >&2; }
die() { say "$*"; exit 1; }

ensure_node_modules() {
  command -v node >/dev/null || die "Node.js 20+ is required"
  local stamp="node_modules/.package-lock.json"
  # a linked install (a git worktree sharing another checkout's) is that checkout's to keep: npm ci would empty it
  if [ -L node_modules ]; then return; fi
  if [ ! -d node_modules ] || [ package-lock.json -nt "$stamp" ] || [ package.json -nt "$stamp" ]; then
    say "installing npm dependencies (npm ci)"
    npm ci --no-audit --no-fund --loglevel=error >&2
  fi
}

build() {
  say "building (tsc)"
  npm run -s build >&2
}

# Chromium for the console's browser tests (playwright-core drives the system browser; CHROMIUM_PATH overrides).
ensure_chromium() {
  if [ -n "${CHROMIUM_PATH:-}" ]; then [ -x "$CHROMIUM_PATH" ] || die "CHROMIUM_PATH=$CHROMIUM_PATH is not an executable"; return; fi
  if command -v chromium >/dev/null; then export CHROMIUM_PATH="$(command -v chromium)"; return; fi
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing chromium (apt-get) for the console's browser tests"
    { apt-get update >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium >&2; } ||
      die "apt-get could not install chromium (Debian's package name): install Chromium or set CHROMIUM_PATH"
    export CHROMIUM_PATH="$(command -v chromium)"
    return
  fi
  die "Chromium is needed for the console's browser tests: install it (apt-get install chromium) or set CHROMIUM_PATH"
}

# Postgres: DATABASE_URL when given; otherwise the local server, started if this machine has one stopped.
ensure_postgres() {
  if [ -n "${DATABASE_URL:-}" ]; then say "using DATABASE_URL from the environment"; return; fi
  export DATABASE_URL="postgres://postgres@127.0.0.1:5432/scimflow"
  if pg_ready; then return; fi
  if command -v pg_ctlcluster >/dev/null; then
    say "starting the local PostgreSQL cluster"
    local v; v="$(ls /etc/postgresql | sort -V | tail -n 1)"
    pg_ctlcluster --skip-systemctl-redirect "$v" main start >&2 || true
    for _ in $(seq 1 30); do pg_ready && return; sleep 1; done
  fi
  die "no PostgreSQL at 127.0.0.1:5432 and DATABASE_URL is not set"
}

pg_ready() {
  if command -v pg_isready >/dev/null; then pg_isready -q -h 127.0.0.1 -p 5432; else (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; fi
}

# Kafka: KAFKA_BROKERS when given; otherwise a real local broker from deploy/local/kafka.sh.
ensure_kafka() {
  if [ -n "${KAFKA_BROKERS:-}" ]; then say "using KAFKA_BROKERS from the environment"; return; fi
  local before=""; [ -f "$STATE/kafka-${LOCAL_KAFKA_PORT:-19092}/kafka.pid" ] && kill -0 "$(cat "$STATE/kafka-${LOCAL_KAFKA_PORT:-19092}/kafka.pid")" 2>/dev/null && before=1
  "$ROOT/deploy/local/kafka.sh" start
  [ -z "$before" ] && [ -f "$STATE/kafka-${LOCAL_KAFKA_PORT:-19092}/kafka.pid" ] && touch "$RUN/kafka.started-by-us"
  export KAFKA_BROKERS="$("$ROOT/deploy/local/kafka.sh" bootstrap)"
}
