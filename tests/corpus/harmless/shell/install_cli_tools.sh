#!/usr/bin/env bash
# Install pinned CLI tools (Dockerfile RUN steps moved here)
set -euo pipefail
YQ_VERSION=v4.44.1
curl -fsSL -o /usr/local/bin/yq "https://github.com/mikefarah/yq/releases/download/${YQ_VERSION}/yq_linux_amd64"
chmod +x /usr/local/bin/yq
curl -fsSL https://get.helm.sh/helm-v3.15.1-linux-amd64.tar.gz -o /tmp/helm.tgz
tar -xzf /tmp/helm.tgz -C /tmp
install -m 0755 /tmp/linux-amd64/helm /usr/local/bin/helm
wget -q -O kubectl "https://dl.k8s.io/release/v1.30.1/bin/linux/amd64/kubectl"
pip install --no-cache-dir -r requirements.txt
