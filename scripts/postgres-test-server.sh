#!/usr/bin/env bash
# Ensures a private PostgreSQL cluster for the test suites is running and prints its URL:
#   scripts/postgres-test-server.sh          -> postgresql://postgres@127.0.0.1:55432/postgres
#   scripts/postgres-test-server.sh stop     -> stops that cluster
# Idempotent and safe to call concurrently (a lock file serialises callers). Installs Debian's
# postgresql package when no PostgreSQL binaries are found (needs root and apt-get). The cluster is
# for tests only: trust authentication, loopback only, fsync off.
#   REPRISE_CACHE    cache folder (default ~/.cache/reprise); the cluster lives in $REPRISE_CACHE/pg
#   REPRISE_PG_PORT  port (default 55432)
# Everything but the URL goes to stderr.
set -euo pipefail

action=${1:-start}
cache=${REPRISE_CACHE:-$HOME/.cache/reprise}
port=${REPRISE_PG_PORT:-55432}
pg_root="$cache/pg"

say() { echo "postgres-test-server: $*" >&2; }
die() { say "$*"; exit 1; }

case "$action" in
  start | stop) ;;
  *) die "unknown action '$action' (use start or stop)" ;;
esac

mkdir -p "$pg_root"
exec 9>"$pg_root/lock"
command -v flock >/dev/null 2>&1 || die "flock (util-linux) is needed to serialise callers"
flock -w 300 9 || die "timed out waiting for $pg_root/lock"

find_bindir() {
  local d
  if command -v pg_config >/dev/null 2>&1; then
    d=$(pg_config --bindir 2>/dev/null || true)
    [ -n "$d" ] && [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && { echo "$d"; return 0; }
  fi
  # Debian/Ubuntu keep the server binaries out of PATH, one folder per major version; take the newest.
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -n -r) /usr/pgsql-*/bin; do
    [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && { echo "$d"; return 0; }
  done
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    dirname "$(readlink -f "$(command -v initdb)")"
    return 0
  fi
  return 1
}

bindir=$(find_bindir || true)
if [ -z "$bindir" ]; then
  [ "$action" = stop ] && { say "PostgreSQL is not installed; nothing to stop"; exit 0; }
  [ "$(id -u)" = 0 ] || die "PostgreSQL is not installed; install it (e.g. 'sudo apt-get install postgresql') or set REPRISE_TEST_PG_URL"
  command -v apt-get >/dev/null 2>&1 || die "PostgreSQL is not installed and apt-get is missing; install PostgreSQL or set REPRISE_TEST_PG_URL"
  say "installing PostgreSQL with apt-get (once)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2 9>&-
  # 9>&-: the package starts its own cluster, which must not inherit the lock.
  apt-get install -y -qq postgresql >&2 9>&-
  bindir=$(find_bindir || true)
  [ -n "$bindir" ] || die "apt-get installed postgresql but no initdb/pg_ctl was found under /usr/lib/postgresql"
fi

# PostgreSQL refuses to run as root: then the cluster belongs to the 'postgres' system user.
if [ "$(id -u)" = 0 ]; then
  owner=postgres
  if ! id "$owner" >/dev/null 2>&1; then
    useradd --system --no-create-home --shell /usr/sbin/nologin "$owner" || die "cannot create the '$owner' user"
  fi
  as_owner() { runuser -u "$owner" -- "$@"; }
else
  owner=$(id -un)
  as_owner() { "$@"; }
fi

# The data folder must be reachable by its owner. Root's home usually is not (mode 700), so the
# cluster then lives in a folder of its own under /var/tmp and $pg_root/data links to it.
data="$pg_root/data"
if [ ! -L "$data" ] && [ ! -e "$data" ] && [ "$owner" != "$(id -un)" ] && ! as_owner test -x "$pg_root"; then
  key=$(printf '%s' "$pg_root" | cksum | cut -d' ' -f1)
  ln -s "/var/tmp/reprise-pg-$key" "$data"
  say "$pg_root is not reachable by '$owner'; the cluster lives in /var/tmp/reprise-pg-$key"
fi
data_dir=$(readlink -f "$data")

pg_ctl() { as_owner "$bindir/pg_ctl" -D "$data_dir" "$@"; }
running() { [ -f "$data_dir/postmaster.pid" ] && pg_ctl status >/dev/null 2>&1; }

if [ "$action" = stop ]; then
  if [ -d "$data_dir" ] && running; then
    pg_ctl -m fast -w stop >&2
  else
    say "not running"
  fi
  exit 0
fi

# A folder left by an interrupted initdb has no PG_VERSION, one from another major version cannot
# be started: both are test data, so start over.
major=$("$bindir/postgres" --version | sed -E 's/.* ([0-9]+)[.].*/\1/')
if [ -f "$data_dir/PG_VERSION" ] && [ "$(cat "$data_dir/PG_VERSION")" != "$major" ] && ! running; then
  say "the cluster in $data_dir is from PostgreSQL $(cat "$data_dir/PG_VERSION"), not $major; recreating it"
  rm -f "$data_dir/PG_VERSION"
fi
if [ ! -f "$data_dir/PG_VERSION" ]; then
  mkdir -p "$data_dir"
  find "$data_dir" -mindepth 1 -delete
  chown "$owner" "$data_dir"
  chmod 700 "$data_dir"
  say "creating a cluster in $data_dir"
  as_owner "$bindir/initdb" -D "$data_dir" -U postgres -A trust -E UTF8 --locale=C --no-sync >"$pg_root/initdb.log" 2>&1 ||
    die "initdb failed; see $pg_root/initdb.log: $(tail -n 5 "$pg_root/initdb.log")"
fi

if ! running; then
  say "starting PostgreSQL on 127.0.0.1:$port"
  # The log is inside the data folder, which only its owner can write.
  opts="-p $port -k $data_dir -c listen_addresses=127.0.0.1 -c max_connections=400"
  opts="$opts -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c log_checkpoints=off"
  # 9>&-: the server must not inherit (and so hold forever) the lock.
  if ! pg_ctl -o "$opts" -l "$data_dir/server.log" -w -t 60 start >/dev/null 2>&1 9>&-; then
    die "PostgreSQL did not start (is port $port taken? set REPRISE_PG_PORT); log: $(tail -n 10 "$data_dir/server.log" 2>/dev/null)"
  fi
fi

# The cluster may run but on another port (REPRISE_PG_PORT changed since it started).
running_port=$(sed -n 4p "$data_dir/postmaster.pid" 2>/dev/null || true)
[ "$running_port" = "$port" ] ||
  die "the cluster in $data_dir runs on port $running_port, not $port; run '$0 stop' first"
for _ in $(seq 1 100); do
  if "$bindir/pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres; then
    echo "postgresql://postgres@127.0.0.1:$port/postgres"
    exit 0
  fi
  sleep 0.1
done
die "PostgreSQL runs but does not accept connections on 127.0.0.1:$port; see $data_dir/server.log"
