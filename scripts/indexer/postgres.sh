#!/usr/bin/env bash
# A throw-away PostgreSQL 15 server for the indexer's tests and benchmark (issue 14): initdb in a
# temporary folder, loopback only, on a free port, trust auth. As root (CI), the server runs as the
# unprivileged `postgres` user (initdb refuses root).
#   scripts/indexer/postgres.sh start DIR   → prints the connection string (DIR: a fresh folder, e.g. mktemp -d)
#   scripts/indexer/postgres.sh stop DIR    → stops the server and deletes DIR
set -euo pipefail
cmd=${1:?start|stop}
dir=${2:?a folder}
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
case "$cmd" in
  start)
    mkdir -p "$dir"
    if [ "$(id -u)" = 0 ]; then chown postgres "$dir"; fi
    port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
    as_pg "$PGBIN/initdb" -D "$dir/data" -U postgres --auth=trust >"$dir/initdb.log" 2>&1
    as_pg "$PGBIN/pg_ctl" -D "$dir/data" -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off" \
      -l "$dir/server.log" -w start >/dev/null
    echo "postgresql://postgres@127.0.0.1:$port/postgres"
    ;;
  stop)
    if [ -d "$dir/data" ]; then as_pg "$PGBIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true; fi
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start|stop DIR" >&2
    exit 2
    ;;
esac
