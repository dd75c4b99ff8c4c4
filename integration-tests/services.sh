#!/usr/bin/env bash
# services.sh - real services for Ferry's integration tests, on 127.0.0.1 only.
#
# Usage:
#   integration-tests/services.sh install               install missing Debian packages (apt-get)
#   integration-tests/services.sh start  [names...]     start services (default: all); idempotent
#   integration-tests/services.sh stop   [names...]     stop services (default: all); idempotent
#   integration-tests/services.sh status [names...]     show state; exit 0 only if all are running
#   integration-tests/services.sh env                   print `export FERRY_...=...` lines for tests
#
#   eval "$(integration-tests/services.sh env)"         use the printed variables in this shell
#
# Services (names):
#   mosquitto      Mosquitto MQTT broker, anonymous, no persistence  127.0.0.1:$FERRY_MQTT_PORT (11883)
#   registry       CNCF Distribution registry, no auth, delete on    127.0.0.1:$FERRY_REGISTRY_PORT (15000)
#   registry-auth  second registry with htpasswd basic auth          127.0.0.1:$FERRY_REGISTRY_AUTH_PORT (15001)
#                  user "ferry", password $FERRY_REGISTRY_AUTH_PASSWORD (ferry-test-secret)
#   registry-token third registry with bearer token auth (auth.token)  127.0.0.1:$FERRY_REGISTRY_TOKEN_PORT (15002)
#                  token realm http://127.0.0.1:$FERRY_TOKEN_REALM_PORT/token (15003): no daemon here,
#                  the test runs the token server; it signs ES256 JWTs with the EC P-256 key
#                  <dir>/registry-token/token.key (PKCS#8 PEM) whose self-signed certificate
#                  token.crt is the registry's rootcertbundle (both made once with openssl)
#   postgres       PostgreSQL (newest in /usr/lib/postgresql), trust  127.0.0.1:$FERRY_PG_PORT (15432)
#                  database "ferry", user "ferry", password "ferry"
#
# Config, data, logs and pid files live under $FERRY_SERVICES_DIR (default: <repo>/target/services;
# as root in a checkout the "postgres" user cannot reach, such as one under /root,
# /var/tmp/ferry-services-<checksum of the checkout's path>),
# one folder per service (<dir>/<name>/<name>.log). No systemd: every service runs as a detached
# background process. Other settings: FERRY_SERVICES_TIMEOUT (seconds to wait for a service to accept
# connections, default 30), FERRY_PG_BINDIR (PostgreSQL bin folder, default the newest one found).
#
# Running as root, PostgreSQL runs as the "postgres" system user (initdb and postgres refuse root),
# so every folder above $FERRY_SERVICES_DIR must be traversable by that user.
# The data is for tests only: PostgreSQL runs with fsync off.

set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/.." && pwd)

# <repo>/target/services, unless root runs from a checkout the "postgres" user cannot reach (one
# under /root): then a folder of /var/tmp named after the checkout, the same on every run.
default_services_dir() {
  if ((EUID == 0)) && id -u postgres >/dev/null 2>&1 &&
    ! runuser -u postgres -- test -x "$REPO_ROOT" 2>/dev/null; then
    printf '/var/tmp/ferry-services-%s\n' "$(printf '%s' "$REPO_ROOT" | cksum | cut -d' ' -f1)"
  else
    printf '%s\n' "$REPO_ROOT/target/services"
  fi
}

