#!/usr/bin/env bash
# Tag and push a release (no force)
set -euo pipefail
VERSION="$1"
git fetch origin
git checkout main
git pull --ff-only origin main
git tag -a "v${VERSION}" -m "Release ${VERSION}"
git push origin main
git push origin "v${VERSION}"
git branch -d "release/${VERSION}" || true
