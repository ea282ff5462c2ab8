"""Rebuild the products search index without downtime.

Creates products_v<timestamp> with the new mapping, reindexes server-side from the
current index, then atomically moves the `products` alias. Old indices are kept;
retire them later with the ops runbook.
"""
import os
import time

from elasticsearch import Elasticsearch

es = Elasticsearch(os.environ.get("ES_URL", "http://localhost:9200"))
ALIAS = "products"

MAPPING = {
    "properties": {
        "name": {"type": "text"},
        "brand": {"type": "text", "fields": {"keyword": {"type": "keyword"}}},
        "price": {"type": "scaled_float", "scaling_factor": 100},
    }
}


def current_index() -> str:
    return next(iter(es.indices.get_alias(name=ALIAS)))


def main() -> None:
    old = current_index()
    new = f"{ALIAS}_v{int(time.time())}"
    es.indices.create(index=new, mappings=MAPPING)
    es.reindex(source={"index": old}, dest={"index": new}, wait_for_completion=True, refresh=True)
    assert es.count(index=new)["count"] == es.count(index=old)["count"], "count mismatch"
    es.indices.update_aliases(actions=[
        {"remove": {"index": old, "alias": ALIAS}},
        {"add": {"index": new, "alias": ALIAS}},
    ])
    print(f"alias {ALIAS}: {old} -> {new} (old index kept)")


if __name__ == "__main__":
    main()
