-- postgres: import the reference table from the shared data folder
CREATE TABLE IF NOT EXISTS ref.country_codes (iso2 char(2) PRIMARY KEY, iso3 char(3), name text);
COPY ref.country_codes FROM '/srv/shared/reference/country_codes.csv' WITH (FORMAT csv, HEADER true);
SELECT count(*) FROM ref.country_codes;
