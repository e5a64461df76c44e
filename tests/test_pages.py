"""The pages of the directive as LibreOffice lays them out: every example in every language is built once,
.docx and PDF, with one soffice for the whole batch; then the .docx is exported as text (one more soffice
for all of them) and the PDFs are read with poppler. A title page without furniture, the contents with
their page numbers, the body and every annex on a new page, the paper size, the signature block and the
final provisions, an outline that follows the headings, a letterhead that keeps "Page X of Y"."""
from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from conftest import EXAMPLES, MINIMAL, with_libreoffice

from toolkit import api, i18n
from toolkit.api import BuildOptions
from toolkit.render import compose, md, office
from toolkit.render.tree import Document, Heading, plain
from toolkit.wording import Wording

LANGS = ("en", "fr", "es")
pytestmark = [pytest.mark.office,
              pytest.mark.skipif(isinstance(office.find(), str), reason="LibreOffice with python3-uno is not "
                                 "installed; .ci/run installs it"),
              pytest.mark.skipif(shutil.which("pdftotext") is None or shutil.which("pdftohtml") is None,
                                 reason="poppler-utils is not installed")]


@dataclass
class Built:
    tree: Document
    docx: bytes
    pages: list[str]            # the PDF's text, page by page
    info: str                   # pdfinfo
    outline: list[tuple[int, str, int]]   # (depth, title, page) of each bookmark of the PDF
    text: str                   # LibreOffice's text export of the .docx


def _outline(pdf: Path) -> list[tuple[int, str, int]]:
    from lxml import etree

    xml = subprocess.run(["pdftohtml", "-xml", "-i", "-stdout", str(pdf)], capture_output=True, check=True).stdout
    root = etree.fromstring(xml, etree.XMLParser(recover=True))
    out: list[tuple[int, str, int]] = []

    def walk(node, depth):
        for child in node:
            if child.tag == "item":
                out.append((depth, "".join(child.itertext()).strip(), int(child.get("page"))))
            elif child.tag == "outline":
                walk(child, depth + 1)

    top = root.find("outline")
    if top is not None:
        walk(top, 0)
    return out


# The fullest document: the drafting notes are Word comments (which LibreOffice's API could not load).
LAID_OUT = BuildOptions(langs=LANGS, formats=("docx", "pdf"), notes=True)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[tuple[str, str], Built]:
    out = tmp_path_factory.mktemp("laid-out")
    sessions = []
    original = office.Session

    class Counted(original):
        def __init__(self, *args, **kwargs):
            sessions.append(self)
            super().__init__(*args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        with_libreoffice(patch)
        patch.setattr(office, "Session", Counted)
        report = api.build(EXAMPLES, out, LAID_OUT)
    assert len(sessions) == 1, "a batch starts one soffice for all its documents"
    assert report.unfilled is None
    words = sorted(out.glob("*.docx"))
    profile = (out / "profile").as_uri()
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation={profile}", "--convert-to",
                    "txt:Text (encoded):UTF8", "--outdir", str(out / "text"), *map(str, words)],
                   check=True, capture_output=True, timeout=600)
    result = {}
    for example in EXAMPLES:
        for lang in LANGS:
            stem = f"{example.stem}.{lang}"
            pdf = out / f"{stem}.pdf"
            text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True,
                                  text=True).stdout
            result[(example.stem, lang)] = Built(
                tree=api.document(api.load_answers(example), lang, LAID_OUT),
                docx=(out / f"{stem}.docx").read_bytes(), pages=text.split("\f")[:-1],
                info=subprocess.run(["pdfinfo", str(pdf)], capture_output=True, check=True, text=True).stdout,
                outline=_outline(pdf),
                text=(out / "text" / f"{stem}.txt").read_text(encoding="utf-8-sig"))
    return result


CASES = [(example.stem, lang) for example in EXAMPLES for lang in LANGS]


def lines(page: str) -> list[str]:
    return [line.strip() for line in page.splitlines() if line.strip()]


def page_label(lang: str, number: int, total: int) -> str:
    pieces = compose.labels(i18n.translator(lang)).page
    return "".join(str(number) if p == compose.PAGE else str(total) if p == compose.PAGES else p for p in pieces)


@pytest.mark.parametrize("case", CASES, ids="-".join)
def test_the_title_page_has_no_furniture_and_every_other_page_has_one_line_of_header(built, case):
    doc = built[case]
    running, total = doc.tree.meta.running, len(doc.pages)
    first = lines(doc.pages[0])
    assert running not in first and not any(page_label(case[1], 1, total) in line for line in first)
    assert plain(doc.tree.title).split()[0] in first[0]
    for number, page in enumerate(doc.pages[1:], 2):
        shown = lines(page)
        assert shown[0] == running, f"page {number}"          # one line: the next line is the text
        assert shown[-1] == page_label(case[1], number, total), f"page {number}"


