"""Classify a statement from its sqlglot tree: which rules it triggers, which tables it touches.

One small function per statement type, chosen by the root node's class. A root
this module does not know returns ``None`` so the caller falls back to the token
classifier: an unrecognised tree is never taken as harmless.
"""
from __future__ import annotations

from collections.abc import Callable

from sqlglot import exp

from .facts import Facts, Hit, Knowledge, Made, destination_details, display_name
from .predicate import always_true
from .text import STATEMENT_WORDS

Handler = Callable[[exp.Expr, Facts, Knowledge, dict[str, str]], None]


def table_name(node: exp.Expr | None) -> str:
    """The qualified, lower-cased name of a table-like node (Table, Column, Identifier, Var)."""
    if not isinstance(node, exp.Expr):
        return ""   # None, or a flag where sqlglot's parse of odd SQL left no node (DELETE TOP (@n) alias)
    if isinstance(node, exp.Schema):
        return table_name(node.this)
    if isinstance(node, exp.Table):
        this = node.this
        last = this.name if isinstance(this, (exp.Identifier, exp.Var, exp.Literal)) else this.sql() if this else ""
        if isinstance(this, exp.Parameter):
            last = "@" + this.name
        elif isinstance(this, exp.Identifier) and this.args.get("temporary"):
            last = "#" + last          # T-SQL #temp table
        return display_name([node.args["catalog"].name if node.args.get("catalog") else "",
                             node.args["db"].name if node.args.get("db") else "", last])
    if isinstance(node, exp.Column):
        return display_name([p.name for p in node.parts])
    if isinstance(node, exp.Dot):
        return display_name(node.sql().split("."))
    return display_name([node.name or node.sql()])


def _cte_names(root: exp.Expr) -> set[str]:
    return {cte.alias_or_name.lower() for cte in root.find_all(exp.CTE)}


def record_reads(root: exp.Expr, facts: Facts, written: set[str]) -> None:
    """Every table the statement reads (not CTEs, not the tables it writes)."""
    ctes = _cte_names(root)
    for table in root.find_all(exp.Table):
        if isinstance(table.this, (exp.Anonymous, exp.Func)) or not table.name:
            continue
        name = table_name(table)
        if name and name not in written and name not in ctes:
            facts.touch("table", name, "read")


def _drop(node: exp.Expr, facts: Facts, k: Knowledge, external: dict[str, str]) -> None:
    kind = str(node.args.get("kind") or "").upper()
    if node.args.get("materialized"):
        kind = f"MATERIALIZED {kind}"
    if kind in k.harmless_drop_kinds:
        return
    objects = node.args.get("tables") or ([node.this] if node.this else [])
    targets = tuple(t for t in (table_name(o) for o in objects) if t)
    touch_dropped(facts, kind, targets, k)
    details = {key: "true" for key in ("cascade", "purge") if node.args.get(key)}
    if node.args.get("exists"):
        details["if_exists"] = "true"
    facts.hits.append(Hit(k.drop_rule(kind), targets, "drop", {"kind": kind}, details,
                          critical=bool(node.args.get("cascade") or node.args.get("purge")),
                          scratch=bool(node.args.get("temporary")),
                          removes=tuple((k.object_class(kind), t) for t in targets)))


def touch_dropped(facts: Facts, kind: str, targets: tuple[str, ...], k: Knowledge) -> None:
    """Dropped tables, views and schemas are data touches; users, roles and routines are not."""
    if kind in k.database_kinds:
        facts.touch_all("database", targets, "delete")
    elif k.drop_rule(kind) in ("sql.drop-table", "sql.drop-view", "sql.drop-index"):
        facts.touch_all("table", targets, "delete")


def _truncate(node: exp.Expr, facts: Facts, k: Knowledge, external: dict[str, str]) -> None:
    targets = tuple(table_name(t) for t in node.expressions)
    for target in targets:
        facts.touch("table", target, "delete")
    details = {"cascade": "true"} if node.args.get("cascade") else {}
    facts.hits.append(Hit("sql.truncate", targets, "truncate", details=details))


