#!/usr/bin/env bash
# Export the dashboard data to CSV files in ./exports/<date>/ (read-only queries).
set -euo pipefail

out="exports/$(date +%F)"
mkdir -p "$out"

psql "$ANALYTICS_DB_URL" --csv -c \
  "SELECT created_at::date AS day, count(*) AS signups FROM users WHERE created_at >= now() - interval '90 days' GROUP BY 1 ORDER BY 1" \
  > "$out/signups_by_day.csv"

psql "$ANALYTICS_DB_URL" --csv -c \
  "SELECT plan, count(*) AS subs, sum(mrr) AS mrr FROM subscriptions WHERE status = 'active' GROUP BY 1" \
  > "$out/mrr_by_plan.csv"

wc -l "$out"/*.csv
