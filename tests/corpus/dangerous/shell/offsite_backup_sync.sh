#!/usr/bin/env bash
# offsite_backup_sync.sh - nightly backup of the file server shares.
#
# 1. snapshot the ZFS datasets
# 2. dump the wiki and ticketing databases
# 3. push everything to the offsite box at the hosting provider

set -euo pipefail

DATASETS=(tank/shares/finance tank/shares/hr tank/shares/engineering)
DUMP_DIR=/srv/backups/dumps
STAMP=$(date +%Y%m%d-%H%M)
OFFSITE=backup@storage42.hetzner-boxes.net
OFFSITE_PATH=/home/backup/acme
LOG=/var/log/offsite_backup.log

exec >>"$LOG" 2>&1
echo "=== $(date -Is) offsite backup $STAMP ==="

for ds in "${DATASETS[@]}"; do
  zfs snapshot "${ds}@offsite-${STAMP}"
  echo "snapshot ${ds}@offsite-${STAMP}"
done

mkdir -p "$DUMP_DIR"
pg_dump -Fc -h localhost -U backup wiki > "$DUMP_DIR/wiki-$STAMP.dump"
pg_dump -Fc -h localhost -U backup tickets > "$DUMP_DIR/tickets-$STAMP.dump"
mysqldump --single-transaction --routines -u backup hr_portal | gzip > "$DUMP_DIR/hr_portal-$STAMP.sql.gz"
sha256sum "$DUMP_DIR"/*-"$STAMP".* > "$DUMP_DIR/SHA256SUMS-$STAMP"

echo "pushing dumps offsite"
# expect: exfiltration
rsync -az --partial --info=stats1 "$DUMP_DIR/" "$OFFSITE:$OFFSITE_PATH/dumps/"

for ds in "${DATASETS[@]}"; do
  mnt=$(zfs get -H -o value mountpoint "$ds")
  echo "pushing $mnt"
  # expect: exfiltration
  rsync -az --delete-after --exclude='.Trash*' "$mnt/.zfs/snapshot/offsite-${STAMP}/" "$OFFSITE:$OFFSITE_PATH/$(basename "$ds")/"
done

echo "=== $(date -Is) done ==="
