#!/usr/bin/env bash
# pg_backup.sh - take a compressed, timestamped backup of one database to a
# local backup directory and verify that it restores (into a throwaway
# database in a temporary docker container).
#
#   pg_backup.sh <dbname> [backup_dir]
#
# Backups are never deleted by this script; retention is handled by the
# storage team's snapshot policy on /srv/backups.

set -euo pipefail

DB=${1:?usage: pg_backup.sh <dbname> [backup_dir]}
DEST=${2:-/srv/backups/postgres/$DB}
STAMP=$(date +%Y%m%dT%H%M%S)
FILE="$DEST/${DB}_${STAMP}.dump"
VERIFY_DIR=$(mktemp -d)
CONTAINER="pg-verify-$$"

cleanup() {
  docker rm -f "$CONTAINER" >/dev/null 2>&1 || true
  rm -rf "$VERIFY_DIR"
}
trap cleanup EXIT

mkdir -p "$DEST"
echo "backing up $DB to $FILE"
pg_dump --format=custom --compress=9 --no-owner --dbname="$DB" --file="$FILE"
sha256sum "$FILE" > "$FILE.sha256"
ls -lh "$FILE"

echo "verifying restore in a scratch container"
cp "$FILE" "$VERIFY_DIR/backup.dump"
docker run -d --name "$CONTAINER" -e POSTGRES_PASSWORD=verify -v "$VERIFY_DIR:/backup:ro" postgres:16 >/dev/null
for _ in $(seq 1 30); do
  docker exec "$CONTAINER" pg_isready -U postgres >/dev/null 2>&1 && break
  sleep 1
done
docker exec "$CONTAINER" createdb -U postgres verify
docker exec "$CONTAINER" pg_restore -U postgres -d verify --no-owner /backup/backup.dump
tables=$(docker exec "$CONTAINER" psql -U postgres -d verify -tAc "SELECT count(*) FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog','information_schema')")
echo "restore OK: $tables tables"
