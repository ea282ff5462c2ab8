#!/usr/bin/env bash
# Pull the training data and the latest model artifacts from S3 to the local workspace
set -euo pipefail
mkdir -p data/raw models

aws s3 cp s3://acme-ml-datasets/churn/v5/train.parquet data/raw/train.parquet
aws s3 cp s3://acme-ml-datasets/churn/v5/test.parquet data/raw/test.parquet
aws s3 sync s3://acme-ml-artifacts/churn/latest/ ./models/ --exclude "*.tmp"
aws s3 ls s3://acme-ml-artifacts/churn/ --recursive --human-readable | tail -5
du -sh data/raw models
