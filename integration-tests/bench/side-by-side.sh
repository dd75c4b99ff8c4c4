#!/usr/bin/env bash
# Ferry's agent beside another Open Inference Protocol server, driven by one load generator (wrk)
# with the same numbers: PaddleOCR's classifier and detector, OIP JSON and each server's binary
# path, at each concurrency a warm-up, then RUNS runs of DURATION seconds (medians reported); and,
# for a server this script starts, start to ready serving both models and its RSS idle and after
# the load. Prints a Markdown table. Needs wrk, curl, ss and python3 with numpy; the peer is
# optional (without it, the agent's figures alone).
#
#   mvn -B -DskipTests package -pl agent -am
#   mvn -B verify -Pbench -pl integration-tests -am -Dit.test=SideBySideCacheBenchmark \
#       -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
#       -Dfailsafe.failIfNoSpecifiedTests=false   # the agent's cache and agent.env
#   integration-tests/bench/side-by-side.sh
#
# The agent: started here from integration-tests/target/side-by-side/agent.env (AGENT_ENV), as
# AGENT_WAY says: "image" (default) through the container image's entrypoint
# (agent/src/main/jib/opt/ferry/agent.sh) on a copy of the cache, after a first run that leaves
# its class-data archive and ONNX Runtime's libraries there, as on a device; "plain" with the
# systemd unit's JVM flags and neither (the way of the runs before 2026-12-05 21:30); or
# AGENT_URL=http://… to drive one already running (no start or RSS figures then).
# The peer: PEER_URL=http://… with PEER_START='a command that runs it in the foreground' (timed
# from launch to the first 200 of every model's ready path) or without it (already running).
# PEER_BINARY=npz (default: POST /predictions/<m>, tensor/npz in and out, DJL Serving's) or oip
# (the OIP binary extension, as the agent). PEER_MODELS: its names for ocr-cls and ocr-det
# (default "ocr_cls ocr_det": DJL turns "-" into "_").
# Settings: DURATION (15), RUNS (3), WARMUP (3 s), CONCURRENCY ("1 4"), STARTS (3), PORT (18181),
# JAVA_OPTS (added to the agent's flags, for a trial of other JVM settings).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
duration=${DURATION:-15}
runs=${RUNS:-3}
warmup=${WARMUP:-3}
concurrency=${CONCURRENCY:-1 4}
starts=${STARTS:-3}
port=${PORT:-18181}
agent_env=${AGENT_ENV:-$root/integration-tests/target/side-by-side/agent.env}
peer_url=${PEER_URL:-}
peer_binary=${PEER_BINARY:-npz}
agent_way=${AGENT_WAY:-image}
read -r -a peer_models <<<"${PEER_MODELS:-ocr_cls ocr_det}"
models=(ocr-cls ocr-det)
inputs=(1,3,48,192 1,3,320,320)
outputs=(softmax_0.tmp_0 sigmoid_0.tmp_0)
work=$(mktemp -d)
declare -A figure
started=()

cleanup() {
  set +e
  for pid in "${started[@]}"; do
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
  done
  rm -rf "$work"
}
trap cleanup EXIT

listener() { # port → pid of the process listening on it
  ss -Hltnp "sport = :$1" | sed -n 's/.*pid=\([0-9]*\).*/\1/p' | head -1
}

rss_mib() { # pid → resident MiB
  awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"
}

ready() { # url paths… → whether every one answers 200
  local url=$1 path
  shift
  for path in "$@"; do
    [[ $(curl -s -o /dev/null -w '%{http_code}' "$url$path") == 200 ]] || return 1
  done
}

start_timed() { # name url command ready-paths… → starts, waits for ready; sets last_pid, last_ms
  local name=$1 url=$2 command=$3 begin
  shift 3
  if [[ -n $(listener "${url##*:}") ]]; then
    echo "something already listens on ${url##*:}: stop it first" >&2
    exit 1
  fi
  begin=$(date +%s%N)
  bash -c "exec $command" >"$work/$name.log" 2>&1 &
  last_pid=$!
  started+=("$last_pid")
  until ready "$url" "$@"; do
    kill -0 "$last_pid" 2>/dev/null || { echo "$name did not start:" >&2; tail -20 "$work/$name.log" >&2; exit 1; }
    sleep 0.02
  done
  last_ms=$((($(date +%s%N) - begin) / 1000000))
}

starts_of() { # name url command ready-paths… → STARTS timed starts, the last one left running
  local name=$1 url=$2 command=$3 i times=() rss=()
  shift 3
  for ((i = 1; i <= starts; i++)); do
    start_timed "$name" "$url" "$command" "$@"
    sleep 5
    times+=("$last_ms")
    rss+=("$(rss_mib "$(listener "${url##*:}")")")
    if ((i < starts)); then
      kill "$last_pid" && wait "$last_pid" 2>/dev/null || true
      sleep 1
    fi
  done
  figure[$name.start]=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(((starts + 1) / 2))p")
  figure[$name.starts]="${times[*]}"
  figure[$name.idle]=$(printf '%s\n' "${rss[@]}" | sort -n | sed -n "$(((starts + 1) / 2))p")
  echo "$name: start to ready ${times[*]} ms, RSS idle ${rss[*]} MiB" >&2
}

