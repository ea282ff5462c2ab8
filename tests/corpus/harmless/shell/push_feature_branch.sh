#!/usr/bin/env bash
# Push the current feature branch and open a PR (refuses to push main/master).
set -euo pipefail

branch=$(git rev-parse --abbrev-ref HEAD)
case "$branch" in
  main|master|release/*) echo "refusing to push $branch directly; open a PR" >&2; exit 1 ;;
esac

git fetch origin
git rebase origin/main
pre-commit run --all-files
git push -u origin "$branch"
gh pr create --fill --base main || gh pr view --web
