-- clear out the sessions table (the app recreates sessions on login)
BEGIN;
SELECT count(*) FROM web_sessions;
-- expect: destructive
DELETE FROM web_sessions WHERE 1 = 1;
COMMIT;
