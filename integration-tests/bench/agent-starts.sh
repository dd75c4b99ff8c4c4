#!/usr/bin/env bash
# Agent start to ready (GET /q/health/ready 200) with the broker unreachable and no model, three
# runs each, with the unit's lean flags: JDK 17 without and with the class archive
# deploy/systemd/agent-archive.sh makes by a training start (as install.sh does), and, where
# Temurin 25 is installed, JDK 25 without and with its AOT cache made the same way; all from the
# one normal build; then with ONNX Runtime's libraries unpacked beforehand (agent-natives.sh), as the
# unit has them. Prints "<ms>ms/<RSS>MiB" per run (RSS after 5 s idle).
#
#   mvn -B -DskipTests package -pl agent -am
#   integration-tests/bench/agent-starts.sh root.json
#
# root.json: any hub's trust root (curl -s http://hub:8080/api/v1/trust/root > root.json).
# The archives are made in a copy of agent/target/quarkus-app (one per JDK) under a temporary dir.
set -euo pipefail

root_json=$(realpath "${1:?usage: $0 root.json}")
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
      MALLOC_ARENA_MAX=2 exec "$java" -XX:+UseSerialGC -Xms16m -Xmx512m "$@" \
      -Dquarkus.http.port="$port" -jar quarkus-run.jar \
      >"$data.log" 2>&1) &
    pid=$!
    until curl -sf -o /dev/null "http://127.0.0.1:$port/q/health/ready"; do
      kill -0 "$pid" 2>/dev/null || { echo "$name did not start:"; cat "$data.log"; exit 1; }
      sleep 0.02
    done
    end=$(date +%s%N)
    sleep 5
    rss=$(awk '/VmRSS/ {print int($2 / 1024)}' "/proc/$pid/status") # the subshell exec'd java
    runs+=("$(((end - start) / 1000000))ms/${rss}MiB")
    kill "$pid"
    wait "$pid" 2>/dev/null || true
    rm -rf "$data" "$data.log"
    sleep 1
  done
  echo "$name: ${runs[*]}"
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for jdk in 17 25; do
  java=$java17
  [[ $jdk == 25 ]] && java=$java25
  [[ -x $java ]] || continue
  app=$work/app$jdk
  cp -r --preserve=timestamps "$here/agent/target/quarkus-app" "$app"
  rm -f "$app/app-cds.jsa" "$app/app.aot"
  measure "JDK $jdk" "$java" "$app"
  "$here/deploy/systemd/agent-archive.sh" "$app" "$java" >/dev/null
  "$here/deploy/systemd/agent-natives.sh" "$app"
  archive=(-XX:SharedArchiveFile=app-cds.jsa -Xshare:auto)
  [[ -f $app/app.aot ]] && archive=(-XX:AOTCache=app.aot)
  measure "JDK $jdk + ${archive[0]}" "$java" "$app" "${archive[@]}"
  measure "JDK $jdk + ${archive[0]} + unpacked ONNX Runtime (as the unit)" "$java" "$app" \
    "${archive[@]}" -Donnxruntime.native.path="$app/native"
done
