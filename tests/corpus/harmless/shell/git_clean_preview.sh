#!/usr/bin/env bash
# What would `git clean` remove? Preview only (dry run), plus ignored build outputs.
set -euo pipefail

echo "untracked files that git clean would remove:"
git clean -n -d
echo
echo "ignored files (build outputs, caches):"
git clean -n -d -X | head -50
echo
echo "to actually remove them run: git clean -f -d   (review the list first)"
