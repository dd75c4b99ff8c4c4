#!/usr/bin/env bash
# Makes the agent's class archive with the java that will run it (BENCHMARKS.md B8): one training
# start of the packaged agent on a free port until it is ready, a few requests (readiness, server
# and model metadata), then a stop, at which the JVM writes what it loaded:
#   JDK 25+:   <app-dir>/app.aot      (AOT cache; run with -XX:AOTCache=app.aot)
#   JDK 17-24: <app-dir>/app-cds.jsa  (dynamic CDS archive; -XX:SharedArchiveFile=app-cds.jsa)
# Both name the jar by its relative path and time: run the agent from <app-dir>. Prints the file.
# Given a device's settings (agent.env, FERRY_AGENT_DATA_DIR naming its data directory), the
# training start restores and serves a copy of that device's cache with the broker unreachable, so
# that the classes of syncing, verifying, loading and serving a model are in the archive too;
# without, it serves an empty cache with sync off (the agent then loads them at its first start).
#   deploy/systemd/agent-archive.sh <app-dir> [java] [agent.env]
set -euo pipefail

app=$(cd "${1:?usage: $0 <app-dir> [java] [agent.env]}" && pwd)
java=${2:-$(command -v java)}
device=${3:-}
version=$("$java" -XshowSettings:properties -version 2>&1 |
  awk '/java.specification.version/ {print $3}')
if ((${version%%.*} >= 25)); then
  file=app.aot
  dump=-XX:AOTCacheOutput=$file
else
  file="app-cds.jsa"
  dump=-XX:ArchiveClassesAtExit=$file
fi
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
settings=(FERRY_AGENT_SYNC_ENABLED=false "FERRY_AGENT_DATA_DIR=$data/agent")
if [[ -n $device ]]; then
  settings=()
  while IFS= read -r line; do
    case $line in
      '' | '#'*) ;;
      FERRY_AGENT_DATA_DIR=*) cp -r "${line#*=}/." "$data/agent" ;;
      *) settings+=("$line") ;;
    esac
  done < <(mkdir "$data/agent" && cat "$device")
  settings+=("FERRY_AGENT_DATA_DIR=$data/agent" FERRY_AGENT_MQTT_URL=tcp://127.0.0.1:1)
fi
native=()
[[ -d $app/native ]] && native=("-Donnxruntime.native.path=$app/native")
rm -f "$app/$file"
(cd "$app" && exec env "${settings[@]}" "$java" -XX:+UseSerialGC -Xms16m -Xmx512m "$dump" \
  "${native[@]}" -Dquarkus.http.port=0 -Dquarkus.http.host=127.0.0.1 -jar quarkus-run.jar \
  >"$data/log" 2>&1) &
pid=$!
url=""
for _ in $(seq 1200); do
  kill -0 "$pid" 2>/dev/null || { cat "$data/log" >&2; exit 1; }
  if [[ -z $url ]]; then
    url=$(grep -o 'Listening on: http://[0-9.:]*' "$data/log" | cut -d' ' -f3) || true
  fi
  [[ -n $url ]] && curl -sf -o /dev/null "$url/q/health/ready" && break
  sleep 0.1
done
if [[ -n $url ]]; then
  curl -s -o /dev/null "$url/v2" || true
  serving=$(curl -s "$url/q/health/ready" | grep -o '"serving" *: *"[^"]*"' | cut -d'"' -f4) || true
  for model in ${serving//,/ }; do
    curl -s -o /dev/null "$url/v2/models/$model" || true
    curl -s -o /dev/null -H 'Content-Type: application/json' -d '{"inputs":[]}' \
      "$url/v2/models/$model/infer" || true
  done
fi
kill -TERM "$pid"
wait "$pid" || true
[[ -s $app/$file ]] || { echo "no $file made:" >&2; cat "$data/log" >&2; exit 1; }
chmod 0644 "$app/$file"
echo "$app/$file"