SERVICES_DIR=${FERRY_SERVICES_DIR:-$(default_services_dir)}
[[ $SERVICES_DIR == /* ]] || SERVICES_DIR=$PWD/$SERVICES_DIR

HOST=127.0.0.1
MQTT_PORT=${FERRY_MQTT_PORT:-11883}
REGISTRY_PORT=${FERRY_REGISTRY_PORT:-15000}
REGISTRY_AUTH_PORT=${FERRY_REGISTRY_AUTH_PORT:-15001}
REGISTRY_AUTH_USER=ferry
REGISTRY_AUTH_PASSWORD=${FERRY_REGISTRY_AUTH_PASSWORD:-ferry-test-secret}
REGISTRY_TOKEN_PORT=${FERRY_REGISTRY_TOKEN_PORT:-15002}
TOKEN_REALM_PORT=${FERRY_TOKEN_REALM_PORT:-15003}
TOKEN_SERVICE=ferry-registry-token
TOKEN_ISSUER=ferry-token-issuer
PG_PORT=${FERRY_PG_PORT:-15432}
PG_DB=ferry
PG_USER=ferry
PG_PASSWORD=ferry
PG_SUPERUSER=postgres
START_TIMEOUT=${FERRY_SERVICES_TIMEOUT:-30}
STOP_TIMEOUT=15

PG_DIR=$SERVICES_DIR/postgres
PG_DATA=$PG_DIR/data
PG_SOCKET_DIR=$PG_DIR/run
PG_LOG=$PG_DIR/postgres.log

TOKEN_DIR=$SERVICES_DIR/registry-token
TOKEN_KEY=$TOKEN_DIR/token.key
TOKEN_CERT=$TOKEN_DIR/token.crt

ALL_SERVICES=(mosquitto registry registry-auth registry-token postgres)
# Besides the services: every tool a test runs. shellcheck (deploy scripts), systemd for
# systemd-analyze (unit checks; PID 1 need not be systemd). No kubectl: Debian 12's is 1.20, its
# kustomize too old for deploy/kubernetes, and KubernetesManifestsTest renders the overlays in Java
# (a kubectl on the PATH is compared against it).
# binutils: jlink --strip-debug (ContainerImagesIT) runs objcopy. python3-numpy: DataCaptureIT reads
# the captured tensors with Debian's /usr/bin/python3 and NumPy, as a training job would; skopeo pulls
# the dataset artifacts there too.
# qemu-user-static: ContainerImagesIT starts the arm64 image's agent on an arm64 JVM under qemu
# user-mode; that JVM and its libraries are Debian's arm64 packages, unpacked (not installed) into
# ARM64_ROOTFS by arm64_rootfs below.
PACKAGES=(mosquitto mosquitto-clients docker-registry apache2-utils postgresql skopeo openssl shellcheck
  systemd binutils python3-numpy qemu-user-static)
ARM64_ROOTFS=${FERRY_ARM64_ROOTFS:-/opt/ferry/arm64-rootfs}
ARM64_PACKAGES=(openjdk-17-jre-headless:arm64 libc6:arm64 libgcc-s1:arm64 libstdc++6:arm64 zlib1g:arm64)
# Installed where the distribution has them: jlink (ContainerImagesIT) needs the JDK's jmods, which
# Debian 12's openjdk-17-jdk-headless carries itself and newer Debian packages split out.
OPTIONAL_PACKAGES=(openjdk-17-jmods)

SELECTED=()   # service names chosen on the command line
SUDO=()       # command prefix for apt-get when not root

# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------

usage() {
  cat <<EOF
Usage: $(basename "$0") <command> [service...]

Commands:
  install             install missing packages (${PACKAGES[*]})
  start  [names...]   start services, wait until they accept connections (default: all)
  stop   [names...]   stop services (default: all)
  status [names...]   show state; exit status 0 only when all named services are running
  env                 print export lines (eval "\$($(basename "$0") env)")

Services: ${ALL_SERVICES[*]}
Folder:   \$FERRY_SERVICES_DIR (now: $SERVICES_DIR)
EOF
}

usage_error() {
  printf 'services: %s\n\n' "$*" >&2
  usage >&2
  exit 2
}

log() { printf 'services: %s\n' "$*"; }

die() {
  printf 'services: error: %s\n' "$*" >&2
  exit 1
}

# Sets the variable named $1 to the path of program $2; dies with a hint when it is missing.
# Also looks in the sbin folders, which are not on a normal user's PATH (mosquitto lives there).
need_bin() {
  local -n result=$1
  local name=$2 dir
  if result=$(command -v "$name" 2>/dev/null); then
    return 0
  fi
  for dir in /usr/local/sbin /usr/sbin /sbin; do
    if [[ -x $dir/$name ]]; then
      # shellcheck disable=SC2034 # "result" is a nameref to the caller's variable
      result=$dir/$name
      return 0
    fi
  done
  die "'$name' not found; run '$0 install' first"
}

# Prints the newest PostgreSQL bin folder (or $FERRY_PG_BINDIR); fails when none is installed.
pg_bindir() {
  local dir
  if [[ -n ${FERRY_PG_BINDIR:-} ]]; then
    printf '%s\n' "$FERRY_PG_BINDIR"
    return 0
  fi
  dir=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  [[ -x $dir/initdb && -x $dir/pg_ctl && -x $dir/postgres ]] || return 1
  printf '%s\n' "$dir"
}

# Quotes a string for a single-quoted YAML or postgresql.conf value.
single_quote() { printf "'%s'" "${1//\'/\'\'}"; }

# True when something accepts TCP connections on $HOST:$1.
port_open() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }

# True when process $1 exists and is not a zombie.
alive() {
  local pid=$1 stat
  kill -0 "$pid" 2>/dev/null || return 1
  if [[ -r /proc/$pid/stat ]]; then
    stat=$(<"/proc/$pid/stat") || return 1
    stat=${stat##*) }
    [[ ${stat%% *} != Z ]] || return 1
  fi
  return 0
}

service_port() {
  case $1 in
    mosquitto) printf '%s\n' "$MQTT_PORT" ;;
    registry) printf '%s\n' "$REGISTRY_PORT" ;;
    registry-auth) printf '%s\n' "$REGISTRY_AUTH_PORT" ;;
    registry-token) printf '%s\n' "$REGISTRY_TOKEN_PORT" ;;
    postgres) printf '%s\n' "$PG_PORT" ;;
  esac
}

service_log() {
  printf '%s/%s/%s.log\n' "$SERVICES_DIR" "$1" "$1"
}

service_pid_file() {
  if [[ $1 == postgres ]]; then
    printf '%s/postmaster.pid\n' "$PG_DATA"
  else
    printf '%s/%s/%s.pid\n' "$SERVICES_DIR" "$1" "$1"
  fi
}

# A string that the command line of the service's process contains (guards against pid reuse).
service_marker() {
  if [[ $1 == postgres ]]; then
    printf '%s\n' "$PG_DATA"
  else
    printf '%s/%s/' "$SERVICES_DIR" "$1"
  fi
}

# Prints the pid of the running service $1; fails when it is not running.
service_pid() {
  local name=$1 file pid cmdline marker
  file=$(service_pid_file "$name")
  [[ -r $file ]] || return 1
  read -r pid <"$file" || [[ -n ${pid:-} ]] || return 1
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  alive "$pid" || return 1
  if [[ -r /proc/$pid/cmdline ]]; then
    cmdline=$(tr '\0' ' ' <"/proc/$pid/cmdline")
    marker=$(service_marker "$name")
    [[ $cmdline == *"$marker"* ]] || return 1
  fi
  printf '%s\n' "$pid"
}

# True when the service accepts connections (for PostgreSQL: pg_isready, which logs no noise).
service_ready() {
  local name=$1 bindir
  if [[ $name == postgres ]]; then
    bindir=$(pg_bindir) || return 1
    # A role that exists: with the default one (the OS user) the server logs a FATAL line.
    "$bindir/pg_isready" -q -h "$HOST" -p "$PG_PORT" -U "$PG_SUPERUSER" -d postgres -t 2
  else
    port_open "$(service_port "$name")"
  fi
}

# Dies with the tail of the service's log.
fail_start() {
  local name=$1 reason=$2 logfile
  logfile=$(service_log "$name")
  {
    printf 'services: error: %s %s\n' "$name" "$reason"
    if [[ -r $logfile ]]; then
      printf 'services: last lines of %s:\n' "$logfile"
      tail -n 25 "$logfile" | sed 's/^/    /'
    fi
  } >&2
  exit 1
}

# Dies when another process (not this folder's service) already listens on the port.
ensure_port_free() {
  local name=$1 port=$2
  if port_open "$port"; then
    die "cannot start $name: $HOST:$port is already in use by another process (not the $name of" \
      "$SERVICES_DIR; 'ss -ltnp sport = :$port' shows which). Stop it or choose another port."
  fi
}

# Starts a program detached from this shell (own session, no terminal), appending its output to
# the log, and writes its pid file. setsid does not fork here (the child is no group leader), so
# $! is the service's own pid.
spawn() {
  local name=$1 logfile
  shift
  logfile=$(service_log "$name")
  printf '=== %s services.sh: starting %s ===\n' "$(date '+%F %T')" "$name" >>"$logfile"
  nohup setsid "$@" >>"$logfile" 2>&1 </dev/null 9>&- &
  printf '%s\n' "$!" >"$(service_pid_file "$name")"
}

# True while the process named in the pid file lives. Unlike service_pid it does not check the
# command line, which right after spawn may still be this script's (before exec).
pid_file_alive() {
  local file pid
  file=$(service_pid_file "$1")
  [[ -r $file ]] || return 1
  read -r pid <"$file" || [[ -n ${pid:-} ]] || return 1
  [[ $pid =~ ^[0-9]+$ ]] && alive "$pid"
}

# Waits until the service accepts connections; dies early when its process exits.
wait_ready() {
  local name=$1 deadline=$((SECONDS + START_TIMEOUT))
  until service_ready "$name"; do
    if ! pid_file_alive "$name"; then
      fail_start "$name" "exited during startup"
    fi
    if ((SECONDS >= deadline)); then
      stop_service "$name" >/dev/null 2>&1 || true
      fail_start "$name" "did not accept connections on $HOST:$(service_port "$name") within ${START_TIMEOUT}s"
    fi
    sleep 0.2
  done
}

# Sends SIGTERM to the pid-file service $1, then SIGKILL after $STOP_TIMEOUT seconds.
stop_pid_service() {
  local name=$1 pid file deadline
  file=$(service_pid_file "$name")
  if ! pid=$(service_pid "$name"); then
    rm -f "$file"
    log "$name is not running"
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  deadline=$((SECONDS + STOP_TIMEOUT))
  while alive "$pid"; do
    if ((SECONDS >= deadline)); then
      log "$name (pid $pid) ignored SIGTERM for ${STOP_TIMEOUT}s; sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 0.5
      break
    fi
    sleep 0.1
  done
  rm -f "$file"
  log "$name stopped (was pid $pid)"
}

# Takes an exclusive lock on the services folder so that parallel start/stop calls do not race.
lock_services_dir() {
  mkdir -p "$SERVICES_DIR"
  if command -v flock >/dev/null 2>&1; then
    exec 9>>"$SERVICES_DIR/.lock"
    flock -w 300 9 || die "could not lock $SERVICES_DIR/.lock within 300 s"
  fi
}

# ---------------------------------------------------------------------------------------------
# install
# ---------------------------------------------------------------------------------------------

package_installed() {
  local status
  status=$(dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2>/dev/null) || return 1
  [[ $status == ii* ]]
}

# Waits while another apt-get/dpkg holds its locks (e.g. an installation running in the background).
wait_for_apt_lock() {
  local deadline=$((SECONDS + 900)) said=false
  command -v fuser >/dev/null 2>&1 || return 0
  while "${SUDO[@]}" fuser /var/lib/dpkg/lock-frontend /var/lib/dpkg/lock \
    /var/lib/apt/lists/lock /var/cache/apt/archives/lock >/dev/null 2>&1; do
    if ! $said; then
      log "waiting for another apt-get/dpkg to release its lock..."
      said=true
    fi
    ((SECONDS < deadline)) || die "apt/dpkg lock still held after 900 s"
    sleep 3
  done
}

# Runs apt-get, waiting for the dpkg lock and retrying a few times (a lock taken in between).
apt_get() {
  local attempt
  for attempt in 1 2 3; do
    wait_for_apt_lock
    if "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive \
      apt-get -q -o DPkg::Lock::Timeout=600 "$@"; then
      return 0
    fi
    ((attempt < 3)) || break
    log "apt-get $1 failed (attempt $attempt of 3); retrying in 10 s"
    sleep 10
  done
  die "apt-get $* failed"
}

# Prints the optional packages that are missing and that apt knows.
optional_missing() {
  local pkg
  for pkg in "${OPTIONAL_PACKAGES[@]}"; do
    if ! package_installed "$pkg" && apt-cache show "$pkg" >/dev/null 2>&1; then
      echo "$pkg"
    fi
  done
}

cmd_install() {
  local pkg missing=()
  command -v dpkg-query >/dev/null 2>&1 || die "install needs a Debian-like system (dpkg/apt-get)"
  for pkg in "${PACKAGES[@]}"; do
    package_installed "$pkg" || missing+=("$pkg")
  done
  if ((EUID != 0)); then
    command -v sudo >/dev/null 2>&1 || die "not root and no sudo: install ${missing[*]} yourself"
    SUDO=(sudo)
  fi
  if ((${#missing[@]} == 0)) && [[ -z $(optional_missing) ]]; then
    log "all packages present: ${PACKAGES[*]}"
    arm64_rootfs
    return 0
  fi
  apt_get update
  mapfile -t -O "${#missing[@]}" missing < <(optional_missing)
  log "installing: ${missing[*]}"
  apt_get install -y --no-install-recommends "${missing[@]}"
  for pkg in "${missing[@]}"; do
    package_installed "$pkg" || die "package $pkg is still not installed"
  done
  log "installed: ${missing[*]}"
  arm64_rootfs
}

# Unpacks Debian's arm64 JVM and the libraries it links into ARM64_ROOTFS, once: the tree qemu's -L
# points at. Adds arm64 as a foreign dpkg architecture so that apt can download those packages;
# nothing arm64 is installed on this machine.
arm64_rootfs() {
  local java=$ARM64_ROOTFS/usr/lib/jvm/java-17-openjdk-arm64/bin/java debs deb
  [[ -x $java ]] && return 0
  if ! dpkg --print-foreign-architectures | grep -qx arm64; then
    "${SUDO[@]}" dpkg --add-architecture arm64
  fi
  apt_get update
  debs=$(mktemp -d) && chmod 755 "$debs"
  (cd "$debs" && apt-get -q download "${ARM64_PACKAGES[@]}" >/dev/null) ||
    die "apt-get download ${ARM64_PACKAGES[*]} failed"
  "${SUDO[@]}" mkdir -p "$ARM64_ROOTFS.tmp"
  for deb in "$debs"/*.deb; do
    "${SUDO[@]}" dpkg -x "$deb" "$ARM64_ROOTFS.tmp"
  done
  rm -rf "$debs"
  "${SUDO[@]}" rm -rf "$ARM64_ROOTFS"
  "${SUDO[@]}" mv "$ARM64_ROOTFS.tmp" "$ARM64_ROOTFS"
  [[ -x $java ]] || die "no arm64 JVM at $java after unpacking ${ARM64_PACKAGES[*]}"
  log "arm64 JVM for qemu unpacked in $ARM64_ROOTFS"
}

# ---------------------------------------------------------------------------------------------
# Mosquitto
# ---------------------------------------------------------------------------------------------

start_mosquitto() {
  local bin dir=$SERVICES_DIR/mosquitto pid conf
  need_bin bin mosquitto
  if pid=$(service_pid mosquitto); then
    log "mosquitto already running (pid $pid, tcp://$HOST:$MQTT_PORT)"
    return 0
  fi
  ensure_port_free mosquitto "$MQTT_PORT"
  mkdir -p "$dir"
  conf=$dir/mosquitto.conf
  # "user" = the current user: as root Mosquitto would otherwise switch to the "mosquitto" user,
  # which cannot write the log here; as any other user the setting has no effect.
  cat >"$conf" <<EOF
# Generated by integration-tests/services.sh; rewritten on every start.
listener $MQTT_PORT $HOST
allow_anonymous true
persistence false
# the hub takes every device's messages on one session and acknowledges them once stored: let it
# have many in flight and a deep queue while it restarts (Mosquitto's defaults are 20 and 1000)
max_inflight_messages 1000
max_queued_messages 1000000
user $(id -un)
log_dest file $(service_log mosquitto)
log_timestamp_format %Y-%m-%dT%H:%M:%S
log_type error
log_type warning
log_type notice
log_type information
connection_messages true
EOF
  spawn mosquitto "$bin" -c "$conf"
  wait_ready mosquitto
  log "mosquitto started (pid $(service_pid mosquitto), tcp://$HOST:$MQTT_PORT)"
}

# ---------------------------------------------------------------------------------------------
# CNCF Distribution registry (plain, with htpasswd basic auth, with bearer token auth)
# ---------------------------------------------------------------------------------------------

# Creates (once) the token signing key, EC P-256 in PKCS#8 PEM, and its self-signed certificate,
# which the registry trusts as rootcertbundle. Both are written under temporary names and renamed
# together, so an interrupted run leaves no half pair.
token_keypair() {
  local openssl_bin
  [[ -s $TOKEN_KEY && -s $TOKEN_CERT ]] && return 0
  need_bin openssl_bin openssl
  mkdir -p "$TOKEN_DIR"
  rm -f "$TOKEN_KEY.tmp" "$TOKEN_CERT.tmp"
  if ! (umask 077 && "$openssl_bin" genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
    -out "$TOKEN_KEY.tmp") >/dev/null 2>&1; then
    die "openssl could not create the token signing key $TOKEN_KEY"
  fi
  if ! "$openssl_bin" req -new -x509 -key "$TOKEN_KEY.tmp" -sha256 -days 3650 \
    -subj "/CN=$TOKEN_ISSUER" -out "$TOKEN_CERT.tmp" >/dev/null 2>&1; then
    rm -f "$TOKEN_KEY.tmp"
    die "openssl could not create the token certificate $TOKEN_CERT"
  fi
  mv -f "$TOKEN_KEY.tmp" "$TOKEN_KEY"
  mv -f "$TOKEN_CERT.tmp" "$TOKEN_CERT"
  log "registry-token: made the token signing key $TOKEN_KEY and certificate $TOKEN_CERT"
}

# Starts registry $1 on port $2 with authentication $3: none, htpasswd or token.
start_registry() {
  local name=$1 port=$2 auth=$3 bin htpasswd_bin dir=$SERVICES_DIR/$1 pid conf
  need_bin bin docker-registry
  if [[ $auth == htpasswd ]]; then
    need_bin htpasswd_bin htpasswd
  fi
  if pid=$(service_pid "$name"); then
    log "$name already running (pid $pid, http://$HOST:$port)"
    return 0
  fi
  ensure_port_free "$name" "$port"
  mkdir -p "$dir/data"
  conf=$dir/config.yml
  cat >"$conf" <<EOF
# Generated by integration-tests/services.sh; rewritten on every start.
version: 0.1
log:
  level: warn
  formatter: text
  fields:
    service: $name
storage:
  filesystem:
    rootdirectory: $(single_quote "$dir/data")
  delete:
    enabled: true
http:
  addr: $HOST:$port
  secret: ferry-integration-tests-only
EOF
  if [[ $auth == htpasswd ]]; then
    # Regenerated every start, so a changed FERRY_REGISTRY_AUTH_PASSWORD takes effect.
    printf '%s\n' "$REGISTRY_AUTH_PASSWORD" |
      "$htpasswd_bin" -B -i -c "$dir/htpasswd" "$REGISTRY_AUTH_USER" 2>/dev/null ||
      die "htpasswd failed to write $dir/htpasswd"
    cat >>"$conf" <<EOF
auth:
  htpasswd:
    realm: ferry-registry-auth
    path: $(single_quote "$dir/htpasswd")
EOF
  elif [[ $auth == token ]]; then
    token_keypair
    cat >>"$conf" <<EOF
auth:
  token:
    realm: $(single_quote "http://$HOST:$TOKEN_REALM_PORT/token")
    service: $TOKEN_SERVICE
    issuer: $TOKEN_ISSUER
    rootcertbundle: $(single_quote "$TOKEN_CERT")
EOF
  fi
  spawn "$name" "$bin" serve "$conf"
  wait_ready "$name"
  log "$name started (pid $(service_pid "$name"), http://$HOST:$port)"
}

# ---------------------------------------------------------------------------------------------
# PostgreSQL
# ---------------------------------------------------------------------------------------------

# Runs a command as the owner of the PostgreSQL data: "postgres" when we are root, else ourselves.
pg_as() {
  if ((EUID == 0)); then
    (cd / && runuser -u postgres -- "$@") 9>&-
  else
    (cd / && "$@") 9>&-
  fi
}

# Creates (once) the data folder with initdb and (every start) the settings file it includes.
pg_prepare() {
  local bindir=$1 bin_version data_version conf
  mkdir -p "$PG_DIR" "$PG_SOCKET_DIR"
  if ((EUID == 0)); then
    id -u postgres >/dev/null 2>&1 || die "user 'postgres' missing; run '$0 install' first"
    chown postgres: "$PG_DIR" "$PG_SOCKET_DIR"
    [[ -e $PG_LOG ]] || : >"$PG_LOG"
    chown postgres: "$PG_LOG"
    runuser -u postgres -- test -w "$PG_DIR" ||
      die "the postgres user cannot reach $PG_DIR (a folder above it is not accessible to other" \
        "users); set FERRY_SERVICES_DIR to a folder such as /tmp/ferry-services"
  fi
  chmod 755 "$PG_SOCKET_DIR"
  if ((${#PG_SOCKET_DIR} + ${#PG_PORT} + 10 > 107)); then
    die "socket path $PG_SOCKET_DIR/.s.PGSQL.$PG_PORT is too long for a unix socket;" \
      "set FERRY_SERVICES_DIR to a shorter folder"
  fi

  if [[ ! -s $PG_DATA/PG_VERSION ]]; then
    rm -rf "$PG_DATA" # left over from an initdb that did not finish
    log "postgres: initdb $PG_DATA"
    printf '=== %s services.sh: initdb ===\n' "$(date '+%F %T')" >>"$PG_LOG"
    if ! pg_as "$bindir/initdb" -D "$PG_DATA" --username="$PG_SUPERUSER" --auth=trust \
      --encoding=UTF8 --no-locale --no-instructions >>"$PG_LOG" 2>&1; then
      fail_start postgres "initdb failed"
    fi
    printf "\ninclude 'ferry-services.conf'\n" | pg_as tee -a "$PG_DATA/postgresql.conf" >/dev/null
  fi

  bin_version=$("$bindir/pg_ctl" --version | sed -E 's/.* ([0-9]+)(\.[0-9]+)*.*/\1/')
  read -r data_version <"$PG_DATA/PG_VERSION"
  if [[ $bin_version != "$data_version" ]]; then
    die "$PG_DATA was made by PostgreSQL $data_version but $bindir is $bin_version;" \
      "delete $PG_DIR to start afresh"
  fi

  conf="# Generated by integration-tests/services.sh; rewritten on every start.
listen_addresses = '$HOST'
port = $PG_PORT
unix_socket_directories = $(single_quote "$PG_SOCKET_DIR")
# Test data only: trade durability for speed.
fsync = off
synchronous_commit = off
full_page_writes = off"
  printf '%s\n' "$conf" | pg_as tee "$PG_DATA/ferry-services.conf" >/dev/null
}

# Creates the role and the database when they do not exist yet.
pg_create_database() {
  local bindir=$1
  pg_as "$bindir/psql" -X -q -v ON_ERROR_STOP=1 -h "$PG_SOCKET_DIR" -p "$PG_PORT" \
    -U "$PG_SUPERUSER" -d postgres \
    -v user="$PG_USER" -v password="$PG_PASSWORD" -v db="$PG_DB" >/dev/null <<'SQL'
SELECT format('CREATE ROLE %I LOGIN CREATEDB PASSWORD %L', :'user', :'password')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'user') \gexec
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'user')
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db') \gexec
SQL
}

