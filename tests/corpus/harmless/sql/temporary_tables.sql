-- postgres: dedupe contacts through a temporary table
CREATE TEMPORARY TABLE contact_dupes AS
SELECT id, row_number() OVER (PARTITION BY lower(email) ORDER BY updated_at DESC) AS rn
FROM contacts;

DELETE FROM contact_dupes WHERE rn = 1;

DELETE FROM contacts c
USING contact_dupes d
WHERE c.id = d.id;

DROP TABLE contact_dupes;
