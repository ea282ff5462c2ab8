#!/usr/bin/env bash
# pg_nightly_dump.sh - nightly logical backup to the local backup volume, verified.
set -euo pipefail

PGHOST=${PGHOST:-db-primary.internal}
DB=${DB:-shop}
DEST=/srv/backups/postgres/$(date +%F)
mkdir -p "$DEST"

pg_dump -h "$PGHOST" -U backup -Fc -Z 6 --no-owner -f "$DEST/$DB.dump" "$DB"
pg_dumpall -h "$PGHOST" -U backup --globals-only > "$DEST/globals.sql"

# verify the archive is readable and list what it contains
pg_restore --list "$DEST/$DB.dump" > "$DEST/$DB.toc"
grep -c "TABLE DATA" "$DEST/$DB.toc"

sha256sum "$DEST/$DB.dump" "$DEST/globals.sql" > "$DEST/SHA256SUMS"
du -sh "$DEST"