# Removes lock files left by a killed server whose pid is gone or a zombie (not yet reaped):
# PostgreSQL itself would take the zombie for a running server and refuse to start.
pg_remove_stale_locks() {
  local file pid
  for file in "$PG_DATA/postmaster.pid" "$PG_SOCKET_DIR/.s.PGSQL.$PG_PORT.lock"; do
    [[ -e $file ]] || continue
    pid=""
    read -r pid <"$file" || true
    if [[ $pid =~ ^-?[0-9]+$ ]] && alive "${pid#-}"; then
      continue
    fi
    rm -f "$file"
    [[ $file == *.lock ]] && rm -f "${file%.lock}"
  done
  return 0
}

start_postgres() {
  local bindir pid
  bindir=$(pg_bindir) || die "PostgreSQL not found in /usr/lib/postgresql/*/bin; run '$0 install' first"
  if pid=$(service_pid postgres); then
    log "postgres already running (pid $pid, $HOST:$PG_PORT)"
    return 0
  fi
  ensure_port_free postgres "$PG_PORT"
  pg_prepare "$bindir"
  pg_remove_stale_locks
  printf '=== %s services.sh: starting postgres ===\n' "$(date '+%F %T')" >>"$PG_LOG"
  if ! pg_as "$bindir/pg_ctl" start -D "$PG_DATA" -l "$PG_LOG" -w -t "$START_TIMEOUT" -s; then
    fail_start postgres "failed to start (pg_ctl start, timeout ${START_TIMEOUT}s)"
  fi
  wait_ready postgres
  pg_create_database "$bindir" || fail_start postgres "could not create role/database '$PG_DB'"
  log "postgres started (pid $(service_pid postgres), $HOST:$PG_PORT, database $PG_DB)"
}