load() { # url body content-type accept header-length concurrency → "req/s p50 p99" (medians)
  local url=$1 c=$6 threads=$(($6 < 2 ? $6 : 2)) i lines=()
  local -x BODY=$2 CONTENT_TYPE=$3 ACCEPT=$4 HEADER_LENGTH=$5
  wrk -t"$threads" -c"$c" -d"${warmup}s" --timeout 30s -s "$here/side-by-side.lua" "$url" >/dev/null
  for ((i = 0; i < runs; i++)); do
    lines+=("$(wrk -t"$threads" -c"$c" -d"${duration}s" --timeout 30s -s "$here/side-by-side.lua" \
      "$url" | awk '/^RESULT/ {if ($3 > 0) {print "ERRORS", $3} else printf "%.1f %.2f %.2f\n", $2 / $4, $5, $6}')")
  done
  if printf '%s\n' "${lines[@]}" | grep -q ERRORS; then
    echo "failed requests at $url: ${lines[*]}" >&2
    exit 1
  fi
  printf '%s\n' "${lines[@]}" | sort -n -k1,1 | sed -n "$(((runs + 1) / 2))p"
}

# bodies, the same numbers for both
for i in 0 1; do
  python3 "$here/side-by-side.py" bodies x "${outputs[$i]}" "${inputs[$i]}" "$work/${models[$i]}"
done

# the agent
if [[ -n ${AGENT_URL:-} ]]; then
  agent_url=$AGENT_URL
else
  [[ -f $agent_env ]] || { echo "no $agent_env: run SideBySideCacheBenchmark first" >&2; exit 1; }
  agent_url=http://127.0.0.1:$port
  app=$root/agent/target/quarkus-app
  if [[ $agent_way == image ]]; then
    # as the container image runs it: its entrypoint, on a copy of the cache; its first run, not
    # timed, leaves the class-data archive (written at its stop) and ONNX Runtime's libraries in
    # the data directory for the timed ones, as on a device
    data=$work/agent-data
    mkdir -p "$data"
    cp -r "$(sed -n 's/^FERRY_AGENT_DATA_DIR=//p' "$agent_env")/." "$data"
    agent_command="env \$(cat $agent_env) FERRY_AGENT_DATA_DIR=$data FERRY_AGENT_HOME=$app \
FERRY_AGENT_CLASS_ARCHIVE_KEEP_AFTER=2s MALLOC_ARENA_MAX=2 OMP_NUM_THREADS=1 \
/bin/sh $root/agent/src/main/jib/opt/ferry/agent.sh ${JAVA_OPTS:-} -Dquarkus.http.port=$port"
    start_timed agent-first-run "$agent_url" "$agent_command" /q/health/ready
    until grep -q 'is written when the agent stops' "$work/agent-first-run.log" &&
      grep -q 'libraries unpacked into' "$work/agent-first-run.log"; do sleep 0.2; done
    kill "$last_pid" && wait "$last_pid" 2>/dev/null || true
    [[ -s $data/class-data/agent.jsa ]] || { echo "no archive after the first run" >&2; exit 1; }
    echo "agent's first run: ready in $last_ms ms, archive and libraries left for the next" >&2
  else
    cds=""
    [[ -f $app/app-cds.jsa ]] && cds="-XX:SharedArchiveFile=app-cds.jsa -Xshare:auto"
    # the systemd unit's flags (deploy/systemd/ferry-agent.service), without its archive
    agent_command="env \$(cat $agent_env) MALLOC_ARENA_MAX=2 OMP_NUM_THREADS=1 sh -c 'cd $app && exec java \
-XX:+ExitOnOutOfMemoryError -XX:+UseSerialGC -Xms16m -Xmx512m $cds ${JAVA_OPTS:-} -Dquarkus.http.port=$port \
-jar quarkus-run.jar'"
  fi
  starts_of agent "$agent_url" "$agent_command" /q/health/ready
fi

# the peer
if [[ -n $peer_url && -n ${PEER_START:-} ]]; then
  starts_of peer "$peer_url" "$PEER_START" "/v2/models/${peer_models[0]}/ready" \
    "/v2/models/${peer_models[1]}/ready"
fi

