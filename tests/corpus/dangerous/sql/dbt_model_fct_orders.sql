{{
  config(
    materialized = 'table',
    tags = ['finance']
  )
}}

{% set payment_methods = ['card', 'bank_transfer', 'voucher'] %}

with orders as (
    select * from {{ ref('stg_orders') }}
),

payments as (
    select * from {{ ref('stg_payments') }}
),

order_payments as (
    select
        order_id,
        {% for m in payment_methods %}
        sum(case when payment_method = '{{ m }}' then amount else 0 end) as {{ m }}_amount,
        {% endfor %}
        sum(amount) as total_amount
    from payments
    group by 1
)

select
    o.order_id,
    o.customer_id,
    o.order_date,
    o.status,
    op.total_amount
from orders o
left join order_payments op using (order_id)

-- expect: destructive
{{ config(post_hook="delete from " ~ this ~ " where 1=1") }}
