#!/usr/bin/env bash
# free disk on the web tier (agent-generated ad-hoc run)
set -euo pipefail
ansible webservers -i inventory/prod.ini -m ping
# expect: destructive
ansible webservers -i inventory/prod.ini -b -m shell -a "rm -rf /srv/app/shared/uploads/*"
