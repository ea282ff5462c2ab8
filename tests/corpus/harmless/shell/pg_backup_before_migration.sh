#!/usr/bin/env bash
# Back up the database locally before running the migration (custom format, compressed).
set -euo pipefail

stamp=$(date +%Y%m%d_%H%M%S)
mkdir -p backups
pg_dump --format=custom --compress=9 --no-owner --file "backups/app_${stamp}.dump" "$DATABASE_URL"
pg_restore --list "backups/app_${stamp}.dump" | head -20
ls -lh "backups/app_${stamp}.dump"
echo "backup ok; now run: alembic upgrade head"
