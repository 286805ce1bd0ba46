#!/usr/bin/env bash
# Real Apache Kafka (KRaft, one combined broker+controller on 127.0.0.1) from its Maven Central jars.
#   deploy/local/kafka.sh start    fetch jars (once), format storage (once), start, wait until it answers
#   deploy/local/kafka.sh stop     stop the broker this script started
#   deploy/local/kafka.sh status   exit 0 when the broker answers a metadata request
# Env: KAFKA_VERSION (default: the pom's, 4.4.0; 3.9.1 is tested too), LOCAL_KAFKA_PORT (19092),
#      LOCAL_KAFKA_CONTROLLER_PORT (19093), SCIMFLOW_STATE_DIR (<repo>/.local), KAFKA_HEAP_OPTS (-Xms256m -Xmx512m).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
version="${KAFKA_VERSION:-$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$here/kafka/pom.xml")}"
port="${LOCAL_KAFKA_PORT:-19092}"
cport="${LOCAL_KAFKA_CONTROLLER_PORT:-19093}"
state="${SCIMFLOW_STATE_DIR:-$root/.local}/kafka-$port"
major="${version%%.*}"
# Kafka 4 logs through Log4j 2, Kafka 3 through reload4j (Log4j 1 syntax)
if [ "$major" -ge 4 ]; then log_config="-Dlog4j2.configurationFile=$here/kafka/log4j2.properties"; maven_profile="-Dkafka4"
else log_config="-Dlog4j.configuration=file:$here/kafka/log4j.properties"; maven_profile=""; fi
libs="$root/.cache/kafka-$version/libs"
pidfile="$state/kafka.pid"
bootstrap="127.0.0.1:$port"

log() { echo "[kafka] $*" >&2; }

fetch_jars() {
  if [ -f "$libs/.complete" ]; then return; fi
  command -v mvn >/dev/null || { log "Maven (mvn) is needed to fetch Kafka $version from Maven Central"; exit 1; }
  command -v java >/dev/null || { log "Java 17+ is needed to run Kafka"; exit 1; }
  log "fetching Apache Kafka $version jars from Maven Central into $libs"
  rm -rf "$libs"; mkdir -p "$libs"
  mvn -q -B -Dstyle.color=never -Dkafka.version="$version" $maven_profile -f "$here/kafka/pom.xml" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$libs"
  touch "$libs/.complete"
}

kjava() { java -cp "$libs/*" "$log_config" -Dkafka.logs.dir="$state/logs" "$@"; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; }

# A real metadata round trip, not a port probe: the broker must list topics.
answers() {
  port_open || return 1
  timeout 30 java -cp "$libs/*" "$log_config" -Dkafka.logs.dir="$state/logs" \
    org.apache.kafka.tools.TopicCommand --bootstrap-server "$bootstrap" --list >/dev/null 2>&1
}

running_pid() {
  [ -f "$pidfile" ] || return 1
  local pid; pid="$(cat "$pidfile")"
  kill -0 "$pid" 2>/dev/null && echo "$pid"
}

write_config() {
  mkdir -p "$state/data" "$state/logs"
  cat > "$state/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$cport
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$cport
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$state/data
num.partitions=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=12
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
log.retention.hours=168
PROPS
}

start() {
  fetch_jars
  if pid="$(running_pid)"; then
    log "already running (pid $pid) on $bootstrap"
  elif answers; then
    # Another checkout's broker (e.g. from `npm run up`): share it; topic prefixes keep runs apart.
    log "a broker this script did not start already answers on $bootstrap; using it"; return 0
  elif port_open; then
    log "something that is not Kafka listens on $bootstrap; set LOCAL_KAFKA_PORT or KAFKA_BROKERS"; exit 1
  else
    write_config
    if [ ! -f "$state/data/meta.properties" ]; then
      local cluster; cluster="$(kjava kafka.tools.StorageTool random-uuid | tail -n 1)"
      kjava kafka.tools.StorageTool format --ignore-formatted -t "$cluster" -c "$state/server.properties" >/dev/null
      echo "$version" > "$state/version"
      log "formatted storage for Kafka $version (cluster $cluster)"
    elif [ "$(cat "$state/version" 2>/dev/null || echo 3.9.1)" != "$version" ]; then
      log "$state holds a Kafka $(cat "$state/version" 2>/dev/null || echo 3.9.1) broker's data; set KAFKA_VERSION to that, or delete $state to start Kafka $version afresh"
      exit 1
    fi
    # setsid: the broker must outlive the shell (and the npm script) that started it.
    setsid nohup java ${KAFKA_HEAP_OPTS:--Xms256m -Xmx512m} -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true \
      -cp "$libs/*" "$log_config" -Dkafka.logs.dir="$state/logs" \
      kafka.Kafka "$state/server.properties" >"$state/logs/stdout.log" 2>&1 < /dev/null &
    echo $! > "$pidfile"
    log "started Kafka $version (pid $(cat "$pidfile")), waiting for $bootstrap"
  fi
  local deadline=$((SECONDS + 90))
  until answers; do
    if ! running_pid >/dev/null; then log "broker exited; see $state/logs"; tail -n 20 "$state/logs/server.log" >&2 || true; exit 1; fi
    if [ $SECONDS -ge $deadline ]; then log "broker did not answer within 90 s; see $state/logs"; exit 1; fi
    sleep 1
  done
  log "ready on $bootstrap"
}

stop() {
  local pid
  if ! pid="$(running_pid)"; then log "not running"; rm -f "$pidfile"; return 0; fi
  kill "$pid"
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  kill -0 "$pid" 2>/dev/null && { log "still running after 30 s, killing"; kill -9 "$pid"; }
  rm -f "$pidfile"
  log "stopped"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) fetch_jars; if answers; then log "answers on $bootstrap"; else log "not answering on $bootstrap"; exit 1; fi ;;
  bootstrap) echo "$bootstrap" ;;
  *) echo "usage: $0 start|stop|status|bootstrap" >&2; exit 2 ;;
esac
