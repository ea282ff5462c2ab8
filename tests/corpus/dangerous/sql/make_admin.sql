-- postgres: let the migration user manage extensions
-- expect: privilege
ALTER USER migrator WITH SUPERUSER;
