#!/bin/sh
# The agent image's entrypoint (deploy/README.md, "Container images"): the lean JVM of the systemd
# unit, and what the agent's first run leaves the next (agent/README.md, "Start and footprint";
# BENCHMARKS.md B8): the class-data archive <data-dir>/class-data/agent.jsa, which the JVM writes
# as it exits and the agent vouches for once it has served ferry.agent.class-archive.keep-after,
# and ONNX Runtime's libraries, unpacked once. The container's arguments are added to the JVM's
# options. The data directory is FERRY_AGENT_DATA_DIR's; FERRY_AGENT_HOME: the packaged agent
# (quarkus-run.jar's directory).
cd "${FERRY_AGENT_HOME:-/home/jboss}" || exit 1
data=${FERRY_AGENT_DATA_DIR:-ferry-agent-data}
archive=$data/class-data/agent.jsa
new=$archive.new
set -- -XX:+UseSerialGC -Xms16m -Xmx512m -XX:TrimNativeHeapInterval=2000 \
  -XX:+ExitOnOutOfMemoryError "$@" -Djava.util.logging.manager=org.jboss.logmanager.LogManager
libraries=
for jar in lib/main/com.microsoft.onnxruntime.onnxruntime*.jar; do
  [ -f "$jar" ] || continue
  libraries=$data/onnxruntime/${jar##*/} # one directory per ONNX Runtime jar
  if [ -f "$libraries/libonnxruntime.so" ] && [ -f "$libraries/libonnxruntime4j_jni.so" ]; then
    set -- "-Donnxruntime.native.path=$libraries" "$@"
  else
    set -- "-Dferry.agent.runtime.unpack-into=$libraries" "$@"
  fi
  break
done
if [ -s "$archive" ]; then
  set -- "-XX:SharedArchiveFile=$archive" -Xshare:auto "$@"
elif [ -n "${JAVA_HOME:-}" ] && [ ! -f "$JAVA_HOME/lib/server/classes.jsa" ]; then
  # HotSpot writes an archive only on top of the JDK's own (a jlinked runtime may lack it)
  echo "no class-data archive: $JAVA_HOME has no lib/server/classes.jsa" >&2
else
  # nothing of an earlier run that never stopped cleanly may pass for this one's; the per-class
  # warnings (some 1,200) would swamp the log
  rm -f "$new" "$archive.key"
  set -- "-XX:ArchiveClassesAtExit=$new" -Xlog:cds=error "$@"
fi

# The JVM runs as a child, signals forwarded, so that what it leaves can be judged once it exits.
jvm=
trap 'stopping=1; [ -n "$jvm" ] && kill -TERM "$jvm" 2>/dev/null' TERM INT
java "$@" -jar quarkus-run.jar &
jvm=$!
[ -n "${stopping:-}" ] && kill -TERM "$jvm" 2>/dev/null
wait "$jvm"
status=$?
while kill -0 "$jvm" 2>/dev/null; do # a signal ends the wait before the JVM does
  wait "$jvm"
  status=$?
done
case $status in
  0 | 130 | 143) # a clean stop: its archive, if it wrote one, is whole (HotSpot 17 crashed mapping
    # an archive cut short, SIGBUS)
    if [ -s "$new" ]; then
      sync "$new" 2>/dev/null
      mv -f "$new" "$archive"
    fi
    ;;
  134 | 135 | 139) # the JVM crashed: the next start goes without what this one mapped and loaded
    rm -rf "$archive.key" "$archive" "$new" ${libraries:+"$libraries"}
    ;;
esac
exit "$status"
