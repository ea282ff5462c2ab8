{{
  config(
    materialized = 'incremental',
    unique_key = ['revenue_date', 'country_code', 'channel'],
    incremental_strategy = 'merge',
    on_schema_change = 'append_new_columns',
    partition_by = {'field': 'revenue_date', 'data_type': 'date'},
    cluster_by = ['country_code'],
    tags = ['finance', 'daily']
  )
}}

{#-
  Daily revenue by country and channel.
  Refunds are attributed to the day of the original order.
  Soft-deleted orders (is_deleted / deleted_at) are excluded upstream in stg_orders.
-#}

with orders as (

    select * from {{ ref('stg_orders') }}
    {% if is_incremental() %}
    where order_date >= (select date_sub(max(revenue_date), interval 3 day) from {{ this }})
    {% endif %}

),

refunds as (

    select order_id, sum(amount_eur) as refunded_eur
    from {{ ref('stg_refunds') }}
    group by order_id

),

fx as (

    select rate_date, currency, rate_to_eur from {{ ref('stg_fx_rates') }}

),

joined as (

    select
        o.order_date as revenue_date,
        o.country_code,
        coalesce(o.channel, 'direct') as channel,
        o.order_id,
        o.total * coalesce(fx.rate_to_eur, 1) as gross_eur,
        coalesce(r.refunded_eur, 0) as refunded_eur
    from orders o
    left join fx on fx.rate_date = o.order_date and fx.currency = o.currency
    left join refunds r on r.order_id = o.order_id
    where o.status not in ('cancelled', 'draft')

)

select
    revenue_date,
    country_code,
    channel,
    count(distinct order_id) as orders,
    round(sum(gross_eur), 2) as gross_eur,
    round(sum(refunded_eur), 2) as refunded_eur,
    round(sum(gross_eur) - sum(refunded_eur), 2) as net_eur,
    current_timestamp() as _loaded_at
from joined
group by 1, 2, 3
