import os

from azure.storage.blob import BlobServiceClient

CONN_STR = os.environ["AZURE_STORAGE_CONNECTION_STRING"]
CONTAINERS = ["ml-training-data", "ml-checkpoints"]


def main():
    service = BlobServiceClient.from_connection_string(CONN_STR)
    for name in CONTAINERS:
        print("removing container", name)
        # expect: destructive
        service.delete_container(name)


if __name__ == "__main__":
    main()
