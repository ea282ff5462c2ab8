#!/usr/bin/env bash
# .gitlab-ci teardown job for the shared environment
set -euo pipefail
cd infra/envs/shared

terraform init -input=false -backend-config="bucket=acme-tfstate"
terraform workspace select shared
# expect: destructive
terraform destroy -auto-approve -input=false -var-file=shared.tfvars
