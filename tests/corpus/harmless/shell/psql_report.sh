#!/usr/bin/env bash
set -euo pipefail
export PGHOST=replica.internal PGDATABASE=shop PGUSER=readonly

psql -At -c "SELECT count(*) FROM orders WHERE created_at >= current_date"
psql -v ON_ERROR_STOP=1 -f sql/migrations/0042_add_index.sql
psql --csv -c "SELECT status, count(*) FROM orders GROUP BY status" > reports/order_status.csv
