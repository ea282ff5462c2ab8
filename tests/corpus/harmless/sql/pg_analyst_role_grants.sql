-- analyst_role.sql
-- Least-privilege access for the new analytics team. Read-only on the
-- reporting schemas; no access to raw PII tables.

CREATE ROLE analytics_team NOLOGIN;

GRANT CONNECT ON DATABASE warehouse TO analytics_team;
GRANT USAGE ON SCHEMA reporting, marts TO analytics_team;
GRANT SELECT ON ALL TABLES IN SCHEMA reporting TO analytics_team;
GRANT SELECT ON ALL TABLES IN SCHEMA marts TO analytics_team;

ALTER DEFAULT PRIVILEGES FOR ROLE etl_owner IN SCHEMA reporting GRANT SELECT ON TABLES TO analytics_team;
ALTER DEFAULT PRIVILEGES FOR ROLE etl_owner IN SCHEMA marts GRANT SELECT ON TABLES TO analytics_team;

-- marts.customer_contacts holds e-mail and phone; analysts use the masked view instead
REVOKE SELECT ON marts.customer_contacts FROM analytics_team;
GRANT SELECT ON marts.customer_contacts_masked TO analytics_team;

-- individual logins
CREATE ROLE alice LOGIN IN ROLE analytics_team;
CREATE ROLE bob LOGIN IN ROLE analytics_team;
ALTER ROLE alice SET statement_timeout = '10min';
ALTER ROLE bob SET statement_timeout = '10min';
ALTER ROLE analytics_team SET default_transaction_read_only = on;

-- verify
SELECT grantee, table_schema, privilege_type, count(*)
FROM information_schema.role_table_grants
WHERE grantee = 'analytics_team'
GROUP BY 1, 2, 3
ORDER BY 2, 3;
