#!/bin/sh
# prune_logs.sh - prune application logs older than 14 days.
# Installed by: (crontab -l; echo "30 2 * * * /opt/app/bin/prune_logs.sh") | crontab -

LOG_ROOT=/var/log/app
KEEP_DAYS=14

echo "$(date -Is) pruning $LOG_ROOT (> $KEEP_DAYS days)"
# expect: destructive
find "$LOG_ROOT" -type f -name '*.log*' -mtime +"$KEEP_DAYS" -delete
find "$LOG_ROOT" -type d -empty -delete 2>/dev/null || true
echo "$(date -Is) done"
