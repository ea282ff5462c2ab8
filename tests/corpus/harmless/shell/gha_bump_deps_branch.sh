#!/usr/bin/env bash
# .github/scripts/bump_deps.sh - weekly job: refresh the lock file on the bot's own branch
# and (re)open the pull request. The branch belongs to the bot and is rewritten every week.
set -euo pipefail

BRANCH=bot/weekly-deps
git config user.name "deps-bot"
git config user.email "deps-bot@acme.io"

git fetch origin main
git checkout -B "$BRANCH" origin/main
poetry lock --no-update
poetry update --lock

if git diff --quiet -- poetry.lock; then
  echo "lock file unchanged"
  exit 0
fi

git commit -am "chore(deps): weekly lock refresh"
git push --force-with-lease origin bot/weekly-deps
gh pr create --base main --head bot/weekly-deps --title "Weekly dependency refresh" --body "Automated." || \
  gh pr edit bot/weekly-deps --body "Automated, refreshed $(date +%F)."
