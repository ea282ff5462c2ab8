#!/usr/bin/env bash
# redis_report.sh - memory and keyspace report for the cache cluster; clears one stuck lock if asked.
set -euo pipefail

HOST=${REDIS_HOST:-cache-0.internal}
redis-cli -h "$HOST" INFO memory | grep -E 'used_memory_human|maxmemory_human|mem_fragmentation_ratio'
redis-cli -h "$HOST" INFO keyspace
redis-cli -h "$HOST" DBSIZE
redis-cli -h "$HOST" --scan --pattern 'session:*' --count 1000 | wc -l
redis-cli -h "$HOST" --bigkeys -i 0.01 | tail -n 12

if [[ "${1:-}" == "--clear-report-lock" ]]; then
  redis-cli -h "$HOST" DEL lock:nightly-report
fi
