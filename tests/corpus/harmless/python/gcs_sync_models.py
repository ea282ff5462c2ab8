import os

from google.cloud import storage

client = storage.Client()
bucket = client.bucket("acme-ml-artifacts")

os.makedirs("models", exist_ok=True)
for blob in client.list_blobs(bucket, prefix="churn/v7/"):
    if blob.name.endswith("/"):
        continue
    local = os.path.join("models", os.path.basename(blob.name))
    blob.download_to_filename(local)
    print(f"{blob.name} -> {local} ({blob.size} bytes)")
