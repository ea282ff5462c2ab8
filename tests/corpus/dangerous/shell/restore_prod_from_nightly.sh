#!/usr/bin/env bash
# restore_from_nightly.sh - restore the app database from last night's dump.
# Usage: ./restore_from_nightly.sh [YYYY-MM-DD]
set -euo pipefail

DAY=${1:-$(date -d yesterday +%F)}
BACKUP_BUCKET=${BACKUP_BUCKET:-s3://acme-db-backups/app}
DATABASE_URL=${DATABASE_URL:?set DATABASE_URL to the target database}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

echo "fetching ${BACKUP_BUCKET}/${DAY}/app.dump"
aws s3 cp "${BACKUP_BUCKET}/${DAY}/app.dump" "$WORK/app.dump"
pg_restore --list "$WORK/app.dump" | head -n 20

echo "restoring into ${DATABASE_URL%%@*}@..."
# expect: destructive
pg_restore --clean --if-exists --no-owner --jobs 4 -d "$DATABASE_URL" "$WORK/app.dump"

psql "$DATABASE_URL" -Atc "SELECT count(*) FROM users"
echo "restore of $DAY finished"
