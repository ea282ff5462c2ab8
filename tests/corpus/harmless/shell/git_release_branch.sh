#!/usr/bin/env bash
# Cut a release: bump version, commit, tag and push (no force, no history rewrite)
set -euo pipefail
VERSION="${1:?usage: release.sh X.Y.Z}"

git fetch origin --tags
git checkout main
git pull --rebase origin main
sed -i "s/^version = .*/version = \"${VERSION}\"/" pyproject.toml
git add pyproject.toml CHANGELOG.md
git commit -m "release ${VERSION}"
git tag -a "v${VERSION}" -m "v${VERSION}"
git push origin main
git push origin "v${VERSION}"
git log --oneline -5
