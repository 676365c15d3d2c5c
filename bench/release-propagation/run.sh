#!/usr/bin/env bash
# Release propagation across release-controller replicas: a second replica on port 8094 (same database, same
# broker) beside the one ./twostep up runs; a release written on one, read over OFREP on the other.
# Needs the platform up (./twostep up). CHANGES sets how many releases are timed (default 200).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
source "$ROOT/bin/jdk.sh"
select_jdk
curl -fs -o /dev/null http://127.0.0.1:8084/q/health/ready \
  || { echo "release-controller is not ready: start the platform with ./twostep up" >&2; exit 1; }
for persona in sam github-actions argo-cd carol; do
  name="TOKEN_$(echo "$persona" | tr 'a-z-' 'A-Z_')"
  export "$name=$(grep "^$persona=" "$ROOT/.twostep/auth/tokens.properties" | cut -d= -f2-)"
done
QUARKUS_HTTP_PORT=8094 KAFKA_BOOTSTRAP_SERVERS="${KAFKA_BOOTSTRAP_SERVERS:-127.0.0.1:9092}" \
  QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:5432/twostep_release" QUARKUS_DATASOURCE_USERNAME=postgres \
  MP_JWT_VERIFY_PUBLICKEY_LOCATION="$ROOT/.twostep/auth/public-key.pem" \
  "$JAVA_HOME/bin/java" -Xmx256m -jar "$ROOT/release-controller/target/quarkus-app/quarkus-run.jar" \
  > "$ROOT/.twostep/logs/release-controller-2.log" 2>&1 &
replica=$!
trap 'kill $replica 2>/dev/null; wait $replica 2>/dev/null' EXIT
until curl -fs -o /dev/null http://127.0.0.1:8094/q/health/ready; do
  kill -0 $replica || { echo "the second replica exited; see .twostep/logs/release-controller-2.log" >&2; exit 1; }
  sleep 0.5
done
"$JAVA_HOME/bin/java" "$ROOT/bench/release-propagation/ReleasePropagation.java"
