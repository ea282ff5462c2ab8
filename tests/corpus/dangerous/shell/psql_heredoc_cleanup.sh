#!/usr/bin/env bash
set -euo pipefail
export PGHOST=db-primary.internal PGDATABASE=shop PGUSER=ops

psql -v ON_ERROR_STOP=1 -c "SELECT count(*) FROM carts"

# expect: destructive
psql -v ON_ERROR_STOP=1 <<'SQL'
BEGIN;
DELETE FROM cart_items;
DROP TABLE carts_backup_2022;
COMMIT;
SQL
