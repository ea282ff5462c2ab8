#!/usr/bin/env bash
# Restore the catalog database from the weekly archive (ops runbook step 4).
set -euo pipefail

ARCHIVE=${ARCHIVE:-/backups/mongo/catalog-$(date +%G-W%V).archive.gz}
MONGO_URI=${MONGO_URI:-mongodb://catalog-db-0.internal:27017}

test -s "$ARCHIVE" || { echo "missing $ARCHIVE" >&2; exit 1; }
mongosh "$MONGO_URI/catalog" --quiet --eval 'db.stats().objects'

# expect: destructive
mongorestore --uri "$MONGO_URI" --gzip --archive="$ARCHIVE" --nsInclude 'catalog.*' --drop

mongosh "$MONGO_URI/catalog" --quiet --eval 'db.products.countDocuments({})'
