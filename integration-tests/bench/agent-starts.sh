#!/usr/bin/env bash
# Agent start to ready (GET /q/health/ready 200: started, and every model of its cache serving) with
# the broker unreachable, three runs each, with the unit's lean flags: JDK 17 without and with the
# class archive deploy/systemd/agent-archive.sh makes by a training start (as install.sh does) and
# ONNX Runtime's libraries unpacked beforehand (agent-natives.sh), as the unit has them, and with
# what the container image's entrypoint leaves after its first run (its archive and ONNX Runtime's
# libraries in the data directory); and, where
# Temurin 25 is installed, JDK 25 without and with its AOT cache made the same way; all from the one
# normal build. Prints "<ms>ms/<RSS>MiB/<CPU>s" per run (RSS after 5 s idle, CPU seconds to ready).
#
#   mvn -B -DskipTests package -pl agent -am
#   integration-tests/bench/agent-starts.sh root.json     # no model
#   integration-tests/bench/agent-starts.sh agent.env     # the models of a prepared cache
#
# root.json: any hub's trust root (curl -s http://hub:8080/api/v1/trust/root > root.json).
# agent.env: what SideBySideCacheBenchmark#prepareOneModel leaves in
# integration-tests/target/one-model (the trust root, device and a cache serving PaddleOCR's
# classifier); each run starts on a fresh copy of its cache.
# The archives are made in a copy of the app (one per JDK) under a temporary dir. Settings:
# APP (default agent/target/quarkus-app), JDKS (default "17 25"), FLAGS (default the unit's:
# -XX:+UseSerialGC -Xms16m -Xmx512m -XX:TrimNativeHeapInterval=2000), JAVA_OPTS (added to every run).
set -euo pipefail

here=$(cd "$(dirname "$0")/../.." && pwd)
given=$(realpath "${1:?usage: $0 root.json|agent.env}")
java17=${JAVA17:-/usr/lib/jvm/java-17-openjdk-amd64/bin/java}
java25=${JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
port=${PORT:-18181}
read -r -a flags <<<"${FLAGS:--XX:+UseSerialGC -Xms16m -Xmx512m -XX:TrimNativeHeapInterval=2000}"
read -r -a extra <<<"${JAVA_OPTS:-}"
settings=()
cache=""
if [[ $given == *.env ]]; then
  while IFS= read -r line; do
    case $line in
      FERRY_AGENT_DATA_DIR=*) cache=${line#*=} ;;
      ?*) settings+=("$line") ;;
    esac
  done <"$given"
  [[ -d $cache ]] || { echo "$given names no cache (FERRY_AGENT_DATA_DIR)" >&2; exit 1; }
else
  settings=("FERRY_AGENT_TRUST_ROOT=$given" "FERRY_AGENT_MQTT_URL=tcp://127.0.0.1:9")
fi

measure() { # name java app-dir [jvm options…]
  local name=$1 java=$2 dir=$3
  shift 3
  local runs=() data pid start end rss cpu
  for i in 1 2 3; do
    data=$(mktemp -d)
    [[ -n $cache ]] && cp -r "$cache/." "$data"
    start=$(date +%s%N)
    (cd "$dir" && exec env FERRY_AGENT_DEVICE_ID=start-$i "${settings[@]}" \
      FERRY_AGENT_DATA_DIR="$data" MALLOC_ARENA_MAX=2 \
      "$java" "${flags[@]}" "${extra[@]}" "$@" \
      -Dquarkus.http.port="$port" -jar quarkus-run.jar >"$data.log" 2>&1) &
    pid=$!
    until curl -sf -o /dev/null "http://127.0.0.1:$port/q/health/ready"; do
      kill -0 "$pid" 2>/dev/null || { echo "$name did not start:"; cat "$data.log"; exit 1; }
      sleep 0.02
    done
    end=$(date +%s%N)
    cpu=$(awk '{printf "%.1f", ($14 + $15) / 100}' "/proc/$pid/stat") # the subshell exec'd java
    sleep 5
    rss=$(awk '/VmRSS/ {print int($2 / 1024)}' "/proc/$pid/status")
    runs+=("$(((end - start) / 1000000))ms/${rss}MiB/${cpu}s")
    kill "$pid"
    wait "$pid" 2>/dev/null || true
    rm -rf "$data" "$data.log"
    sleep 1
  done
  echo "$name: ${runs[*]}"
}

