-- offboarding: remove the contractor's accounts
REASSIGN OWNED BY contractor_jdoe TO analytics_admin;
-- expect: destructive
DROP OWNED BY contractor_jdoe;
-- expect: privilege
DROP USER contractor_jdoe;
-- expect: privilege
DROP ROLE contractors;
