"""One document tree, many writers: the Markdown parses back into the tree it was written from, and the
Word file says, paragraph by paragraph and note by note, what the Markdown says."""
from __future__ import annotations

import io
import re

import docx
import pytest
import yaml
from conftest import EXAMPLES, MINIMAL
from test_hardening import HOSTILE

from toolkit import answers as answers_mod, api, i18n
from toolkit.api import BuildOptions
from toolkit.render import compose, md, word
from toolkit.render.tree import Bullets, Citation, Document, Fields, Heading, Note, Ref, Table, Text, plain

VARIANTS = {
    "footnotes": BuildOptions(),
    "notes and compliance": BuildOptions(notes=True, compliance_annex=True),
    "annex": BuildOptions(citations="annex"),
    "none": BuildOptions(citations="none", notes=True),
}
CASES = [(path, lang, name) for path in EXAMPLES for lang in ("en", "fr", "es") for name in VARIANTS]


def tree_of(path, lang, name) -> Document:
    return api.document(api.load_answers(path), lang, VARIANTS[name])


def labels(lang):
    return compose.labels(i18n.translator(lang))


@pytest.mark.parametrize("path, lang, name", CASES, ids=lambda v: getattr(v, "stem", v))
def test_markdown_parses_back_into_the_same_tree(path, lang, name):
    tree = tree_of(path, lang, name)
    assert md.read(md.write(tree, labels(lang))) == tree


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_text_parses_back_into_the_same_tree(value):
    data = yaml.safe_load(MINIMAL)
    for key in ("jurisdiction", "issuing_authority", "directive_title", "directive_reference", "signing_office"):
        data[key] = value
    answers = answers_mod.validate(api.questionnaire(), data)
    options = BuildOptions(notes=True, compliance_annex=True)
    tree = api.document(answers, "en", options)
    read = md.read(md.write(tree, labels("en")))
    assert read == tree
    assert plain(tree.title) == value.strip() and plain(tree.authority) == value.strip()
    data = api.render(answers, "en", "docx", options, tree)
    document = docx.Document(io.BytesIO(data))
    assert [(p.style.name, p.text) for p in document.paragraphs] == expected_word(read, labels("en"))
    assert [rows(table) for table in document.tables] == expected_tables(read)
    assert word_footnotes(data) == citations(read)


def expected_word(tree: Document, lab: compose.Labels) -> list[tuple[str, str]]:
    """The (style, text) of every body paragraph the Word file must have, read from the tree: the title
    page, the contents (each entry its heading, a tab and a page number still to come), the preamble, the
    articles, the signature block (its signature line an empty paragraph) and the annexes (a paragraph
    before and after each table)."""
    out = [("Title", plain(tree.title)), ("Subtitle", plain(tree.authority))]
    out += [("Normal", plain(line)) for line in tree.block]
    out.append(("TOC Heading", lab.contents))
    for part in tree.parts:
        out.append(("toc 1", plain(part.title) + "\t"))
        out += [("toc 2", f"{a.number}. {plain(a.title)}\t") for a in part.articles]
    out += [("toc 1", plain(annex.title) + "\t") for annex in tree.annexes]
    preamble = tree.preamble
    out += [("Normal", plain(line)) for line in (preamble.office, *preamble.recitals, preamble.enacting)]
    for part in tree.parts:
        out.append(("Heading 1", plain(part.title)))
        for article in part.articles:
            out.append(("Heading 2", plain(article.title)))
            for paragraph in article.paragraphs:
                out.append(("List Number", plain(paragraph.content)))
                out += [("List Number 2", plain(item.content)) for item in paragraph.items]
    signature = tree.signature
    out += [("Normal", plain(signature.done)), ("Normal", "")]
    out += [("Normal", plain(signature.name))] if signature.name else []
    out.append(("Normal", plain(signature.office)))
    for annex in tree.annexes:
        out.append(("Heading 1", plain(annex.title)))
        for block in annex.blocks:
            if isinstance(block, Heading):
                out.append(("Heading 3", plain(block.content)))
            elif isinstance(block, Note):
                out.append(("Normal", plain(block.content)))
            elif isinstance(block, Bullets):
                out += [("List Bullet", plain(entry)) for entry in block.entries]
            else:
                out += [("Normal", ""), ("Normal", "")]   # a thin paragraph before each table, one after
    return out


