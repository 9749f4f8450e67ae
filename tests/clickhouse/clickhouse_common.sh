# Shared by the external/clickhouse_* tests: skip when ClickHouse is not installed, find the test cluster.
# Usage: source clickhouse_common.sh BUILD_DIR SOURCE_DIR KQLITE  (sets CH_DIR, CH_URL1, CH_URL2, CH_SOURCE, KQLITE,
# and WORK, a scratch folder removed on exit)
CH_BUILD=$1
CH_DIR=$CH_BUILD/clickhouse_cluster
if ! command -v clickhouse-server >/dev/null 2>&1 && [ ! -x /usr/sbin/clickhouse-server ]; then
  echo "SKIP: clickhouse-server is not installed (scripts/install_deps.sh installs Debian's clickhouse-server)"
  exit 77
fi
if [ ! -s "$CH_DIR/urls" ]; then
  echo "the test cluster is not running (external/clickhouse_cluster_start sets it up)" >&2
  exit 1
fi
CH_URL1=$(sed -n 1p "$CH_DIR/urls")
CH_URL2=$(sed -n 2p "$CH_DIR/urls")
CH_SOURCE=$2
KQLITE=$3
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
# start_chdb_http: serves a current ClickHouse (npm chdb, tests/clickhouse/chdb_http.js) over HTTP for the rest of
# the script and sets CHDB_URL (http://127.0.0.1:PORT); returns 77 when chdb cannot be installed. The server is
# stopped (its pid only) when the script exits.
CHDB_PID=
start_chdb_http() {
  local rc=0
  bash "$CH_SOURCE/scripts/install_chdb.sh" "$CH_BUILD" || rc=$?
  [ $rc = 0 ] || return $rc
  node "$CH_SOURCE/tests/clickhouse/chdb_http.js" "$CH_BUILD/npm/node_modules/chdb" "$WORK/chdb_session" \
    "$WORK/chdb_port" >"$WORK/chdb_http.log" 2>&1 &
  CHDB_PID=$!
  trap 'kill "$CHDB_PID" 2>/dev/null; wait "$CHDB_PID" 2>/dev/null; rm -rf "$WORK"' EXIT
  for _ in $(seq 1 100); do
    if [ -s "$WORK/chdb_port" ]; then
      CHDB_URL=http://127.0.0.1:$(cat "$WORK/chdb_port")
      return 0
    fi
    kill -0 "$CHDB_PID" 2>/dev/null || break
    sleep 0.2
  done
  echo "chdb_http.js did not start:" >&2
  cat "$WORK/chdb_http.log" >&2
  return 1
}
