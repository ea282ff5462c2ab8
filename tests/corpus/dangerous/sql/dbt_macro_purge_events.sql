{#
    dbt macro: purge the staging events table before a full reload.
    Called from the `on-run-start` hook in dbt_project.yml.
#}
{% macro purge_stg_events() %}
    {% if execute %}
        {% set purge_sql %}
            -- expect: destructive
            delete from {{ target.database }}.{{ target.schema }}.stg_events
        {% endset %}
        {% do log("purging stg_events in " ~ target.schema, info=True) %}
        {% do run_query(purge_sql) %}
    {% endif %}
{% endmacro %}
