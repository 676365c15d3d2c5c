#!/usr/bin/env bash
# Ages a running platform's databases: HISTORY events (default 1,000,000) of already published history in
# build-service's event_store, and as many applied events in artifact-registry's inbox (processed_event), spread
# over the last 10 days (inside the 14-day inbox retention, so none of it may be forgotten). Written through the
# same schema the services use, then left as a server with autovacuum off leaves it: no VACUUM, no ANALYZE.
#
#   bench/age-history.sh            # then run bench/outbox-relay/run.sh and bench/build-latency/run.sh
set -euo pipefail
HISTORY="${HISTORY:-1000000}"
PG=(psql -h "${TWOSTEP_PG_HOST:-127.0.0.1}" -U "${TWOSTEP_PG_USER:-postgres}" -qtA -v ON_ERROR_STOP=1)
RUN="history-$(date +%s)"

echo "Ageing twostep_build: $HISTORY published BuildCompleted events..."
"${PG[@]}" -d twostep_build <<SQL
BEGIN;
SELECT pg_current_xact_id();
INSERT INTO event_store (event_id, aggregate_id, sequence, type, occurred_at, correlation_id, actor, data)
SELECT gen_random_uuid(), '$RUN-' || i, 1, 'dev.twostep.build.completed.v1',
       now() - (($HISTORY - i) * interval '1 second') / 2, '$RUN-' || i, 'github-actions',
       jsonb_build_object('buildId', '$RUN-' || i, 'ciSystem', 'bench', 'runUrl', 'https://ci.example.com/runs/' || i,
         'repository', 'https://git.example.com/shop/checkout', 'commit', md5(i::text), 'branch', 'main',
         'outcome', 'SUCCEEDED', 'startedAt', '2026-11-20T10:00:00Z', 'finishedAt', '2026-11-20T10:07:30Z',
         'artefacts', '[]'::jsonb)
FROM generate_series(1, $HISTORY) AS i;
-- History is published history: the relay's cursor stands after it.
UPDATE outbox_cursor SET published_through = (SELECT max(position) FROM event_store);
COMMIT;
SQL

echo "Ageing twostep_registry: $HISTORY applied events in the inbox..."
"${PG[@]}" -d twostep_registry <<SQL
INSERT INTO processed_event (event_id, type, processed_at)
SELECT gen_random_uuid(), 'dev.twostep.build.completed.v1', now() - (($HISTORY - i) * interval '10 days') / $HISTORY
FROM generate_series(1, $HISTORY) AS i;
SQL
for db in twostep_build twostep_registry; do
  echo "$db: $("${PG[@]}" -d "$db" -c "SELECT 'event_store ' || (SELECT count(*) FROM event_store) || ', processed_event ' || (SELECT count(*) FROM processed_event) || ', autovacuum ' || current_setting('autovacuum')")"
done
