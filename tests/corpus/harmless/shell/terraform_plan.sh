#!/usr/bin/env bash
set -euo pipefail
ENV=${1:-staging}
cd "infra/envs/${ENV}"
terraform init -input=false -backend-config=backend.hcl
terraform fmt -check -recursive
terraform validate
terraform plan -input=false -out=tfplan
terraform show -no-color tfplan > plan.txt
echo "plan written to infra/envs/${ENV}/plan.txt (review before apply; never run destroy here)"
