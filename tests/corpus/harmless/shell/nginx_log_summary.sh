#!/usr/bin/env bash
# Top paths, status codes and clients from today's nginx access log
set -euo pipefail
LOG=${1:-/var/log/nginx/access.log}

echo "== status codes"
awk '{print $9}' "$LOG" | sort | uniq -c | sort -rn | head
echo "== top paths"
awk '{print $7}' "$LOG" | cut -d'?' -f1 | sort | uniq -c | sort -rn | head -20
echo "== top clients"
awk '{print $1}' "$LOG" | sort | uniq -c | sort -rn | head -10
grep -c ' 5[0-9][0-9] ' "$LOG" || true