def _unfiltered(node: exp.Expr, k: Knowledge) -> tuple[str, tuple[str, ...]] | None:
    """Why a DELETE/UPDATE touches every row ("has no WHERE" ...), with the permanent tables its only
    condition joins (a join to a temporary table of chosen keys filters: the caller knows those), or None
    when it is filtered. A join filters the rows when its source is a chosen set (a subquery, a CTE, a
    #temp table or table variable, a trigger's ``inserted``) or its condition says more than which keys
    match; a join of two tables on their keys (MySQL ``UPDATE a JOIN b ON a.id = b.a_id SET ...``,
    Postgres ``DELETE FROM t USING s WHERE t.id = s.t_id``) is not a filter on the rows."""
    where = node.args.get("where")
    joins = list((node.this.args.get("joins") if isinstance(node.this, exp.Table) else None) or [])
    source = node.args.get("from_") or node.args.get("from")
    others: list[exp.Expr] = list(node.args.get("using") or []) if isinstance(node.args.get("using"), list) else []
    if isinstance(source, exp.From):
        if isinstance(source.this, exp.Table):
            joins += source.this.args.get("joins") or []
        others.append(source.this)
    others += [j.this for j in joins if j.args.get("on") is None]
    joins = [j for j in joins if str(j.args.get("side") or "").upper() not in ("LEFT", "RIGHT", "FULL")]
    ctes = _chosen_ctes(node.root())
    target = table_name(node.this)
    joined: list[str] = []
    for j in joins:
        on = j.args.get("on")
        if on is None or always_true(on, k.volatile_functions):
            continue
        if not keys_only(on) or _chosen_set(j.this, ctes, k):
            return None
        joined.append(table_name(j.this))
    if where is None:
        return ("has no WHERE (a join on keys is not a filter)", tuple(joined)) if joined else ("has no WHERE", ())
    if always_true(where.this, k.volatile_functions):
        return f"has an always-true WHERE ({where.this.sql()[:60]})", ()
    if _selects_itself(where.this, target):
        return f"has a WHERE every row with a value meets ({where.this.sql()[:60]})", ()
    sources = [o for o in others if table_name(o) != target and _aliased(node, table_name(o)) != target]
    if sources and keys_only(where.this) and not any(_chosen_set(o, ctes, k) for o in sources):
        joined += [table_name(o) for o in sources]
        return f"has only a join condition as WHERE ({where.this.sql()[:60]})", tuple(joined)
    return None


def _selects_itself(condition: exp.Expr, target: str) -> bool:
    """``id IN (SELECT id FROM t)`` in a DELETE/UPDATE of t: the whole column of the table itself."""
    query = condition.args.get("query") if isinstance(condition, exp.In) else None
    query = query.this if isinstance(query, exp.Subquery) else query
    if not isinstance(query, exp.Select) or not _whole_table(query) or not isinstance(condition.this, exp.Column):
        return False
    source = query.args.get("from_") or query.args.get("from")
    selected = query.expressions
    return isinstance(source, exp.From) and table_name(source.this) == target and len(selected) == 1 \
        and isinstance(selected[0], exp.Column) \
        and selected[0].name.lower() == condition.this.name.lower()


def keys_only(condition: exp.Expr) -> bool:
    """``a.id = b.a_id AND ...``: every part equates columns of two different tables."""
    parts = list(condition.flatten()) if isinstance(condition, exp.And) else [condition]
    for part in parts:
        if isinstance(part, exp.Paren):
            part = part.this
        if isinstance(part, exp.And):
            if not keys_only(part):
                return False
            continue
        if not (isinstance(part, exp.EQ) and isinstance(part.this, exp.Column)
                and isinstance(part.expression, exp.Column)):
            return False
        if not part.this.table or part.this.table.lower() == part.expression.table.lower():
            return False
    return True


def _chosen_ctes(root: exp.Expr) -> set[str]:
    """The CTEs that hold chosen rows: all but a bare copy of a whole table (``WITH e AS (SELECT id
    FROM events)``: no WHERE, join, grouping, DISTINCT or LIMIT), which a join on keys does not filter."""
    return {cte.alias_or_name.lower() for cte in root.find_all(exp.CTE) if not _whole_table(cte.this)}


def _whole_table(query: exp.Expr) -> bool:
    source = query.args.get("from_") or query.args.get("from")
    return isinstance(query, exp.Select) and isinstance(source, exp.From) and isinstance(source.this, exp.Table) \
        and not any(query.args.get(key) for key in ("where", "joins", "group", "having", "distinct", "limit",
                                                     "qualify", "offset", "top"))


