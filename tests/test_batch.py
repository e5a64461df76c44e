"""Batch builds through the CLI: worker processes change nothing in the output, and a progress bar
never reaches output that is not a terminal (a log, a pipe, CI)."""
from __future__ import annotations

from pathlib import Path

import pytest
from conftest import EXAMPLES

from toolkit import cli, i18n
from toolkit.cli import app

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


class Stream:
    def __init__(self, terminal: bool):
        self.terminal = terminal

    def isatty(self) -> bool:
        return self.terminal


def test_progress_bar_only_on_a_terminal_and_for_more_than_one_file():
    assert cli.progress_wanted(Stream(terminal=True), 6)
    assert not cli.progress_wanted(Stream(terminal=False), 6)
    assert not cli.progress_wanted(Stream(terminal=True), 1)


def test_progress_bar_shows_when_wanted(runner, tmp_path, monkeypatch):
    monkeypatch.setattr(cli, "progress_wanted", lambda stream, total: True)
    result = runner.invoke(app, ["build", str(EXAMPLES[0]), "--lang", "en,fr", "--format", "md",
                                 "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[0] == "building"  # click draws the bar itself only on a terminal


def test_jobs_with_a_letterhead_give_the_same_documents_in_every_worker(runner, tmp_path):
    """Each worker prepares the letterhead itself: its documents must be those of a single process."""
    import docx
    from test_word import make_reference

    letterhead = make_reference(tmp_path / "letterhead.docx")
    built = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"jobs{jobs}"
        result = runner.invoke(app, ["build", *map(str, EXAMPLES), "--lang", LANGS, "--format", "docx",
                                     "--reference-docx", str(letterhead), "--out", str(out), "--jobs", jobs])
        assert result.exit_code == 0, result.output
        built[jobs] = contents(out)
    assert built["1"] == built["2"] and len(built["1"]) == len(EXAMPLES) * len(LANGS.split(","))
    for name in built["2"]:
        document = docx.Document(str(tmp_path / "jobs2" / name))
        header = [p.text for p in document.sections[0].header.paragraphs]
        assert header[0] == "MINISTRY OF JUSTICE — LETTERHEAD" and len(header) == 2
        assert header[1].endswith(document.core_properties.identifier)   # the running title follows the letterhead
        assert document.styles["Normal"].font.name == "Georgia"
