{{
  config(
    materialized = 'table',
    tags = ['finance', 'daily'],
    post_hook = "grant select on {{ this }} to role reporter"
  )
}}

with orders as (
    select * from {{ ref('stg_shop__orders') }}
),

payments as (
    select
        order_id,
        sum(case when status = 'success' then amount else 0 end) as paid_amount,
        count(*) as payment_attempts
    from {{ ref('stg_stripe__payments') }}
    group by 1
),

final as (
    select
        o.order_id,
        o.customer_id,
        o.ordered_at,
        o.status,
        coalesce(p.paid_amount, 0) as paid_amount,
        coalesce(p.payment_attempts, 0) as payment_attempts,
        {{ dbt_utils.generate_surrogate_key(['o.order_id', 'o.customer_id']) }} as order_key
    from orders o
    left join payments p using (order_id)
    {% if var('exclude_test_orders', true) %}
    where not o.is_test
    {% endif %}
)

select * from final
