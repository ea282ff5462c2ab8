"""Free disk on the logging cluster by dropping last year's daily indices."""
import os
from datetime import date

from opensearchpy import OpenSearch

client = OpenSearch(
    hosts=[{"host": os.getenv("OS_HOST", "logs.internal.acme.io"), "port": 9200}],
    http_auth=(os.environ["OS_USER"], os.environ["OS_PASSWORD"]),
    use_ssl=True,
)

last_year = date.today().year - 1
pattern = f"app-logs-{last_year}.*"

indices = client.cat.indices(index=pattern, format="json")
total = sum(int(i["docs.count"] or 0) for i in indices)
print(f"{len(indices)} indices matching {pattern}, {total} docs")

# expect: destructive
client.indices.delete(index=pattern)
print("deleted")
