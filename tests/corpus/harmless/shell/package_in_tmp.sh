#!/usr/bin/env bash
# package.sh - build the distributable tarball in a throwaway directory.
#
# Everything happens under a mktemp directory that is removed on exit, so the
# repository and any previous dist/ artifacts are left untouched.

set -euo pipefail

REPO=$(git rev-parse --show-toplevel)
VERSION=$(git describe --tags --always)
WORK=$(mktemp -d -t pkg-XXXXXXXX)
trap 'rm -rf "$WORK"' EXIT

echo "staging in $WORK"
git -C "$REPO" archive --format=tar HEAD | tar -x -C "$WORK"

cd "$WORK"
python3 -m venv "$WORK/.venv"
"$WORK/.venv/bin/pip" install --quiet build
"$WORK/.venv/bin/python" -m build --sdist --wheel --outdir "$WORK/out" .

# strip files we never ship
find "$WORK/out" -name '*.orig' -delete
rm -f "$WORK"/out/*.tmp

mkdir -p "$REPO/dist"
for f in "$WORK"/out/*; do
  base=$(basename "$f")
  if [[ -e $REPO/dist/$base ]]; then
    echo "dist/$base already exists, keeping the existing file"
    continue
  fi
  cp "$f" "$REPO/dist/"
  echo "dist/$base"
done
sha256sum "$REPO"/dist/*"$VERSION"* 2>/dev/null || true
