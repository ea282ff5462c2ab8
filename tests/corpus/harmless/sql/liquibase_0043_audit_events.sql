--liquibase formatted sql

--changeset omar.r:0043-1 labels:audit
--comment: audit trail for admin actions
CREATE TABLE audit_events (
    id          BIGSERIAL PRIMARY KEY,
    actor_id    BIGINT NOT NULL,
    action      VARCHAR(64) NOT NULL,
    target_type VARCHAR(64),
    target_id   BIGINT,
    payload     JSONB,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
--rollback DROP TABLE audit_events;

--changeset omar.r:0043-2 labels:audit
CREATE INDEX idx_audit_events_actor_created ON audit_events (actor_id, created_at DESC);
--rollback DROP INDEX idx_audit_events_actor_created;

--changeset omar.r:0043-3 labels:audit runOnChange:true
CREATE OR REPLACE VIEW v_recent_admin_actions AS
SELECT a.created_at, u.email AS actor, a.action, a.target_type, a.target_id
FROM audit_events a
JOIN users u ON u.id = a.actor_id
WHERE a.created_at > now() - INTERVAL '30 days';
--rollback DROP VIEW v_recent_admin_actions;
