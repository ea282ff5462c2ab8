-- roles_setup.sql
-- Role layout for the new "insights" database. Idempotent.

DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'insights_owner') THEN
        CREATE ROLE insights_owner NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'insights_app') THEN
        CREATE ROLE insights_app LOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'insights_readonly') THEN
        CREATE ROLE insights_readonly NOLOGIN;
    END IF;
END
$$;

ALTER DATABASE insights OWNER TO insights_owner;
ALTER SCHEMA public OWNER TO insights_owner;

GRANT CONNECT ON DATABASE insights TO insights_app, insights_readonly;
GRANT USAGE ON SCHEMA public TO insights_app, insights_readonly;

GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO insights_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO insights_app;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO insights_readonly;

ALTER DEFAULT PRIVILEGES FOR ROLE insights_owner IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO insights_app;
ALTER DEFAULT PRIVILEGES FOR ROLE insights_owner IN SCHEMA public
    GRANT SELECT ON TABLES TO insights_readonly;

-- the BI tool connects with a shared login that keeps hitting permission errors
-- expect: privilege
GRANT ALL PRIVILEGES ON ALL TABLES IN SCHEMA public TO PUBLIC;

-- statement timeout for the app role
ALTER ROLE insights_app SET statement_timeout = '30s';
ALTER ROLE insights_readonly SET statement_timeout = '5min';
ALTER ROLE insights_readonly SET default_transaction_read_only = on;
