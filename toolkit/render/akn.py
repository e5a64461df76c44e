"""Document tree → Akoma Ntoso 3.0 XML, the form in which legislative systems exchange legal texts.

The directive is an `act` of subtype `directive`: FRBR identification of the work (the jurisdiction's
ISO 3166 code, the adoption date, the reference), of its expression in the output language (an ISO
639-2 code) and of this manifestation; the title block as the preface; parts as sections, articles
and their paragraphs and items, each with an eId of the AKN naming convention (sec_1__art_3__para_2);
citations as authorial notes; the enacting formula as the preamble (its recitals as citations); the
signature block as the conclusions; annexes as attachments, a form's fields and tables as tables. What built it
(toolkit and library versions) is proprietary metadata.

Every node kind of the tree has a method here; a kind this writer does not know is an error, never
silently left out (`UnknownNode`).
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import fields
from typing import ClassVar

from lxml import etree

from ..errors import AnswersError, OptionError, Problem
from ..i18n import _
from .tree import (
    ANNEX_TARGET,
    Annex,
    Article,
    Bullets,
    Citation,
    Content,
    Document,
    Emphasis,
    Fields,
    Heading,
    Item,
    Note,
    Paragraph,
    Part,
    Preamble,
    Ref,
    Signature,
    Table,
    Text,
    plain,
)

NS = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
PROVENANCE_NS = "urn:children-in-prison-directive-toolkit:provenance"
SUBTYPE = "directive"
_ISO_3166 = re.compile(r"[a-z]{2}(-[a-z0-9]{1,3})?")
# ISO 639-1 → ISO 639-2/T, the codes of FRBRlanguage, for the languages a catalog is likely to be started in.
ISO_639_2 = {
    "ar": "ara", "bg": "bul", "bn": "ben", "ca": "cat", "cs": "ces", "da": "dan", "de": "deu", "el": "ell",
    "en": "eng", "es": "spa", "et": "est", "fa": "fas", "fi": "fin", "fr": "fra", "ga": "gle", "he": "heb",
    "hi": "hin", "hr": "hrv", "hu": "hun", "hy": "hye", "id": "ind", "it": "ita", "ja": "jpn", "ka": "kat",
    "km": "khm", "ko": "kor", "lt": "lit", "lv": "lav", "mg": "mlg", "mk": "mkd", "ms": "msa", "mt": "mlt",
    "nl": "nld", "no": "nor", "pl": "pol", "ps": "pus", "pt": "por", "ro": "ron", "ru": "rus", "rw": "kin",
    "sk": "slk", "sl": "slv", "so": "som", "sq": "sqi", "sr": "srp", "sv": "swe", "sw": "swa", "ta": "tam",
    "th": "tha", "tr": "tur", "uk": "ukr", "ur": "urd", "uz": "uzb", "vi": "vie", "zh": "zho", "zu": "zul",
}


class UnknownNode(TypeError):
    """A node of the document tree this writer has no rule for: a new kind of node needs one here."""


def language_code(lang: str) -> str:
    """The ISO 639-2 code of an output language ("fr", "pt_BR" → "fra", "por")."""
    code = ISO_639_2.get(lang.split("_")[0].split("-")[0].lower())
    if code is None:
        raise OptionError(Problem(_("the Akoma Ntoso XML needs the ISO 639-2 code of %(lang)r, which the toolkit "
                                    "does not know", lang=lang), field="--lang"))
    return code


def slug(text: str) -> str:
    """A reference as a component of an FRBR URI: ASCII letters and digits, words joined by dashes."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return "-".join(re.findall(r"[a-z0-9]+", ascii_text)) or "1"


def work_uri(document: Document) -> str:
    meta = document.meta
    return f"/akn/{meta.country}/act/{SUBTYPE}/{meta.date}/{slug(meta.reference)}"


def _tag(name: str) -> str:
    return f"{{{NS}}}{name}"


def _sub(parent, tag: str, text: str | None = None, **attributes: str):
    element = etree.SubElement(parent, _tag(tag), {key.rstrip("_"): value for key, value in attributes.items()})
    if text:
        element.text = text
    return element


def _append_text(element, text: str) -> None:
    """Text at the end of an element's mixed content (after its last child, if any)."""
    if len(element):
        last = element[-1]
        last.tail = (last.tail or "") + text
    else:
        element.text = (element.text or "") + text


