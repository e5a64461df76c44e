"""The .docx a ministry adopts as it is: read back with python-docx and its XML, and, where LibreOffice
is installed, converted headless and checked as text (numbering labels, footnotes, header, footer).

Builds use a small clause overlay (tests/fixtures/word/clauses) on top of whatever the model library
holds, so every assertion finds its clause by text, never by position.
"""
from __future__ import annotations

import hashlib
import io
import os
import re
import shutil
import subprocess
import sys
import zipfile
from dataclasses import replace
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

import docx
import pytest
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.shared import Cm, Pt
from lxml import etree

from toolkit import api, i18n
from toolkit.errors import DraftError
from toolkit.render import compose, word
from toolkit.render.compose import PAGE, PAGES, Labels

FIXTURES = Path(__file__).parent / "fixtures" / "word"
ANSWERS = FIXTURES / "answers.yaml"
OVERLAY = FIXTURES / "clauses"
ROOT = Path(__file__).parent.parent
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NS = {"w": W[1:-1]}
ADOPTED = datetime(2026, 3, 15, tzinfo=UTC)


def options(**changes) -> api.BuildOptions:
    return api.BuildOptions(formats=("docx",), clauses=OVERLAY, **changes)


@cache
def answers():
    return api.load_answers(ANSWERS)


@cache
def build(**changes) -> bytes:
    return api.render(answers(), "en", "docx", options(**changes))


@cache
def markdown(**changes) -> str:
    return api.render_markdown(answers(), "en", options(**changes))


def api_labels(lang: str) -> Labels:
    return compose.labels(i18n.translator(lang))


def part(data: bytes, name: str):
    """The parsed XML of one package part, or None when the package lacks it."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        if name not in package.namelist():
            return None
        return etree.fromstring(package.read(name))


def open_docx(data: bytes):
    return docx.Document(io.BytesIO(data))


def paragraph(document, pattern: str):
    """The first body paragraph outside the table of contents whose text matches `pattern`."""
    found = [p for p in document.paragraphs if re.search(pattern, p.text) and not p.style.name.startswith("toc")]
    assert found, f"no paragraph matches {pattern!r}"
    return found[0]


def num_pr(paragraph_) -> tuple[int, int] | None:
    numpr = paragraph_._p.find(f"{W}pPr/{W}numPr")
    if numpr is None:
        return None
    return int(numpr.find(f"{W}ilvl").get(f"{W}val")), int(numpr.find(f"{W}numId").get(f"{W}val"))


def list_format(document, style) -> str:
    """The number format (decimal, bullet …) of the first level of the list a paragraph style uses."""
    num_id = style.element.find(f"{W}pPr/{W}numPr/{W}numId").get(f"{W}val")
    numbering = document.part.numbering_part.element
    num = next(n for n in numbering.findall("w:num", NS) if n.get(f"{W}numId") == num_id)
    abstract_id = num.find("w:abstractNumId", NS).get(f"{W}val")
    abstract = next(a for a in numbering.findall("w:abstractNum", NS) if a.get(f"{W}abstractNumId") == abstract_id)
    return abstract.find("w:lvl/w:numFmt", NS).get(f"{W}val")


def footnote_texts(data: bytes) -> dict[int, str]:
    notes = part(data, "word/footnotes.xml")
    if notes is None:
        return {}
    return {int(n.get(f"{W}id")): "".join(n.itertext()).strip()
            for n in notes.findall("w:footnote", NS) if int(n.get(f"{W}id")) > 0}


def markdown_footnotes(text: str) -> dict[str, str]:
    """label → text of the Markdown's footnote definitions, with Markdown escapes removed."""
    return {label: re.sub(r"\\(.)", r"\1", body).strip()
            for label, body in re.findall(r"^\[\^([^\]]+)\]: (.*)$", text, flags=re.M)}


# -- styles and structure ---------------------------------------------------------------------------

def test_title_block_uses_title_and_subtitle_styles():
    document = open_docx(build())
    assert document.paragraphs[0].style.name == "Title"
    assert document.paragraphs[0].text == "Children living in prison with a parent"
    assert document.paragraphs[1].style.name == "Subtitle"
    assert document.paragraphs[1].text == "National Prison Service"