def _chosen_set(source: exp.Expr | None, ctes: set[str], k: Knowledge) -> bool:
    """A join source that holds chosen rows, not a whole table: a subquery, a CTE, a #temp table,
    a table variable, a function's rows, a trigger's pseudo-table (``chosen_row_sources``)."""
    if not isinstance(source, exp.Table) or isinstance(source.this, (exp.Anonymous, exp.Func)):
        return True
    name = table_name(source)
    last = name.rsplit(".", 1)[-1]
    return name in ctes or last.startswith(("#", "@")) or last in k.chosen_row_sources


def _aliased(node: exp.Expr, name: str) -> str:
    """The table an alias of the statement stands for (T-SQL ``UPDATE c ... FROM dbo.Carts c``), else ``name``."""
    for table in node.find_all(exp.Table):
        if table.alias and table.alias.lower() == name:
            return table_name(table)
    return name


# The key of a parsed statement's meta holding the dialect it was parsed in.
DIALECT = "execgate_dialect"


def _is_top_clause(table: exp.Expr) -> bool:
    """sqlglot reads T-SQL ``DELETE TOP (n) FROM t`` as deleting from a table ``TOP`` aliased ``(n)``."""
    alias = table.args.get("alias")
    return (isinstance(table, exp.Table) and not table.db and table.name.upper() == "TOP"
            and isinstance(alias, exp.TableAlias) and bool(alias.columns) and not alias.name)


def _through_cte(node: exp.Expr, targets: tuple[str, ...], k: Knowledge) -> tuple[str, bool] | None:
    """T-SQL ``WITH d AS (SELECT TOP (1000) * FROM t WHERE ...) DELETE FROM d`` (or ``UPDATE d``) changes rows of t:
    (t, whether the CTE chose the rows), when the one target is a CTE reading one table. Elsewhere a
    CTE is no DELETE target: ``DELETE FROM d`` names a table d, whatever a CTE d holds."""
    if len(targets) != 1 or node.root().meta.get(DIALECT) not in k.cte_targets:
        return None
    for cte in node.find_all(exp.CTE):
        source = cte.this.args.get("from_") or cte.this.args.get("from")
        if cte.alias_or_name.lower() == targets[0] and isinstance(cte.this, exp.Select) and \
                isinstance(source, exp.From) and isinstance(source.this, exp.Table):
            return table_name(source.this), not _whole_table(cte.this)
    return None


def _delete(node: exp.Expr, facts: Facts, k: Knowledge, external: dict[str, str]) -> None:
    named = [t for t in node.args.get("tables") or () if not _is_top_clause(t)]
    targets = tuple(_aliased(node, table_name(t)) for t in (named or [node.this]) if t is not None)
    through = _through_cte(node, targets, k)
    if through is not None:
        targets = (through[0],)
    for target in targets:
        facts.touch("table", target, "delete")
    record_reads(node, facts, set(targets))
    unfiltered = None if through is not None and through[1] else _unfiltered(node, k)
    if unfiltered:
        facts.hits.append(Hit("sql.delete-all", targets, "delete", {"reason": unfiltered[0]}, joined=unfiltered[1]))


def _update(node: exp.Expr, facts: Facts, k: Knowledge, external: dict[str, str]) -> None:
    targets = (_aliased(node, table_name(node.this)),)
    through = _through_cte(node, targets, k)
    if through is not None:
        targets = (through[0],)
    facts.touch("table", targets[0], "write")
    record_reads(node, facts, set(targets))
    unfiltered = None if through is not None and through[1] else _unfiltered(node, k)
    if unfiltered:
        facts.hits.append(Hit("sql.update-all", targets, "update", {"reason": unfiltered[0]},
                              removes=_set_columns(node, targets[0]), joined=unfiltered[1]))


def _set_columns(node: exp.Expr, target: str) -> tuple[tuple[str, str], ...]:
    """The columns an UPDATE overwrites, as (``column``, ``table.column``); () when it cannot say
    (then the whole table counts)."""
    columns = []
    for assignment in node.expressions:
        if not isinstance(assignment, exp.EQ) or not isinstance(assignment.this, exp.Column):
            return ()
        columns.append(("column", f"{target}.{assignment.this.name.lower()}"))
    return tuple(columns)


