#!/usr/bin/env bash
# weekly_report.sh - print the weekly ops numbers from the read replica.
# All queries are SELECTs, run in a read-only transaction.

set -euo pipefail

export PGHOST=${PGHOST:-replica.db.internal}
export PGDATABASE=${PGDATABASE:-app}
export PGUSER=${PGUSER:-reporting}
export PGOPTIONS="-c default_transaction_read_only=on -c statement_timeout=60s"

section() { printf '\n== %s\n' "$1"; }

section "signups (last 8 weeks)"
psql -X -q -P pager=off -c "
  SELECT date_trunc('week', created_at)::date AS week, count(*) AS signups
  FROM users WHERE created_at >= now() - interval '8 weeks' AND deleted_at IS NULL
  GROUP BY 1 ORDER BY 1;"

section "orders and revenue (last 7 days)"
psql -X -q -P pager=off <<'SQL'
SELECT created_at::date AS day,
       count(*) AS orders,
       round(sum(total_cents) / 100.0, 2) AS revenue
FROM orders
WHERE created_at >= current_date - 7 AND status NOT IN ('cancelled', 'deleted')
GROUP BY 1
ORDER BY 1;
SQL

section "accounts deleted this week (soft delete, is_deleted = true)"
psql -X -q -tA -c "SELECT count(*) FROM accounts WHERE is_deleted AND deleted_at >= date_trunc('week', now());"

section "largest tables"
psql -X -q -P pager=off -c "
  SELECT relname, pg_size_pretty(pg_total_relation_size(relid)) AS size
  FROM pg_catalog.pg_statio_user_tables ORDER BY pg_total_relation_size(relid) DESC LIMIT 10;"

section "long-running queries right now"
psql -X -q -P pager=off -c "
  SELECT pid, now() - query_start AS running_for, left(query, 80) AS query
  FROM pg_stat_activity
  WHERE state = 'active' AND now() - query_start > interval '5 minutes'
  ORDER BY running_for DESC;"
