#!/bin/bash
# Reset the shared database to the latest schema.
set -eu
PGHOST=${PGHOST:-db.shared.internal}
PGUSER=${PGUSER:-admin}
DB=app

echo "resetting $DB on $PGHOST"
# expect: destructive
psql -h "$PGHOST" -U "$PGUSER" -d postgres -c "DROP DATABASE IF EXISTS app;"
psql -h "$PGHOST" -U "$PGUSER" -d postgres -c "CREATE DATABASE app OWNER app;"
psql -h "$PGHOST" -U "$PGUSER" -d "$DB" -f schema.sql
