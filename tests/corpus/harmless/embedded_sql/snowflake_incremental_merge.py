"""Incremental load of CRM accounts into Snowflake with MERGE.

Raw changes land in RAW.CRM.ACCOUNTS_CHANGES (Fivetran). We merge them into
CORE.ACCOUNTS: deletes in the source arrive as rows with _DELETED = TRUE and
are applied as deletes of exactly those rows (WHEN MATCHED AND src._deleted).
"""
from __future__ import annotations

import logging
import os
from contextlib import closing

import snowflake.connector

log = logging.getLogger("accounts_merge")

STAGE_SQL = """
CREATE OR REPLACE TEMPORARY TABLE tmp_account_changes AS
SELECT *
FROM RAW.CRM.ACCOUNTS_CHANGES
WHERE _loaded_at > (SELECT coalesce(max(_source_loaded_at), '1970-01-01'::timestamp) FROM CORE.ACCOUNTS)
QUALIFY row_number() OVER (PARTITION BY account_id ORDER BY _loaded_at DESC) = 1
"""

MERGE_SQL = """
MERGE INTO CORE.ACCOUNTS AS tgt
USING tmp_account_changes AS src
ON tgt.account_id = src.account_id
WHEN MATCHED AND src._deleted THEN DELETE
WHEN MATCHED THEN UPDATE SET
    name = src.name, industry = src.industry, owner_email = src.owner_email,
    employees = src.employees, country = src.country,
    _source_loaded_at = src._loaded_at, updated_at = current_timestamp()
WHEN NOT MATCHED AND NOT src._deleted THEN INSERT
    (account_id, name, industry, owner_email, employees, country, _source_loaded_at, updated_at)
    VALUES (src.account_id, src.name, src.industry, src.owner_email, src.employees, src.country,
            src._loaded_at, current_timestamp())
"""


def run() -> None:
    params = dict(account=os.environ["SNOWFLAKE_ACCOUNT"], user=os.environ["SNOWFLAKE_USER"],
                  authenticator="SNOWFLAKE_JWT", private_key_file=os.environ["SNOWFLAKE_KEY_FILE"],
                  warehouse="LOAD_WH", database="ANALYTICS", role="LOADER")
    with closing(snowflake.connector.connect(**params)) as conn, closing(conn.cursor()) as cur:
        cur.execute(STAGE_SQL)
        cur.execute("SELECT count(*), count_if(_deleted) FROM tmp_account_changes")
        changes, deletes = cur.fetchone()
        log.info("%d changed accounts (%d deleted in source)", changes, deletes)
        if not changes:
            return
        cur.execute(MERGE_SQL)
        inserted, updated, deleted = cur.fetchone()
        log.info("merge: %d inserted, %d updated, %d deleted", inserted, updated, deleted)
        cur.execute("DROP TABLE IF EXISTS tmp_account_changes")


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    run()
