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
