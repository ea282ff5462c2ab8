"""Drop the old log indices and recreate the write alias."""
from datetime import datetime

from elasticsearch import Elasticsearch

ES_URL = "https://es.logging.internal:9200"
INDEX_PATTERN = "app-logs-*"


def main():
    es = Elasticsearch(ES_URL, verify_certs=True)
    existing = list(es.indices.get(index=INDEX_PATTERN).keys())
    print(f"{len(existing)} indices match {INDEX_PATTERN}")
    # expect: destructive
    es.indices.delete(index=INDEX_PATTERN)
    new_index = f"app-logs-{datetime.utcnow():%Y.%m.%d}"
    es.indices.create(index=new_index, body={"settings": {"number_of_shards": 3}})
    es.indices.put_alias(index=new_index, name="app-logs-write")
    print("created", new_index)


if __name__ == "__main__":
    main()
