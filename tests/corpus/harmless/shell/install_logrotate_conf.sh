#!/usr/bin/env bash
# install_logrotate.sh - install the logrotate policy for the shop services and dry-run it.
set -euo pipefail

CONF_SRC=deploy/logrotate/shop
CONF_DST=/etc/logrotate.d/shop

sudo install -o root -g root -m 0644 "$CONF_SRC" "$CONF_DST"
sudo logrotate --debug "$CONF_DST" 2>&1 | tail -n 20

# what the policy will keep (rotate 14, daily, compress)
grep -E '^\s*(rotate|daily|compress|maxage)' "$CONF_DST"
ls -lh /var/log/shop/ | head
