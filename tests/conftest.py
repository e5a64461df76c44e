"""Shared helpers: the repository's paths, a CLI runner, and small files written on demand."""
from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from typer.testing import CliRunner

from toolkit.cli import app

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))


def reads_back(markdown: str) -> bool:
    """The toolkit's Markdown parses back into the tree it was written from: writing that tree again
    gives the very same text, so nothing was lost or guessed on the way."""
    from toolkit import i18n
    from toolkit.render import compose, md

    tree = md.read(markdown)
    return md.write(tree, compose.labels(i18n.translator(tree.meta.lang))) == markdown


@cache
def template():
    """The translators' template extracted from the sources, once per test run."""
    from toolkit import api, catalog

    return catalog.extract(api.questionnaire(), api.library(), api.standards(), api.forms())


MINIMAL = """\
jurisdiction: Ruritania
issuing_authority: Ruritania Prison Service
directive_reference: PSI 1/2026
adoption_date: 2026-11-22
"""


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def invoke(runner):
    """Run `draft ARGS…` and return the result (stdout and stderr separate)."""

    def run(*args: str, input: str | None = None):
        return runner.invoke(app, [str(a) for a in args], input=input)

    return run


@pytest.fixture
def write(tmp_path):
    """Write text (or bytes) to a file under tmp_path and return its path."""

    def make(name: str, content: str | bytes) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    return make


@pytest.fixture(scope="session", autouse=True)
def cache_of_the_test_run(tmp_path_factory):
    """The user's cache folder (where the LibreOffice profile is kept between builds) is one of the run's."""
    import os

    previous = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("cache"))
    yield
    if previous is None:
        del os.environ["XDG_CACHE_HOME"]
    else:
        os.environ["XDG_CACHE_HOME"] = previous


@pytest.fixture(autouse=True)
def without_libreoffice(request, monkeypatch):
    """Builds leave the page numbers of their contents to Word, as without LibreOffice, unless a test is
    marked `office`: the suite stays fast, and the tests that lay pages out share one soffice a module."""
    if request.node.get_closest_marker("office") is None:
        monkeypatch.setenv("DRAFT_SOFFICE", "")


@pytest.fixture(autouse=True)
def english_interface():
    """A command run with --lang fr switches the interface language; each test starts in English."""
    from toolkit import i18n

    i18n.set_ui_language("en")
    yield
    i18n.set_ui_language("en")
