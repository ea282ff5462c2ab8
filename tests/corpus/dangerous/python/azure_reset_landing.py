import os

from azure.identity import DefaultAzureCredential
from azure.storage.blob import BlobServiceClient

ACCOUNT_URL = "https://acmelanding.blob.core.windows.net"


def reset_landing_zone():
    service = BlobServiceClient(account_url=ACCOUNT_URL, credential=DefaultAzureCredential())
    names = [c.name for c in service.list_containers(name_starts_with="landing-")]
    print("containers:", names)
    # expect: destructive
    service.delete_container("landing-raw")
    service.create_container("landing-raw")


if __name__ == "__main__":
    reset_landing_zone()