stop_postgres() {
  local bindir pid deadline
  if ! pid=$(service_pid postgres); then
    log "postgres is not running"
    return 0
  fi
  bindir=$(pg_bindir) || bindir=""
  if [[ -z $bindir ]] ||
    ! pg_as "$bindir/pg_ctl" stop -D "$PG_DATA" -m fast -w -t "$STOP_TIMEOUT" -s; then
    # Fast shutdown by signal; then force.
    kill -INT "$pid" 2>/dev/null || true
    deadline=$((SECONDS + STOP_TIMEOUT))
    while alive "$pid" && ((SECONDS < deadline)); do sleep 0.2; done
    alive "$pid" && kill -KILL "$pid" 2>/dev/null
  fi
  log "postgres stopped (was pid $pid)"
}

# ---------------------------------------------------------------------------------------------
# Commands
# ---------------------------------------------------------------------------------------------

start_service() {
  case $1 in
    mosquitto) start_mosquitto ;;
    registry) start_registry registry "$REGISTRY_PORT" none ;;
    registry-auth) start_registry registry-auth "$REGISTRY_AUTH_PORT" htpasswd ;;
    registry-token) start_registry registry-token "$REGISTRY_TOKEN_PORT" token ;;
    postgres) start_postgres ;;
  esac
}

