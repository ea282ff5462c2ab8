"""Clean up the old data in the exports container (Azure Blob Storage)."""
import os

from azure.storage.blob import BlobServiceClient

service = BlobServiceClient.from_connection_string(os.environ["AZURE_STORAGE_CONNECTION_STRING"])
container = service.get_container_client("exports")

names = [b.name for b in container.list_blobs(name_starts_with="daily/")]
for i in range(0, len(names), 256):
    # expect: destructive
    container.delete_blobs(*names[i:i + 256])
print(f"deleted {len(names)} blobs")

# the legacy container is not used since the migration
# expect: destructive
service.delete_container("exports-legacy")