def _insert(node: exp.Expr, facts: Facts, k: Knowledge, external: dict[str, str]) -> None:
    target_node = node.this
    if isinstance(target_node, exp.Directory):
        destination = target_node.this.name if target_node.this else ""
        record_reads(node, facts, set())
        facts.hits.append(Hit("sql.insert-overwrite-directory", _sources(facts), "export",
                              {"destination": destination}, destination_details(destination)))
        return
    target = table_name(target_node)
    facts.touch("table", target, "write")
    record_reads(node, facts, {target})
    if node.args.get("overwrite"):
        facts.hits.append(Hit("sql.insert-overwrite", (target,), "overwrite"))
    if target in external:
        destination = external[target]
        facts.hits.append(Hit("sql.external-table-write", (target,), "export", {"destination": destination},
                              destination_details(destination)))


def _sources(facts: Facts) -> tuple[str, ...]:
    return tuple(t for kind, t, access in facts.touches if access == "read")


def _properties(node: exp.Expr) -> list[exp.Expr]:
    props = node.args.get("properties")
    return list(props.expressions) if props is not None else []


def _create(node: exp.Expr, facts: Facts, k: Knowledge, external: dict[str, str]) -> None:
    kind = str(node.args.get("kind") or "").upper()
    target = table_name(node.this)
    props = _properties(node)
    facts.touch("table", target, "write")
    if kind in ("FUNCTION", "PROCEDURE"):
        name = table_name(node.this.this if isinstance(node.this, exp.UserDefinedFunction) else node.this)
        facts.made.append(Made("routine", name))
        if isinstance(node.expression, exp.Heredoc):
            # A function body ($$ ... $$) is SQL that runs whenever the function is called:
            # read it like a DO block (offset -1: the front end finds the body in the text).
            facts.embedded_sql.append((node.expression.name, -1))
            facts.routines.append(name)
            return
    elif kind:
        facts.made.append(Made(k.object_class(kind), target,
                               proven=not node.args.get("exists") or bool(node.args.get("replace"))))
    if node.expression is not None:
        record_reads(node.expression, facts, {target})
    temporary = any(isinstance(p, exp.TemporaryProperty) for p in props)
    if kind == "VIEW" and temporary:
        facts.temp_tables.append(target)   # a TEMP VIEW lives as long as the session: scratch
    replaced = k.replaced_containers.get(kind) if node.args.get("replace") else None
    if replaced is not None:
        # Snowflake CREATE OR REPLACE SCHEMA/DATABASE: the one that was there goes, with all it holds.
        facts.hits.append(Hit(replaced, (target,), "replace", {"kind": f"{kind} (by CREATE OR REPLACE)"},
                              removes=((k.object_class(kind), target),)))
        touch_dropped(facts, kind, (target,), k)
    if kind != "TABLE":
        return
    if temporary:
        facts.temp_tables.append(target)
    location = next((p.this.name for p in props if isinstance(p, exp.LocationProperty) and p.this is not None), None)
    external_table = any(isinstance(p, exp.ExternalProperty) for p in props)
    for prop in props:   # Trino/Presto: WITH (external_location = 's3://...')
        value = prop.args.get("value")
        if type(prop) is exp.Property and prop.name.lower() in k.location_properties and \
                isinstance(value, exp.Literal) and value.is_string:
            location, external_table = value.name, True
    if location and (external_table or "://" in location):
        facts.external_tables[target] = location
        if node.expression is not None:
            facts.hits.append(Hit("sql.external-table-write", (target,), "export", {"destination": location},
                                  destination_details(location)))
    if node.args.get("replace"):
        facts.hits.append(Hit("sql.create-or-replace-table", (target,), "replace", scratch=temporary))


def _merge(node: exp.Expr, facts: Facts, k: Knowledge, external: dict[str, str]) -> None:
    target = table_name(node.this)
    facts.touch("table", target, "write")
    record_reads(node, facts, {target})
    whens = node.args.get("whens")
    for when in (whens.expressions if whens is not None else []):
        then = when.args.get("then")
        deletes = (isinstance(then, exp.Var) and then.name.upper() == "DELETE") or isinstance(then, exp.Delete)
        by_source = not when.args.get("matched") and when.args.get("source")   # NOT MATCHED BY SOURCE
        if deletes and (when.args.get("matched") or by_source) and when.args.get("condition") is None:
            clause = "WHEN NOT MATCHED BY SOURCE" if by_source else "WHEN MATCHED"
            facts.hits.append(Hit("sql.merge-delete", (target,), "delete", {"clause": clause}))
            facts.touch("table", target, "delete")


