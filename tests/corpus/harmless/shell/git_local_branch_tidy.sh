#!/usr/bin/env bash
# Delete local branches that are already merged into main (remote untouched)
set -euo pipefail
git fetch --prune origin
git checkout main
git pull --ff-only
git branch --merged main | grep -vE '^\*|main$|develop$' | xargs -r git branch -d
git gc --auto
git status -sb
