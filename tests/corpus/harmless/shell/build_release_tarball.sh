#!/usr/bin/env bash
# package.sh - build the release tarball in a private work dir and leave only the artifact.
set -euo pipefail

VERSION=$(python -c "import tomllib;print(tomllib.load(open('pyproject.toml','rb'))['project']['version'])")
WORKDIR=$(mktemp -d -t shop-build-XXXXXX)
trap 'rm -rf "$WORKDIR"' EXIT

python -m build --wheel --outdir "$WORKDIR/dist"
cp -r config templates "$WORKDIR/"
tar -C "$WORKDIR" -czf "shop-$VERSION.tar.gz" dist config templates
sha256sum "shop-$VERSION.tar.gz" | tee "shop-$VERSION.tar.gz.sha256"
rm -rf /tmp/shop-pip-cache
