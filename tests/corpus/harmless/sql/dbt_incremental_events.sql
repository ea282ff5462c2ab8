{{
  config(
    materialized='incremental',
    unique_key='event_id',
    incremental_strategy='merge',
    on_schema_change='append_new_columns'
  )
}}

with source as (
    select * from {{ source('app', 'events') }}
    {% if is_incremental() %}
    where event_ts > (select max(event_ts) from {{ this }})
    {% endif %}
)

select
    event_id,
    user_id,
    lower(event_name) as event_name,
    event_ts,
    properties:deleted::boolean as is_deleted_flag
from source
