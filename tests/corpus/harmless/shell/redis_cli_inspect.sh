#!/bin/sh
R="redis-cli -h cache.internal -p 6379"
$R INFO memory | grep used_memory_human
$R --scan --pattern 'ratelimit:*' | head -20
$R DEL "ratelimit:user:${1:-0}"
$R TTL "session:${2:-none}"
