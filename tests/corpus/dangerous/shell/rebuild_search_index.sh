#!/usr/bin/env bash
# Rebuild the search index: delete it, recreate with the new mapping, re-run the indexer.
set -euo pipefail

ES=${ES_URL:-http://search-prod.internal:9200}

# expect: destructive
curl -fsS -X DELETE "$ES/products"
curl -fsS -X PUT "$ES/products" -H 'Content-Type: application/json' --data-binary @search/products_mapping.json
python -m indexer.products --full
