-- Redshift: nightly reset of the marketing scoring tables
BEGIN TRANSACTION;

-- expect: destructive
UPDATE marketing.leads SET score = 0, scored_at = NULL;

-- expect: destructive
ALTER TABLE marketing.lead_scores RENAME TO lead_scores_old;

CREATE TABLE marketing.lead_scores (LIKE marketing.lead_scores_old);

END TRANSACTION;
