"""Batch builds through the CLI: worker processes change nothing in the output, and a progress bar
never reaches output that is not a terminal (a log, a pipe, CI)."""
from __future__ import annotations

from pathlib import Path

import pytest

from toolkit import i18n

from conftest import EXAMPLES

# English and one translation when there is one: a batch in several languages, as drafting offices run it.
LANGS = ",".join(i18n.languages()[:2])


def contents(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def batches(tmp_path_factory):
    """The examples built once with one process and once with two worker processes."""
    from typer.testing import CliRunner

    from toolkit.cli import app

    runner, results = CliRunner(), {}
    for jobs in ("1", "2"):
        out = tmp_path_factory.mktemp(f"jobs{jobs}")
        args = ["build", *map(str, EXAMPLES), "--lang", LANGS, "--format", "md,docx", "--out", str(out), "--jobs", jobs]
        results[jobs] = runner.invoke(app, args), out
    return results


def test_jobs_2_builds_the_same_bytes_as_jobs_1(batches):
    (one, out_one), (two, out_two) = batches["1"], batches["2"]
    assert one.exit_code == 0, one.output
    assert two.exit_code == 0, two.output
    expected = len(EXAMPLES) * len(LANGS.split(",")) * 2
    assert len(contents(out_one)) == expected
    assert contents(out_one) == contents(out_two)
    assert one.stdout == two.stdout.replace(str(out_two), str(out_one))


def test_no_progress_bar_when_output_is_not_a_terminal(batches):
    for result, _out in batches.values():
        assert "building" not in result.stderr
        assert "#" not in result.stderr and "%" not in result.stderr
        assert all(line.startswith("wrote ") for line in result.stdout.splitlines())
