{#
  macros/maintenance/rebuild_snapshots.sql

  Helpers for the snapshot tables. `rebuild_snapshot(name)` is invoked with
      dbt run-operation rebuild_snapshot --args '{name: orders_snapshot}'
  after the source system re-keyed its ids and the snapshot history became
  meaningless. `snapshot_row_counts()` is a read-only report.
#}

{% macro snapshot_relation(name) %}
    {{ return(adapter.get_relation(database=target.database, schema='snapshots', identifier=name)) }}
{% endmacro %}


{% macro snapshot_row_counts() %}
    {% set query %}
        select table_name, row_count
        from {{ target.database }}.information_schema.tables
        where table_schema = 'SNAPSHOTS'
        order by row_count desc
    {% endset %}
    {% set results = run_query(query) %}
    {% if execute %}
        {% for row in results.rows %}
            {{ log(row[0] ~ ': ' ~ row[1], info=True) }}
        {% endfor %}
    {% endif %}
{% endmacro %}


{% macro rebuild_snapshot(name) %}
    {% set relation = snapshot_relation(name) %}
    {% if relation is none %}
        {{ log('snapshot ' ~ name ~ ' does not exist, nothing to rebuild', info=True) }}
        {{ return(none) }}
    {% endif %}

    {{ log('rebuilding snapshot ' ~ relation, info=True) }}

    {% set drop_sql %}
        -- expect: destructive
        drop table if exists {{ target.database }}.snapshots.{{ name }} cascade;
    {% endset %}
    {% do run_query(drop_sql) %}

    {{ log('dropped ' ~ name ~ '; run `dbt snapshot --select ' ~ name ~ '` to recreate it', info=True) }}
{% endmacro %}


{% macro grant_snapshot_read(role='REPORTER') %}
    {% set sql %}
        grant usage on schema {{ target.database }}.snapshots to role {{ role }};
        grant select on all tables in schema {{ target.database }}.snapshots to role {{ role }};
    {% endset %}
    {% do run_query(sql) %}
{% endmacro %}
