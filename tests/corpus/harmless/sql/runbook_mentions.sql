-- Runbook table: stores the text of manual steps shown in the admin UI.
-- Nothing below drops or truncates anything; the words are data.
CREATE TABLE IF NOT EXISTS ops.runbook_steps (
    id serial PRIMARY KEY,
    title text NOT NULL,
    command text NOT NULL,
    drop_after date,
    truncate_output boolean DEFAULT false,
    deleted_by text
);

INSERT INTO ops.runbook_steps (title, command) VALUES
    ('Reset staging', 'TRUNCATE staging.orders; -- needs DBA approval'),
    ('Remove old schema', 'DROP SCHEMA legacy CASCADE'),
    ('Wipe cache dir', 'rm -rf /var/cache/app/*');

SELECT id, title, "delete", drop_after FROM ops.runbook_steps_view WHERE truncate_output IS NOT TRUE;