# The image's first run (agent/src/main/jib/opt/ferry/agent.sh on this java, the cache's copy in
# data-dir): ready, the server's metadata, ONNX Runtime's libraries unpacked, the archive vouched
# for, a stop (which writes it).
image_archive() { # java app-dir data-dir
  local java=$1 app=$2 data=$3 pid
  mkdir -p "$data"
  [[ -n $cache ]] && cp -r "$cache/." "$data"
  (exec env FERRY_AGENT_DEVICE_ID=image-run "${settings[@]}" FERRY_AGENT_HOME="$app" \
    FERRY_AGENT_DATA_DIR="$data" FERRY_AGENT_CLASS_ARCHIVE_KEEP_AFTER=2s MALLOC_ARENA_MAX=2 \
    JAVA_HOME="$(dirname "$(dirname "$java")")" PATH="$(dirname "$java"):$PATH" \
    /bin/sh "$here/agent/src/main/jib/opt/ferry/agent.sh" \
    -Dquarkus.http.port="$port" >"$data.log" 2>&1) &
  pid=$!
  until curl -sf -o /dev/null "http://127.0.0.1:$port/q/health/ready"; do
    kill -0 "$pid" 2>/dev/null || { echo "the image's entrypoint did not start:"; cat "$data.log"; exit 1; }
    sleep 0.05
  done
  curl -s -o /dev/null "http://127.0.0.1:$port/v2"
  until grep -q 'is written when the agent stops' "$data.log" &&
    grep -q 'libraries unpacked into' "$data.log"; do sleep 0.2; done
  kill "$pid"
  wait "$pid" || true
  [[ -s $data/class-data/agent.jsa || -s $data/class-data/agent.aot ]] ||
    { echo "no archive from the image's entrypoint:"; cat "$data.log"; exit 1; }
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for jdk in ${JDKS:-17 25}; do
  java=$java17
  [[ $jdk == 25 ]] && java=$java25
  [[ -x $java ]] || continue
  app=$work/app$jdk
  cp -r --preserve=timestamps "${APP:-$here/agent/target/quarkus-app}" "$app"
  rm -rf "$app/app-cds.jsa" "$app/app.aot" "$app/native"
  measure "JDK $jdk" "$java" "$app"
  image_archive "$java" "$app" "$work/image$jdk"
  image=("-XX:SharedArchiveFile=$work/image$jdk/class-data/agent.jsa" -Xshare:auto)
  [[ -s $work/image$jdk/class-data/agent.aot ]] &&
    image=("-XX:AOTCache=$work/image$jdk/class-data/agent.aot") # JDK 25+: an AOT cache
  measure "JDK $jdk + what the image's entrypoint left after its first run (archive, libraries)" \
    "$java" "$app" "${image[@]}" \
    "-Donnxruntime.native.path=$(compgen -G "$work/image$jdk/onnxruntime/*")"
  "$here/deploy/systemd/agent-natives.sh" "$app"
  training=()
  [[ -n $cache ]] && training=("$given")
  "$here/deploy/systemd/agent-archive.sh" "$app" "$java" "${training[@]}" >/dev/null
  archive=(-XX:SharedArchiveFile=app-cds.jsa -Xshare:auto)
  [[ -f $app/app.aot ]] && archive=(-XX:AOTCache=app.aot)
  measure "JDK $jdk + ${archive[0]} + unpacked ONNX Runtime (as the unit)" "$java" "$app" \
    "${archive[@]}" -Donnxruntime.native.path="$app/native"
done
