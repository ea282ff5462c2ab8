#!/bin/sh
# Rebuild docs and publish them on the gh-pages branch
set -e

mkdocs build --clean --site-dir site
git checkout gh-pages
cp -r site/* .
git add -A
git commit -m "docs: publish $(git rev-parse --short HEAD@{1})" || true
# expect: destructive
git push -f origin gh-pages
git checkout -
