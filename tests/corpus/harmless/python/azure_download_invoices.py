"""Download this month's invoice PDFs from Azure Blob Storage into ./invoices."""
import os
from datetime import date
from pathlib import Path

from azure.identity import DefaultAzureCredential
from azure.storage.blob import ContainerClient

container = ContainerClient(
    account_url="https://acmefinance.blob.core.windows.net",
    container_name="invoices",
    credential=DefaultAzureCredential(),
)

prefix = f"{date.today():%Y/%m}/"
out_dir = Path("invoices") / prefix
out_dir.mkdir(parents=True, exist_ok=True)

count = 0
for blob in container.list_blobs(name_starts_with=prefix):
    target = out_dir / os.path.basename(blob.name)
    with open(target, "wb") as fh:
        fh.write(container.download_blob(blob.name).readall())
    count += 1
print(f"downloaded {count} invoices to {out_dir}")
