-- remove shipments, the agent "filtered" on a column that is always set or null
-- expect: destructive
DELETE FROM logistics.shipments
WHERE carrier_id IS NOT NULL OR carrier_id IS NULL;

-- expect: destructive
UPDATE logistics.shipments_history SET archived = true WHERE id = id;
