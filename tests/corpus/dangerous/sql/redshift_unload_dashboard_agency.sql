-- Export the dashboard audience to the agency's S3 inbox (Redshift).
-- They asked for email + plan + last activity, refreshed weekly.

-- expect: exfiltration
UNLOAD ('
    SELECT u.email, u.first_name, u.last_name, s.plan, a.last_seen_at
    FROM public.users u
    JOIN public.subscriptions s ON s.user_id = u.id
    JOIN analytics.user_activity a ON a.user_id = u.id
    WHERE s.status = ''active''
')
TO 's3://brightfunnel-agency-inbox/acme/audience_'
IAM_ROLE 'arn:aws:iam::123456789012:role/redshift-unload'
CSV HEADER
PARALLEL OFF
ALLOWOVERWRITE;