def test_sections_articles_and_paragraphs_use_built_in_styles():
    document = open_docx(build())
    assert paragraph(document, r"^Purpose and principles$").style.name == "Heading 1"
    assert paragraph(document, r"^Purpose$").style.name == "Heading 2"
    assert paragraph(document, r"^This directive governs").style.name == "List Number"
    assert paragraph(document, r"^is not a prisoner;").style.name == "List Number 2"
    assert paragraph(document, r"^Contents$").style.name == "TOC Heading"
    names = {s.name for s in document.styles}
    assert {"footnote text", "footnote reference", "toc 1", "toc 2", "Normal"} <= names


def test_markdown_and_word_have_the_same_structure():
    text, document = markdown(), open_docx(build())
    styles = [p.style.name for p in document.paragraphs]
    assert styles.count("Heading 1") == len(re.findall(r"^## ", text, flags=re.M))
    assert styles.count("Heading 2") == len(re.findall(r"^### \d+\. ", text, flags=re.M))
    assert styles.count("Heading 3") == len(re.findall(r"^### (?!\d+\. )", text, flags=re.M)) > 0   # forms
    levels = [num_pr(p)[0] for p in document.paragraphs if num_pr(p)]
    assert levels.count(1) == len(re.findall(r"^\d+\. ", text, flags=re.M))
    assert levels.count(2) == len(re.findall(r"^ {3}\d+\. ", text, flags=re.M))


def test_legal_numbering_is_one_multilevel_list_in_numbering_xml():
    document = open_docx(build())
    heading = paragraph(document, r"^Purpose$")
    level, num_id = num_pr(heading)
    assert level == 0
    assert num_pr(paragraph(document, r"^This directive governs")) == (1, num_id)
    assert num_pr(paragraph(document, r"^The Governor shall apply it")) == (1, num_id)
    assert num_pr(paragraph(document, r"^is not a prisoner;")) == (2, num_id)
    numbering = document.part.numbering_part.element
    num = next(n for n in numbering.findall("w:num", NS) if n.get(f"{W}numId") == str(num_id))
    abstract_id = num.find("w:abstractNumId", NS).get(f"{W}val")
    abstract = next(a for a in numbering.findall("w:abstractNum", NS) if a.get(f"{W}abstractNumId") == abstract_id)
    assert abstract.find("w:multiLevelType", NS).get(f"{W}val") == "multilevel"
    levels = abstract.findall("w:lvl", NS)
    assert [lvl.find("w:lvlText", NS).get(f"{W}val") for lvl in levels] == ["%1.", "%1.%2", "(%3)"]
    assert [lvl.find("w:numFmt", NS).get(f"{W}val") for lvl in levels] == ["decimal", "decimal", "lowerLetter"]
    assert levels[1].find("w:isLgl", NS) is not None


# -- citations --------------------------------------------------------------------------------------

def test_citations_are_word_footnotes_matching_the_markdown():
    data, text = build(), markdown()
    definitions = markdown_footnotes(text)
    notes = footnote_texts(data)
    assert len(notes) == len(definitions) > 0
    body = part(data, "word/document.xml")
    references = [int(r.get(f"{W}id")) for r in body.iter(f"{W}footnoteReference")]
    assert references == sorted(notes)
    label = re.search(r"This directive governs.*\[\^([^\]]+)\]$", text, flags=re.M).group(1)
    governs = paragraph(open_docx(data), r"^This directive governs")
    ref = governs._p.find(f".//{W}footnoteReference")
    assert notes[int(ref.get(f"{W}id"))] == definitions[label]
    assert "Bangkok Rules" in definitions[label]


@pytest.mark.parametrize("citations", ["annex", "none"])
def test_citations_annex_or_none_leave_no_footnotes(citations):
    data = build(citations=citations)
    assert footnote_texts(data) == {}
    assert part(data, "word/footnotes.xml") is None
    headings = [p.text for p in open_docx(data).paragraphs if p.style.name == "Heading 1"]
    sources = [h for h in headings if "Sources" in h]
    assert bool(sources) == (citations == "annex")


def test_sources_annex_lists_each_article_with_its_pinpoints():
    document = open_docx(build())
    line = paragraph(document, r"\(Purpose\):")
    assert line.style.name == "List Bullet"
    assert "rule 49" in line.text and "3(1)" in line.text


# -- fields, header, footer, language, properties ---------------------------------------------------

