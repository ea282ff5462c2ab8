-- Postgres: soft-delete a user and anonymise their PII
CREATE OR REPLACE FUNCTION app.soft_delete_user(p_user_id bigint)
RETURNS void
LANGUAGE plpgsql
AS $$
BEGIN
    UPDATE app.users
       SET deleted_at = now(),
           email = 'deleted+' || id || '@example.invalid',
           full_name = NULL
     WHERE id = p_user_id
       AND deleted_at IS NULL;

    DELETE FROM app.user_sessions WHERE user_id = p_user_id;
END;
$$;
