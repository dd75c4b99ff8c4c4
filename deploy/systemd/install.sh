#!/usr/bin/env bash
# Installs the Ferry agent or hub as a hardened systemd service from this checkout's build.
#   mvn -B -DskipTests package            # once, in the checkout (-Pcuda for the GPU agent)
#   sudo deploy/systemd/install.sh agent [--gpu]
#   sudo deploy/systemd/install.sh hub
# Then edit /etc/ferry/<part>.env and: sudo systemctl restart ferry-<part>
set -euo pipefail

usage() {
  echo "usage: $0 agent|hub [--gpu]" >&2
  exit 2
}

part=${1:-}
[[ $part == agent || $part == hub ]] || usage
gpu=no
if [[ ${2:-} == --gpu ]]; then
  [[ $part == agent ]] || { echo "--gpu is for the agent" >&2; exit 2; }
  gpu=yes
elif [[ -n ${2:-} ]]; then
  usage
fi
[[ $(id -u) == 0 ]] || { echo "run as root (sudo)" >&2; exit 1; }

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
app="$root/$part/target/quarkus-app"
[[ -f $app/quarkus-run.jar ]] || { echo "no $app/quarkus-run.jar: run 'mvn -B -DskipTests package' first" >&2; exit 1; }
if [[ $gpu == yes ]] && ! compgen -G "$app/lib/main/com.microsoft.onnxruntime.onnxruntime_gpu-*.jar" >/dev/null; then
  echo "--gpu needs the GPU agent (ONNX Runtime's CUDA and TensorRT providers): build it with 'mvn -B -DskipTests -Pcuda package -pl agent -am' first" >&2
  exit 1
fi
command -v java >/dev/null || { echo "no java on PATH: install a Java 17+ runtime" >&2; exit 1; }
java=$(command -v java)

# the application, owned by root and read-only to the service
install -d -m 0755 /opt/ferry
rm -rf "/opt/ferry/$part.new"
# (times kept: the class-data archive holds the jars' modification times)
cp -r --preserve=timestamps "$app" "/opt/ferry/$part.new"
chown -R root:root "/opt/ferry/$part.new"
chmod -R u=rwX,go=rX "/opt/ferry/$part.new"
rm -rf "/opt/ferry/$part.old"
[[ -d /opt/ferry/$part ]] && mv "/opt/ferry/$part" "/opt/ferry/$part.old"
mv "/opt/ferry/$part.new" "/opt/ferry/$part"

# the agent's class archive, made by one training start with this machine's java (BENCHMARKS.md
# B8: it takes about a third off the start): app.aot on JDK 25+ (the unit below then names it),
# app-cds.jsa on JDK 17-24. Run install.sh again after a JDK upgrade: a JVM of another build
# starts without the archive (-Xshare:auto), only slower
if [[ $part == agent ]]; then
  "$here/agent-archive.sh" "/opt/ferry/$part" "$java" >/dev/null ||
    echo "no class archive made: the agent starts without one" >&2
fi

# settings: created once from the example, never overwritten
install -d -m 0755 /etc/ferry
if [[ ! -f /etc/ferry/$part.env ]]; then
  install -m 0600 "$here/$part.env.example" "/etc/ferry/$part.env"
  echo "wrote /etc/ferry/$part.env from the example: edit it before starting" >&2
fi

# credentials (tokens) for the agent: root-only files the unit passes to the service; empty until
# the operator fills them (LoadCredential= needs the files to exist)
if [[ $part == agent ]]; then
  install -d -m 0700 /etc/ferry/credentials
  for credential in enrollment-token api-token; do
    [[ -f /etc/ferry/credentials/$credential ]] || install -m 0600 /dev/null "/etc/ferry/credentials/$credential"
  done
fi

# ONNX Runtime's libraries for this machine, unpacked once: else ONNX Runtime unpacks its 22 MB
# library into /tmp at every start (0.3-0.4 s of it, BENCHMARKS.md B8), and the unit is told where
native=()
if [[ $part == agent ]] && "$here/agent-natives.sh" "/opt/ferry/$part"; then
  native=(-e "s|^\(ExecStart=.*\) -jar quarkus-run.jar|\1 -Donnxruntime.native.path=/opt/ferry/$part/native -jar quarkus-run.jar|")
fi

# the unit, pointed at this machine's java, and at the JDK 25 AOT cache when there is one; without
# the periodic native-heap trim where this java has none (JDK 17 before 17.0.9)
archive=(-e "s|-XX:SharedArchiveFile=app-cds.jsa|-XX:AOTCache=app.aot|")
[[ -f /opt/ferry/$part/app.aot ]] || archive=()
trim=()
"$java" -XX:TrimNativeHeapInterval=2000 -version >/dev/null 2>&1 ||
  trim=(-e "s| -XX:TrimNativeHeapInterval=[0-9]*||")
sed -e "s|^ExecStart=/usr/bin/java |ExecStart=$java |" "${archive[@]}" "${native[@]}" "${trim[@]}" "$here/ferry-$part.service" \
  >"/etc/systemd/system/ferry-$part.service"
chmod 0644 "/etc/systemd/system/ferry-$part.service"
if [[ $gpu == yes ]]; then
  install -d -m 0755 /etc/systemd/system/ferry-agent.service.d
  install -m 0644 "$here/ferry-agent.service.d/gpu.conf" /etc/systemd/system/ferry-agent.service.d/gpu.conf
fi
systemd-analyze verify "/etc/systemd/system/ferry-$part.service"
systemctl daemon-reload
systemctl enable "ferry-$part.service"
echo "installed ferry-$part; start it with: systemctl start ferry-$part" >&2
