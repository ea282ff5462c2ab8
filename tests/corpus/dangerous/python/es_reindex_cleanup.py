from elasticsearch import Elasticsearch

es = Elasticsearch("https://es.internal.acme.io:9200", api_key=("id", "key"))

OLD_PATTERN = "orders-v1-*"


def reindex_all():
    for name in es.indices.get(index=OLD_PATTERN):
        new = name.replace("-v1-", "-v2-")
        es.reindex(body={"source": {"index": name}, "dest": {"index": new}}, wait_for_completion=True)


def drop_old():
    # expect: destructive
    es.indices.delete(index=OLD_PATTERN, ignore_unavailable=True)


if __name__ == "__main__":
    reindex_all()
    drop_old()
