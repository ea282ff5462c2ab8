-- weekly_cohorts.sql (BigQuery)
-- Retention by signup-week cohort, for the product review deck. Read-only.

DECLARE weeks_back INT64 DEFAULT 16;

WITH signups AS (
  SELECT user_id, DATE_TRUNC(DATE(created_at), WEEK(MONDAY)) AS cohort_week
  FROM `acme-prod.core.users`
  WHERE created_at >= TIMESTAMP(DATE_SUB(CURRENT_DATE(), INTERVAL weeks_back WEEK))
    AND NOT is_deleted
    AND email NOT LIKE '%@acme.com'
),
activity AS (
  SELECT DISTINCT user_id, DATE_TRUNC(DATE(event_ts), WEEK(MONDAY)) AS active_week
  FROM `acme-prod.events.app_events`
  WHERE event_ts >= TIMESTAMP(DATE_SUB(CURRENT_DATE(), INTERVAL weeks_back WEEK))
    AND event_name IN ('project_opened', 'document_edited', 'comment_added')
),
cohort_activity AS (
  SELECT s.cohort_week,
         DATE_DIFF(a.active_week, s.cohort_week, WEEK) AS week_number,
         COUNT(DISTINCT a.user_id) AS active_users
  FROM signups s
  JOIN activity a USING (user_id)
  WHERE a.active_week >= s.cohort_week
  GROUP BY 1, 2
),
cohort_size AS (
  SELECT cohort_week, COUNT(*) AS users FROM signups GROUP BY 1
)
SELECT c.cohort_week,
       z.users AS cohort_users,
       c.week_number,
       c.active_users,
       ROUND(SAFE_DIVIDE(c.active_users, z.users), 4) AS retention
FROM cohort_activity c
JOIN cohort_size z USING (cohort_week)
ORDER BY c.cohort_week, c.week_number;
