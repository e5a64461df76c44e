"""Building directives: every example, through the API and the CLI, and what the reader gets."""
from __future__ import annotations

import re

import docx
import pytest
from conftest import EXAMPLES, MINIMAL
from markdown_it import MarkdownIt

from toolkit import api
from toolkit.api import BuildOptions
from toolkit.render import md
from toolkit.render.tree import Citation

SECTIONS = ["Purpose and principles", "Definitions", "Authority and scope", "Admission",
            "Age limit and duration of stay", "Accommodation and facilities", "Health of the child", "Separation",
            "Safety, security and discipline", "Family and community contact", "Records and confidentiality",
            "Staff", "Monitoring and review"]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    report = api.build(EXAMPLES, out, BuildOptions(langs=("en",), formats=("md", "docx")))
    return out, report


def test_every_example_builds_to_markdown_and_word(built):
    _out, report = built
    assert len(EXAMPLES) >= 3
    expected = sorted(f"{e.stem}.en.{f}" for e in EXAMPLES for f in ("md", "docx"))
    assert sorted(p.name for p in report.written) == expected


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_markdown_is_a_complete_directive(built, example):
    text = (built[0] / f"{example.stem}.en.md").read_text(encoding="utf-8")
    tokens = MarkdownIt("commonmark").parse(text)
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open" and t.tag == "h2"]
    for section in SECTIONS:
        assert section in headings, section
    articles = re.findall(r"^### (\d+)\. ", text, flags=re.M)
    assert [int(n) for n in articles] == list(range(1, len(articles) + 1))
    # one footnote per article that implements a standard, each citing at least one instrument; the
    # formalities of the final provisions (entry into force, repeal) cite none
    tree = md.read(text)
    formal = [a.id for a in tree.articles() if not any(isinstance(n, Citation) for n in a.paragraphs[0].content)]
    assert {"final.entry-into-force", "final.repeal"} <= set(formal) and all(f.startswith("final.") for f in formal)
    notes = re.findall(r"^\[\^(\d+)\]: (.+)$", text, flags=re.M)
    assert len(notes) == len(articles) - len(formal)
    assert all(re.search(r"(rule|art\.|arts |principle|para\.|paras |IV|III)", body) for _, body in notes)
    assert "{{" not in text.replace("\\{", "")


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_word_says_what_the_markdown_says(built, example):
    out = built[0]
    text = (out / f"{example.stem}.en.md").read_text(encoding="utf-8")
    document = docx.Document(str(out / f"{example.stem}.en.docx"))
    body = "\n".join(p.text for p in document.paragraphs)
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    for line in re.findall(r"^#{2,3} (.+)$", text, flags=re.M):
        plain = re.sub(r"^\d+\. ", "", line).replace("\\", "")
        assert plain in headings
    for line in re.findall(r"^\s*\d+\. (.+)$", text, flags=re.M):
        plain = re.sub(r"\[\^\d+\]$", "", line)
        plain = re.sub(r"\[([^\]]+)\]\(#[^)]+\)", r"\1", plain).replace("\\", "")  # a reference reads as its number
        assert plain in body


