#!/usr/bin/env bash
# Deploy a new release of the web app to this host.
set -euo pipefail

APP_NAME="storefront"
DEPLOY_ROOT="${DEPLOY_ROOT:-/srv/${APP_NAME}}"
RELEASE="$(date +%Y%m%d%H%M%S)"
ARTIFACT="${1:?usage: $0 artifact.tar.gz}"

log() { printf '[%s] %s\n' "$(date -Is)" "$*"; }

log "deploying ${ARTIFACT} as ${RELEASE}"
mkdir -p "${DEPLOY_ROOT}/releases/${RELEASE}"
tar -xzf "${ARTIFACT}" -C "${DEPLOY_ROOT}/releases/${RELEASE}"

log "switching symlink"
ln -sfn "${DEPLOY_ROOT}/releases/${RELEASE}" "${DEPLOY_ROOT}/current"
systemctl restart "${APP_NAME}"

log "removing previous releases"
# expect: destructive
rm -rf "${DEPLOY_ROOT}/releases"/*
log "done"
