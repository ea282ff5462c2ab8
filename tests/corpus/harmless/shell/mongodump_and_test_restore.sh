#!/usr/bin/env bash
# mongo_backup.sh - dump the catalog database and test-restore it into a local throwaway mongod.
set -euo pipefail

SRC_URI=${SRC_URI:-mongodb://catalog-db-0.internal:27017}
OUT=/srv/backups/mongo/catalog-$(date +%F).archive.gz

mongodump --uri "$SRC_URI" --db catalog --gzip --archive="$OUT" --readPreference=secondary
ls -lh "$OUT"

# restore into the local test instance under a different name; nothing existing is touched
mongorestore --uri mongodb://localhost:27018 --gzip --archive="$OUT" \
  --nsFrom 'catalog.*' --nsTo "catalog_verify_$(date +%s).*" --dryRun
mongosh mongodb://localhost:27018 --quiet --eval 'db.adminCommand({listDatabases: 1}).databases.map(d => d.name)'
