#!/bin/sh
# The agent image's entrypoint (deploy/README.md, "Container images"): the lean JVM of the systemd
# unit, and the class-data archive the agent makes of its own run (agent/README.md, "Start and
# footprint"; BENCHMARKS.md B8). With <data-dir>/class-data/agent.jsa there the JVM maps it;
# without, it writes one when it exits, of the classes it loaded, and the agent vouches for it once
# it has served ferry.agent.class-archive.keep-after; and ONNX Runtime's libraries, unpacked once.
# The container's arguments are added to the JVM's options. FERRY_AGENT_HOME: the packaged agent
# (quarkus-run.jar's directory).
cd "${FERRY_AGENT_HOME:-/home/jboss}" || exit 1
data=${FERRY_AGENT_DATA_DIR:-ferry-agent-data}
archive=$data/class-data/agent.jsa
set -- -XX:+UseSerialGC -Xms16m -Xmx512m -XX:TrimNativeHeapInterval=2000 \
  -XX:+ExitOnOutOfMemoryError "$@" -Djava.util.logging.manager=org.jboss.logmanager.LogManager
# ONNX Runtime's libraries, unpacked by the agent into the data directory once, one directory per
# ONNX Runtime jar (ferry.agent.runtime.unpack-into): else ONNX Runtime unpacks them at every start
for jar in lib/main/com.microsoft.onnxruntime.onnxruntime*.jar; do
  [ -f "$jar" ] || continue
  libraries=$data/onnxruntime/${jar##*/}
  if [ -f "$libraries/libonnxruntime.so" ] && [ -f "$libraries/libonnxruntime4j_jni.so" ]; then
    set -- "-Donnxruntime.native.path=$libraries" "$@"
  else
    set -- "-Dferry.agent.runtime.unpack-into=$libraries" "$@"
  fi
  break
done
if [ -s "$archive" ]; then
  exec java "-XX:SharedArchiveFile=$archive" -Xshare:auto "$@" -jar quarkus-run.jar
fi
if [ -n "${JAVA_HOME:-}" ] && [ ! -f "$JAVA_HOME/lib/server/classes.jsa" ]; then
  # HotSpot writes an archive only on top of the JDK's own (a jlinked runtime may lack it)
  echo "no class-data archive: $JAVA_HOME has no lib/server/classes.jsa" >&2
  exec java "$@" -jar quarkus-run.jar
fi
# Written beside it and moved into place only once the JVM has stopped cleanly: HotSpot 17 crashes
# mapping an archive cut short (SIGBUS), which a stop cut short (SIGKILL) would leave. Its
# warnings, one per class it leaves out (some 1,200), would swamp the log.
new=$archive.new
java "-XX:ArchiveClassesAtExit=$new" -Xlog:cds=error "$@" -jar quarkus-run.jar &
jvm=$!
trap 'kill -TERM "$jvm" 2>/dev/null' TERM INT
wait "$jvm"
status=$?
while kill -0 "$jvm" 2>/dev/null; do # a signal ends the wait before the JVM does
  wait "$jvm"
  status=$?
done
case $status in
  0 | 130 | 143) [ -s "$new" ] && mv -f "$new" "$archive" ;;
esac
exit "$status"
