#!/usr/bin/env bash
# Outbox relay throughput against Kafka's own ProducerPerformance, on the same broker, in one run.
#
# Needs the platform up (./twostep up). It appends N committed events to build-service's event store in one
# transaction and times the service's real relay until its cursor has passed them all. Before that, on the idle
# platform, it runs ProducerPerformance with the same record count, value size and acks=all. Run bench/age-history.sh first for the aged figure; the
# history size is printed with the result.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
source "$ROOT/bin/jdk.sh"
select_jdk
N="${N:-200000}"
DB="${DB:-twostep_build}"
BOOTSTRAP="${KAFKA_BOOTSTRAP_SERVERS:-127.0.0.1:9092}"
PSQL=(psql -h "${TWOSTEP_PG_HOST:-127.0.0.1}" -U postgres -d "$DB" -qtA -v ON_ERROR_STOP=1)

curl -fs -o /dev/null http://127.0.0.1:8081/q/health/ready \
  || { echo "build-service is not ready at http://127.0.0.1:8081: start the platform with ./twostep up" >&2; exit 1; }

HISTORY="$("${PSQL[@]}" -c "SELECT count(*) FROM event_store")"
# The peer first, on the idle platform: while the relay publishes, artifact-registry consumes what it sends, which
# would slow a peer measured at the same time.
VALUE_BYTES="${VALUE_BYTES:-335}"
echo "Running ProducerPerformance: $N records of $VALUE_BYTES B, acks=all..."
perf="$("$JAVA_HOME/bin/java" -Xmx512m -cp "$ROOT/.twostep/kafka/libs/*" org.apache.kafka.tools.ProducerPerformance \
  --topic twostep.bench.producer-performance --num-records "$N" --record-size "$VALUE_BYTES" --throughput -1 \
  --producer-props bootstrap.servers="$BOOTSTRAP" acks=all enable.idempotence=true 2>/dev/null | tail -1)"
raw_rate="$(echo "$perf" | sed -E 's/.* ([0-9.]+) records\/sec.*/\1/')"

RUN="bench-$(date +%s)"
echo "History: $HISTORY events in $DB. Appending $N events (one committed transaction)..."
"${PSQL[@]}" <<SQL
BEGIN;
SELECT pg_current_xact_id(); -- the transaction's id before its positions, as EventStore.append does
INSERT INTO event_store (event_id, aggregate_id, sequence, type, occurred_at, correlation_id, actor, data)
SELECT gen_random_uuid(), '$RUN-' || (i % 1000), (i / 1000) + 1, 'dev.twostep.build.completed.v1', now(),
       '$RUN', 'bench',
       jsonb_build_object('buildId', '$RUN-' || (i % 1000), 'ciSystem', 'bench', 'runUrl', 'https://ci.example.com/runs/' || i,
         'repository', 'https://git.example.com/shop/checkout', 'commit', md5(i::text), 'branch', 'main',
         'outcome', 'FAILED', 'startedAt', '2026-11-20T10:00:00Z', 'finishedAt', '2026-11-20T10:07:30Z',
         'artefacts', '[]'::jsonb)
FROM generate_series(0, $N - 1) AS i;
SELECT pg_notify('twostep_outbox', '');
COMMIT;
SQL
# From the commit (the relay's NOTIFY) until the cursor has passed the last of them.
start=$(date +%s.%N)
LAST="$("${PSQL[@]}" -c "SELECT max(position) FROM event_store WHERE correlation_id = '$RUN'")"
while [ "$("${PSQL[@]}" -c "SELECT published_through >= $LAST FROM outbox_cursor")" != "t" ]; do sleep 0.05; done
end=$(date +%s.%N)
relay_rate=$(echo "$N / ($end - $start)" | bc -l)
echo "Event size: $("${PSQL[@]}" -c "SELECT avg(length(data::text))::int FROM event_store WHERE correlation_id = '$RUN'") B"

printf '\n%-34s %12s\n' "history in $DB before the run" "$HISTORY events"
printf '%-34s %12s\n' "" "records/s"
printf '%-34s %12.0f\n' "outbox relay (build-service)" "$relay_rate"
printf '%-34s %12.0f\n' "Kafka ProducerPerformance" "$raw_rate"
printf '%-34s %11.1f%%\n' "relay / raw producer" "$(echo "100 * $relay_rate / $raw_rate" | bc -l)"
echo "ProducerPerformance: $perf"
