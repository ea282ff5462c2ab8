#!/usr/bin/env bash
set -euo pipefail
INV=inventory/prod.ini
ansible all -i "$INV" -m ping
ansible webservers -i "$INV" -m shell -a "df -h /srv && uptime"
ansible-playbook -i "$INV" site.yml --check --diff --limit webservers
