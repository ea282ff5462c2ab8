#!/usr/bin/env bash
set -euo pipefail
git fetch --prune
git stash list
git branch --merged main | grep -v '^\*\|main' | xargs -r git branch -d
git gc --auto
git log --oneline -10
git status -sb
