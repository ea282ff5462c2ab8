-- Sync accounts from the CRM staging feed (Oracle MERGE with the DELETE clause
-- restricted to accounts the CRM marked as closed).
MERGE INTO accounts t
USING (
  SELECT account_id, account_name, owner_email, status, updated_at
  FROM crm_accounts_stage
  WHERE batch_id = (SELECT MAX(batch_id) FROM crm_accounts_stage)
) s
ON (t.account_id = s.account_id)
WHEN MATCHED THEN
  UPDATE SET t.account_name = s.account_name,
             t.owner_email  = s.owner_email,
             t.status       = s.status,
             t.updated_at   = s.updated_at
  DELETE WHERE s.status = 'CLOSED' AND s.updated_at < SYSDATE - 365
WHEN NOT MATCHED THEN
  INSERT (account_id, account_name, owner_email, status, updated_at)
  VALUES (s.account_id, s.account_name, s.owner_email, s.status, s.updated_at);

COMMIT;
