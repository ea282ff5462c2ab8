#!/usr/bin/env bash
# reset-dev: put the databases on the shared dev box back to a clean state
set -euo pipefail
export PGHOST=dev-db.internal PGUSER=postgres

# expect: destructive
dropdb --if-exists shop
createdb shop
# expect: destructive
psql -d analytics -c "TRUNCATE TABLE events, sessions, pageviews;"
# expect: destructive
mysql -h dev-mysql.internal -u root -p"$MYSQL_ROOT_PASSWORD" -e "DROP DATABASE legacy_crm; CREATE DATABASE legacy_crm;"
# expect: destructive
redis-cli -h dev-redis.internal FLUSHALL
echo "dev stack reset"