def _alter(node: exp.Expr, facts: Facts, k: Knowledge, external: dict[str, str]) -> None:
    kind = str(node.args.get("kind") or "TABLE").upper()
    target = table_name(node.this)
    facts.touch("database" if kind in k.database_kinds else "table", target, "write")
    for action in node.args.get("actions") or []:
        _added(action, target, facts)
        hit = _alter_action(action, kind, target, k)
        if hit is not None:
            facts.hits.append(hit)
            if hit.renames is not None:
                facts.renamed.append(hit.renames)


def _added(action: exp.Expr, target: str, facts: Facts) -> None:
    """ALTER TABLE t ADD COLUMN c / ADD CONSTRAINT n / ADD INDEX i: what the action makes."""
    if isinstance(action, exp.ColumnDef):
        facts.made.append(Made("column", f"{target}.{action.name.lower()}", proven=not action.args.get("exists")))
    elif isinstance(action, exp.AddConstraint):
        for constraint in action.expressions:
            named = constraint.this.this if isinstance(constraint.this, exp.Schema) else constraint.this
            if isinstance(constraint, exp.PrimaryKey):
                facts.made.append(Made("constraint", f"{target}.primary key"))
            elif isinstance(constraint, exp.IndexColumnConstraint) and isinstance(named, exp.Identifier):
                facts.made.append(Made("index", named.name.lower()))
            elif isinstance(named, exp.Identifier):
                facts.made.append(Made("constraint", f"{target}.{named.name.lower()}"))


def _alter_action(action: exp.Expr, kind: str, target: str, k: Knowledge) -> Hit | None:
    if isinstance(action, (exp.Delete, exp.Update)):
        # ClickHouse mutations: ALTER TABLE t DELETE WHERE ... / UPDATE ... WHERE ...
        unfiltered = _unfiltered(action, k)
        if unfiltered:
            rule = "sql.delete-all" if isinstance(action, exp.Delete) else "sql.update-all"
            return Hit(rule, (target,), "delete" if isinstance(action, exp.Delete) else "update",
                       {"reason": unfiltered[0]})
        return None
    if isinstance(action, exp.Drop):
        what = str(action.args.get("kind") or "COLUMN").upper()
        dropped = [table_name(t) for t in action.args.get("tables") or []]
        rule = k.alter_drop_kinds.get(what, "sql.alter-drop-constraint")
        removed_kind = {"COLUMN": "column", "INDEX": "index", "KEY": "index"}.get(what, "constraint")
        removes = tuple((removed_kind, name if removed_kind == "index" else f"{target}.{name}") for name in dropped)
        return Hit(rule, (target,), "alter", {"column": ", ".join(dropped), "kind": kind},
                   {"cascade": "true"} if action.args.get("cascade") else {},
                   critical=bool(action.args.get("cascade")),
                   removes=removes if rule != "sql.alter-drop-partition" else ())
    if isinstance(action, exp.DropPrimaryKey):
        return Hit("sql.alter-drop-constraint", (target,), "alter", {"column": "PRIMARY KEY", "kind": kind},
                   removes=(("constraint", f"{target}.primary key"),))
    if isinstance(action, (exp.DropPartition, exp.ReplacePartition)):
        return Hit("sql.alter-drop-partition", (target,), "alter", {"kind": kind})
    if isinstance(action, exp.SwapTable):
        # Snowflake ALTER TABLE a SWAP WITH b: each name now holds the other table, as a rename swap does.
        other = table_name(action.this)
        return Hit("sql.alter-rename-table", (target, other), "rename", {"kind": kind}, {"new_name": other})
    if isinstance(action, exp.AlterRename):
        new_name = table_name(action.this)
        return Hit("sql.alter-rename-table", (target,), "rename", {"kind": kind}, {"new_name": new_name},
                   renames=(k.object_class(kind), target, new_name))
    if isinstance(action, exp.RenameColumn):
        old, new = table_name(action.this), table_name(action.args.get("to"))
        return Hit("sql.alter-rename-column", (target,), "rename", {"column": old},
                   removes=(("column", f"{target}.{old}"),),
                   renames=("column", f"{target}.{old}", f"{target}.{new}") if new else None)
    if isinstance(action, exp.AlterSet):
        for prop in action.find_all(exp.Property):
            setting = prop.name.upper()
            value = prop.args.get("value")
            if setting in k.retention_settings and value is not None and value.name.strip("'") in ("0", "0.0"):
                return Hit("sql.disable-time-travel", (target,), "alter", {"setting": setting, "value": value.name})
    return None