@pytest.mark.parametrize("case", CASES, ids="-".join)
def test_the_paper_is_a4_or_letter_as_the_answers_choose(built, case):
    paper = api.load_answers(next(e for e in EXAMPLES if e.stem == case[0])).values["paper_size"]
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", built[case].info).groups()
    assert (round(float(size[0])), round(float(size[1]))) == {"a4": (595, 842), "letter": (612, 792)}[paper]
    assert "Tagged:          yes" in built[case].info


@pytest.mark.parametrize("case", CASES, ids="-".join)
def test_the_contents_have_the_page_numbers_of_the_pdf_and_word_is_not_asked_to_update(built, case):
    doc = built[case]
    entries = [(style, text) for style, text in _toc(doc.tree)]
    start = doc.text.index(compose.labels(i18n.translator(case[1])).contents)
    found = re.findall(r"^(.+)\t(\d+)$", doc.text[start:], flags=re.M)[:len(entries)]
    assert [title for title, _page in found] == [text for _style, text in entries]
    headings = {title: page for depth, title, page in doc.outline if depth <= 1}
    assert [int(page) for _title, page in found] == [headings[title] for title, _page in found]
    with zipfile.ZipFile(io.BytesIO(doc.docx)) as package:
        assert b"updateFields" not in package.read("word/settings.xml")
        assert b"<w:commentReference" in package.read("word/document.xml")   # the notes stay in the .docx


@pytest.mark.parametrize("case", CASES, ids="-".join)
def test_the_pdf_shows_the_same_contents_with_the_same_page_numbers(built, case):
    doc = built[case]
    start = doc.text.index(compose.labels(i18n.translator(case[1])).contents)
    in_word = [int(page) for page in re.findall(r"\t(\d+)$", doc.text[start:], flags=re.M)]
    shown = " ".join(doc.pages[1:6])
    # LibreOffice spaces the leader dots of an entry that nearly fills its line: ". . . .61"
    in_pdf = [int(page) for page in re.findall(r"(?:\. ?){4,}\s*(\d+)\s*$", shown, flags=re.M)]
    assert in_pdf == in_word[:len(in_pdf)] and len(in_pdf) == len(list(_toc(doc.tree)))


def _toc(tree: Document):
    for part in tree.parts:
        yield "toc 1", plain(part.title)
        for article in part.articles:
            yield "toc 2", f"{article.number}. {plain(article.title)}"
    for annex in tree.annexes:
        yield "toc 1", plain(annex.title)


@pytest.mark.parametrize("case", CASES, ids="-".join)
def test_the_pdf_outline_follows_the_headings(built, case):
    tree = built[case].tree
    expected = []
    for part in tree.parts:
        expected.append((0, plain(part.title)))
        expected += [(1, f"{a.number}. {plain(a.title)}") for a in part.articles]
    for annex in tree.annexes:
        expected.append((0, plain(annex.title)))
        expected += [(1, plain(b.content)) for b in annex.blocks if isinstance(b, Heading)]
    assert [(depth, title) for depth, title, _page in built[case].outline] == expected


@pytest.mark.parametrize("case", CASES, ids="-".join)
def test_the_body_and_every_annex_start_a_page(built, case):
    doc = built[case]
    office = plain(doc.tree.preamble.office)      # a long office name takes two lines or more
    body = next(n for n, page in enumerate(doc.pages) if office in " ".join(lines(page)))
    assert " ".join(lines(doc.pages[body])[1:]).startswith(office)        # first after the header
    assert "....." in doc.pages[body - 1] and "....." not in doc.pages[body]    # the contents end the page before
    annexes = [(title, page) for depth, title, page in doc.outline if depth == 0][len(doc.tree.parts):]
    assert [title for title, _page in annexes] == [plain(a.title) for a in doc.tree.annexes]
    for title, page in annexes:
        assert " ".join(lines(doc.pages[page - 1])[1:3]).startswith(title.split(" – ")[0]), title


@pytest.mark.parametrize("case", CASES, ids="-".join)
def test_the_final_provisions_and_the_signature_block_close_the_body(built, case):
    doc = built[case]
    text = " ".join(" ".join(lines(page)) for page in doc.pages)
    final = doc.tree.parts[-1]
    assert final.id == "final" and plain(final.title) in [t for d, t, _p in doc.outline if d == 0]
    signature = doc.tree.signature
    for piece in (signature.done, signature.name, signature.office):
        assert plain(piece) in text
    end = text.index(plain(signature.done))
    first_annex = text.index(plain(doc.tree.annexes[0].title), end)
    assert text.index(plain(final.articles[-1].title)) < end < first_annex


