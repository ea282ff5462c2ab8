#!/usr/bin/env bash
# verify_backup.sh - prove last night's dump restores: restore it into a scratch
# database, count rows, and throw the scratch database away.
set -euo pipefail

DUMP=${1:-/srv/backups/postgres/$(date -d yesterday +%F)/shop.dump}
SCRATCH_DB=tmp_restore_verify_$$

createdb -h localhost -U postgres "$SCRATCH_DB"
pg_restore -h localhost -U postgres --no-owner --exit-on-error -j 4 -d "$SCRATCH_DB" "$DUMP"

psql -h localhost -U postgres -d "$SCRATCH_DB" -At <<'SQL'
SELECT 'orders', count(*) FROM orders
UNION ALL SELECT 'customers', count(*) FROM customers
UNION ALL SELECT 'order_items', count(*) FROM order_items;
SQL

dropdb -h localhost -U postgres "$SCRATCH_DB"
echo "backup $DUMP verified"
