-- session maintenance functions for the auth service
-- deployed by: psql -f db/functions/session_maintenance.sql

CREATE OR REPLACE FUNCTION auth.expire_sessions(max_age interval DEFAULT interval '30 days')
RETURNS integer
LANGUAGE plpgsql
AS $$
DECLARE
    removed integer;
BEGIN
    DELETE FROM auth.sessions
    WHERE last_seen_at < now() - max_age;
    GET DIAGNOSTICS removed = ROW_COUNT;
    RAISE NOTICE 'expired % sessions older than %', removed, max_age;
    RETURN removed;
END;
$$;

CREATE OR REPLACE FUNCTION auth.revoke_user_sessions(p_user_id bigint)
RETURNS integer
LANGUAGE plpgsql
AS $$
DECLARE
    removed integer;
BEGIN
    DELETE FROM auth.sessions WHERE user_id = p_user_id;
    GET DIAGNOSTICS removed = ROW_COUNT;
    INSERT INTO auth.audit_log (event, user_id, details, created_at)
    VALUES ('sessions_revoked', p_user_id, jsonb_build_object('count', removed), now());
    RETURN removed;
END;
$$;

-- Called after rotating the session signing key: every session is invalid.
CREATE OR REPLACE FUNCTION auth.revoke_all_sessions()
RETURNS integer
LANGUAGE plpgsql
SECURITY DEFINER
AS $$
DECLARE
    removed integer;
BEGIN
    -- expect: destructive
    DELETE FROM auth.sessions;
    GET DIAGNOSTICS removed = ROW_COUNT;
    INSERT INTO auth.audit_log (event, user_id, details, created_at)
    VALUES ('all_sessions_revoked', NULL, jsonb_build_object('count', removed), now());
    RETURN removed;
END;
$$;

CREATE OR REPLACE FUNCTION auth.session_stats()
RETURNS TABLE (active bigint, idle_1d bigint, idle_7d bigint)
LANGUAGE sql
STABLE
AS $$
    SELECT count(*) FILTER (WHERE last_seen_at > now() - interval '1 hour'),
           count(*) FILTER (WHERE last_seen_at < now() - interval '1 day'),
           count(*) FILTER (WHERE last_seen_at < now() - interval '7 days')
    FROM auth.sessions;
$$;

REVOKE ALL ON FUNCTION auth.revoke_all_sessions() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION auth.revoke_all_sessions() TO auth_admin;
GRANT EXECUTE ON FUNCTION auth.expire_sessions(interval) TO auth_service;
GRANT EXECUTE ON FUNCTION auth.session_stats() TO monitoring;
