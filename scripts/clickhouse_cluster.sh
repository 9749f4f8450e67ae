#!/usr/bin/env bash
# A 2-shard ClickHouse cluster on loopback for tests and local experiments (Debian's clickhouse-server, 18.16).
#
# Usage: scripts/clickhouse_cluster.sh start|stop|status DIR
#   start   writes DIR/s1, DIR/s2 (config, data, logs), starts both servers, waits until both answer over HTTP,
#           and prints the two HTTP URLs (also in DIR/urls). The cluster is named `kq2` in both servers'
#           remote_servers. Exit 77 (skip) when clickhouse-server is not installed; 1 when a server does not start.
#   stop    TERMs exactly the servers this script started in DIR (their pid files), KILLs after 20 s.
#   status  prints each server's pid and URL and whether it answers; exit 1 when one does not.
# Ports: CH_BASE_PORT (default 29100) + 1/2 = HTTP, + 11/12 = native TCP, + 21/22 = interserver; a start picks
# the next free block of 100 ports when that one is taken, and records the choice in DIR/ports.
# Memory is kept small (2 cores shared with other work): 512 MB per query, 64 MB caches.
set -euo pipefail

action=${1:-}
dir=${2:-}
if [ -z "$action" ] || [ -z "$dir" ]; then
  echo "usage: $0 start|stop|status DIR" >&2
  exit 2
fi

server_binary() {
  if command -v clickhouse-server >/dev/null 2>&1; then command -v clickhouse-server; return; fi
  for candidate in /usr/sbin/clickhouse-server /usr/bin/clickhouse-server; do
    if [ -x "$candidate" ]; then echo "$candidate"; return; fi
  done
  return 1
}

port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

answers() {  # $1 = http port
  python3 - "$1" <<'PY' >/dev/null 2>&1
import sys, urllib.request
with urllib.request.urlopen("http://127.0.0.1:%s/?query=SELECT%%201" % sys.argv[1], timeout=2) as reply:
    sys.exit(0 if reply.read().strip() == b"1" else 1)
PY
}

write_config() {  # $1 = shard number, $2 = base port
  local n=$1 base=$2 d
  d=$(cd "$dir" && pwd)/s$1
  mkdir -p "$d"/data "$d"/tmp "$d"/log "$d"/user_files "$d"/format_schemas
  cat >"$d/config.xml" <<XML
<?xml version="1.0"?>
<yandex>
  <logger>
    <level>warning</level>
    <log>$d/log/server.log</log>
    <errorlog>$d/log/server.err.log</errorlog>
    <size>10M</size><count>2</count>
  </logger>
  <listen_host>127.0.0.1</listen_host>
  <listen_try>0</listen_try>
  <http_port>$((base + n))</http_port>
  <tcp_port>$((base + 10 + n))</tcp_port>
  <interserver_http_port>$((base + 20 + n))</interserver_http_port>
  <interserver_http_host>127.0.0.1</interserver_http_host>
  <max_connections>64</max_connections>
  <max_concurrent_queries>16</max_concurrent_queries>
  <uncompressed_cache_size>67108864</uncompressed_cache_size>
  <mark_cache_size>67108864</mark_cache_size>
  <path>$d/data/</path>
  <tmp_path>$d/tmp/</tmp_path>
  <user_files_path>$d/user_files/</user_files_path>
  <format_schema_path>$d/format_schemas/</format_schema_path>
  <users_config>$d/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
  <mlock_executable>false</mlock_executable>
  <remote_servers>
    <kq2>
      <shard><internal_replication>false</internal_replication>
        <replica><host>127.0.0.1</host><port>$((base + 11))</port></replica></shard>
      <shard><internal_replication>false</internal_replication>
        <replica><host>127.0.0.1</host><port>$((base + 12))</port></replica></shard>
    </kq2>
  </remote_servers>
  <max_session_timeout>3600</max_session_timeout>
  <default_session_timeout>60</default_session_timeout>
</yandex>
XML
  cat >"$d/users.xml" <<XML
<?xml version="1.0"?>
<yandex>
  <profiles>
    <default>
      <max_memory_usage>536870912</max_memory_usage>
      <max_threads>2</max_threads>
      <use_uncompressed_cache>0</use_uncompressed_cache>
      <load_balancing>in_order</load_balancing>
    </default>
  </profiles>
  <users>
    <default>
      <password></password>
      <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
      <profile>default</profile>
      <quota>default</quota>
    </default>
  </users>
  <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors>
    <result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time>
  </interval></default></quotas>
</yandex>
XML
}

