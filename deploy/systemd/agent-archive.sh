#!/usr/bin/env bash
# Makes the agent's class archive with the java that will run it (BENCHMARKS.md B8): one training
# start of the packaged agent (serving its empty cache, sync off, on a free port, in a throw-away
# data directory) until it is started, then a stop, at which the JVM writes what it loaded:
#   JDK 25+:   <app-dir>/app.aot      (AOT cache; run with -XX:AOTCache=app.aot)
#   JDK 17-24: <app-dir>/app-cds.jsa  (dynamic CDS archive; -XX:SharedArchiveFile=app-cds.jsa)
# Both name the jar by its relative path and time: run the agent from <app-dir>. Prints the file.
#   deploy/systemd/agent-archive.sh <app-dir> [java]
set -euo pipefail

app=$(cd "${1:?usage: $0 <app-dir> [java]}" && pwd)
java=${2:-$(command -v java)}
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
rm -f "$app/$file"
(cd "$app" && FERRY_AGENT_SYNC_ENABLED=false FERRY_AGENT_DATA_DIR=$data/agent \
  exec "$java" -XX:+UseSerialGC -Xms16m -Xmx512m "$dump" \
  -Dquarkus.http.port=0 -jar quarkus-run.jar >"$data/log" 2>&1) &
pid=$!
for _ in $(seq 1200); do
  grep -q " started in " "$data/log" && break
  kill -0 "$pid" 2>/dev/null || { cat "$data/log" >&2; exit 1; }
  sleep 0.1
done
kill -TERM "$pid"
wait "$pid" || true
[[ -s $app/$file ]] || { echo "no $file made:" >&2; cat "$data/log" >&2; exit 1; }
chmod 0644 "$app/$file"
echo "$app/$file"
