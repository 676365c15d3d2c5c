#!/usr/bin/env bash
# OFREP single-flag evaluation over loopback HTTP (keep-alive), against the running release-controller.
# Needs ./twostep up, and a flag released in prod (./twostep demo leaves new-payment-form defined there).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
source "$ROOT/bin/jdk.sh"
select_jdk
curl -fs -o /dev/null http://127.0.0.1:8084/q/health/ready \
  || { echo "release-controller is not ready at http://127.0.0.1:8084: start the platform with ./twostep up" >&2; exit 1; }
exec "$JAVA_HOME/bin/java" "$ROOT/bench/ofrep-load/OfrepLoad.java"
