#!/usr/bin/env bash
# OFREP single-flag evaluation over loopback HTTP (keep-alive), against the running release-controller.
# Needs ./twostep up and ./twostep demo, which deploys new-payment-form's code to dev. The flag is released there
# to 50 % first, so that every evaluation hashes its user into a bucket (reason SPLIT), the costliest answer.
# Runs the Java load generator, then wrk with the same request when wrk is installed (apt-get install wrk):
# wrk is far lighter on the two shared cores, so it shows more of what the service itself can do.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
source "$ROOT/bin/jdk.sh"
select_jdk
BASE="${RELEASE_CONTROLLER:-http://127.0.0.1:8084}"
curl -fs -o /dev/null "$BASE/q/health/ready" \
  || { echo "release-controller is not ready at $BASE: start the platform with ./twostep up" >&2; exit 1; }
FLAG="${FLAG:-new-payment-form}"
ENVIRONMENT="${ENVIRONMENT:-dev}"
export FLAG ENVIRONMENT
# carol (release-manager) releases the flag to half the users and issues the API key applications evaluate with.
CAROL="$(grep '^carol=' "$ROOT/.twostep/auth/tokens.properties" | cut -d= -f2-)"
curl -fs -o /dev/null -XPUT "$BASE/features/$FLAG/environments/$ENVIRONMENT/audience" \
  -H "Authorization: Bearer $CAROL" -H 'content-type: application/json' \
  -d '{"percentage": 50, "users": [], "reason": "ofrep-load bench: half the users, so each answer is a SPLIT"}' \
  || { echo "cannot release $FLAG in $ENVIRONMENT: run ./twostep demo first" >&2; exit 1; }
OFREP_API_KEY="$(curl -fs -XPOST "$BASE/api-keys" -H "Authorization: Bearer $CAROL" \
  -H 'content-type: application/json' -d "{\"name\": \"ofrep-load bench\", \"environments\": [\"$ENVIRONMENT\"]}" \
  | sed 's/.*"key":"\([^"]*\)".*/\1/')"
export OFREP_API_KEY
echo "== Java load generator (${CLIENTS:-8} clients): $FLAG, a switch at 50 %"
"$JAVA_HOME/bin/java" "$ROOT/bench/ofrep-load/OfrepLoad.java" | tee "$ROOT/.twostep/ofrep-load-switch.txt"
# The same load on a typed flag (definition.json: five rules, a segment and a three-way split). The generator's
# contexts carry only a targeting key, so every evaluation runs all five rules and ends in the split, the slowest path.
DEFINITION_FLAG="${DEFINITION_FLAG:-one-click-reorder}"
curl -fs -o /dev/null -XPUT "$BASE/environments/$ENVIRONMENT/segments/staff" -H "Authorization: Bearer $CAROL" \
  -H 'content-type: application/json' -d '{"ends_with": [{"var": "email"}, "@example.com"]}'
curl -fs -o /dev/null -XPUT "$BASE/features/$DEFINITION_FLAG/environments/$ENVIRONMENT/definition?reason=ofrep-load+bench" \
  -H "Authorization: Bearer $CAROL" -H 'content-type: application/json' -d @"$ROOT/bench/ofrep-load/definition.json" \
  || { echo "cannot define $DEFINITION_FLAG in $ENVIRONMENT: run ./twostep demo first" >&2; exit 1; }
echo "== Java load generator (${CLIENTS:-8} clients): $DEFINITION_FLAG, five rules and a split"
FLAG="$DEFINITION_FLAG" "$JAVA_HOME/bin/java" "$ROOT/bench/ofrep-load/OfrepLoad.java" \
  | tee "$ROOT/.twostep/ofrep-load-definition.txt"
rate() { sed -n 's/.* \([0-9,]*\) evaluations\/s.*/\1/p' "$1" | tr -d ,; }
awk -v s="$(rate "$ROOT/.twostep/ofrep-load-switch.txt")" -v d="$(rate "$ROOT/.twostep/ofrep-load-definition.txt")" \
  'BEGIN { printf "typed flag vs switch in the same run: %d vs %d evaluations/s (%.1f %%)\n", d, s, 100 * d / s }'
if command -v wrk >/dev/null; then
  # A sweep over open connections shows the trade between throughput and queueing on two shared cores; each
  # connection count runs the switch and then the typed flag, so their ratio is also measured with wrk, whose
  # load costs the service's cores far less than the Java generator's.
  for connections in ${WRK_CONNECTIONS:-4 8 16}; do
    for flag in "$FLAG" "$DEFINITION_FLAG"; do
      echo "== wrk ($connections connections, 2 threads, ${DURATION:-20} s): $flag"
      OFREP_API_KEY="$OFREP_API_KEY" wrk -t2 -c"$connections" -d"${DURATION:-20}s" --latency \
        -s "$ROOT/bench/ofrep-load/evaluate.lua" "$BASE/ofrep/v1/evaluate/flags/$flag" \
        | tee "$ROOT/.twostep/ofrep-wrk-$flag.txt"
    done
    awk -v s="$(sed -n 's/^Requests\/sec: *//p' "$ROOT/.twostep/ofrep-wrk-$FLAG.txt")" \
        -v d="$(sed -n 's/^Requests\/sec: *//p' "$ROOT/.twostep/ofrep-wrk-$DEFINITION_FLAG.txt")" \
        -v c="$connections" \
        'BEGIN { printf "wrk, %d connections: typed flag vs switch %.0f vs %.0f requests/s (%.1f %%)\n", c, d, s, 100 * d / s }'
  done
fi
