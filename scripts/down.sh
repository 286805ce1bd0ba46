#!/usr/bin/env bash
# npm run down — stops what `npm run up` started (the apps, the demo receiver, and Kafka if up started it).
source "$(dirname "$0")/lib.sh"

for name in ingress notifier reconciler webhook-sink; do
  pidfile="$RUN/$name.pid"
  [ -f "$pidfile" ] || continue
  pid="$(cat "$pidfile")"
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
    say "stopped $name"
  fi
  rm -f "$pidfile"
done
if [ -f "$RUN/kafka.started-by-us" ]; then
  "$ROOT/deploy/local/kafka.sh" stop
  rm -f "$RUN/kafka.started-by-us"
fi
