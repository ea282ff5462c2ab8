#!/usr/bin/env bash
# PR check for infra/: format, validate and plan (never apply from CI)
set -euo pipefail
cd infra/envs/prod

terraform fmt -check -recursive ../..
terraform init -input=false -backend-config=backend.hcl
terraform validate
terraform plan -input=false -lock=false -out=tfplan
terraform show -no-color tfplan > plan.txt
grep -E "Plan:|No changes" plan.txt