def _privileges(node: exp.Expr) -> list[str]:
    return [p.sql().upper() for p in node.args.get("privileges") or []]


def _grant(node: exp.Expr, facts: Facts, k: Knowledge, external: dict[str, str]) -> None:
    principals = [p.this.name.upper() if p.this is not None else "" for p in node.args.get("principals") or []]
    if any(p in k.public_principals for p in principals):
        privileges = _privileges(node)
        facts.hits.append(Hit("sql.grant-public", (table_name(node.args.get("securable")),), "grant",
                              {"privileges": ", ".join(privileges)},
                              critical=any(p.startswith("ALL") or p in k.owner_privileges for p in privileges)))


def _revoke(node: exp.Expr, facts: Facts, k: Knowledge, external: dict[str, str]) -> None:
    privileges = _privileges(node)
    principals = [p.this.name.upper() if p.this is not None else "" for p in node.args.get("principals") or []]
    if principals and all(p in k.public_principals for p in principals):
        return   # REVOKE ALL ... FROM PUBLIC takes back the blanket access everybody had: hardening
    if any(p.startswith("ALL") for p in privileges):
        facts.hits.append(Hit("sql.revoke-all", (table_name(node.args.get("securable")),), "revoke",
                              {"privileges": ", ".join(privileges)}))


def _copy(node: exp.Expr, facts: Facts, k: Knowledge, external: dict[str, str]) -> None:
    files = node.args.get("files") or []
    this = node.this
    if not node.args.get("kind"):   # COPY ... TO
        _copy_to(node, files, facts)
        return
    location = this.this if isinstance(this, exp.Table) else None
    if isinstance(location, exp.Literal) or isinstance(location, exp.Parameter) or (
            isinstance(location, (exp.Var, exp.Identifier)) and location.name.startswith("@")) or (
            isinstance(location, exp.Identifier) and "://" in location.name):   # COPY INTO 's3://...' read as a name
        destination = table_name(this) if not isinstance(location, exp.Literal) else location.name
        for source in files:
            if isinstance(source, exp.Identifier):   # postgres reads COPY INTO @x FROM t this way
                facts.touch("table", table_name(source), "read")
            else:
                record_reads(source, facts, set())
        facts.hits.append(Hit("sql.copy-into-location", _sources(facts), "export", {"destination": destination},
                              destination_details(destination)))
        return
    facts.touch("table", table_name(this), "write")   # COPY t FROM file / stage: a load
    if files and isinstance(files[0], exp.Identifier) and files[0].name.upper() == "PROGRAM":
        params = node.args.get("params") or []
        if params and params[0].name:
            facts.embedded_shell.append(params[0].name)   # the server runs it: the shell front end judges


def _copy_to(node: exp.Expr, files: list[exp.Expr], facts: Facts) -> None:
    """Postgres ``COPY t TO PROGRAM 'cmd'`` (mis-parsed: the command sits in params) and ``TO '/path'``."""
    record_reads(node.this, facts, set())
    first = files[0] if files else None
    if isinstance(first, exp.Identifier) and first.name.upper() == "PROGRAM":
        params = node.args.get("params") or []
        program = params[0].name if params else ""
        facts.hits.append(Hit("sql.copy-to-program", _sources(facts), "export", {"program": program[:120]},
                              {"program": program}, embedded=("shell", program) if program else None))
        return
    if isinstance(first, exp.Literal):
        destination = first.name
        facts.hits.append(Hit("sql.copy-to-file", _sources(facts), "export", {"destination": destination},
                              destination_details(destination)))


def _export(node: exp.Expr, facts: Facts, k: Knowledge, external: dict[str, str]) -> None:
    record_reads(node.this, facts, set())
    destination = ""
    for prop in node.find_all(exp.Property):
        if prop.name.lower() == "uri" and prop.args.get("value") is not None:
            destination = prop.args["value"].name
    facts.hits.append(Hit("sql.export-data", _sources(facts), "export", {"destination": destination or "a location"},
                          destination_details(destination) if destination else {}))


