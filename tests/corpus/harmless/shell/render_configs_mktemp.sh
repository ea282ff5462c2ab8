#!/usr/bin/env bash
# Render the nginx configs in a scratch directory and validate them before copying
set -euo pipefail

WORK=$(mktemp -d -t render-XXXXXX)
cleanup() { rm -rf "$WORK"; }
trap cleanup EXIT

for tpl in deploy/nginx/*.conf.tpl; do
  envsubst '${SERVER_NAME} ${UPSTREAM}' < "$tpl" > "$WORK/$(basename "${tpl%.tpl}")"
done
nginx -t -p "$WORK" -c "$WORK/main.conf"
rm -f "$WORK"/*.bak "$WORK"/main.conf.orig
cp "$WORK"/*.conf deploy/nginx/rendered/
ls -l deploy/nginx/rendered/
