CREATE TABLE IF NOT EXISTS ops.job_runs (
    id              bigserial PRIMARY KEY,
    job_name        text NOT NULL,
    truncate_input  boolean NOT NULL DEFAULT false,
    drop_rate       numeric(5, 4),
    deleted_rows    integer,
    is_deleted      boolean DEFAULT false,
    purge_after     interval DEFAULT interval '30 days',
    "drop"          text
);

INSERT INTO ops.job_runs (job_name, truncate_input, drop_rate, deleted_rows)
VALUES ('nightly_retention', false, 0.0012, 1520);

SELECT job_name, avg(drop_rate) AS avg_drop_rate, sum(deleted_rows) AS deleted
FROM ops.job_runs
WHERE is_deleted = false
GROUP BY job_name;
