#!/bin/bash
set -euo pipefail
# expect: destructive
dropdb -h db.prod.internal -U postgres analytics
createdb -h db.prod.internal -U postgres analytics
