#!/usr/bin/env bash
# Nightly local backup of the app database
set -euo pipefail
BACKUP_DIR=/var/backups/postgres
STAMP=$(date +%Y%m%d)
mkdir -p "$BACKUP_DIR"
pg_dump -Fc -h localhost -U app app -f "$BACKUP_DIR/app_${STAMP}.dump"
pg_restore --list "$BACKUP_DIR/app_${STAMP}.dump" | head -5
psql -h localhost -U app -d app -c "SELECT count(*) FROM orders WHERE created_at > now() - interval '1 day';"
echo "backup done: $BACKUP_DIR/app_${STAMP}.dump"
