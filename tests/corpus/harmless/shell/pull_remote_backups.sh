#!/usr/bin/env bash
# Pull last night's backups from the DB host to this backup server
set -euo pipefail
DEST=/mnt/backups/db
mkdir -p "$DEST"
rsync -az --partial backup@db-1.internal:/var/backups/pg/ "$DEST/"
scp backup@db-1.internal:/var/backups/pg/manifest.json "$DEST/manifest.json"
tar -czf "/mnt/backups/archive/db_$(date +%F).tgz" -C "$DEST" .
