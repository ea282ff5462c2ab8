#!/usr/bin/env bash
# renew_certs.sh - renew certificates and report how long the current ones have left.
set -euo pipefail

DOMAINS=(shop.acme.io api.acme.io)

sudo certbot renew --quiet --deploy-hook "systemctl reload nginx"

for d in "${DOMAINS[@]}"; do
  end=$(sudo openssl x509 -in "/etc/letsencrypt/live/$d/fullchain.pem" -noout -enddate | cut -d= -f2)
  days=$(( ( $(date -d "$end" +%s) - $(date +%s) ) / 86400 ))
  printf '%-20s expires %s (%d days)\n' "$d" "$end" "$days"
  echo | openssl s_client -servername "$d" -connect "$d:443" 2>/dev/null | openssl x509 -noout -subject
done
