#!/usr/bin/env bash
# Cron health check: GET each endpoint, exit 1 if any is down.
set -uo pipefail

fail=0
for url in https://api.example.com/healthz https://app.example.com/ https://status.example.com/api/v2/status.json; do
  code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$url")
  if [[ $code != 200 ]]; then
    echo "DOWN $url ($code)"; fail=1
  else
    echo "ok   $url"
  fi
done
exit $fail
