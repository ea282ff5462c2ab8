from elasticsearch import Elasticsearch

es = Elasticsearch("https://search.internal.acme.io:9200")


def search(q: str, size: int = 20):
    body = {"query": {"multi_match": {"query": q, "fields": ["title^3", "description"]}}}
    return es.search(index="products", body=body, size=size)["hits"]["hits"]


def unpublish(product_id: str) -> None:
    es.delete(index="products", id=product_id)


def ensure_index():
    if not es.indices.exists(index="products"):
        es.indices.create(index="products", mappings={"properties": {"title": {"type": "text"}}})
