#!/usr/bin/env bash
# A throwaway PostgreSQL server for the store tests (CI and developers alike), from Debian's
# binaries (apt-get install postgresql; /usr/lib/postgresql/*/bin is searched, PATH first).
#   .ci/postgres.sh start [DIR] [PORT]   initdb a cluster in DIR (default /tmp/tuireader-pg), start it on
#                                        127.0.0.1:PORT (default 54329, unix socket in DIR too) and print
#                                        its URL, e.g. postgresql://tuireader@127.0.0.1:54329/postgres
#   .ci/postgres.sh stop [DIR]           stop it and remove DIR
# initdb refuses to run as root: as root, the cluster belongs to the `postgres` system user.
set -euo pipefail
action="${1:-}"
dir="${2:-/tmp/tuireader-pg}"
port="${3:-54329}"

bin_of() {  # the directory holding initdb and pg_ctl
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    dirname "$(readlink -f "$(command -v pg_ctl)")"
    return
  fi
  local found
  found="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
  if [ -n "$found" ] && [ -x "$found/initdb" ]; then echo "$found"; return; fi
  return 1
}

as_owner() {  # run a command as the cluster's owner
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$action" in
  start)
    bin="$(bin_of)" || { echo "postgres.sh: no initdb/pg_ctl found (apt-get install postgresql)" >&2; exit 3; }
    if [ -f "$dir/data/postmaster.pid" ] && as_owner "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
      echo "postgresql://tuireader@127.0.0.1:$port/postgres"
      exit 0
    fi
    rm -rf "$dir"
    mkdir -p "$dir"
    if [ "$(id -u)" = 0 ]; then
      id postgres >/dev/null 2>&1 || { echo "postgres.sh: as root, a 'postgres' user must exist" >&2; exit 3; }
      chown postgres "$dir"
    fi
    as_owner "$bin/initdb" -D "$dir/data" -U tuireader -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c synchronous_commit=off -c max_connections=100" \
      start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    echo "postgresql://tuireader@127.0.0.1:$port/postgres"
    ;;
  stop)
    if [ -d "$dir/data" ]; then
      bin="$(bin_of)" || exit 0
      as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start|stop [DIR] [PORT]" >&2
    exit 2
    ;;
esac
