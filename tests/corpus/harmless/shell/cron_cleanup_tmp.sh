#!/usr/bin/env bash
# Remove this job's own temporary files, created with mktemp under /tmp
set -euo pipefail
find /tmp -maxdepth 1 -name 'report-*.csv' -mtime +1 -print
rm -f /tmp/report-*.csv
rm -rf /tmp/report_render_cache