def _execute_sql(node: exp.Expr, facts: Facts, k: Knowledge, external: dict[str, str]) -> None:
    spec = k.statement_arguments.get(node.this.name.upper() if node.this is not None else "")
    statements = spec.arguments if spec is not None else frozenset({"1"})
    for position, argument in enumerate(node.expressions, 1):
        key, arg = str(position), argument
        if isinstance(argument, exp.EQ) and isinstance(argument.this, exp.Parameter):
            key, arg = "@" + argument.this.name.lower(), argument.expression   # @stmt = N'...'
        if key not in statements:
            continue
        if isinstance(arg, exp.National) or (isinstance(arg, exp.Literal) and arg.is_string):
            facts.embedded_sql.append((arg.name, 0))
        else:
            facts.hits.append(Hit("sql.dynamic-sql", (), "EXEC sp_executesql", {"verb": "EXEC sp_executesql"}))


def _query(node: exp.Expr, facts: Facts, k: Knowledge, external: dict[str, str]) -> None:
    into = node.args.get("into")
    written = set()
    if isinstance(into, exp.Into) and into.this is not None:
        written.add(table_name(into.this))
        facts.touch("table", table_name(into.this), "write")
    record_reads(node, facts, written)


def _harmless(node: exp.Expr, facts: Facts, k: Knowledge, external: dict[str, str]) -> None:
    return None


HANDLERS: dict[type, Handler] = {
    exp.Drop: _drop, exp.TruncateTable: _truncate, exp.Delete: _delete, exp.Update: _update,
    exp.Insert: _insert, exp.Create: _create, exp.Merge: _merge, exp.Alter: _alter,
    exp.Grant: _grant, exp.Revoke: _revoke, exp.Copy: _copy, exp.Export: _export,
    exp.ExecuteSql: _execute_sql, exp.Select: _query, exp.Union: _query, exp.Intersect: _query,
    exp.Except: _query, exp.Subquery: _query, exp.Values: _query,
}

_OPAQUE_ROOTS = (exp.Command, exp.Alias, exp.Column, exp.Identifier)


def is_structured(root: exp.Expr | None, k: Knowledge) -> bool:
    """A tree we understand: not an opaque Command, not free text parsed as a column or alias,
    not an ALTER with an action the parser left opaque (ClickHouse ``DROP DETACHED PARTITION``)."""
    if root is None or isinstance(root, _OPAQUE_ROOTS) or type(root).__name__ not in k.structured_nodes:
        return False
    return not (isinstance(root, exp.Alter) and any(isinstance(a, exp.Command) for a in root.args.get("actions") or []))


def _sql_in_function_arguments(root: exp.Expr, facts: Facts, k: Knowledge) -> None:
    """SELECT cron.schedule('job', '0 3 * * *', $$DELETE FROM logs$$): the string is SQL that runs."""
    if not k.sql_string_functions:
        return
    for call in root.find_all(exp.Anonymous):
        name = str(call.this).lower()
        parent = call.parent
        qualified = f"{parent.this.name.lower()}.{name}" if isinstance(parent, exp.Dot) and \
            isinstance(parent.this, exp.Identifier) else name
        if name not in k.sql_string_functions and qualified not in k.sql_string_functions:
            continue
        for argument in call.expressions:
            if isinstance(argument, (exp.RawString, exp.Literal, exp.Heredoc)) and \
                    (not isinstance(argument, exp.Literal) or argument.is_string):
                text = argument.name
                if text.lstrip().split(" ", 1)[0].upper() in STATEMENT_WORDS:
                    facts.embedded_sql.append((text, -1))


def classify(root: exp.Expr, k: Knowledge, external: dict[str, str], dialect: str | None = None) -> Facts:
    """Facts of a structured statement (``is_structured(root)`` must hold), parsed in ``dialect``."""
    root.meta[DIALECT] = dialect   # what the handlers of its nodes may ask (may a DELETE name a CTE?)
    facts = Facts()
    HANDLERS.get(type(root), _harmless)(root, facts, k, external)
    _data_modifying_ctes(root, facts, k, external)
    _sql_in_function_arguments(root, facts, k)
    return facts


_MODIFYING = (exp.Delete, exp.Update, exp.Insert, exp.Merge)


def _data_modifying_ctes(root: exp.Expr, facts: Facts, k: Knowledge, external: dict[str, str]) -> None:
    """``WITH d AS (DELETE FROM t RETURNING *) SELECT count(*) FROM d``: a data-modifying CTE runs
    whatever the outer statement does with its rows; it is judged like the statement it is."""
    for cte in root.find_all(exp.CTE):
        if isinstance(cte.this, _MODIFYING):
            HANDLERS[type(cte.this)](cte.this, facts, k, external)
