#!/usr/bin/env bash
# Build-to-artefact latency and sustained rate, through build-service and artifact-registry on a real broker.
# Needs the platform up (./twostep up). RATE, SECONDS and CLIENTS tune the two phases.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
source "$ROOT/bin/jdk.sh"
select_jdk
for url in http://127.0.0.1:8081 http://127.0.0.1:8082; do
  curl -fs -o /dev/null "$url/q/health/ready" \
    || { echo "$url is not ready: start the platform with ./twostep up" >&2; exit 1; }
done
CI_TOKEN="$(grep '^github-actions=' "$ROOT/.twostep/auth/tokens.properties" | cut -d= -f2-)"
export CI_TOKEN
# Kafka's own jars (kafka-clients among them), fetched by ./twostep up, are the only class path needed.
exec "$JAVA_HOME/bin/java" -cp "$ROOT/.twostep/kafka/libs/*" "$ROOT/bench/build-latency/BuildLatency.java"
