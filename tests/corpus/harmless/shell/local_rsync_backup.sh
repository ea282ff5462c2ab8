#!/usr/bin/env bash
set -euo pipefail
SRC=/srv/app/uploads/
DST=/mnt/backup/uploads/
rsync -a --info=progress2 "$SRC" "$DST"
rsync -avz backup@files.internal:/srv/archive/2023/ ./restore/2023/