# Pids of the servers this script started in DIR that are still running (checked against /proc).
our_pids() {
  local n f pid
  for n in 1 2; do
    f=$dir/s$n/server.pid
    [ -s "$f" ] || continue
    pid=$(cat "$f")
    if kill -0 "$pid" 2>/dev/null && grep -q "$dir/s$n/config.xml" "/proc/$pid/cmdline" 2>/dev/null; then
      echo "$pid"
    fi
  done
}

stop_cluster() {
  local pids pid i
  [ -d "$dir" ] || return 0
  dir=$(cd "$dir" && pwd)
  pids=$(our_pids)
  for pid in $pids; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in $pids; do
    for i in $(seq 1 200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
  done
  rm -f "$dir/s1/server.pid" "$dir/s2/server.pid"
}

case "$action" in
  start)
    if ! binary=$(server_binary); then
      echo "SKIP: clickhouse-server is not installed (apt-get install clickhouse-server clickhouse-client)" >&2
      exit 77
    fi
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    if [ -n "$(our_pids)" ]; then echo "$0: a cluster is already running in $dir (stop it first)" >&2; exit 1; fi
    base=${CH_BASE_PORT:-29100}
    for attempt in $(seq 1 20); do
      taken=0
      for offset in 1 2 11 12 21 22; do
        if port_taken $((base + offset)); then taken=1; break; fi
      done
      [ "$taken" = 0 ] && break
      base=$((base + 100))
    done
    echo "$base" >"$dir/ports"
    for n in 1 2; do
      write_config "$n" "$base"
      "$binary" --config-file="$dir/s$n/config.xml" --pid-file="$dir/s$n/server.pid" --daemon \
        >"$dir/s$n/log/stdout.log" 2>&1 || true
    done
    : >"$dir/urls"
    for n in 1 2; do
      ok=0
      for i in $(seq 1 300); do
        if answers $((base + n)); then ok=1; break; fi
        sleep 0.1
      done
      if [ "$ok" = 0 ]; then
        echo "$0: server $n did not answer on port $((base + n)); see $dir/s$n/log/" >&2
        tail -n 20 "$dir/s$n/log/server.err.log" >&2 2>/dev/null || true
        stop_cluster
        exit 1
      fi
      echo "http://127.0.0.1:$((base + n))" >>"$dir/urls"
    done
    cat "$dir/urls"
    ;;
  stop)
    stop_cluster
    ;;
  status)
    [ -d "$dir" ] || { echo "no cluster in $dir"; exit 1; }
    dir=$(cd "$dir" && pwd)
    base=$(cat "$dir/ports" 2>/dev/null || echo "${CH_BASE_PORT:-29100}")
    status=0
    for n in 1 2; do
      pid=$(cat "$dir/s$n/server.pid" 2>/dev/null || true)
      if [ -n "$pid" ] && answers $((base + n)); then
        echo "s$n pid $pid http://127.0.0.1:$((base + n)) up"
      else
        echo "s$n ${pid:+pid $pid }http://127.0.0.1:$((base + n)) down"
        status=1
      fi
    done
    exit $status
    ;;
  *)
    echo "usage: $0 start|stop|status DIR" >&2
    exit 2
    ;;
esac
