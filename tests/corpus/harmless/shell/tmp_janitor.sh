#!/usr/bin/env bash
# cron: remove our own scratch files in /tmp older than a day
find /tmp -maxdepth 1 -name 'etl-job-*' -mtime +1 -exec rm -rf {} +
find /tmp/etl-cache -type f -mtime +2 -delete
rm -f /tmp/etl.lock
