-- give the analysts read access to the marts
CREATE ROLE analyst NOLOGIN;
GRANT USAGE ON SCHEMA marts TO analyst;
GRANT SELECT ON ALL TABLES IN SCHEMA marts TO analyst;
GRANT SELECT ON marts.fct_orders TO bi_reader;
REVOKE INSERT, UPDATE ON marts.fct_orders FROM etl_legacy;
