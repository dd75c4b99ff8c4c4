#!/usr/bin/env bash
# Agent start to ready (GET /q/health/ready 200) with the broker unreachable and no model, three
# runs each: plain JDK 17, JDK 17 with the AppCDS archive, and, when given a JDK 25 build, plain
# JDK 25 and JDK 25 with its AOT cache. Prints "<ms>ms/<RSS>MiB" per run.
#
#   mvn -B -DskipTests package -pl agent -am \
#       -Dquarkus.package.jar.aot.enabled=true -Dquarkus.package.jar.aot.type=AppCDS
#   # optional, in a second checkout, with a JDK 25:
#   JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 mvn -B -DskipTests package -pl agent -am \
#       -Dmaven.compiler.release=25 -Dquarkus.package.jar.aot.enabled=true \
#       -Dquarkus.package.jar.aot.type=AOT -Dquarkus.package.jar.aot.phase=BUILD
#   integration-tests/bench/agent-starts.sh root.json [<checkout built with JDK 25>]
#
# root.json: any hub's trust root (curl -s http://hub:8080/api/v1/trust/root > root.json).
set -euo pipefail

root_json=$(realpath "${1:?usage: $0 root.json [jdk25-checkout]}")
jdk25_checkout=${2:-}
here=$(cd "$(dirname "$0")/../.." && pwd)
java17=${JAVA17:-/usr/lib/jvm/java-17-openjdk-amd64/bin/java}
java25=${JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
port=${PORT:-18181}

measure() { # name java app-dir [jvm options…]
  local name=$1 java=$2 dir=$3
  shift 3
  local runs=() data pid start end rss
  for i in 1 2 3; do
    data=$(mktemp -d)
    start=$(date +%s%N)
    (cd "$dir" && FERRY_AGENT_TRUST_ROOT=$root_json FERRY_AGENT_DATA_DIR=$data \
      FERRY_AGENT_DEVICE_ID=start-$i FERRY_AGENT_MQTT_URL=tcp://127.0.0.1:9 \
      exec "$java" -Xmx512m "$@" -Dquarkus.http.port="$port" -jar quarkus-run.jar \
      >"$data.log" 2>&1) &
    pid=$!
    until curl -sf -o /dev/null "http://127.0.0.1:$port/q/health/ready"; do
      kill -0 "$pid" 2>/dev/null || { echo "$name did not start:"; cat "$data.log"; exit 1; }
      sleep 0.02
    done
    end=$(date +%s%N)
    rss=$(awk '/VmRSS/ {print int($2 / 1024)}' "/proc/$(pgrep -f "quarkus.http.port=$port" | head -1)/status")
    runs+=("$(((end - start) / 1000000))ms/${rss}MiB")
    pkill -f "quarkus.http.port=$port" || true
    wait "$pid" 2>/dev/null || true
    rm -rf "$data" "$data.log"
    sleep 1
  done
  echo "$name: ${runs[*]}"
}

app17=$here/agent/target/quarkus-app
measure "JDK 17" "$java17" "$app17"
if [[ -f $app17/app-cds.jsa ]]; then
  measure "JDK 17 + AppCDS" "$java17" "$app17" -XX:SharedArchiveFile=app-cds.jsa -Xshare:on
fi
if [[ -n $jdk25_checkout ]]; then
  app25=$(realpath "$jdk25_checkout")/agent/target/quarkus-app
  measure "JDK 25" "$java25" "$app25"
  measure "JDK 25 + AOT cache" "$java25" "$app25" -XX:AOTCache=app.aot
fi
