{{
    config(
        materialized='incremental',
        unique_key='event_id',
        incremental_strategy='merge',
        on_schema_change='append_new_columns'
    )
}}

select
    event_id,
    user_id,
    lower(event_name)                          as event_name,
    cast(event_ts as timestamp)                as event_ts,
    json_extract_scalar(properties, '$.page')  as page
from {{ source('segment', 'tracks') }}
where event_id is not null

{% if is_incremental() %}
  and event_ts > (select coalesce(max(event_ts), '1970-01-01') from {{ this }})
{% endif %}
