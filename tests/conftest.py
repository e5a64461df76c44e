"""Shared helpers: the repository's paths, a CLI runner, and small files written on demand."""
from __future__ import annotations

import os
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
    """The user's cache folder (where the LibreOffice profile and the parsed data are kept between builds)
    is one of the run's, whatever DRAFT_CACHE_DIR says outside it."""
    previous = {name: os.environ.get(name) for name in ("XDG_CACHE_HOME", "DRAFT_CACHE_DIR")}
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("cache"))
    os.environ.pop("DRAFT_CACHE_DIR", None)
    yield
    for name, value in previous.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


SOFFICE_ENV = "DRAFT_SOFFICE"
_SOFFICE = os.environ.get(SOFFICE_ENV)   # the LibreOffice the suite was told to use, if any


@pytest.fixture(scope="session", autouse=True)
def without_libreoffice_by_default():
    """Builds leave the page numbers of their contents to Word, as without LibreOffice — those of the
    session's and modules' fixtures too — unless a test is marked `office`: the suite stays fast, and
    the tests that lay pages out share one soffice a module."""
    os.environ[SOFFICE_ENV] = ""
    yield
    if _SOFFICE is None:
        del os.environ[SOFFICE_ENV]
    else:
        os.environ[SOFFICE_ENV] = _SOFFICE


def with_libreoffice(patch: pytest.MonkeyPatch) -> None:
    """Let builds use LibreOffice as the machine has it, or as DRAFT_SOFFICE named it for the suite."""
    if _SOFFICE is None:
        patch.delenv(SOFFICE_ENV, raising=False)
    else:
        patch.setenv(SOFFICE_ENV, _SOFFICE)


@pytest.fixture(autouse=True)
def libreoffice_where_marked(request, monkeypatch):
    if request.node.get_closest_marker("office") is not None:
        with_libreoffice(monkeypatch)


@pytest.fixture(autouse=True)
def english_interface():
    """A command run with --lang fr switches the interface language; each test starts in English."""
    from toolkit import i18n

    i18n.set_ui_language("en")
    yield
    i18n.set_ui_language("en")


PROOF_LANGS = ("fr", "es")


@pytest.fixture(scope="session")
def proof_builds(tmp_path_factory):
    """Every example built in English, French and Spanish, as Markdown and Word, with the drafting notes
    and the compliance annex: the fullest text a reader can get, which the proofreading tests read."""
    from toolkit import api
    from toolkit.api import BuildOptions

    out = tmp_path_factory.mktemp("proof")
    api.build(EXAMPLES, out, BuildOptions(langs=("en", *PROOF_LANGS), formats=("md", "docx"), notes=True,
                                          compliance_annex=True))
    return out


def word_text(path: Path) -> str:
    """Every text of a Word file a reader sees — body, footnotes, comments, header and footer — and no
    field code (TOC, PAGE)."""
    import zipfile

    from lxml import etree

    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    pieces = []
    with zipfile.ZipFile(path) as package:
        for name in sorted(package.namelist()):
            if name.startswith("word/") and name.endswith(".xml") and "/_rels/" not in name:
                root = etree.fromstring(package.read(name))
                for paragraph in root.iter(f"{w}p"):
                    pieces.append("".join(t.text or "" for t in paragraph.iter(f"{w}t")))
    return "\n".join(pieces)


def answer_texts(path: Path, lang: str) -> list[str]:
    """The free text a drafter typed in an answers file, as a build in `lang` shows it (with a capital at
    the head of a line, or contracted with a preposition): data, not the toolkit's words."""
    from toolkit import api
    from toolkit.localized import CatalogText, Localized
    from toolkit.typography import capitalized, contract

    answers = api.load_answers(path)
    texts = set()
    for key, value in answers.values.items():
        if isinstance(value, Localized):
            value = value.get(lang) or value.fallback()
        typed = isinstance(value, str) and not isinstance(value, CatalogText)
        if not typed or api.questionnaire().by_key[key].type != "text":
            continue
        for form in (value, capitalized(value), *(contract(f"{p} ", value, lang)[1] for p in ("de", "à", "a"))):
            texts.add(form)
    return sorted(texts, key=len, reverse=True)


def reader_prose(text: str, path: Path, lang: str) -> str:
    """The words of a French or Spanish build that come from the toolkit: without the Markdown's front
    matter, ids, table rules, link targets and escapes, the answers a drafter typed, the names of answers files,
    questions and commands it cites, and the official titles of the instruments; apostrophes and spaces
    made plain."""
    import re

    from toolkit import api

    if text.startswith("---\n"):
        text = text.split("\n---\n", 1)[1]
    text = re.sub(r"\{[^{}\n]*\}", "", text)
    text = re.sub(r"^[|: -]*---[|: -]*$", "", text, flags=re.M)   # the rule under a table's header
    text = re.sub(r"\]\(#[^)]*\)|\[\^\d+\]:?", "]", text).replace("\\", "")
    text = text.replace("\u2019", "'").replace("\u00a0", " ").replace("\u202f", " ")
    names = [*answer_texts(path, lang), *(title for inst in api.library().instruments.values()
                                          for title in (inst.title.get(lang, ""), inst.short.get(lang, "")) if title)]
    for name in sorted(names, key=len, reverse=True):  # whole words only: an answer "ar" is not in "parto"
        text = re.sub(rf"(?<!\w){re.escape(name.replace(chr(0x2019), chr(39)))}(?!\w)", " ", text)
    text = re.sub(r"[\w.-]+\.yaml(?::\d+)?|`[^`\n]*`", " ", text)  # files and commands, as in every language
    return re.sub(r"\b[a-z]+(?:_[a-z0-9]+)+\b", " ", text)


@pytest.fixture
def scratch_locales(tmp_path, monkeypatch):
    """A copy of locales/ that a test may break; the build reads it through DRAFT_LOCALES."""
    import shutil

    from toolkit import i18n

    copy = tmp_path / "locales"
    shutil.copytree(ROOT / "locales", copy)
    monkeypatch.setenv(i18n.LOCALES_ENV, str(copy))  # a new folder: translators are cached per folder
    yield copy


def replace_msgstr(po: Path, ctxt: str, new: str, msgid: str | None = None) -> int:
    """Give the entry of `ctxt` (and `msgid`, when given) a new msgstr; return the entry's line."""
    text = po.read_text(encoding="utf-8")
    start = text.index(f'msgctxt "{ctxt}"' + (f'\nmsgid "{msgid}"' if msgid else ""))
    line = text[:start].count("\n") + 1
    end = text.index("\n\n", start)
    block = text[start:end]
    head = block[: block.index("msgstr")]
    po.write_text(text[:start] + head + f'msgstr "{new}"' + text[end:], encoding="utf-8")
    return line
