#!/bin/sh
# The agent image's entrypoint (deploy/README.md, "Container images"): the lean JVM of the systemd
# unit, and what the agent's first run leaves the next (agent/README.md, "Start and footprint";
# BENCHMARKS.md B8): the class-data archive, which the JVM writes as it exits and the agent vouches
# for once it has served ferry.agent.class-archive.keep-after (<data-dir>/class-data/agent.jsa,
# a dynamic archive; on JDK 25 and later agent.aot, an AOT cache), and ONNX Runtime's libraries,
# unpacked once. The container's arguments are added to the JVM's options. The data directory is
# FERRY_AGENT_DATA_DIR's; FERRY_AGENT_HOME: the packaged agent (quarkus-run.jar's directory);
# JAVA_HOME, where set, the JVM's home (its release file says its version).
cd "${FERRY_AGENT_HOME:-/home/jboss}" || exit 1
data=${FERRY_AGENT_DATA_DIR:-ferry-agent-data}
feature=0 # the JVM's feature version, 0 where its release file does not say
if [ -n "${JAVA_HOME:-}" ] && [ -f "$JAVA_HOME/release" ]; then
  while IFS= read -r line; do
    case $line in
      JAVA_VERSION=\"[0-9]*)
        feature=${line#JAVA_VERSION=\"}
        feature=${feature%%[!0-9]*}
        ;;
    esac
  done <"$JAVA_HOME/release"
fi
if [ "$feature" -ge 25 ]; then
  archive=$data/class-data/agent.aot
  map=-XX:AOTCache # refuses -Xshare; starts without a cache it cannot map (AOTMode=auto)
  share=
  write=-XX:AOTCacheOutput
  log=-Xlog:aot=error
else
  archive=$data/class-data/agent.jsa
  map=-XX:SharedArchiveFile
  share=-Xshare:auto
  write=-XX:ArchiveClassesAtExit
  log=-Xlog:cds=error
fi
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
  set -- "$map=$archive" ${share:+"$share"} "$@"
elif [ "$feature" -lt 25 ] && [ -n "${JAVA_HOME:-}" ] &&
  [ ! -f "$JAVA_HOME/lib/server/classes.jsa" ]; then
  # HotSpot writes a dynamic archive only on top of the JDK's own (a jlinked runtime may lack it)
  echo "no class-data archive: $JAVA_HOME has no lib/server/classes.jsa" >&2
else
  # nothing of an earlier run that never stopped cleanly may pass for this one's; the per-class
  # warnings (some 1,200) would swamp the log. An AOT cache is assembled as the JVM exits, by a
  # JVM it starts for that (some seconds; a stop that does not wait for it leaves none)
  rm -f "$new" "$new.config" "$archive.key"
  mkdir -p "${archive%/*}" # JDK 25 opens the AOT cache's configuration file there as it starts
  set -- "$write=$new" "$log" "$@"
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
