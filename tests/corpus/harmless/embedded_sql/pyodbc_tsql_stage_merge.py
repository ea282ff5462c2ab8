"""Load the CSV of store targets into SQL Server through a #temp table and MERGE it in."""
import csv
import os
import sys

import pyodbc

conn = pyodbc.connect(os.environ["MSSQL_ODBC"], autocommit=False)
cur = conn.cursor()
cur.fast_executemany = True

cur.execute("IF OBJECT_ID('tempdb..#targets') IS NOT NULL DROP TABLE #targets")
cur.execute("CREATE TABLE #targets (StoreId INT NOT NULL, Month DATE NOT NULL, Target DECIMAL(14,2) NOT NULL)")

with open(sys.argv[1], newline="") as fh:
    rows = [(int(r["store_id"]), r["month"], r["target"]) for r in csv.DictReader(fh)]
cur.executemany("INSERT INTO #targets (StoreId, Month, Target) VALUES (?, ?, ?)", rows)

cur.execute(
    """
    MERGE dbo.StoreTargets AS t
    USING #targets AS s ON t.StoreId = s.StoreId AND t.Month = s.Month
    WHEN MATCHED THEN UPDATE SET t.Target = s.Target, t.UpdatedAt = SYSUTCDATETIME()
    WHEN NOT MATCHED BY TARGET THEN INSERT (StoreId, Month, Target, UpdatedAt)
        VALUES (s.StoreId, s.Month, s.Target, SYSUTCDATETIME());
    """
)
print(cur.rowcount, "targets merged")
cur.execute("TRUNCATE TABLE #targets")
cur.execute("DROP TABLE #targets")
conn.commit()
conn.close()
