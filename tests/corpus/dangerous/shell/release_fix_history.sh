#!/bin/sh
# make release-fixup: squash the broken release commits and republish
set -e
git fetch origin
git rebase -i --autosquash origin/main~5
# expect: destructive
git push --force origin HEAD:main
