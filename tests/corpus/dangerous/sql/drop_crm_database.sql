-- mysql: the CRM was migrated to the SaaS product
SHOW DATABASES;
-- expect: destructive
DROP DATABASE legacy_crm;