stop_service() {
  case $1 in
    postgres) stop_postgres ;;
    *) stop_pid_service "$1" ;;
  esac
}

cmd_start() {
  local name
  lock_services_dir
  for name in "${SELECTED[@]}"; do
    start_service "$name"
  done
}

cmd_stop() {
  local name
  [[ -d $SERVICES_DIR ]] || {
    log "nothing to stop ($SERVICES_DIR does not exist)"
    return 0
  }
  lock_services_dir
  for name in "${SELECTED[@]}"; do
    stop_service "$name"
  done
}

cmd_status() {
  local name pid port all_up=0
  for name in "${SELECTED[@]}"; do
    port=$(service_port "$name")
    if pid=$(service_pid "$name"); then
      if service_ready "$name"; then
        printf '%-14s running   pid %-8s %s:%s\n' "$name" "$pid" "$HOST" "$port"
      else
        printf '%-14s starting  pid %-8s %s:%s not accepting connections\n' "$name" "$pid" "$HOST" "$port"
        all_up=3
      fi
    else
      printf '%-14s stopped\n' "$name"
      all_up=3
    fi
  done
  printf 'folder: %s\n' "$SERVICES_DIR"
  return "$all_up"
}

cmd_env() {
  printf 'export FERRY_SERVICES_DIR=%q\n' "$SERVICES_DIR"
  printf 'export FERRY_MQTT_URL=%q\n' "tcp://$HOST:$MQTT_PORT"
  printf 'export FERRY_REGISTRY=%q\n' "$HOST:$REGISTRY_PORT"
  printf 'export FERRY_REGISTRY_AUTH=%q\n' "$HOST:$REGISTRY_AUTH_PORT"
  printf 'export FERRY_REGISTRY_AUTH_USER=%q\n' "$REGISTRY_AUTH_USER"
  printf 'export FERRY_REGISTRY_AUTH_PASSWORD=%q\n' "$REGISTRY_AUTH_PASSWORD"
  printf 'export FERRY_REGISTRY_TOKEN=%q\n' "$HOST:$REGISTRY_TOKEN_PORT"
  printf 'export FERRY_TOKEN_REALM=%q\n' "http://$HOST:$TOKEN_REALM_PORT/token"
  printf 'export FERRY_TOKEN_SERVICE=%q\n' "$TOKEN_SERVICE"
  printf 'export FERRY_TOKEN_ISSUER=%q\n' "$TOKEN_ISSUER"
  printf 'export FERRY_TOKEN_KEY=%q\n' "$TOKEN_KEY"
  printf 'export FERRY_TOKEN_CERT=%q\n' "$TOKEN_CERT"
  printf 'export FERRY_PG_URL=%q\n' "jdbc:postgresql://$HOST:$PG_PORT/$PG_DB"
  printf 'export FERRY_PG_USER=%q\n' "$PG_USER"
  printf 'export FERRY_PG_PASSWORD=%q\n' "$PG_PASSWORD"
}

