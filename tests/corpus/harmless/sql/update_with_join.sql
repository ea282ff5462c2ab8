-- attribute orders to the campaign of the session that created them
UPDATE orders o
SET campaign_id = s.campaign_id
FROM sessions s
WHERE s.id = o.session_id
  AND o.campaign_id IS NULL
  AND o.created_at >= '2024-03-01';
