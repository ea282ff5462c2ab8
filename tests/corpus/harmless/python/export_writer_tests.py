import csv
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from reports.export import write_export, cleanup_partial


@pytest.fixture
def rows():
    return [{"id": 1, "name": "a"}, {"id": 2, "name": "b"}]


def test_write_export_creates_file(tmp_path: Path, rows):
    out = tmp_path / "export.csv"
    write_export(rows, out)
    with out.open() as fh:
        assert list(csv.DictReader(fh))[0]["name"] == "a"


def test_cleanup_partial_removes_tmp_files(tmp_path: Path):
    partial = tmp_path / "export.csv.part"
    partial.write_text("half")
    cleanup_partial(tmp_path)
    assert not partial.exists()


def test_overwrite_existing(tmp_path: Path, rows):
    out = tmp_path / "export.csv"
    out.write_text("old")
    write_export(rows, out)
    assert "old" not in out.read_text()
    out.unlink()


def test_in_tempdir(rows):
    workdir = tempfile.mkdtemp(prefix="export-test-")
    try:
        target = os.path.join(workdir, "x.csv")
        write_export(rows, target)
        assert os.path.getsize(target) > 0
        os.remove(target)
    finally:
        shutil.rmtree(workdir)
