#!/bin/sh
# Installs the ferry command from this checkout's build:
#   mvn -B -DskipTests package -pl hub/cli -am       # once, in the checkout (or the whole build)
#   sudo deploy/cli/install.sh                       # /usr/local/bin/ferry, /usr/local/lib/ferry/
#   deploy/cli/install.sh ~/.local                   # or any prefix of your own
# PREFIX/lib/ferry/ferry-cli.jar and PREFIX/bin/ferry, the launcher that runs it.
set -eu

usage() {
  echo "usage: deploy/cli/install.sh [PREFIX]" >&2
  exit 2
}

[ $# -le 1 ] || usage
case ${1:-} in
  -*) usage ;;
esac
prefix=${1:-/usr/local}
here=$(cd "$(dirname "$0")" && pwd)
jar=$here/../../hub/cli/target/ferry-cli.jar
if [ ! -f "$jar" ]; then
  echo "install.sh: no $jar: run 'mvn -B -DskipTests package -pl hub/cli -am' first" >&2
  exit 1
fi

mkdir -p "$prefix/bin" "$prefix/lib/ferry"
cp "$jar" "$prefix/lib/ferry/ferry-cli.jar.new"
chmod 0644 "$prefix/lib/ferry/ferry-cli.jar.new"
mv -f "$prefix/lib/ferry/ferry-cli.jar.new" "$prefix/lib/ferry/ferry-cli.jar"
cp "$here/ferry" "$prefix/bin/ferry.new"
chmod 0755 "$prefix/bin/ferry.new"
mv -f "$prefix/bin/ferry.new" "$prefix/bin/ferry"
echo "installed $prefix/bin/ferry ($prefix/lib/ferry/ferry-cli.jar)"
