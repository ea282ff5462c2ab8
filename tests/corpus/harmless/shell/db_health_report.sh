#!/usr/bin/env bash
# Read-only health report for the primary databases
set -euo pipefail

psql "$PG_URL" -X -A -c "SELECT now(), pg_size_pretty(pg_database_size(current_database()));"
psql "$PG_URL" -X -c "SELECT relname, n_live_tup, n_dead_tup FROM pg_stat_user_tables ORDER BY n_dead_tup DESC LIMIT 10;"
psql "$PG_URL" -X -c "SELECT pid, state, now() - query_start AS age, left(query, 80) FROM pg_stat_activity WHERE state <> 'idle' ORDER BY age DESC;"
mysql -h "$MYSQL_HOST" -u report -p"$MYSQL_REPORT_PASSWORD" -e "SHOW PROCESSLIST; SELECT table_name, table_rows FROM information_schema.tables WHERE table_schema = 'shop' ORDER BY table_rows DESC LIMIT 10;"
redis-cli -h "$REDIS_HOST" INFO memory | grep used_memory_human
