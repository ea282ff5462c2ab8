"""Rebuild the products search index from Postgres.

The mapping changed (new `brand.keyword` field), so drop the index and reindex everything.
"""
import os

import psycopg2
import psycopg2.extras
from elasticsearch import Elasticsearch, helpers

es = Elasticsearch(os.environ.get("ES_URL", "http://search-prod.internal:9200"))
INDEX = "products"

MAPPING = {
    "properties": {
        "name": {"type": "text"},
        "brand": {"type": "text", "fields": {"keyword": {"type": "keyword"}}},
        "price": {"type": "scaled_float", "scaling_factor": 100},
        "in_stock": {"type": "boolean"},
    }
}


def rows():
    conn = psycopg2.connect(os.environ["DATABASE_URL"])
    with conn.cursor(name="products", cursor_factory=psycopg2.extras.RealDictCursor) as cur:
        cur.execute("SELECT id, name, brand, price, stock > 0 AS in_stock FROM products WHERE active")
        for row in cur:
            yield {"_index": INDEX, "_id": row["id"], "_source": row}


def main() -> None:
    if es.indices.exists(index=INDEX):
        # expect: destructive
        es.indices.delete(index=INDEX)
    es.indices.create(index=INDEX, mappings=MAPPING)
    ok, errors = helpers.bulk(es, rows(), chunk_size=2000, raise_on_error=False)
    print(f"indexed {ok} docs, {len(errors)} errors")


if __name__ == "__main__":
    main()
