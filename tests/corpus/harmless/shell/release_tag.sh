#!/usr/bin/env bash
# release_tag.sh - tag a release from main and push the tag.
#
#   release_tag.sh 1.14.0
#
# Checks that main is up to date with origin, writes the changelog section,
# commits it, creates an annotated tag and pushes commit + tag (fast-forward
# only; this script never force-pushes).

set -euo pipefail

VERSION=${1:?usage: release_tag.sh <version>}
TAG="v$VERSION"

[[ $VERSION =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || { echo "version must be X.Y.Z" >&2; exit 2; }
[[ $(git rev-parse --abbrev-ref HEAD) == main ]] || { echo "switch to main first" >&2; exit 1; }
[[ -z $(git status --porcelain) ]] || { echo "working tree not clean" >&2; exit 1; }

git fetch origin --tags
if [[ $(git rev-parse HEAD) != $(git rev-parse origin/main) ]]; then
  echo "local main differs from origin/main; run: git pull --ff-only" >&2
  exit 1
fi
if git rev-parse "$TAG" >/dev/null 2>&1; then
  echo "tag $TAG already exists" >&2
  exit 1
fi

PREV=$(git describe --tags --abbrev=0 2>/dev/null || echo "")
RANGE=${PREV:+$PREV..}HEAD
{
  echo "## $VERSION - $(date +%F)"
  echo
  git log "$RANGE" --no-merges --pretty=format:'- %s (%h)' | grep -Ev '^- (chore|ci|test)' || true
  echo
  echo
  cat CHANGELOG.md
} > CHANGELOG.md.new
mv CHANGELOG.md.new CHANGELOG.md

sed -i -E "s/^version = \".*\"/version = \"$VERSION\"/" pyproject.toml

git add CHANGELOG.md pyproject.toml
git commit -m "release: $VERSION"
git tag -a "$TAG" -m "Release $VERSION"
git push origin main
git push origin "$TAG"
echo "released $TAG"
