#!/usr/bin/env bash
set -euo pipefail
VERSION=1.8.2
curl -fsSL -o /tmp/sops "https://github.com/getsops/sops/releases/download/v${VERSION}/sops-v${VERSION}.linux.amd64"
curl -fsSL -o /tmp/sops.sha256 "https://github.com/getsops/sops/releases/download/v${VERSION}/sops-v${VERSION}.checksums.txt"
chmod +x /tmp/sops
sudo install -m 0755 /tmp/sops /usr/local/bin/sops
sops --version
