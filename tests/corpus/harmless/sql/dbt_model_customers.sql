{{
  config(
    materialized = 'incremental',
    unique_key = 'customer_id',
    on_schema_change = 'append_new_columns'
  )
}}

-- customers dimension; soft-deleted rows (deleted_at) are filtered out, never dropped

with source as (
    select * from {{ source('crm', 'customers') }}
    where deleted_at is null
    {% if is_incremental() %}
      and updated_at > (select max(updated_at) from {{ this }})
    {% endif %}
),

final as (
    select
        id as customer_id,
        lower(email) as email,
        {{ dbt_utils.generate_surrogate_key(['id', 'email']) }} as customer_sk,
        updated_at
    from source
)

select * from final
