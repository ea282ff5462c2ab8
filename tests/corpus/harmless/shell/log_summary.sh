#!/usr/bin/env bash
# summarise errors from yesterday's logs
LOG=/var/log/acme/api.log.1
grep -c ' ERROR ' "$LOG"
grep ' ERROR ' "$LOG" | awk '{print $5}' | sort | uniq -c | sort -rn | head -20
journalctl -u acme-api --since yesterday --until today --no-pager | tail -50
du -sh /var/log/acme
