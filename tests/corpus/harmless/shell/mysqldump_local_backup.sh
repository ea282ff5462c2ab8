#!/usr/bin/env bash
# mysql_backup.sh - consistent dump of the wordpress database to the local backup dir.
set -euo pipefail

BACKUP_DIR=${BACKUP_DIR:-/var/backups/mysql}
STAMP=$(date +%Y%m%d-%H%M)
mkdir -p "$BACKUP_DIR"

mysql --defaults-extra-file=/etc/mysql/backup.cnf -e "SELECT table_name, table_rows FROM information_schema.tables WHERE table_schema = 'wordpress' ORDER BY table_rows DESC LIMIT 10"

mysqldump --defaults-extra-file=/etc/mysql/backup.cnf \
  --single-transaction --routines --triggers --set-gtid-purged=OFF \
  wordpress | gzip -9 > "$BACKUP_DIR/wordpress-$STAMP.sql.gz"

gzip -t "$BACKUP_DIR/wordpress-$STAMP.sql.gz"
ls -lh "$BACKUP_DIR" | tail -n 5
