from elasticsearch import Elasticsearch

es = Elasticsearch("https://es.logging.internal:9200")

query = {
    "bool": {
        "must": [{"match": {"level": "ERROR"}}],
        "filter": [{"range": {"@timestamp": {"gte": "now-1d"}}}],
    }
}

resp = es.search(index="app-logs-*", query=query, size=0,
                 aggs={"by_service": {"terms": {"field": "service.keyword"}}})
for bucket in resp["aggregations"]["by_service"]["buckets"]:
    print(f"{bucket['key']:30} {bucket['doc_count']}")

es.indices.refresh(index="app-logs-write")
es.delete(index="app-logs-write", id="smoke-test-doc", ignore=[404])
