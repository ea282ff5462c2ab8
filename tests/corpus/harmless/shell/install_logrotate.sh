#!/usr/bin/env bash
# Set up log pruning the boring way: a logrotate rule instead of a cron job with find.
set -euo pipefail

sudo tee /etc/logrotate.d/myapp >/dev/null <<'CONF'
/var/log/myapp/*.log {
    daily
    rotate 14
    compress
    delaycompress
    missingok
    notifempty
    copytruncate
}
CONF

sudo logrotate --debug /etc/logrotate.d/myapp
echo "logrotate rule installed; runs from the system logrotate timer"