def rows(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def expected_tables(tree: Document) -> list[list[list[str]]]:
    """The text of every cell of every table of the Word file: a form's fields (label, and a box before
    each option) and the tables of the annexes (heading row first)."""
    out = []
    for block in (b for annex in tree.annexes for b in annex.blocks):
        if isinstance(block, Fields):
            out.append([[plain(f.label), "\n".join(f"{word.BOX} {plain(o)}" for o in f.options)]
                        for f in block.fields])
        elif isinstance(block, Table):
            out.append([[plain(c) for c in row] for row in (block.columns, *block.rows)])
    return out


def citations_of(article) -> list[Citation]:
    return [node for paragraph in article.paragraphs for node in paragraph.content if isinstance(node, Citation)]


def citations(tree: Document) -> list[str]:
    return [plain(node.children) for article in tree.articles() for paragraph in article.paragraphs
            for node in paragraph.content if isinstance(node, Citation)]


@pytest.mark.parametrize("path, lang, name", CASES, ids=lambda v: getattr(v, "stem", v))
def test_word_says_what_the_markdown_says(path, lang, name):
    tree = tree_of(path, lang, name)
    markdown = md.write(tree, labels(lang))
    read = md.read(markdown)           # what a reader of the Markdown gets
    data = api.render(api.load_answers(path), lang, "docx", VARIANTS[name])
    document = docx.Document(io.BytesIO(data))
    assert [(p.style.name, p.text) for p in document.paragraphs] == expected_word(read, labels(lang))
    assert [rows(table) for table in document.tables] == expected_tables(read)
    footnotes = word_footnotes(data)
    assert footnotes == citations(read)
    comments = [c.text for c in document.comments] if VARIANTS[name].notes else []
    assert comments == [plain(a.note) for a in read.articles() if a.note]


def word_footnotes(data: bytes) -> list[str]:
    import zipfile

    from lxml import etree

    ns = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        if "word/footnotes.xml" not in package.namelist():
            return []
        root = etree.fromstring(package.read("word/footnotes.xml"))
    return ["".join(note.itertext()).strip() for note in root.findall("w:footnote", ns)
            if int(note.get(f"{{{ns['w']}}}id")) > 0]


def test_references_carry_the_target_and_its_number():
    tree = tree_of(EXAMPLES[0], "en", "footnotes")
    numbers = {article.id: str(article.number) for article in tree.articles()}
    cited = [article.id for article in tree.articles() if citations_of(article)]
    sources = next(annex for annex in tree.annexes if annex.id == "sources")
    entries = next(block for block in sources.blocks if isinstance(block, Bullets)).entries
    refs = [node for entry in entries for node in entry if isinstance(node, Ref)]
    assert [ref.target for ref in refs] == cited and len(cited) < len(numbers)   # formalities cite nothing
    assert all(numbers[ref.target] == ref.label for ref in refs)
    markdown = md.write(tree, labels("en"))
    first = next(tree.articles())
    assert f'{{id="{first.id}"}}\n### 1. {plain(first.title)}' in markdown
    assert f"[1](#{first.id})" in markdown


def test_the_tree_holds_only_literal_text_where_users_write():
    data = yaml.safe_load(MINIMAL)
    data["jurisdiction"] = "**not bold** [not a link](#general.purpose)"
    tree = api.document(answers_mod.validate(api.questionnaire(), data), "en", BuildOptions())
    assert tree.block[0] == (Text("Jurisdiction: **not bold** [not a link](#general.purpose)"),)


def test_word_writer_reads_no_text_for_structure():
    """Headings, numbering and notes come from the tree: a title that looks like an article heading, a
    list item or a quote stays the text of its paragraph."""
    data = yaml.safe_load(MINIMAL)
    data["directive_title"] = "1. > ## Not a heading"
    data["issuing_authority"] = "**Drafting note.** not a note"
    answers = answers_mod.validate(api.questionnaire(), data)
    tree = api.document(answers, "en", BuildOptions())
    document = docx.Document(io.BytesIO(word.write(tree, labels("en"), word.WordOptions())))
    assert (document.paragraphs[0].style.name, document.paragraphs[0].text) == ("Title", "1. > ## Not a heading")
    assert (document.paragraphs[1].style.name, document.paragraphs[1].text) == ("Subtitle",
                                                                                "**Drafting note.** not a note")


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_html_page_is_standalone_accessible_and_its_links_resolve(path, lang):
    from lxml import html as lxml_html

    tree = api.document(api.load_answers(path), lang, BuildOptions(notes=True))
    page = api.render(api.load_answers(path), lang, "html", BuildOptions(notes=True), tree).decode("utf-8")
    root = lxml_html.document_fromstring(page)
    assert root.get("lang") == lang
    ids = {element.get("id") for element in root.iter() if element.get("id")}
    links = [a.get("href") for a in root.iter("a")]
    assert links and all(href.startswith("#") and href[1:] in ids for href in links)
    notes = root.xpath("//section[@class='footnotes']/ol/li")
    assert [note.text_content().rstrip(" ↩").strip() for note in notes] == citations(tree)
    assert all(note.xpath("a[@class='back']/@href")[0] == f"#fnref-{n}" for n, note in enumerate(notes, 1))
    marks = root.xpath("//sup[starts-with(@id, 'fnref-')]/a")
    assert [a.get("href") for a in marks] == [f"#fn-{n}" for n in range(1, len(notes) + 1)]
    assert [h.text_content() for h in root.xpath("//main//h2")] == [plain(p.title) for p in tree.parts] + \
        [plain(a.title) for a in tree.annexes]
    assert "@media print" in root.xpath("string(//style)")
    assert [h.text_content() for h in root.xpath("//article/h3")] == [f"{a.number}. {plain(a.title)}"
                                                                       for a in tree.articles()]
    assert not root.xpath("//script | //link | //img | //iframe")   # nothing is fetched from anywhere


def test_html_escapes_what_users_write():
    data = yaml.safe_load(MINIMAL)
    data["jurisdiction"] = "<script>alert(1)</script> & \"quotes\""
    answers = answers_mod.validate(api.questionnaire(), data)
    page = api.render(answers, "en", "html", BuildOptions()).decode("utf-8")
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;quotes&#34;" in page


REFERRING = """\
section: general
clauses:
  - id: general.referring
    title: A clause that refers to another
    text:
      - The Director shall apply article %(article:general.purpose)s to every *unit*, at 100%% of its places.
    sources: [bangkok 2(1)]
"""


def overlay_tree(write, tmp_path, text: str, **answers):
    from toolkit import library

    write("ours/general.yaml", text)
    data = {**yaml.safe_load(MINIMAL), **answers}
    values = answers_mod.validate(api.questionnaire(), data)
    lib = library.load(api.questionnaire(), tmp_path / "ours")
    from toolkit.assemble import assemble
    from toolkit.wording import Wording

    return compose.compose(assemble(lib, values), Wording(i18n.translator("en"), api.questionnaire()),
                           compose.Options(forms=api.forms()))


def test_a_reference_reads_as_the_number_of_its_article_and_survives_renumbering(write, tmp_path):
    from toolkit.render.tree import Emphasis

    tree = overlay_tree(write, tmp_path, REFERRING)
    article = next(a for a in tree.articles() if a.id == "general.referring")
    target = next(a for a in tree.articles() if a.id == "general.purpose")
    content = article.paragraphs[0].content
    assert Ref("general.purpose", str(target.number)) in content
    assert Emphasis((Text("unit"),)) in content
    assert plain(content).startswith(f"The Director shall apply article {target.number} to every unit, at 100% of")
    assert f"[{target.number}](#general.purpose)" in md.write(tree, labels("en"))


def test_a_reference_to_an_unknown_clause_is_refused_when_the_library_loads(write, tmp_path):
    from toolkit.errors import LibraryError

    with pytest.raises(LibraryError, match=re.escape("the text refers to an unknown clause 'general.nowhere'")):
        overlay_tree(write, tmp_path, REFERRING.replace("general.purpose", "general.nowhere"))
    with pytest.raises(LibraryError, match="expected a reference such as"):
        overlay_tree(write, tmp_path, REFERRING.replace("article:general.purpose", "annexe:general.purpose"))


def test_a_reference_to_an_article_these_answers_leave_out_is_refused(write, tmp_path):
    from toolkit.errors import LibraryError

    text = REFERRING.replace("general.purpose", "admission.parenting-agreement")
    leaves_out = "refers to admission.parenting-agreement, which these answers leave out"
    with pytest.raises(LibraryError, match=re.escape(leaves_out)):
        overlay_tree(write, tmp_path, text, parenting_agreement=False)
    tree = overlay_tree(write, tmp_path, text, parenting_agreement=True)
    assert any(isinstance(n, Ref) for a in tree.articles() if a.id == "general.referring"
               for n in a.paragraphs[0].content)
