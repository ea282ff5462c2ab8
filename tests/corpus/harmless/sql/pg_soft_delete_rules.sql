-- soft_delete.sql
-- Turn DELETE on documents into a soft delete, and provide restore/purge-one helpers.
-- Applications keep issuing "DELETE FROM docs.documents WHERE id = $1"; the
-- trigger converts it into an UPDATE of deleted_at.

CREATE OR REPLACE FUNCTION docs.soft_delete_document() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE docs.documents
    SET is_deleted = true, deleted_at = now(), deleted_by = current_setting('app.user_id', true)::bigint
    WHERE id = OLD.id;
    RETURN NULL;  -- cancel the physical delete
END;
$$;

CREATE OR REPLACE TRIGGER documents_soft_delete
    BEFORE DELETE ON docs.documents
    FOR EACH ROW
    WHEN (current_setting('app.hard_delete', true) IS DISTINCT FROM 'on')
    EXECUTE FUNCTION docs.soft_delete_document();

CREATE OR REPLACE FUNCTION docs.restore_document(p_id bigint) RETURNS boolean
LANGUAGE sql AS $$
    UPDATE docs.documents SET is_deleted = false, deleted_at = NULL, deleted_by = NULL
    WHERE id = p_id AND is_deleted
    RETURNING true;
$$;

-- Permanently remove ONE document that has been in the bin for 30+ days.
CREATE OR REPLACE FUNCTION docs.purge_document(p_id bigint) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    n integer;
BEGIN
    PERFORM set_config('app.hard_delete', 'on', true);
    DELETE FROM docs.document_versions WHERE document_id = p_id;
    DELETE FROM docs.documents WHERE id = p_id AND is_deleted AND deleted_at < now() - interval '30 days';
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
END;
$$;

CREATE OR REPLACE VIEW docs.live_documents AS
SELECT * FROM docs.documents WHERE NOT is_deleted;

CREATE OR REPLACE VIEW docs.recycle_bin AS
SELECT id, title, owner_id, deleted_at, deleted_by, now() - deleted_at AS in_bin_for
FROM docs.documents WHERE is_deleted
ORDER BY deleted_at DESC;

GRANT EXECUTE ON FUNCTION docs.restore_document(bigint) TO docs_app;
GRANT EXECUTE ON FUNCTION docs.purge_document(bigint) TO docs_admin;
GRANT SELECT ON docs.live_documents, docs.recycle_bin TO docs_app;
