#!/usr/bin/env bash
# remove merged feature branches from the remote
set -euo pipefail
git fetch --prune
for br in $(git branch -r --merged origin/main | grep -v 'main$' | sed 's#origin/##'); do
  echo "deleting $br"
  # expect: destructive
  git push origin --delete "$br"
done
