from collections import Counter

from google.cloud import storage

client = storage.Client(project="acme-data-prod")
sizes = Counter()
for blob in client.list_blobs("acme-exports", prefix="exports/"):
    top = blob.name.split("/")[1] if "/" in blob.name else blob.name
    sizes[top] += blob.size or 0

for prefix, size in sizes.most_common(20):
    print(f"{prefix:40} {size / 1e9:8.2f} GB")