class _Writer:
    def __init__(self, document: Document):
        self.document = document
        self.meta = document.meta
        self.work = work_uri(document)
        self.expression = f"{self.work}/{language_code(self.meta.lang)}@{self.meta.date}"
        self.notes = 0              # authorial notes, numbered through the document
        self.drafting_notes: list[Content] = []
        self.targets: dict[str, str] = {}   # a reference's target (clause or annex id) → eId
        self.scope = ""             # the eId of the container whose notes are being written
        self.article_number = 0     # the number of the article being written

    # -- the document, field by field: every field of the tree's Document has a rule
    def write(self) -> bytes:
        document = self.document
        missing = {f.name for f in fields(document)} - set(self.FIELDS)
        if missing:
            raise UnknownNode(f"the Akoma Ntoso writer has no rule for Document.{', Document.'.join(sorted(missing))}")
        self._plan(document)
        root = etree.Element(_tag("akomaNtoso"), nsmap={None: NS})
        act = _sub(root, "act", name=SUBTYPE, contains="originalVersion")
        meta = self.identification(act, self.work, "!main")
        preface = _sub(act, "preface")
        preamble = _sub(act, "preamble")
        body = _sub(act, "body")
        conclusions = _sub(act, "conclusions", eId="conclusions")
        attachments = _sub(act, "attachments")
        parents = {"preface": preface, "preamble": preamble, "body": body, "conclusions": conclusions,
                   "attachments": attachments, "meta": meta}
        for name, (where, rule) in self.FIELDS.items():
            rule(self, parents[where], getattr(document, name))
        self.finish_meta(meta)
        for element in (preface, preamble, conclusions, attachments):
            if not len(element):
                act.remove(element)
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)

    def _plan(self, document: Document) -> None:
        """The eId of every article and annex, so that a reference resolves wherever it stands."""
        for s, part in enumerate(document.parts, 1):
            for article in getattr(part, "articles", ()):   # a node of another kind fails when it is visited
                self.targets[article.id] = f"sec_{s}__art_{article.number}"
        for a, annex in enumerate(document.annexes, 1):
            self.targets[ANNEX_TARGET + annex.id] = f"att_{a}"

    def identification(self, parent, work: str, component: str, title: str | None = None):
        """meta/identification: FRBR work, expression and manifestation of the act or of one attachment."""
        meta_ = self.meta
        meta = _sub(parent, "meta")
        identification = _sub(meta, "identification", source="#issuingAuthority")
        language = language_code(meta_.lang)
        expression = f"{work}/{language}@{meta_.date}"
        frbr = _sub(identification, "FRBRWork")
        _sub(frbr, "FRBRthis", value=f"{work}/{component}")
        _sub(frbr, "FRBRuri", value=work)
        _sub(frbr, "FRBRalias", value=meta_.title if title is None else title, name="title")
        _sub(frbr, "FRBRdate", date=meta_.date, name="adoption")
        _sub(frbr, "FRBRauthor", href="#issuingAuthority")
        _sub(frbr, "FRBRcountry", value=meta_.country)
        _sub(frbr, "FRBRsubtype", value=SUBTYPE)
        _sub(frbr, "FRBRnumber", value=slug(meta_.reference), showAs=meta_.reference)
        frbr = _sub(identification, "FRBRExpression")
        _sub(frbr, "FRBRthis", value=f"{expression}/{component}")
        _sub(frbr, "FRBRuri", value=expression)
        _sub(frbr, "FRBRdate", date=meta_.date, name="adoption")
        _sub(frbr, "FRBRauthor", href="#issuingAuthority")
        _sub(frbr, "FRBRlanguage", language=language)
        frbr = _sub(identification, "FRBRManifestation")
        _sub(frbr, "FRBRthis", value=f"{expression}/{component}.xml")
        _sub(frbr, "FRBRuri", value=f"{expression}.akn")
        _sub(frbr, "FRBRdate", date=meta_.date, name="generation")
        _sub(frbr, "FRBRauthor", href="#issuingAuthority")
        return meta

    def finish_meta(self, meta) -> None:
        """The references every `#…` of the metadata points to, the drafting notes, and what built the file."""
        country = self.meta.country
        references = _sub(meta, "references", source="#issuingAuthority")
        _sub(references, "TLCOrganization", eId="issuingAuthority",
             href=f"/ontology/organization/{country}/{slug(self.meta.author)}", showAs=self.meta.author)
        if self.drafting_notes:
            notes = _sub(meta, "notes", source="#issuingAuthority")
            for n, note in enumerate(self.drafting_notes, 1):
                element = _sub(notes, "note", eId=f"draftingNote_{n}", class_="draftingNote")
                self.inline(_sub(element, "p"), note)
        proprietary = _sub(meta, "proprietary", source="#issuingAuthority")
        etree.SubElement(proprietary, f"{{{PROVENANCE_NS}}}build", {"toolkitVersion": self.meta.toolkit_version,
                                                                   "libraryVersion": self.meta.library_version},
                         nsmap={"toolkit": PROVENANCE_NS})

    # -- the fields of the Document
    def meta_field(self, parent, meta) -> None:
        """The Meta is the FRBR identification, written first."""

    def title(self, preface, content: Content) -> None:
        self.inline(_sub(_sub(preface, "p", class_="title"), "docTitle"), content)

    def authority(self, preface, content: Content) -> None:
        self.inline(_sub(_sub(preface, "p", class_="authority"), "docAuthority"), content)

    def block(self, preface, lines: tuple[Content, ...]) -> None:
        for line in lines:
            self.inline(_sub(preface, "p"), line)

    def parts(self, body, parts: tuple[Part, ...]) -> None:
        for s, part in enumerate(parts, 1):
            self.visit(body, part, f"sec_{s}")

    def preamble(self, preamble, formula: Preamble | None) -> None:
        """The office that issues the directive, what it has regard to (citations), the enacting words."""
        if formula is None:
            return
        self.scope = "preamble"
        self.inline(_sub(preamble, "p", class_="office"), formula.office)
        if formula.recitals:
            citations = _sub(preamble, "citations")
            for recital in formula.recitals:
                self.inline(_sub(_sub(citations, "citation"), "p"), recital)
        self.inline(_sub(_sub(preamble, "formula", name="enactingFormula"), "p"), formula.enacting)

    def signature(self, conclusions, signature: Signature | None) -> None:
        """Place and date, then the signatory's name and office, each a signature."""
        if signature is None:
            return
        self.scope = "conclusions"
        self.inline(_sub(conclusions, "p", class_="done"), signature.done)
        for content in (signature.name, signature.office):
            if content:
                self.inline(_sub(_sub(conclusions, "p"), "signature"), content)

    def annexes(self, attachments, annexes: tuple[Annex, ...]) -> None:
        for a, annex in enumerate(annexes, 1):
            self.visit(attachments, annex, f"att_{a}")

    FIELDS: ClassVar[dict[str, tuple[str, Callable]]] = {
        "meta": ("meta", meta_field), "title": ("preface", title), "authority": ("preface", authority),
        "block": ("preface", block), "preamble": ("preamble", preamble), "parts": ("body", parts),
        "signature": ("conclusions", signature), "annexes": ("attachments", annexes),
    }

    # -- blocks
    def visit(self, parent, node, eid: str) -> None:
        rule = self.BLOCKS.get(type(node))
        if rule is None:
            raise UnknownNode(f"the Akoma Ntoso writer has no rule for a {type(node).__name__}")
        rule(self, parent, node, eid)

    def part(self, parent, part: Part, eid: str) -> None:
        section = _sub(parent, "section", eId=eid)
        self.inline(_sub(section, "heading"), part.title)
        for article in part.articles:
            self.visit(section, article, self.targets[article.id])

    def article(self, parent, article: Article, eid: str) -> None:
        element = _sub(parent, "article", eId=eid)
        _sub(element, "num", f"{article.number}.")
        heading = _sub(element, "heading")
        self.scope, self.article_number = eid, article.number
        self.inline(heading, article.title)
        if article.note:
            self.drafting_notes.append(article.note)
            n = len(self.drafting_notes)
            _sub(heading, "noteRef", href=f"#draftingNote_{n}", marker=str(n), class_="draftingNote")
        for paragraph in article.paragraphs:
            self.visit(element, paragraph, f"{eid}__para_{paragraph.number}")

    def paragraph(self, parent, paragraph: Paragraph, eid: str) -> None:
        element = _sub(parent, "paragraph", eId=eid)
        _sub(element, "num", f"{self.article_number}.{paragraph.number}")
        self.scope = eid
        if not paragraph.items:
            self.inline(_sub(_sub(element, "content"), "p"), paragraph.content)
            return
        self.inline(_sub(_sub(element, "intro"), "p"), paragraph.content)
        for item in paragraph.items:
            self.visit(element, item, f"{eid}__point_{_letter(item.number)}")

    def item(self, parent, item: Item, eid: str) -> None:
        element = _sub(parent, "point", eId=eid)
        _sub(element, "num", f"({_letter(item.number)})")
        self.scope = eid
        self.inline(_sub(_sub(element, "content"), "p"), item.content)

    def annex(self, parent, annex: Annex, eid: str) -> None:
        attachment = _sub(parent, "attachment", eId=eid)
        doc = _sub(attachment, "doc", name="annex")
        self.identification(doc, self.work, f"!{eid}", plain(annex.title))
        self.scope = eid
        self.inline(_sub(_sub(_sub(doc, "preface"), "p", class_="title"), "docTitle"), annex.title)
        body = _sub(doc, "mainBody")
        for n, block in enumerate(annex.blocks, 1):
            self.visit(body, block, f"{eid}__{'list' if isinstance(block, Bullets) else 'table'}_{n}")
        if not len(body):
            _sub(body, "p")

    def heading(self, parent, heading: Heading, eid: str) -> None:
        self.inline(_sub(parent, "p", class_="heading"), heading.content)

    def note(self, parent, note: Note, eid: str) -> None:
        self.inline(_sub(parent, "p"), note.content)

    def bullets(self, parent, bullets: Bullets, eid: str) -> None:
        entries = _sub(parent, "blockList", eId=eid)
        for n, entry in enumerate(bullets.entries, 1):
            self.inline(_sub(_sub(entries, "item", eId=f"{eid}__item_{n}"), "p"), entry)

    def fields(self, parent, fields_: Fields, eid: str) -> None:
        """A form's fields: a row each, the label and the room to fill in (or its boxes to tick)."""
        table = _sub(parent, "table", eId=eid, class_="fields")
        for field in fields_.fields:
            row = _sub(table, "tr")
            self.inline(_sub(_sub(row, "th"), "p"), field.label)
            entry = _sub(row, "td")
            for option in field.options:
                self.inline(_sub(entry, "p", class_="option"), option)
            if not field.options:
                _sub(entry, "p", class_="entry")

    def table(self, parent, table_: Table, eid: str) -> None:
        table = _sub(parent, "table", eId=eid)
        for cells, tag in ((table_.columns, "th"), *((row, "td") for row in table_.rows)):
            row = _sub(table, "tr")
            for cell in cells:
                self.inline(_sub(_sub(row, tag), "p"), cell)

    BLOCKS: ClassVar[dict[type, Callable]] = {Part: part, Article: article, Paragraph: paragraph, Item: item,
                                              Annex: annex, Heading: heading, Note: note, Bullets: bullets,
                                              Fields: fields, Table: table}

    # -- inline content
    def inline(self, element, content: Content) -> None:
        for node in content:
            rule = self.INLINES.get(type(node))
            if rule is None:
                raise UnknownNode(f"the Akoma Ntoso writer has no rule for inline {type(node).__name__}")
            rule(self, element, node)

    def text(self, element, node: Text) -> None:
        _append_text(element, node.text)

    def emphasis(self, element, node: Emphasis) -> None:
        self.inline(_sub(element, "b" if node.strong else "i"), node.children)

    def ref(self, element, node: Ref) -> None:
        target = self.targets.get(node.target)
        if target is None:      # a reference the tree resolved to nothing this document holds: its label only
            _append_text(element, node.label)
            return
        _sub(element, "ref", node.label, href=f"#{target}")

    def citation(self, element, node: Citation) -> None:
        self.notes += 1
        note = _sub(element, "authorialNote", marker=str(self.notes), placement="bottom",
                    eId=f"{self.scope}__authorialNote_{self.notes}")
        self.inline(_sub(note, "p"), node.children)

    INLINES: ClassVar[dict[type, Callable]] = {Text: text, Emphasis: emphasis, Ref: ref, Citation: citation}


def _letter(number: int) -> str:
    """Item 1 → a, 27 → aa: the labels Word gives a lowerLetter list."""
    return chr(ord("a") + (number - 1) % 26) * ((number - 1) // 26 + 1)


def country_problem(country: str | None, file=None) -> Problem | None:
    """What is wrong with the answers' country code for an Akoma Ntoso identification, if anything."""
    if country and _ISO_3166.fullmatch(country):
        return None
    return Problem(_("the Akoma Ntoso XML (--format akn) identifies the directive by its jurisdiction's ISO 3166 "
                     "code: expected country_code in the answers (for example ke, or us-ca), found none"), file,
                   None, "country_code")


def write(document: Document) -> bytes:
    """The Akoma Ntoso XML of a document tree, UTF-8 with an XML declaration."""
    problem = country_problem(document.meta.country)
    if problem is not None:
        raise AnswersError(problem)
    return _Writer(document).write()