def _instructions(element) -> list[str]:
    return [t.text.strip() for t in element.iter(f"{W}instrText")]


def test_table_of_contents_field_shows_the_headings_before_any_update():
    data = build()
    document = open_docx(data)
    assert any(i.startswith('TOC \\o "1-2"') for i in _instructions(part(data, "word/document.xml")))
    entries = [(p.style.name, p.text.removesuffix("\t")) for p in document.paragraphs
               if p.style.name in ("toc 1", "toc 2")]
    sections = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert [t for s, t in entries if s == "toc 1"] == sections
    assert any(re.fullmatch(r"\d+\. Purpose", t) for s, t in entries if s == "toc 2")
    assert document.settings.element.find("w:updateFields", NS).get(f"{W}val") == "true"


def test_header_has_the_reference_and_footer_page_x_of_y_but_not_on_the_title_page():
    data = build()
    section = open_docx(data).sections[0]
    assert [p.text for p in section.header.paragraphs] == ["PSI 7/2026"]
    assert section.header.paragraphs[0].style.name == "Header"
    assert _instructions(section.footer._element) == ["PAGE", "NUMPAGES"]
    assert section.footer.paragraphs[0].text == "Page 1 of 1"
    assert section.different_first_page_header_footer
    assert [p.text for p in section.first_page_header.paragraphs] == [""]
    assert _instructions(section.first_page_footer._element) == []


def test_a_short_title_goes_before_the_reference_in_the_header():
    tree = api.document(answers(), "en", options())
    tree = replace(tree, meta=replace(tree.meta, running="Children in prison — PSI 7/2026"))
    section = open_docx(word.write(tree, api_labels("en"))).sections[0]
    assert [p.text for p in section.header.paragraphs] == ["Children in prison — PSI 7/2026"]


def test_labels_and_language_follow_the_output_language():
    labels = Labels(contents="Table des matières", page=("Page ", PAGE, " sur ", PAGES), drafting_note="Note")
    data = word.write(api.document(answers(), "en", options()), labels, word.WordOptions(lang="fr"))
    document = open_docx(data)
    assert document.sections[0].footer.paragraphs[0].text == "Page 1 sur 1"
    assert paragraph(document, "^Table des matières$").style.name == "TOC Heading"
    styles = part(data, "word/styles.xml")
    assert styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS).get(f"{W}val") == "fr-FR"
    assert document.settings.element.find("w:themeFontLang", NS).get(f"{W}val") == "fr-FR"
    assert document.core_properties.language == "fr-FR"


def test_english_document_language_is_set_for_proofing():
    styles = part(build(), "word/styles.xml")
    assert styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS).get(f"{W}val") == "en-GB"


def test_core_properties_come_from_the_answers():
    props = open_docx(build()).core_properties
    assert props.title == "Children living in prison with a parent"
    assert props.subject == "Republic of Examplia"
    assert props.author == props.last_modified_by == "National Prison Service"
    assert props.language == "en-GB"
    assert props.created == props.modified == ADOPTED
    assert props.last_printed is None
    assert props.comments == props.keywords == props.category == ""
    assert props.revision == 1


def test_no_trace_of_the_generator_or_its_template():
    data = build(notes=True)
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        names = package.namelist()
        text = b"".join(package.read(n) for n in names if n.endswith((".xml", ".rels")))
    assert not [n for n in names if "thumbnail" in n or n.startswith("customXml/") or "stylesWithEffects" in n]
    for trace in (b"python-docx", b"Normal.dotm", b"Microsoft Macintosh Word", b"AppVersion", b"2013-12-23"):
        assert trace not in text, trace
    app = part(data, "docProps/app.xml")
    ep = "{http://schemas.openxmlformats.org/officeDocument/2006/extended-properties}"
    assert app.find(f"{ep}Company").text == "National Prison Service"
    settings = part(data, "word/settings.xml")
    assert settings.find("w:proofState", NS) is None


# -- drafting notes as comments ---------------------------------------------------------------------

