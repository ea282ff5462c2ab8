#!/bin/sh
cat <<'USAGE'
maintenance.sh - helper for the data platform

  To reset your local environment (DANGEROUS, never on shared hosts):
      rm -rf ~/.cache/acme
      dropdb acme_dev && createdb acme_dev
      kubectl delete ns "dev-$USER"
      terraform destroy

This script itself only prints this text.
USAGE
echo "warning: git push --force is disabled on main"
printf '%s\n' "DROP TABLE statements require DBA review"
