{{ config(materialized='view') }}

{% set statuses = ['placed', 'shipped', 'returned'] %}

select
    order_date,
    {% for s in statuses %}
    count(case when status = '{{ s }}' then 1 end) as {{ s }}_orders{% if not loop.last %},{% endif %}
    {% endfor %}
from {{ ref('stg_orders') }}
where order_date >= dateadd(day, -90, current_date)
group by 1
