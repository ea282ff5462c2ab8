#!/usr/bin/env bash
# sync-branch.sh - rebase my feature branch onto the latest main and update
# the pull request. Refuses to run on main or release branches.
#
#   sync-branch.sh            # current branch
#   sync-branch.sh --no-push  # rebase only

set -euo pipefail

PUSH=1
[[ ${1:-} == --no-push ]] && PUSH=0

branch=$(git rev-parse --abbrev-ref HEAD)
case $branch in
  main|master|release/*|hotfix/*)
    echo "refusing to rebase/push $branch; this script is for feature branches only" >&2
    exit 1
    ;;
esac

if [[ -n $(git status --porcelain --untracked-files=no) ]]; then
  echo "stashing local changes"
  git stash push -m "sync-branch $(date +%s)"
  stashed=1
else
  stashed=0
fi

git fetch origin --prune
git rebase --autostash origin/main

if [[ $stashed == 1 ]]; then
  git stash pop
fi

git log --oneline origin/main..HEAD

if [[ $PUSH == 1 ]]; then
  # rewriting my own feature branch after a rebase; lease protects teammates' pushes
  # expect: destructive
  git push --force-with-lease origin "HEAD:refs/heads/$branch"
fi
