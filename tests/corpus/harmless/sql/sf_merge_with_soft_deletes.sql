-- Snowflake: apply the CDC batch; rows flagged as deleted at the source are removed
MERGE INTO core.customers AS t
USING (
    SELECT * FROM staging.customers_cdc
    QUALIFY ROW_NUMBER() OVER (PARTITION BY id ORDER BY _loaded_at DESC) = 1
) AS s
    ON t.id = s.id
WHEN MATCHED AND s._op = 'D' THEN DELETE
WHEN MATCHED THEN UPDATE SET
    t.email = s.email,
    t.name = s.name,
    t.updated_at = s.updated_at
WHEN NOT MATCHED AND s._op <> 'D' THEN
    INSERT (id, email, name, updated_at) VALUES (s.id, s.email, s.name, s.updated_at);
