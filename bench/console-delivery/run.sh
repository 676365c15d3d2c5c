#!/usr/bin/env bash
# The console's four keys over a year of history: HISTORY events (default 1,000,000) of 20 applications in three
# environments written to an in-JVM Kafka broker, the console catching up through its consumers into a fresh database
# on the local PostgreSQL, then GET /metrics/delivery and the suspects timed, and a rebuild from the beginning.
# The first LIVE (default 50,000) go through Kafka and the consumers; the rest straight through the projection.
# Needs PostgreSQL on 127.0.0.1:5432 (or TWOSTEP_TEST_PG_*), not the platform: it starts its own broker and console
# (the console's DeliveryBench, run by name; its name keeps it out of the test run). Results: console/target/bench-console-delivery.txt
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
source "$ROOT/bin/jdk.sh"
select_jdk
"$ROOT/mvnw" -B -q -f "$ROOT/pom.xml" -pl console verify -Dtest=DeliveryBench -Dsurefire.failIfNoSpecifiedTests=false \
  -Dhistory="${HISTORY:-1000000}" -Dlive="${LIVE:-50000}" 2>&1 | grep '^BENCH ' || true
cat "$ROOT/console/target/bench-console-delivery.txt"