# Fills SELECTED from the arguments (all services when there are none).
select_services() {
  local arg known
  SELECTED=()
  if (($# == 0)); then
    SELECTED=("${ALL_SERVICES[@]}")
    return 0
  fi
  for arg in "$@"; do
    [[ $arg == all ]] && continue
    for known in "${ALL_SERVICES[@]}"; do
      [[ $arg == "$known" ]] && continue 2
    done
    usage_error "unknown service: $arg"
  done
  # Keep the canonical order, without duplicates.
  for known in "${ALL_SERVICES[@]}"; do
    for arg in "$@"; do
      if [[ $arg == "$known" || $arg == all ]]; then
        SELECTED+=("$known")
        break
      fi
    done
  done
}

check_ports() {
  local var value
  for var in MQTT_PORT REGISTRY_PORT REGISTRY_AUTH_PORT REGISTRY_TOKEN_PORT TOKEN_REALM_PORT PG_PORT \
    START_TIMEOUT; do
    value=${!var}
    [[ $value =~ ^[0-9]+$ ]] || die "$var must be a number, got '$value'"
  done
}

main() {
  (($# >= 1)) || usage_error "missing command"
  local command=$1
  shift
  check_ports
  case $command in
    install)
      (($# == 0)) || usage_error "install takes no arguments"
      cmd_install
      ;;
    start | stop | status)
      select_services "$@"
      "cmd_$command"
      ;;
    env)
      (($# == 0)) || usage_error "env takes no arguments"
      cmd_env
      ;;
    -h | --help | help)
      usage
      ;;
    *)
      usage_error "unknown command: $command"
      ;;
  esac
}

main "$@"
