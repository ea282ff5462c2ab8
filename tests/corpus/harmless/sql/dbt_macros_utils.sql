{#
  macros/utils.sql — small helpers used across the project.

  - generate_schema_name: custom schemas per target (dev_<user>_<schema> in dev)
  - cents_to_currency: integer cents to numeric
  - soft_deleted_filter: standard predicate for tables with is_deleted/deleted_at
  - limit_in_dev: cap row counts in development runs

  None of these issue DDL. (Cleanup of stale dev schemas is a separate,
  manually-run operation documented in the README; it is not part of dbt run.)
#}

{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- set default_schema = target.schema -%}
    {%- if target.name == 'prod' and custom_schema_name is not none -%}
        {{ custom_schema_name | trim }}
    {%- elif custom_schema_name is none -%}
        {{ default_schema }}
    {%- else -%}
        {{ default_schema }}_{{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}


{% macro cents_to_currency(column, scale=2) -%}
    round(cast({{ column }} as numeric) / 100, {{ scale }})
{%- endmacro %}


{% macro soft_deleted_filter(alias=none) -%}
    {%- set prefix = alias ~ '.' if alias else '' -%}
    coalesce({{ prefix }}is_deleted, false) = false and {{ prefix }}deleted_at is null
{%- endmacro %}


{% macro limit_in_dev(n=1000) -%}
    {%- if target.name == 'dev' -%}
    limit {{ n }}
    {%- endif -%}
{%- endmacro %}


{% macro date_spine_days(start_date, end_date) %}
    {{ dbt_utils.date_spine(datepart="day", start_date=start_date, end_date=end_date) }}
{% endmacro %}


{% macro log_relation_count(relation) %}
    {% if execute %}
        {% set result = run_query("select count(*) from " ~ relation) %}
        {{ log(relation ~ ' has ' ~ result.columns[0].values()[0] ~ ' rows', info=True) }}
    {% endif %}
{% endmacro %}
