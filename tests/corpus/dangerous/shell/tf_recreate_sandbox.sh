#!/usr/bin/env bash
# Recreate the data sandbox infrastructure from scratch
set -euo pipefail
cd infra/envs/sandbox

terraform init -input=false
# expect: destructive
terraform destroy -auto-approve -var-file=sandbox.tfvars
terraform apply -auto-approve -var-file=sandbox.tfvars
