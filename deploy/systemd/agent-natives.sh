#!/usr/bin/env bash
# Unpacks ONNX Runtime's native libraries for this machine from the installed agent's jar into
# <app-dir>/native, for -Donnxruntime.native.path=<app-dir>/native (else ONNX Runtime unpacks them
# into java.io.tmpdir at every start). Fails, leaving nothing, where there is neither unzip nor
# python3 or the jar has no libraries for this machine.
#   deploy/systemd/agent-natives.sh <app-dir>
set -euo pipefail

app=$(cd "${1:?usage: $0 <app-dir>}" && pwd)
case $(uname -m) in
  x86_64) platform=linux-x64 ;;
  aarch64) platform=linux-aarch64 ;;
  *) exit 1 ;;
esac
jar=$(compgen -G "$app/lib/main/com.microsoft.onnxruntime.onnxruntime*.jar" | head -1) || exit 1
rm -rf "$app/native"
mkdir -p "$app/native"
prefix=ai/onnxruntime/native/$platform/
if command -v unzip >/dev/null; then
  unzip -q -j "$jar" "$prefix*" -d "$app/native" || { rm -rf "$app/native"; exit 1; }
elif command -v python3 >/dev/null; then
  python3 - "$jar" "$prefix" "$app/native" <<'PY' || { rm -rf "$app/native"; exit 1; }
import os, sys, zipfile
jar, prefix, out = sys.argv[1:]
with zipfile.ZipFile(jar) as z:
    names = [n for n in z.namelist() if n.startswith(prefix) and not n.endswith("/")]
    if not names:
        sys.exit(1)
    for n in names:
        with open(os.path.join(out, os.path.basename(n)), "wb") as f:
            f.write(z.read(n))
PY
else
  rm -rf "$app/native"
  exit 1
fi
compgen -G "$app/native/*onnxruntime*" >/dev/null || { rm -rf "$app/native"; exit 1; }
chmod -R u=rwX,go=rX "$app/native"
