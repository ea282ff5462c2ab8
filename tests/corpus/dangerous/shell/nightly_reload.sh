#!/usr/bin/env bash
set -euo pipefail
export PGPASSWORD="${WAREHOUSE_PASSWORD}"

echo "reloading dimension tables"
psql -h warehouse.internal -U etl -d dw -v ON_ERROR_STOP=1 <<SQL
BEGIN;
-- expect: destructive
TRUNCATE TABLE marts.dim_customer;
INSERT INTO marts.dim_customer SELECT * FROM staging.customers_clean;
-- expect: destructive
DELETE FROM marts.fct_orders;
INSERT INTO marts.fct_orders SELECT * FROM staging.orders_clean;
COMMIT;
SQL
echo "reload complete"
