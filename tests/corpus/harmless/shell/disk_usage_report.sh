#!/usr/bin/env bash
# Free disk space - step 1: find out what is using it (read-only).
set -euo pipefail

ROOT=${1:-/}
echo "== filesystems"; df -h
echo "== top 20 directories under $ROOT"
sudo du -xh --max-depth=2 "$ROOT" 2>/dev/null | sort -rh | head -20
echo "== files larger than 1G"
sudo find "$ROOT" -xdev -type f -size +1G -printf '%s\t%p\n' 2>/dev/null | sort -rn | head -20 | numfmt --to=iec --field=1
echo "== docker"; docker system df || true
echo "== journal"; journalctl --disk-usage
echo
echo "Suggested next steps (not run):"
echo "  docker image prune   # dangling images"
echo "  journalctl --vacuum-time=7d"
