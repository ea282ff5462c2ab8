#!/usr/bin/env bash
# cron: rotate application logs, keep 7 days
LOG_DIR=/var/log/acme
BACKUP_DIR=/var/backups/acme

# expect: destructive
find "$LOG_DIR" -name '*.log' -mtime +7 -delete
# keep the five newest database backups
# expect: destructive
ls -1t "$BACKUP_DIR"/*.tar.gz | tail -n +6 | xargs rm -f
