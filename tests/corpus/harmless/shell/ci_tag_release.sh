#!/usr/bin/env bash
set -euo pipefail
VERSION="$(python -c 'import tomllib;print(tomllib.load(open("pyproject.toml","rb"))["project"]["version"])')"
BRANCH="release/${VERSION}"

git fetch --tags origin
if git rev-parse "v${VERSION}" >/dev/null 2>&1; then
    echo "tag v${VERSION} exists" >&2
    exit 1
fi
git checkout -b "$BRANCH"
git tag -a "v${VERSION}" -m "Release ${VERSION}"
git push origin "$BRANCH"
git push origin "v${VERSION}"