@pytest.mark.parametrize("case", CASES, ids="-".join)
def test_the_forms_are_in_the_pdf_filled_from_the_answers(built, case):
    doc = built[case]
    values = api.load_answers(next(e for e in EXAMPLES if e.stem == case[0])).values
    starts = [p for d, _t, p in doc.outline if d == 0]
    decision = next(a for a in doc.tree.annexes if a.id == "decision")
    page = next(p for d, t, p in doc.outline if t == plain(decision.title))
    end = min([p for p in starts if p > page], default=len(doc.pages) + 1)
    shown = " ".join(" ".join(lines(p)[1:-1]) for p in doc.pages[page - 1:end - 1])   # header, footer aside
    wording = Wording(i18n.translator(case[1]), api.questionnaire(), words=values.get("numbers_in_words") is True)
    assert wording.value("appeal_days", values["appeal_days"]) in shown
    assert wording.choice("appeal_body", values["appeal_body"]) in shown
    assert "\u2610" in shown


def test_a_letterhead_build_shows_its_header_the_running_title_and_page_x_of_y(tmp_path):
    from test_word import make_reference

    letterhead = make_reference(tmp_path / "letterhead.docx", footer="Confidential until adopted")
    answers = tmp_path / "r.yaml"
    answers.write_text(MINIMAL, encoding="utf-8")
    api.build([answers], tmp_path / "out", BuildOptions(formats=("docx", "pdf"), reference_docx=letterhead))
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "out" / "r.en.pdf"), "-"], capture_output=True,
                          check=True, text=True).stdout
    pages = [lines(page) for page in text.split("\f")[:-1]]
    assert pages[0][0] == "MINISTRY OF JUSTICE — LETTERHEAD" and "PSI 1/2026" not in pages[0][1]
    assert pages[0][-1] == "Confidential until adopted"
    for number, page in enumerate(pages[1:], 2):
        assert page[:2] == ["MINISTRY OF JUSTICE — LETTERHEAD", "PSI 1/2026"]
        assert page[-2:] == ["Confidential until adopted", f"Page {number} of {len(pages)}"]


def test_a_build_gives_the_same_bytes_again(built, tmp_path):
    example = next(e for e in EXAMPLES if e.stem == "small-service")
    api.build([example], tmp_path, replace(LAID_OUT, langs=("fr",)))
    assert (tmp_path / "small-service.fr.docx").read_bytes() == built[("small-service", "fr")].docx
    first = subprocess.run(["pdftotext", str(tmp_path / "small-service.fr.pdf"), "-"], capture_output=True,
                           check=True).stdout
    assert first.split(b"\f")[:-1] and b"Fait \xc3\xa0 Port Valdor" in first
    assert md.read(md.write(built[("small-service", "fr")].tree, compose.labels(i18n.translator("fr")))) \
        == built[("small-service", "fr")].tree


def test_a_broken_bridge_to_libreoffice_is_a_clear_error_and_writes_nothing(tmp_path, monkeypatch, invoke):
    fake = tmp_path / "python"
    fake.write_text("#!/bin/sh\necho 'ModuleNotFoundError: No module named uno' >&2\nexit 1\n", encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setenv(office.PYTHON_ENV, str(fake))
    answers = tmp_path / "r.yaml"
    answers.write_text(MINIMAL, encoding="utf-8")
    result = invoke("build", answers, "--format", "pdf", "--out", tmp_path / "out")
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "LibreOffice could not lay the document out: LibreOffice stopped (ModuleNotFoundError: No module named " \
           "uno)" in result.stderr and str(tmp_path / "out" / "r.en.pdf") in result.stderr
    assert not list((tmp_path / "out").glob("*"))
    result = invoke("build", answers, "--format", "docx", "--out", tmp_path / "out")
    assert result.exit_code == 2 and f"{tmp_path / 'out' / 'r.en.docx'}: LibreOffice could not" in result.stderr
    assert "--no-layout: the .docx is complete without LibreOffice's layout" in result.stderr
    assert not list((tmp_path / "out").glob("*"))


def test_soffice_is_ended_when_the_build_ends(tmp_path, monkeypatch):
    made = []
    original = office.Session

    class Watched(original):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            made.append(self)

    monkeypatch.setattr(office, "Session", Watched)
    answers = tmp_path / "r.yaml"
    answers.write_text(MINIMAL, encoding="utf-8")
    api.build([answers], tmp_path / "out", BuildOptions(formats=("docx",)))
    (session,) = made
    assert session.soffice.poll() is not None and session.helper.poll() is not None
    assert not session.folder.exists()
