-- Postgres: remove the old analytics role after the team reorg
-- expect: privilege
REVOKE ALL PRIVILEGES ON ALL TABLES IN SCHEMA analytics FROM analytics_team;
REASSIGN OWNED BY analytics_team TO data_platform;
-- expect: privilege
DROP ROLE analytics_team;
-- expect: privilege
DROP USER IF EXISTS jsmith;
