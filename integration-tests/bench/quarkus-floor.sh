#!/usr/bin/env bash
# B8's floor: start to ready (GET /q/health/ready 200) and idle RSS of the smallest Quarkus service
# the agent could be (integration-tests/bench/quarkus-floor/bare: one REST resource and SmallRye
# Health, the agent's Quarkus version and aot-jar packaging) and of the same with the agent's
# Quarkus extensions (…/extensions: REST with Jackson, gRPC with one service, Micrometer with
# Prometheus), with the agent unit's JVM flags and MALLOC_ARENA_MAX, three runs each: JDK 17 without and with a class archive trained by a start
# (-XX:ArchiveClassesAtExit, as deploy/systemd/agent-archive.sh makes the agent's), and, where
# Temurin 25 is installed, JDK 25 without and with its AOT cache (-XX:AOTCacheOutput). What no
# agent built on this framework can go below on this machine; the agent's own figures come from
# agent-starts.sh, run the same way. Prints "<ms>ms/<RSS>MiB/<CPU>s" per run (RSS after 5 s idle,
# CPU seconds to ready).
#
#   integration-tests/bench/quarkus-floor.sh
#
# Settings: JDKS (default "17 25"), FLAGS (default the unit's), JAVA_OPTS (added to every run).
set -euo pipefail

here=$(cd "$(dirname "$0")/../.." && pwd)
java17=${JAVA17:-/usr/lib/jvm/java-17-openjdk-amd64/bin/java}
java25=${JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
port=${PORT:-18182}
read -r -a flags <<<"${FLAGS:--XX:+UseSerialGC -Xms16m -Xmx512m -XX:TrimNativeHeapInterval=2000}"
read -r -a extra <<<"${JAVA_OPTS:-}"

floors=$here/integration-tests/bench/quarkus-floor
for floor in bare extensions; do (cd "$floors/$floor" && mvn -B -q -DskipTests package); done

start() { # java app-dir [jvm options…]; sets pid, started (ns)
  local java=$1 dir=$2
  shift 2
  started=$(date +%s%N)
  (cd "$dir" && exec env MALLOC_ARENA_MAX=2 "$java" "${flags[@]}" "${extra[@]}" "$@" \
    -Dquarkus.http.port="$port" -jar quarkus-run.jar >"$dir.log" 2>&1) &
  pid=$!
  until curl -sf -o /dev/null "http://127.0.0.1:$port/q/health/ready"; do
    kill -0 "$pid" 2>/dev/null || { echo "did not start:"; cat "$dir.log"; exit 1; }
    sleep 0.02
  done
}

measure() { # name java app-dir [jvm options…]
  local name=$1 java=$2 dir=$3 runs=() end cpu rss
  shift 3
  for _ in 1 2 3; do
    start "$java" "$dir" "$@"
    end=$(date +%s%N)
    cpu=$(awk '{printf "%.1f", ($14 + $15) / 100}' "/proc/$pid/stat")
    curl -sf -o /dev/null "http://127.0.0.1:$port/hello"
    sleep 5
    rss=$(awk '/VmRSS/ {print int($2 / 1024)}' "/proc/$pid/status")
    runs+=("$(((end - started) / 1000000))ms/${rss}MiB/${cpu}s")
    kill "$pid"
    wait "$pid" 2>/dev/null || true
    sleep 1
  done
  echo "$name: ${runs[*]}"
}

train() { # java app-dir option: a start, its two paths asked, a stop that writes the archive
  start "$1" "$2" "$3"
  curl -sf -o /dev/null "http://127.0.0.1:$port/hello"
  kill "$pid"
  wait "$pid" 2>/dev/null || true
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for jdk in ${JDKS:-17 25}; do
  java=$java17
  [[ $jdk == 25 ]] && java=$java25
  [[ -x $java ]] || continue
  for floor in bare extensions; do
    app=$work/$floor$jdk
    cp -r --preserve=timestamps "$floors/$floor/target/quarkus-app" "$app"
    measure "$floor, JDK $jdk" "$java" "$app"
    if [[ $jdk == 17 ]]; then
      train "$java" "$app" -XX:ArchiveClassesAtExit=app-cds.jsa
      measure "$floor, JDK $jdk + -XX:SharedArchiveFile" "$java" "$app" \
        -XX:SharedArchiveFile=app-cds.jsa -Xshare:auto
    else
      train "$java" "$app" -XX:AOTCacheOutput=app.aot
      measure "$floor, JDK $jdk + -XX:AOTCache" "$java" "$app" -XX:AOTCache=app.aot
    fi
  done
done
