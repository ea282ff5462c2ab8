-- expect: destructive
{{ config(materialized='table', pre_hook="delete from {{ source('web', 'sessions_raw') }}") }}

select
    session_id,
    user_id,
    min(event_ts) as started_at,
    max(event_ts) as ended_at,
    count(*) as events
from {{ ref('stg_web_events') }}
group by 1, 2
