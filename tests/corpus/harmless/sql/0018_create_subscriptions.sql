-- Migration 0018: subscriptions
CREATE TABLE IF NOT EXISTS subscriptions (
    id            bigserial PRIMARY KEY,
    account_id    bigint NOT NULL REFERENCES accounts(id),
    plan          text   NOT NULL,
    status        text   NOT NULL DEFAULT 'active',
    started_at    timestamptz NOT NULL DEFAULT now(),
    cancelled_at  timestamptz,
    deleted_at    timestamptz
);

CREATE INDEX subscriptions_account_idx ON subscriptions (account_id);

INSERT INTO subscriptions (account_id, plan, status, started_at)
SELECT id, 'legacy', 'active', created_at FROM accounts WHERE plan_code IS NOT NULL;