def test_notes_become_comments_on_their_article():
    data, text = build(notes=True), markdown(notes=True)
    comments = part(data, "word/comments.xml").findall("w:comment", NS)
    assert len(comments) == len(re.findall(r"^> \*\*Drafting note\.\*\*", text, flags=re.M)) > 0
    assert {c.get(f"{W}date") for c in comments} == {"2026-03-15T00:00:00Z"}
    assert {c.get(f"{W}author") for c in comments} == {"Drafting note"}
    by_text = {"".join(c.itertext()).strip(): c.get(f"{W}id") for c in comments}
    note_id = by_text["The child is never treated as a prisoner."]
    document = open_docx(data)
    heading = paragraph(document, r"^Status of the child$")
    start = heading._p.find(f"{W}commentRangeStart")
    assert start is not None and start.get(f"{W}id") == note_id
    last_item = paragraph(document, r"^keeps every right of a child outside\.")
    assert last_item._p.find(f"{W}commentRangeEnd").get(f"{W}id") == note_id
    # LibreOffice mixes up a comment and the footnote of the same id: comment ids stay clear of them.
    assert min(int(i) for i in by_text.values()) > max(footnote_texts(data))


def test_the_copy_libreoffice_lays_out_has_the_text_without_the_comments():
    from toolkit.render import ooxml

    data = build(notes=True)
    copy = ooxml.without_comments(data)
    body = part(copy, "word/document.xml")
    assert not [e for e in body.iter() if isinstance(e.tag, str) and e.tag.startswith(f"{W}comment")]
    assert [p.text for p in open_docx(copy).paragraphs] == [p.text for p in open_docx(data).paragraphs]
    assert ooxml.without_comments(build()) == build()


def test_without_notes_there_are_no_comments():
    data = build()
    assert part(data, "word/comments.xml") is None
    assert next(part(data, "word/document.xml").iter(f"{W}commentRangeStart"), None) is None


# -- determinism ------------------------------------------------------------------------------------

def test_two_builds_are_byte_identical():
    first = api.render(answers(), "en", "docx", options(notes=True))
    second = api.render(answers(), "en", "docx", options(notes=True))
    assert hashlib.sha256(first).hexdigest() == hashlib.sha256(second).hexdigest()
    with zipfile.ZipFile(io.BytesIO(first)) as package:
        assert {info.date_time for info in package.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def build_in_time_zone(zone: str) -> bytes:
    """The notes build made by a fresh process whose clock runs in `zone`."""
    script = ("import sys; from pathlib import Path; from toolkit import api; "
              "o = api.BuildOptions(formats=('docx',), clauses=Path(sys.argv[2]), notes=True); "
              "sys.stdout.buffer.write(api.render(api.load_answers(Path(sys.argv[1])), 'en', 'docx', o))")
    return subprocess.run([sys.executable, "-c", script, str(ANSWERS), str(OVERLAY)], capture_output=True,
                          env={**os.environ, "TZ": zone}, cwd=ROOT, check=True).stdout


def test_builds_are_identical_in_time_zones_a_day_apart():
    east, west = build_in_time_zone("Pacific/Kiritimati"), build_in_time_zone("Pacific/Pago_Pago")
    assert hashlib.sha256(east).hexdigest() == hashlib.sha256(west).hexdigest()
    assert open_docx(east).core_properties.created == ADOPTED


# -- a user's reference document (letterhead) -------------------------------------------------------

def make_reference(path: Path, footer: str = "") -> Path:
    """A letterhead made in Word's way: own Normal font and size, margins, a header; without a
    numbering part and without some built-in styles the writer needs."""
    document = docx.Document()
    normal = document.styles["Normal"]
    normal.font.name = "Georgia"
    normal.font.size = Pt(13)
    section = document.sections[0]
    section.left_margin, section.top_margin = Cm(3.5), Cm(4)
    section.header.paragraphs[0].text = "MINISTRY OF JUSTICE — LETTERHEAD"
    if footer:
        section.footer.paragraphs[0].text = footer
    document.add_paragraph("Body text of the letterhead")
    for name in ("Title", "Subtitle", "List Number", "List Number 2", "TOC Heading", "Quote"):
        element = document.styles[name].element
        element.getparent().remove(element)
    for rid, rel in list(document.part.rels.items()):
        if rel.reltype == RT.NUMBERING:
            del document.part.rels[rid]
    document.save(str(path))
    with zipfile.ZipFile(path) as package:
        assert "word/numbering.xml" not in package.namelist()
    return path


def test_reference_docx_gives_styles_page_setup_and_header(tmp_path):
    data = api.render(answers(), "en", "docx", options(reference_docx=make_reference(tmp_path / "letterhead.docx")))
    document = open_docx(data)
    assert document.styles["Normal"].font.name == "Georgia"
    assert document.styles["Normal"].font.size == Pt(13)
    section = document.sections[0]
    assert (round(section.left_margin.cm, 2), round(section.top_margin.cm, 2)) == (3.5, 4.0)
    assert [p.text for p in section.header.paragraphs] == ["MINISTRY OF JUSTICE — LETTERHEAD", "PSI 7/2026"]
    assert [p.text for p in section.first_page_header.paragraphs] == ["MINISTRY OF JUSTICE — LETTERHEAD"]
    assert _instructions(section.footer._element) == ["PAGE", "NUMPAGES"]
    assert "Body text of the letterhead" not in [p.text for p in document.paragraphs]
    assert document.paragraphs[0].style.name == "Title"
    assert document.paragraphs[1].style.name == "Subtitle"
    assert paragraph(document, r"^This directive governs").style.name == "List Number"
    assert num_pr(paragraph(document, r"^This directive governs"))[0] == 1
    assert len([s for s in document.styles if s.name == "Normal"]) == 1
    assert list_format(document, paragraph(document, r"\(Purpose\):").style) == "bullet"


def test_reference_docx_footer_is_kept_and_the_page_numbers_follow_it(tmp_path):
    reference = make_reference(tmp_path / "letterhead.docx", footer="Confidential until adopted")
    section = open_docx(api.render(answers(), "en", "docx", options(reference_docx=reference))).sections[0]
    assert [p.text for p in section.footer.paragraphs] == ["Confidential until adopted", "Page 1 of 1"]
    assert [p.text for p in section.first_page_footer.paragraphs] == ["Confidential until adopted"]


def test_a_letterhead_that_numbers_its_pages_and_shows_the_title_keeps_its_own(tmp_path):
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    reference = make_reference(tmp_path / "letterhead.docx", footer="Folio")
    document = docx.Document(str(reference))
    section = document.sections[0]
    for story, field in ((section.header, "TITLE"), (section.footer, "PAGE")):
        story.paragraphs[0]._p.append(parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr=" {field} "><w:r><w:t>1'
                                                '</w:t></w:r></w:fldSimple>'))
    document.save(str(reference))
    section = open_docx(api.render(answers(), "en", "docx", options(reference_docx=reference))).sections[0]
    assert len(section.header.paragraphs) == len(section.footer.paragraphs) == 1
    assert "Page" not in section.footer.paragraphs[0].text