def test_cli_build_success(invoke, write, tmp_path):
    answers = write("ruritania.yaml", MINIMAL)
    result = invoke("build", answers, "--format", "md,docx", "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "ruritania.en.md").is_file()
    assert (tmp_path / "out" / "ruritania.en.docx").is_file()


def test_cli_bad_answers_exit_2_and_write_nothing(invoke, write, tmp_path):
    answers = write("bad.yaml", MINIMAL.replace("2026-11-22", "yesterday") + "max_age_monhts: 18\n")
    result = invoke("build", answers, "--out", tmp_path / "out")
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert "bad.yaml:4: adoption_date: expected a date written YYYY-MM-DD, found 'yesterday'" in result.stderr
    assert "did you mean 'max_age_months'?" in result.stderr
    assert not (tmp_path / "out").exists()


def test_existing_output_is_not_replaced_without_force(invoke, write, tmp_path):
    answers = write("r.yaml", MINIMAL)
    out = tmp_path / "out"
    out.mkdir()
    (out / "r.en.md").write_text("keep me", encoding="utf-8")
    result = invoke("build", answers, "--out", out)
    assert result.exit_code == 2 and "already exists; use --force" in result.stderr
    assert (out / "r.en.md").read_text(encoding="utf-8") == "keep me"
    assert not (out / "r.en.docx").exists()
    assert invoke("build", answers, "--out", out, "--force").exit_code == 0
    assert (out / "r.en.md").read_text(encoding="utf-8") != "keep me"


@pytest.mark.parametrize("args, expected", [
    (["--lang", "xx"], "expected a language from en"),
    (["--format", "odt"], "expected a format from md, docx, html, akn, pdf, found 'odt'"),
    (["--citations", "sidenotes"], "expected one of footnotes, annex, none"),
    (["--format", "md", "--reference-docx", "x.docx"], "--reference-docx applies to Word and PDF output"),
    (["--lang", "klingon"], "--lang: expected a language from en"),
    (["--format", "md,odt"], "--format: expected a format from md, docx, html, akn, pdf, found 'odt'"),
    (["--format", "pdf"], "--format: a PDF is made by LibreOffice, but DRAFT_SOFFICE is empty"),
    (["--omit", "staff,admission"], "--omit: expected sections from alternatives, pregnancy, staff, monitoring, "
                                    "found 'admission'"),
    (["--annex-only", "nowhere"], "--annex-only: expected an annex of this directive (application, assessment"),
    (["--jobs", "0"], "--jobs: expected a number of jobs from 1 to 256, found 0"),
    (["--clauses", "nowhere"], "expected a folder of clause files"),
])
def test_bad_options_exit_2(invoke, write, tmp_path, args, expected):
    answers = write("r.yaml", MINIMAL)
    result = invoke("build", answers, "--out", tmp_path / "out", *args)
    assert result.exit_code == 2 and expected in result.stderr, result.output
    assert not (tmp_path / "out").exists()


def test_output_path_through_a_file_is_refused(invoke, write, tmp_path):
    answers = write("r.yaml", MINIMAL)
    blocker = write("file", "x")
    result = invoke("build", answers, "--out", blocker / "sub")
    assert result.exit_code == 2 and "expected a folder, found a file" in result.stderr


def test_user_text_is_data(write, tmp_path):
    hostile = "{{ 7*7 }} {% raw %} *bold* # 1. <w:p> & _x_"
    answers = write("h.yaml", MINIMAL.replace("Ruritania Prison Service", f"'{hostile}'"))
    api.build([answers], tmp_path, BuildOptions(formats=("md", "docx")))
    text = (tmp_path / "h.en.md").read_text(encoding="utf-8")
    rendered = MarkdownIt("commonmark").render(text)
    assert "{{ 7*7 }} {% raw %} *bold* # 1. &lt;w:p&gt; &amp; _x_" in rendered
    document = docx.Document(str(tmp_path / "h.en.docx"))
    assert any(hostile in p.text for p in document.paragraphs)


def test_without_soffice_pdf_names_the_packages(tmp_path, monkeypatch, invoke):
    monkeypatch.setenv("DRAFT_SOFFICE", str(tmp_path / "no-such-soffice"))
    answers = tmp_path / "r.yaml"
    answers.write_text(MINIMAL, encoding="utf-8")
    result = invoke("build", answers, "--format", "docx,pdf", "--out", tmp_path / "out")
    assert result.exit_code == 2
    assert "apt-get install libreoffice-writer-nogui python3-uno" in result.stderr
    assert f"DRAFT_SOFFICE names no program: {tmp_path / 'no-such-soffice'}" in result.stderr
    assert not (tmp_path / "out").exists()


def test_docx_alone_without_soffice_says_once_that_word_fills_the_page_numbers(tmp_path, monkeypatch, invoke):
    monkeypatch.setenv("DRAFT_SOFFICE", str(tmp_path / "no-such-soffice"))
    for name in ("a", "b"):
        (tmp_path / f"{name}.yaml").write_text(MINIMAL, encoding="utf-8")
    result = invoke("build", tmp_path / "a.yaml", tmp_path / "b.yaml", "--format", "docx", "--out", tmp_path / "out")
    assert result.exit_code == 0
    assert result.stderr.count("Word fills them in when the file is opened") == 1
    document = docx.Document(str(tmp_path / "out" / "a.en.docx"))
    assert document.settings.element.find(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}updateFields") is not None
