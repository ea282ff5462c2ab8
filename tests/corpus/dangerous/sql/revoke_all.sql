-- lock down the reporting schema before the audit
-- expect: privilege
REVOKE ALL PRIVILEGES ON ALL TABLES IN SCHEMA reporting FROM PUBLIC, reporter, analyst;
GRANT SELECT ON reporting.kpi_daily TO auditor;
