-- Snowflake: sync subscriptions with the billing provider snapshot
MERGE INTO core.subscriptions AS tgt
USING staging.billing_subscriptions AS src
    ON tgt.subscription_id = src.id
WHEN NOT MATCHED THEN
    INSERT (subscription_id, customer_id, plan, status)
    VALUES (src.id, src.customer_id, src.plan, src.status);

-- drop our copies of anything that also appears in the snapshot (they get re-inserted by the loader)
-- expect: destructive
MERGE INTO core.subscription_events AS tgt
USING staging.billing_subscriptions AS src
    ON tgt.subscription_id = src.id
WHEN MATCHED THEN DELETE;
