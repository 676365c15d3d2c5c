#!/usr/bin/env bash
# The relay and build-latency benches on several revisions, one after the other on this machine, each on a fresh
# platform, each bench repeated: the way to say whether a change made the build path faster or slower.
#
#   bench/compare-revisions.sh bfe8196 HEAD          # RUNS=3 by default
#
# Why repeated: on two cores the first runs after a start measure the JIT warming five services more than the code.
# Three consecutive build-latency runs of one revision gave 330, 482 and 463 builds/s; a comparison of single runs
# once blamed a refactor for a 177 against 116 builds/s difference that three runs of each showed to be warm-up.
# Each revision is checked out into a worktree of its own (COMPARE_DIR, outside the checkout so that no tool reading
# the sources finds a second copy) and packaged there; the platform runs with
# TWOSTEP_AOT=off (an AOT cache trained on one revision would favour it) and without the console, which reads every
# topic and is not on the build path. Stops any platform running from this checkout first; drops its databases.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUNS="${RUNS:-3}"
[ $# -ge 1 ] || { echo "usage: $0 REVISION..." >&2; exit 2; }
PG=(psql -h "${TWOSTEP_PG_HOST:-127.0.0.1}" -U "${TWOSTEP_PG_USER:-postgres}" -qtA)

# Waits until every group but the console's has consumed everything, twice in a row, so that no bench starts while
# the previous one's backlog still drains.
settle() {
  local zero=0 lag
  for _ in $(seq 1 120); do
    lag="$("$JAVA_HOME/bin/java" -cp ".twostep/kafka/libs/*" \
      org.apache.kafka.tools.consumer.group.ConsumerGroupCommand --bootstrap-server 127.0.0.1:9092 \
      --describe --all-groups 2>/dev/null \
      | awk '$1 != "console" && $1 != "GROUP" && $6 ~ /^[0-9]+$/ { lag += $6 } END { print lag + 0 }')"
    if [ "$lag" = 0 ]; then zero=$((zero + 1)); [ "$zero" -ge 2 ] && return 0; else zero=0; fi
    sleep 5
  done
  echo "the consumers did not catch up within 10 minutes" >&2
}

fresh_platform() {
  ./twostep down >/dev/null 2>&1 || true
  for db in twostep_build twostep_registry twostep_deploy twostep_release twostep_rollout twostep_console; do
    "${PG[@]}" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null
  done
  rm -rf .twostep/kafka/data .twostep/pids
  TWOSTEP_AOT=off ./twostep up >/dev/null
  kill "$(cat .twostep/pids/console.pid)"
}

(cd "$ROOT" && ./twostep down >/dev/null 2>&1 || true)
for revision in "$@"; do
  commit="$(git -C "$ROOT" rev-parse --short "$revision")"
  tree="${COMPARE_DIR:-${TMPDIR:-/tmp}/twostep-compare}/$commit"
  [ -d "$tree" ] || git -C "$ROOT" worktree add -q --detach "$tree" "$commit"
  cd "$tree"
  # shellcheck source=bin/jdk.sh
  source bin/jdk.sh
  select_jdk
  ./mvnw -B -q package -DskipTests
  fresh_platform
  echo "== $commit: one discarded build-latency run to warm up"
  bench/build-latency/run.sh >/dev/null
  settle
  for run in $(seq 1 "$RUNS"); do
    echo "== $commit: outbox relay, run $run"
    bench/outbox-relay/run.sh | grep -E '^(History|outbox relay|Kafka ProducerPerformance|relay /)'
    settle
  done
  for run in $(seq 1 "$RUNS"); do
    echo "== $commit: build latency, run $run"
    bench/build-latency/run.sh | grep -E '^(phase|fixed|maximum)'
    settle
  done
  ./twostep down >/dev/null
done
