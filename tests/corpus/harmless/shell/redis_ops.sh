#!/usr/bin/env bash
set -euo pipefail
R="redis-cli -h cache.internal -p 6379"
redis-cli -h cache.internal INFO memory | grep used_memory_human
redis-cli -h cache.internal --scan --pattern 'session:*' | head -20
redis-cli -h cache.internal DEL "feature_flags:stale"
redis-cli -h cache.internal TTL "ratelimit:global"
