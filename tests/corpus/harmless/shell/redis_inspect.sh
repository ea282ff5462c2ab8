#!/usr/bin/env bash
# redis-inspect.sh - read-only look at a Redis instance: memory, keyspace,
# biggest keys by prefix, TTL coverage. Safe on production (SCAN, no KEYS *).
#
#   redis-inspect.sh [host] [port] [db]

set -euo pipefail

HOST=${1:-127.0.0.1}
PORT=${2:-6379}
DB=${3:-0}
R=(redis-cli -h "$HOST" -p "$PORT" -n "$DB")

echo "== server"
"${R[@]}" INFO server | grep -E 'redis_version|uptime_in_days'
echo "== memory"
"${R[@]}" INFO memory | grep -E 'used_memory_human|maxmemory_human|mem_fragmentation_ratio|evicted'
echo "== keyspace"
"${R[@]}" INFO keyspace

echo "== key count by prefix (sampled with SCAN)"
"${R[@]}" --scan --count 1000 | head -200000 | awk -F: '{print $1}' | sort | uniq -c | sort -rn | head -20

echo "== keys without TTL (first 20)"
"${R[@]}" --scan --count 1000 | head -5000 | while read -r key; do
  ttl=$("${R[@]}" TTL "$key")
  [[ $ttl == -1 ]] && echo "$key"
done | head -20

echo "== biggest keys"
"${R[@]}" --bigkeys -i 0.01 | tail -15

echo "== slowlog"
"${R[@]}" SLOWLOG GET 10
