#!/usr/bin/env bash
# A private PostgreSQL 15 + PostGIS cluster for tests and benchmarks.
#
#   scripts/postgres.sh start [DIR] [PORT]   initdb (first time) and start; prints the URL
#                                            (PORT 0: a free port, chosen now)
#   scripts/postgres.sh stop  [DIR]
#   scripts/postgres.sh url   [DIR] [PORT]
#
# The server refuses to run as root, so when started by root it runs as the `postgres` user.
# It listens on 127.0.0.1 only, on a private port, with its own data directory; trust auth on
# loopback (a throwaway test cluster). Needs the Debian package postgresql-15-postgis-3.
set -euo pipefail
cmd=${1:-start}
dir=${2:-${HONUA_PG_DIR:-/tmp/honua-pg}}
port=${3:-${HONUA_PG_PORT:-55432}}
bin=${HONUA_PG_BIN:-/usr/lib/postgresql/15/bin}
if [ "$cmd" = start ] && [ "$port" = 0 ]; then
  port=$(node -e "const s = require('node:net').createServer().listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close(); })")
fi
url="postgres://postgres@127.0.0.1:${port}/postgres"

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$cmd" in
  start)
    [ -x "$bin/initdb" ] || { echo "PostgreSQL 15 is not installed ($bin/initdb missing): apt-get install -y postgresql-15-postgis-3" >&2; exit 1; }
    if [ ! -f "$dir/PG_VERSION" ]; then
      mkdir -p "$dir"
      [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
      as_owner "$bin/initdb" -D "$dir" -U postgres --auth=trust --encoding=UTF8 --no-sync >/dev/null
    fi
    if ! as_owner "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
      as_owner "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 \
        -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
        start >/dev/null
    fi
    echo "$url"
    ;;
  stop)
    as_owner "$bin/pg_ctl" -D "$dir" -m fast stop >/dev/null 2>&1 || true
    ;;
  url)
    echo "$url"
    ;;
  *)
    echo "usage: $0 start|stop|url [DIR] [PORT]" >&2
    exit 2
    ;;
esac