def test_unreadable_reference_docx_is_a_user_error(tmp_path):
    broken = tmp_path / "letterhead.docx"
    broken.write_text("not a zip", encoding="utf-8")
    with pytest.raises(DraftError) as error:
        api.render(answers(), "en", "docx", options(reference_docx=broken))
    assert "letterhead.docx" in str(error.value)


# -- LibreOffice ------------------------------------------------------------------------------------

needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None,
                                   reason="LibreOffice (soffice) is not installed; .ci/run installs it")


def convert(data: bytes, target: str, tmp_path: Path) -> Path:
    """Convert with a LibreOffice profile of this conversion's own, so parallel runs do not collide."""
    source = tmp_path / "directive.docx"
    source.write_bytes(data)
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation={profile}", "--convert-to", target,
                    "--outdir", str(tmp_path), str(source)], check=True, capture_output=True, timeout=120)
    converted = tmp_path / f"directive.{target.split(':')[0]}"
    assert converted.is_file(), f"LibreOffice wrote no {converted.name}"
    return converted


@needs_soffice
def test_libreoffice_text_shows_legal_labels_and_footnote_markers(tmp_path):
    data = build(notes=True)
    text = convert(data, "txt:Text (encoded):UTF8", tmp_path).read_text(encoding="utf-8-sig")
    article = re.search(r"^\s*(\d+)\. Purpose$", text, flags=re.M)
    assert article, text[:2000]
    number = article.group(1)
    governs = paragraph(open_docx(data), r"^This directive governs")
    marker = governs._p.find(f".//{W}footnoteReference").get(f"{W}id")
    assert re.search(rf"^\s*{number}\.1 This directive governs .*\.{marker}$", text, flags=re.M)
    assert re.search(rf"^\s*{number}\.2 The Governor shall apply it", text, flags=re.M)
    assert re.search(r"^\s*\(a\) is not a prisoner;$", text, flags=re.M)
    assert re.search(r"^\s*\(b\) keeps every right", text, flags=re.M)
    contents = text.split("Contents", 1)[1]
    assert re.search(rf"^{number}\. Purpose\t", contents, flags=re.M), "the table of contents is empty"


