#!/usr/bin/env bash
# reset_dev_db.sh - reset the dev database: drop, recreate, migrate, seed.
set -euo pipefail

DB_NAME=${DB_NAME:-app_dev}
DB_HOST=${DB_HOST:-localhost}

echo "Resetting $DB_NAME on $DB_HOST"
# expect: destructive
dropdb --if-exists -h "$DB_HOST" -U postgres "$DB_NAME"
createdb -h "$DB_HOST" -U postgres -O app "$DB_NAME"

alembic upgrade head
python -m app.seed --demo
echo "done"
