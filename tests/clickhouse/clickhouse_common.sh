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
# the script and sets CHDB_URL (http://127.0.0.1:PORT); every statement it runs goes to $WORK/chdb_queries.sql.
# Returns 77 when chdb cannot be installed. The server is stopped (its pid only) when the script exits.
CHDB_PID=
start_chdb_http() {
  local rc=0
  bash "$CH_SOURCE/scripts/install_chdb.sh" "$CH_BUILD" || rc=$?
  [ $rc = 0 ] || return $rc
  node "$CH_SOURCE/tests/clickhouse/chdb_http.js" "$CH_BUILD/npm/node_modules/chdb" "$WORK/chdb_session" \
    "$WORK/chdb_port" "$WORK/chdb_queries.sql" >"$WORK/chdb_http.log" 2>&1 &
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
# compare_query QUERY.kql LABEL URL [LOCAL_ARGS...]: runs the query with --clickhouse URL and locally (LOCAL_ARGS,
# plus $NOW when set) and compares the rows (normalize_result.py); QUERY.expect may hold lines "sql: TEXT" (the
# --explain output must contain TEXT) and "local" (no JOIN or GLOBAL IN in it). Counts failures in $failures and
# the met expectations in $pushed.
failures=${failures:-0}
pushed=0
compare_query() {
  local query=$1 label=$2 url=$3 base expect now_args=()
  shift 3
  base=${query%.kql}
  [ -z "${NOW:-}" ] || now_args=(--now "$NOW")
  # The local result is computed once per query (several servers compare with it).
  if [ ! -f "$base.local.norm" ]; then
    "$KQLITE" query -f "$query" "$@" "${now_args[@]}" --format jsonl >"$base.local.jsonl"
    python3 "$CH_SOURCE/tests/clickhouse/normalize_result.py" "$base.local.jsonl" >"$base.local.norm"
  fi
  if ! "$KQLITE" query -f "$query" --clickhouse "$url" "${now_args[@]}" --format jsonl >"$base.$label.jsonl" \
      2>"$base.err"; then
    echo "FAIL $label $(basename "$base"): kqlite query --clickhouse failed"; cat "$base.err"
    failures=$((failures + 1)); return
  fi
  python3 "$CH_SOURCE/tests/clickhouse/normalize_result.py" "$base.$label.jsonl" >"$base.$label.norm"
  if ! diff -q "$base.local.norm" "$base.$label.norm" >/dev/null; then
    echo "FAIL $label $(basename "$base"): results differ"; cat "$query"
    diff "$base.local.norm" "$base.$label.norm" | head -10
    failures=$((failures + 1)); return
  fi
  if [ ! -s "$base.local.norm" ]; then
    echo "FAIL $label $(basename "$base"): no rows (the query tests nothing)"; cat "$query"
    failures=$((failures + 1)); return
  fi
  [ -s "$base.expect" ] || return 0
  "$KQLITE" query -f "$query" --clickhouse "$url" "${now_args[@]}" --explain >"$base.plan"
  while IFS= read -r expect; do
    if [ "$expect" = local ]; then
      if grep -qE "JOIN|GLOBAL IN" "$base.plan"; then
        echo "FAIL $label $(basename "$base"): pushed, but must stay local:"; cat "$base.plan"
        failures=$((failures + 1))
      fi
    elif ! grep -qF "${expect#sql: }" "$base.plan"; then
      echo "FAIL $label $(basename "$base"): the SQL has no '${expect#sql: }':"; cat "$base.plan"
      failures=$((failures + 1))
    else
      pushed=$((pushed + 1))
    fi
  done <"$base.expect"
}