@needs_soffice
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
def test_libreoffice_pdf_shows_footer_header_and_the_right_footnote(tmp_path):
    data, text = build(notes=True), markdown(notes=True)
    pdf = convert(data, "pdf", tmp_path)
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                           text=True).stdout.split("\f")
    pages = [p for p in pages if p.strip()]
    assert "PSI 7/2026" not in pages[0].replace("Reference: PSI 7/2026", "") and "Page 1" not in pages[0]
    assert re.search(rf"Page 2 of {len(pages)}", pages[1])
    assert all(p.lstrip().startswith("PSI 7/2026") for p in pages[1:])
    label = re.search(r"This directive governs.*\[\^([^\]]+)\]$", text, flags=re.M).group(1)
    note = markdown_footnotes(text)[label]
    page = next(p for p in pages if "This directive governs" in p)
    assert note in " ".join(page.split()), "the footnote under the article is not its citation"


# -- pages a ministry expects -----------------------------------------------------------------------

def _props(p) -> set[str]:
    ppr = p._p.find(f"{W}pPr")
    return set() if ppr is None else {child.tag.removeprefix(W) for child in ppr}


def test_contents_body_and_every_annex_start_a_page_and_the_title_page_stands_alone():
    document = open_docx(build())
    paragraphs = document.paragraphs
    breaks = [p for p in paragraphs if "pageBreakBefore" in _props(p)]
    annexes = [p for p in paragraphs if p.style.name == "Heading 1" and p.text.startswith("Annex ")]
    assert len(annexes) == 7
    assert [p._p for p in breaks] == [p._p for p in (paragraph(document, "^Contents$"),
                                                     paragraph(document, r"^Director General of Prisons,$"), *annexes)]
    assert [p.style.name for p in paragraphs[:6]] == ["Title", "Subtitle", "Normal", "Normal", "Normal", "Normal"]


def test_headings_keep_with_the_next_paragraph_and_lists_are_spaced_as_typeset():
    document = open_docx(build())
    styles = document.styles
    for name in ("Heading 1", "Heading 2", "Heading 3"):
        assert styles[name].paragraph_format.keep_with_next, name
    assert styles["List Number"].paragraph_format.space_after == Pt(6)
    assert styles["List Number 2"].paragraph_format.space_after == Pt(3)
    assert styles["List Number"].element.find(f"{W}pPr/{W}contextualSpacing") is None
    defaults = part(build(), "word/styles.xml").find("w:docDefaults/w:pPrDefault/w:pPr", NS)
    assert defaults.find("w:widowControl", NS) is not None
    introduces = paragraph(document, r"^The child:$") if any(p.text == "The child:" for p in document.paragraphs) \
        else next(p for p in document.paragraphs if p.style.name == "List Number" and p.text.endswith(":"))
    assert "keepNext" in _props(introduces)


def test_the_signature_block_follows_the_last_article_with_a_line_to_sign_on():
    document = open_docx(build())
    paragraphs = document.paragraphs
    done = next(i for i, p in enumerate(paragraphs) if p.text.startswith("Done on "))
    assert "keepNext" in _props(paragraphs[done - 1])            # the last paragraph of the final provisions
    line = paragraphs[done + 1]
    assert line.text == "" and line._p.find(f"{W}pPr/{W}pBdr/{W}bottom") is not None
    assert paragraphs[done + 2].text == "Director General of Prisons"
    assert all("keepNext" in _props(p) for p in paragraphs[done:done + 2])


def _entries(data: bytes):
    body = part(data, "word/document.xml")
    links = list(body.iter(f"{W}hyperlink"))
    marks = {b.get(f"{W}name"): b.getparent() for b in body.iter(f"{W}bookmarkStart")}
    return links, marks, body


