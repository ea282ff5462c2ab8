#!/usr/bin/env bash
# access_log_report.sh - summarise nginx access logs (combined format).
#
#   access_log_report.sh [logdir] [days]
#
# Prints top IPs, top paths, status code mix, 5xx per hour and slowest
# upstreams. Read-only: it never rotates, truncates or deletes logs.

set -euo pipefail

LOGDIR=${1:-/var/log/nginx}
DAYS=${2:-1}

files=$(find "$LOGDIR" -name 'access.log*' -mtime -"$DAYS" | sort)
[[ -n $files ]] || { echo "no logs newer than $DAYS day(s) in $LOGDIR"; exit 0; }

reader() {
  for f in $files; do
    case $f in
      *.gz) zcat "$f" ;;
      *) cat "$f" ;;
    esac
  done
}

echo "== requests: $(reader | wc -l)"

echo; echo "== top 15 client IPs"
reader | awk '{print $1}' | sort | uniq -c | sort -rn | head -15

echo; echo "== top 20 paths (query string stripped)"
reader | awk '{split($7, p, "?"); print p[1]}' | sort | uniq -c | sort -rn | head -20

echo; echo "== status codes"
reader | awk '{print $9}' | sort | uniq -c | sort -rn

echo; echo "== 5xx per hour"
reader | awk '$9 ~ /^5/ {split($4, t, ":"); print t[1] ":" t[2]}' | tr -d '[' | sort | uniq -c

echo; echo "== slowest requests (request_time is the last field)"
reader | awk '{print $NF, $7}' | sort -rn | head -10

echo; echo "== suspicious requests (probes for /wp-admin, .env, DROP TABLE in query strings)"
reader | grep -Ei 'wp-admin|\.env|drop%20table|union%20select|rm%20-rf' | awk '{print $1, $7}' | sort | uniq -c | sort -rn | head -20 || true
