#!/usr/bin/env bash
set -euo pipefail
psql "$DATABASE_URL" -v ON_ERROR_STOP=1 <<'SQL'
BEGIN;
ALTER TABLE orders ADD COLUMN IF NOT EXISTS gift_note text;
CREATE INDEX IF NOT EXISTS orders_gift_idx ON orders ((gift_note IS NOT NULL));
UPDATE orders SET gift_note = '' WHERE gift_note IS NULL AND is_gift;
DROP TABLE IF EXISTS tmp_gift_backfill;
COMMIT;
SQL
psql "$DATABASE_URL" -c "SELECT count(*) FROM orders WHERE is_gift"
