#!/usr/bin/env bash
# npm run up — the whole system on this machine: dependencies, Postgres, Kafka, migrations, topics,
# the three apps, a demo webhook receiver and a demo tenant. Safe to run again.
source "$(dirname "$0")/lib.sh"

ensure_node_modules
build
ensure_postgres
ensure_kafka
export PUBLIC_BASE_URL="${PUBLIC_BASE_URL:-http://localhost:${INGRESS_PORT:-8080}}"
# glibc keeps one malloc arena per thread; two are enough for Node and keep RSS down (deploy/docker/Dockerfile)
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
node dist/apps/scimctl/src/main.js migrate >/dev/null
node dist/apps/scimctl/src/main.js topics >/dev/null

start() { # name, command…
  local name="$1"; shift
  local pidfile="$RUN/$name.pid"
  if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    say "$name already running (pid $(cat "$pidfile")); restarting it with the new build"
    kill "$(cat "$pidfile")"; while kill -0 "$(cat "$pidfile")" 2>/dev/null; do sleep 0.2; done
  fi
  setsid nohup "$@" >"$STATE/logs/$name.log" 2>&1 < /dev/null &
  echo $! > "$pidfile"
}

wait_http() { # name url
  for _ in $(seq 1 60); do curl -fsS "$2" >/dev/null 2>&1 && return; sleep 0.5; done
  say "$1 did not become healthy; last log lines:"; tail -n 30 "$STATE/logs/$1.log" >&2; exit 1
}

# The admin API (/admin) needs a credential: unless ADMIN_TOKEN is set, one is generated once and kept (git-ignored).
if [ -z "${ADMIN_TOKEN:-}" ]; then
  [ -s "$STATE/admin-token" ] || (umask 077; node -e "process.stdout.write(require('crypto').randomBytes(32).toString('base64url'))" > "$STATE/admin-token")
  export ADMIN_TOKEN="$(cat "$STATE/admin-token")"
fi

DEMO_WEBHOOK_PORT="${DEMO_WEBHOOK_PORT:-8090}"
start webhook-sink node scripts/webhook-sink.js "$DEMO_WEBHOOK_PORT" "$STATE/logs/webhook-events.jsonl"
start reconciler node --max-old-space-size=96 --max-semi-space-size=8 dist/apps/reconciler/src/main.js
start notifier node --max-old-space-size=128 --max-semi-space-size=8 dist/apps/notifier/src/main.js
start ingress node --max-old-space-size=128 --max-semi-space-size=8 dist/apps/ingress/src/main.js  # heap caps: see deploy/docker/Dockerfile
wait_http reconciler "http://127.0.0.1:${RECONCILER_PORT:-8081}/healthz"
wait_http notifier "http://127.0.0.1:${NOTIFIER_PORT:-8082}/healthz"
wait_http ingress "http://127.0.0.1:${INGRESS_PORT:-8080}/healthz"

# The demo tenant is created once; its token is shown only at creation, so it is kept (git-ignored).
demo="$STATE/demo-tenant.json"
if [ ! -s "$demo" ] || ! node dist/apps/scimctl/src/main.js tenant list | grep -q "$(node -pe "require('$demo').tenantId")"; then
  node dist/apps/scimctl/src/main.js tenant create --name "Demo tenant" --webhook "http://127.0.0.1:$DEMO_WEBHOOK_PORT/events" > "$demo"
fi
# the demo tenant's product credential for the events API, kept like the tenant (shown only at creation)
product="$STATE/demo-product-credential.json"
demo_tenant="$(node -pe "require('$demo').tenantId")"
if [ ! -s "$product" ] || [ "$(node -pe "require('$product').tenantId")" != "$demo_tenant" ]; then
  node dist/apps/scimctl/src/main.js product-credential create --tenant "$demo_tenant" --description "demo consumer" \
    | node -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>console.log(JSON.stringify({...JSON.parse(s),tenantId:process.argv[1]})))" "$demo_tenant" > "$product"
fi
product_credential="$(node -pe "require('$product').credential")"
base="$(node -pe "require('$demo').scimBaseUrl")"
token="$(node -pe "require('$demo').token")"
# a demo tenant created before OAuth credentials existed has none: say how to get them
oauth="$(node -pe "const d = require('$demo'); d.tokenUrl ? \`\${d.tokenUrl}\n  Client ID / Client Secret:          \${d.clientId} / \${d.clientSecret}\` : '(none: delete $demo and run npm run up again)'")"

cat <<MSG

scimflow is up.
  SCIM base URL (Entra "Tenant URL"): $base
  Secret token:                       $token
  OAuth Token Endpoint:               $oauth
  Console:     http://127.0.0.1:${INGRESS_PORT:-8080}/console   (sign in with the admin token below)
  Admin API:   http://127.0.0.1:${INGRESS_PORT:-8080}/admin/docs   (Authorization: Bearer $ADMIN_TOKEN)
  Health:      curl http://127.0.0.1:${INGRESS_PORT:-8080}/healthz
  Try it:      curl -H "Authorization: Bearer $token" "$base/Users?filter=userName%20eq%20%22nobody%22"
  Events:      the demo tenant's webhook events are appended to $STATE/logs/webhook-events.jsonl
  Events API:  curl -H "Authorization: Bearer $product_credential" "http://127.0.0.1:${INGRESS_PORT:-8080}/api/v1/events?wait=30s"
  Logs:        $STATE/logs/{ingress,reconciler,notifier}.log
  Kafka:       $KAFKA_BROKERS    Postgres: $DATABASE_URL
  Stop:        npm run down
MSG
