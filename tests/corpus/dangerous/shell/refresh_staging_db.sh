#!/usr/bin/env bash
# refresh_staging_db.sh - copy last night's production backup into staging,
# anonymise it, and point the staging app at it.
#
# Usage: refresh_staging_db.sh [--date YYYY-MM-DD] [--skip-anonymise]

set -euo pipefail

BACKUP_BUCKET=s3://acme-db-backups/prod/app
STAGING_HOST=staging-db.internal
STAGING_DB=app_staging
WORKDIR=$(mktemp -d)
DATE=$(date -u -d yesterday +%F)
ANONYMISE=1

trap 'rm -rf "$WORKDIR"' EXIT

while [[ $# -gt 0 ]]; do
  case $1 in
    --date) DATE=$2; shift 2 ;;
    --skip-anonymise) ANONYMISE=0; shift ;;
    -h|--help) sed -n '2,6p' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

psql_staging() {
  psql -h "$STAGING_HOST" -U postgres -v ON_ERROR_STOP=1 "$@"
}

echo "downloading backup for $DATE"
aws s3 cp "$BACKUP_BUCKET/$DATE/app.dump" "$WORKDIR/app.dump"
pg_restore --list "$WORKDIR/app.dump" > "$WORKDIR/toc.txt"
echo "$(wc -l < "$WORKDIR/toc.txt") entries in the dump"

echo "stopping staging app"
kubectl --context staging -n app scale deploy/api --replicas=0
kubectl --context staging -n app scale deploy/worker --replicas=0

psql_staging -d postgres -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '$STAGING_DB' AND pid <> pg_backend_pid();"
# expect: destructive
dropdb -h "$STAGING_HOST" -U postgres --if-exists "$STAGING_DB"
createdb -h "$STAGING_HOST" -U postgres -O app "$STAGING_DB"

echo "restoring"
pg_restore -h "$STAGING_HOST" -U postgres -d "$STAGING_DB" --no-owner --role=app -j 4 "$WORKDIR/app.dump"

if [[ $ANONYMISE == 1 ]]; then
  echo "anonymising personal data"
  psql_staging -d "$STAGING_DB" <<'SQL'
UPDATE users SET email = 'user' || id || '@staging.invalid', phone = NULL, last_name = 'Staging' WHERE email NOT LIKE '%@acme.com';
UPDATE addresses SET line1 = 'Teststrasse ' || id, line2 = NULL WHERE id > 0;
SQL
fi

echo "starting staging app"
kubectl --context staging -n app scale deploy/api --replicas=2
kubectl --context staging -n app scale deploy/worker --replicas=1
kubectl --context staging -n app rollout status deploy/api --timeout=5m
echo "staging refreshed from $DATE"