# the same outputs for the same input, before any timing
for i in 0 1; do
  m=${models[$i]}
  b=$work/$m
  curl -sf -H 'Content-Type: application/json' --data-binary @"$b.json" \
    "$agent_url/v2/models/$m/infer" -o "$b.agent.json"
  curl -sf -D "$b.agent.headers" -H 'Content-Type: application/octet-stream' \
    -H "Inference-Header-Content-Length: $(cat "$b.bin.header")" --data-binary @"$b.bin" \
    "$agent_url/v2/models/$m/infer" -o "$b.agent.bin"
  tr -d '\r' <"$b.agent.headers" | awk -F': ' 'tolower($1) == "inference-header-content-length" {print $2}' \
    >"$b.agent.bin.header"
  answers=("$b.agent.bin")
  if [[ -n $peer_url ]]; then
    p=${peer_models[$i]}
    curl -sf -H 'Content-Type: application/json' --data-binary @"$b.json" \
      "$peer_url/v2/models/$p/infer" -o "$b.peer.json"
    answers+=("$b.peer.json")
    if [[ $peer_binary == npz ]]; then
      curl -sf -H 'Content-Type: tensor/npz' -H 'Accept: tensor/npz' --data-binary @"$b.npz" \
        "$peer_url/predictions/$p" -o "$b.peer.npz"
      answers+=("$b.peer.npz")
    fi
  fi
  echo "$m: outputs compared" >&2
  python3 "$here/side-by-side.py" check "${outputs[$i]}" "$b.agent.json" "${answers[@]}" >&2
done

# load
for i in 0 1; do
  m=${models[$i]}
  b=$work/$m
  for c in $concurrency; do
    figure[agent.$m.json.$c]=$(load "$agent_url/v2/models/$m/infer" "$b.json" application/json "" "" "$c")
    figure[agent.$m.binary.$c]=$(load "$agent_url/v2/models/$m/infer" "$b.bin" \
      application/octet-stream "" "$(cat "$b.bin.header")" "$c")
    echo "agent $m c=$c: JSON ${figure[agent.$m.json.$c]}, binary ${figure[agent.$m.binary.$c]}" >&2
    if [[ -n $peer_url ]]; then
      p=${peer_models[$i]}
      figure[peer.$m.json.$c]=$(load "$peer_url/v2/models/$p/infer" "$b.json" application/json "" "" "$c")
      if [[ $peer_binary == npz ]]; then
        figure[peer.$m.binary.$c]=$(load "$peer_url/predictions/$p" "$b.npz" tensor/npz tensor/npz "" "$c")
      else
        figure[peer.$m.binary.$c]=$(load "$peer_url/v2/models/$p/infer" "$b.bin" \
          application/octet-stream "" "$(cat "$b.bin.header")" "$c")
      fi
      echo "peer $m c=$c: JSON ${figure[peer.$m.json.$c]}, binary ${figure[peer.$m.binary.$c]}" >&2
    fi
  done
done
sleep 3
for name in agent peer; do
  if [[ -n ${figure[$name.start]:-} ]]; then
    pid=$(listener "$([[ $name == agent ]] && echo "${agent_url##*:}" || echo "${peer_url##*:}")")
    figure[$name.loaded]=$(rss_mib "$pid")
    figure[$name.peak]=$(awk '/VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$pid/status")
  fi
done

# the table
ratio() { [[ -n ${2:-} && -n ${1:-} ]] && awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}' || echo "–"; }
joined() { local out; printf -v out '%s / ' "$@"; echo "${out% / }"; }
row() { # label key-suffix field(1 req/s, 2 p50, 3 p99)
  local a=() p=() r=() c
  for c in $concurrency; do
    a+=("$(cut -d' ' -f"$3" <<<"${figure[agent.$2.$c]}")")
    p+=("$(cut -d' ' -f"$3" <<<"${figure[peer.$2.$c]:-}")")
    r+=("$(ratio "${a[-1]}" "${p[-1]}")")
  done
  echo "| $1 | $(joined "${a[@]}") | $(joined "${p[@]}") | $(joined "${r[@]}") |"
}
echo
echo "| figure (concurrency $(joined $concurrency)) | Ferry agent | peer | Ferry / peer |"
echo "|---|---|---|---|"
for m in ocr-cls ocr-det; do
  row "$m, JSON (OIP) inf/s" "$m.json" 1
  row "$m, JSON p50 ms" "$m.json" 2
  row "$m, binary (agent: OIP binary ext.; peer: $peer_binary) inf/s" "$m.binary" 1
  row "$m, binary p50 ms" "$m.binary" 2
done
for f in start:"start to both models ready (ms, median of $starts)" idle:"RSS idle, both models loaded (MiB)" \
  loaded:"RSS after the load runs (MiB)" peak:"peak RSS (VmHWM, MiB)"; do
  echo "| ${f#*:} | ${figure[agent.${f%%:*}]:-–} | ${figure[peer.${f%%:*}]:-–} | $(ratio "${figure[agent.${f%%:*}]:-}" "${figure[peer.${f%%:*}]:-}") |"
done
echo
echo "starts (ms): agent ${figure[agent.starts]:-–}; peer ${figure[peer.starts]:-–}"