def _shown(element) -> str:
    """The text a reader sees in an element: its w:t and its tabs (not field instructions)."""
    return "".join("\t" if node.tag == f"{W}tab" else node.text or "" for node in element.iter(f"{W}t", f"{W}tab"))


def test_each_contents_entry_links_to_its_bookmarked_heading_through_a_page_reference():
    data = build()
    links, marks, body = _entries(data)
    headings = [p for p in body.iter(f"{W}p")
                if p.find(f"{W}pPr/{W}pStyle") is not None
                and p.find(f"{W}pPr/{W}pStyle").get(f"{W}val") in ("Heading1", "Heading2")]
    assert len(links) == len(headings) == len(marks)
    for link, heading in zip(links, headings, strict=True):
        anchor = link.get(f"{W}anchor")
        assert marks[anchor] is heading
        assert _instructions(link) == [f"PAGEREF {anchor} \\h"]
        entry = _shown(link)
        assert entry.endswith("\t") and entry[:-1].endswith(_shown(heading))   # no page number before the layout


def test_page_numbers_written_into_the_contents_remove_the_request_to_update_fields():
    from toolkit.render import ooxml

    data = build()
    links, _marks, _body = _entries(data)
    pages = {link.get(f"{W}anchor"): 10 + n for n, link in enumerate(links)}
    filled = ooxml.fill_page_numbers(data, pages)
    links, _marks, _body = _entries(filled)
    assert [_shown(link).rsplit("\t", 1)[1] for link in links] == [str(10 + n) for n in range(len(links))]
    assert open_docx(filled).settings.element.find("w:updateFields", NS) is None
    assert open_docx(data).settings.element.find("w:updateFields", NS) is not None
    assert ooxml.fill_page_numbers(data, pages) == filled       # the same pages give the same bytes
    assert [p.text for p in open_docx(filled).paragraphs if not p.style.name.startswith("toc")] == \
        [p.text for p in open_docx(data).paragraphs if not p.style.name.startswith("toc")]


def _references(body) -> list[tuple[str, str, etree._Element]]:
    """(bookmark, shown number, paragraph) of every REF field of the body, in order."""
    found = []
    for p in body.iter(f"{W}p"):
        state, instruction, shown = None, "", ""
        for run in p.iter(f"{W}r"):
            char = run.find(f"{W}fldChar")
            if char is not None:
                kind = char.get(f"{W}fldCharType")
                if kind == "begin":
                    state, instruction, shown = "instruction", "", ""
                elif kind == "separate":
                    state = "result"
                elif kind == "end" and state == "result":
                    if (match := re.fullmatch(r"REF (\S+) \\n \\h", instruction.strip())):
                        found.append((match.group(1), shown, p))
                    state = None
                continue
            if state == "instruction":
                instruction += "".join(t.text or "" for t in run.iter(f"{W}instrText"))
            elif state == "result":
                shown += "".join(t.text or "" for t in run.iter(f"{W}t"))
    return found


def test_references_to_articles_are_ref_fields_to_the_heading_of_the_article_they_name():
    """So that Word renumbers them with the articles: each cross-reference of the text, and each entry of
    the sources annex, is a REF field to the bookmark on its article's heading, showing that article's
    number; the Markdown links the same articles in the same order."""
    example = api.load_answers(ROOT / "examples" / "spain.yaml")
    data = api.render(example, "en", "docx", api.BuildOptions(formats=("docx",)))
    _links, marks, body = _entries(data)
    articles = [p for p in body.iter(f"{W}p") if p.find(f"{W}pPr/{W}pStyle") is not None
                and p.find(f"{W}pPr/{W}pStyle").get(f"{W}val") == "Heading2"]
    references = _references(body)
    text = api.render_markdown(example, "en", api.BuildOptions(formats=("md",)))
    linked = re.findall(r"\[(\d+)\]\(#[a-z0-9.-]+\)", text)
    assert references and [shown for _mark, shown, _p in references] == linked
    for mark, shown, _p in references:
        assert str(next(n for n, p in enumerate(articles, 1) if p is marks[mark])) == shown
    paragraphs = list(body.iter(f"{W}p"))
    sources = next(i for i, p in enumerate(paragraphs) if _shown(p).endswith("Sources"))
    in_annex = [p for _mark, _shown, p in references if paragraphs.index(p) > sources]
    assert len(in_annex) == len(articles) - 2   # every article but the formalities that cite nothing
