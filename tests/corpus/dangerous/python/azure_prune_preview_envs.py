"""Remove the blob containers left behind by closed preview environments.

Usage: python prune_preview_envs.py --older-than 14
"""
import argparse
import datetime as dt
import logging
import os

from azure.identity import DefaultAzureCredential
from azure.storage.blob import BlobServiceClient

log = logging.getLogger("prune_preview_envs")
ACCOUNT_URL = f"https://{os.environ.get('AZ_STORAGE_ACCOUNT', 'acmepreview')}.blob.core.windows.net"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--older-than", type=int, default=14, help="days")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO)

    client = BlobServiceClient(account_url=ACCOUNT_URL, credential=DefaultAzureCredential())
    cutoff = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=args.older_than)

    removed = 0
    for container in client.list_containers(name_starts_with="pr-"):
        if container.last_modified < cutoff:
            log.info("deleting container %s (last modified %s)", container.name, container.last_modified)
            # expect: destructive
            client.delete_container(container.name)
            removed += 1
    log.info("removed %d containers", removed)


if __name__ == "__main__":
    main()
