#!/usr/bin/env bash
# N concurrent rollouts with two Prometheus guards each, judged every 10 s against one Prometheus.
# Needs the platform up with Prometheus and the analyzer reading it every 10 s (its default; ./twostep up
# --with-prometheus sets 2 s for the demo unless told otherwise):
#   TWOSTEP_ANALYZER_PROMETHEUS_POLL_EVERY=10s ./twostep up --with-prometheus
# ROLLOUTS (default 1000) rollouts, RATE (default 200) requests a second per arm and feature, MIN_STEP (default PT20S)
# each step's minimum duration (PT2M shows the steady pace once the starts' burst is over), MINUTES (default 10)
# to wait for them all to end. The program serves the metrics Prometheus scrapes on 127.0.0.1:9464, so ./twostep
# demo must not run meanwhile.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
source "$ROOT/bin/jdk.sh"
select_jdk
curl -fs -o /dev/null http://127.0.0.1:8085/q/health/ready \
  || { echo "rollout-analyzer is not ready: start the platform with ./twostep up --with-prometheus" >&2; exit 1; }
curl -fs -o /dev/null "${PROMETHEUS:-http://127.0.0.1:9090}/-/ready" \
  || { echo "no Prometheus: start the platform with ./twostep up --with-prometheus" >&2; exit 1; }
for persona in sam github-actions argo-cd carol viewer; do
  name="TOKEN_$(echo "$persona" | tr 'a-z-' 'A-Z_')"
  export "$name=$(grep "^$persona=" "$ROOT/.twostep/auth/tokens.properties" | cut -d= -f2-)"
done
"$JAVA_HOME/bin/java" "$ROOT/bench/prometheus-guards/PrometheusGuardsBench.java"
