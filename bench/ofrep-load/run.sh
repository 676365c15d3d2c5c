#!/usr/bin/env bash
# OFREP single-flag evaluation over loopback HTTP (keep-alive), against the running release-controller.
# Needs ./twostep up, and a flag released in prod (./twostep demo leaves new-payment-form defined there).
# Runs the Java load generator, then wrk with the same request when wrk is installed (apt-get install wrk):
# wrk is far lighter on the two shared cores, so it shows more of what the service itself can do.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
source "$ROOT/bin/jdk.sh"
select_jdk
BASE="${RELEASE_CONTROLLER:-http://127.0.0.1:8084}"
curl -fs -o /dev/null "$BASE/q/health/ready" \
  || { echo "release-controller is not ready at $BASE: start the platform with ./twostep up" >&2; exit 1; }
# Applications evaluate with an API key scoped to their environment; carol (release-manager) issues one.
CAROL="$(grep '^carol=' "$ROOT/.twostep/auth/tokens.properties" | cut -d= -f2-)"
OFREP_API_KEY="$(curl -fs -XPOST "$BASE/api-keys" -H "Authorization: Bearer $CAROL" \
  -H 'content-type: application/json' -d '{"name": "ofrep-load bench", "environments": ["prod"]}' \
  | sed 's/.*"key":"\([^"]*\)".*/\1/')"
export OFREP_API_KEY
echo "== Java load generator (${CLIENTS:-8} clients)"
"$JAVA_HOME/bin/java" "$ROOT/bench/ofrep-load/OfrepLoad.java"
if command -v wrk >/dev/null; then
  echo "== wrk (${WRK_CONNECTIONS:-16} connections, 2 threads, ${DURATION:-20} s)"
  OFREP_API_KEY="$OFREP_API_KEY" wrk -t2 -c"${WRK_CONNECTIONS:-16}" -d"${DURATION:-20}s" --latency \
    -s "$ROOT/bench/ofrep-load/evaluate.lua" "$BASE/ofrep/v1/evaluate/flags/${FLAG:-new-payment-form}"
fi
