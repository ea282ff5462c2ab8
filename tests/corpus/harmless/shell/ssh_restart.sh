#!/usr/bin/env bash
set -euo pipefail
HOSTS=(web-01.internal web-02.internal)
for h in "${HOSTS[@]}"; do
  ssh -o BatchMode=yes "deploy@$h" 'sudo systemctl restart acme-web && systemctl is-active acme-web'
  scp "deploy@$h:/var/log/acme/web.log" "./logs/${h}.log"
done
