#!/usr/bin/env bash
# Fetch the pretrained embedding model and verify checksums
set -euo pipefail
DEST=models/embeddings
mkdir -p "$DEST"

curl -fsSL -o "$DEST/model.onnx" https://github.com/acme-ml/embeddings/releases/download/v2.1.0/model.onnx
curl -fsSL -o "$DEST/tokenizer.json" https://github.com/acme-ml/embeddings/releases/download/v2.1.0/tokenizer.json
wget -q -O "$DEST/SHA256SUMS" https://github.com/acme-ml/embeddings/releases/download/v2.1.0/SHA256SUMS
(cd "$DEST" && sha256sum -c SHA256SUMS)
ls -lh "$DEST"
