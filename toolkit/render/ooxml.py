"""Small OOXML helpers python-docx lacks: legal numbering, footnotes, fields, styles, language, stable zips.

Each function changes one well-defined part of the package so Word and LibreOffice open the result
without a repair prompt.
"""
from __future__ import annotations

import io
import zipfile
from copy import deepcopy
from html import escape

from docx.opc.constants import CONTENT_TYPE as CT, RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part, XmlPart
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, nsmap, qn
from lxml import etree
from lxml.etree import SubElement

W14_NS = "http://schemas.microsoft.com/office/word/2010/wordml"
W15_NS = "http://schemas.microsoft.com/office/word/2012/wordml"
# Relationship types python-docx has no constant for (Word 2010+ parts tied to the body or the template).
STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
COMMENT_PARTS = (RT.COMMENTS, "http://schemas.microsoft.com/office/2011/relationships/commentsExtended",
                 "http://schemas.microsoft.com/office/2016/09/relationships/commentsIds",
                 "http://schemas.microsoft.com/office/2018/08/relationships/commentsExtensible")

# Articles "1.", paragraphs "1.1", items "(a)": one multilevel list restarting each level under its parent.
_LEVELS = [
    ("decimal", "%1.", 0, 567, True),
    ("decimal", "%1.%2", 567, 567, True),
    ("lowerLetter", "(%3)", 1134, 567, False),
]


def _add_abstract_num(numbering, abstract) -> int:
    """Give `abstract` the next free abstractNumId, insert it before the first w:num (schema order) and
    return the numId of a new w:num that uses it."""
    used = [int(a.get(qn("w:abstractNumId"))) for a in numbering.findall(qn("w:abstractNum"))]
    abstract_id = max(used, default=-1) + 1
    abstract.set(qn("w:abstractNumId"), str(abstract_id))
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    return numbering.add_num(abstract_id).numId


def add_legal_numbering(document) -> int:
    """Add the article/paragraph/item list definition; return its numId."""
    levels = []
    for ilvl, (fmt, text, left, hanging, legal) in enumerate(_LEVELS):
        levels.append(
            f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
            + ('<w:isLgl/>' if legal and ilvl else "")
            + f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
            f'<w:pPr><w:ind w:left="{left + hanging}" w:hanging="{hanging}"/></w:pPr></w:lvl>'
        )
    abstract = parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="0">'
                         '<w:multiLevelType w:val="multilevel"/>' + "".join(levels) + "</w:abstractNum>")
    return _add_abstract_num(document.part.numbering_part.element, abstract)


# Clark names of the elements the writer creates most, resolved once.
_W = {name: qn(f"w:{name}")
      for name in ("p", "pPr", "pStyle", "numPr", "ilvl", "numId", "val", "r", "rPr", "b", "i", "t", "rStyle",
                   "footnoteReference", "id")}
_XML_SPACE = qn("xml:space")


def new_paragraph(body, before, style: str | None = None, numbering: tuple[int, int] | None = None):
    """A `w:p` with its style id and list (numId, level), inserted before `before` (the body's sectPr) or
    appended: the XML python-docx writes for add_paragraph, a style and a list, without its searches of
    the body and of each property's place in the schema order, which dominate a long directive's time."""
    p = body.makeelement(_W["p"])
    if style is not None or numbering is not None:
        ppr = SubElement(p, _W["pPr"])
        if style is not None:
            SubElement(ppr, _W["pStyle"], {_W["val"]: style})
        if numbering is not None:
            numpr = SubElement(ppr, _W["numPr"])
            SubElement(numpr, _W["ilvl"], {_W["val"]: str(numbering[1])})
            SubElement(numpr, _W["numId"], {_W["val"]: str(numbering[0])})
    if before is not None:
        before.addprevious(p)
    else:
        body.append(p)
    return p


def add_text_run(p, text: str, bold: bool = False, italic: bool = False):
    """A run of `text` at the end of paragraph `p`: the XML of python-docx's add_run(text) with .bold and
    .italic set, built directly (python-docx feeds the text through a state machine one character at a
    time). Tabs and line breaks still go through python-docx, which turns them into w:tab and w:br."""
    r = SubElement(p, _W["r"])
    if bold or italic:
        rpr = SubElement(r, _W["rPr"])
        if bold:
            SubElement(rpr, _W["b"])
        if italic:
            SubElement(rpr, _W["i"])
    if not text:
        return r
    if "\t" in text or "\n" in text or "\r" in text:
        r.text = text
    else:
        t = SubElement(r, _W["t"])
        t.text = text
        if len(text.strip()) < len(text):
            t.set(_XML_SPACE, "preserve")
    return r


_NUM_ID = f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}"


def _copy_list(source, target, num_id: int) -> int | None:
    """Copy the list definition behind `num_id` from one document to another; return its new numId."""
    src = source.part.numbering_part.element
    num = next((n for n in src.findall(qn("w:num")) if n.numId == num_id), None)
    if num is None:
        return None
    abstract_id = num.find(qn("w:abstractNumId")).get(qn("w:val"))
    abstract = next(a for a in src.findall(qn("w:abstractNum")) if a.get(qn("w:abstractNumId")) == abstract_id)
    return _add_abstract_num(target.part.numbering_part.element, deepcopy(abstract))


_STYLE, _STYLE_ID, _NAME, _VAL = qn("w:style"), qn("w:styleId"), qn("w:name"), qn("w:val")


def _name_of(style) -> str | None:
    """A style's name in lower case (Word writes "heading 1", python-docx shows "Heading 1", LibreOffice
    "Footer"); None for a style without one."""
    name = style.find(_NAME)
    value = None if name is None else name.get(_VAL)
    return value.lower() if value else None


def _styles_by(document, attribute: str) -> dict[str, object]:
    """The document's styles by lower-case name, by id, or ("any") by lower-case name and else by
    lower-case id: a letterhead's style may carry Word's name in any case, or only Word's id. One pass
    of lxml's own over the styles part: a letterhead may hold thousands of styles."""
    element = document.styles.element
    found: dict[str, object] = {}
    if attribute in ("id", "any"):
        for style in element.iterfind(_STYLE):
            style_id = style.get(_STYLE_ID)
            if style_id:
                found.setdefault(style_id.lower() if attribute == "any" else style_id, style)
        if attribute == "id":
            return found
    names: dict[str, object] = {}
    for name in element.iterfind(f"{_STYLE}/{_NAME}"):
        value = name.get(_VAL)
        if value:
            names.setdefault(value.lower(), name.getparent())
    found.update(names)
    return found


def relink_style_lists(source, target) -> None:
    """Give each style whose list the target's numbering lacks (a letterhead saved without numbering.xml)
    a copy of the list of the same style in `source`, or no list; a dangling numId would otherwise
    number the annex's bullets with whatever list is added later under that id."""
    defined = {n.numId for n in target.part.numbering_part.element.findall(qn("w:num"))}
    source_names = _styles_by(source, "name")
    for style in target.styles.element.findall(qn("w:style")):
        num_id = style.find(_NUM_ID)
        if num_id is None or int(num_id.get(qn("w:val"))) in defined:
            continue
        twin = source_names.get(_name_of(style))
        twin_id = twin.find(_NUM_ID) if twin is not None else None
        new_id = _copy_list(source, target, int(twin_id.get(qn("w:val")))) if twin_id is not None else None
        if new_id is None:
            num_pr = num_id.getparent()
            num_pr.getparent().remove(num_pr)
        else:
            num_id.set(qn("w:val"), str(new_id))


def copy_styles(source, target, names: list[str]) -> None:
    """Copy styles from `source` into `target` with the styles they are based on, linked to or followed by,
    and the lists they number with. A style the target already has (by name, whatever its id: a German
    Word calls Normal "Standard"; or by id) is reused, never duplicated. Each document's styles are
    indexed once, however many there are (a letterhead may hold thousands)."""
    source_ids, source_names, target_names = _styles_by(source, "id"), _styles_by(source, "name"), \
        _styles_by(target, "name")
    target_ids = {key.lower(): style for key, style in _styles_by(target, "id").items()}
    mapping: dict[str, str] = {}

    def bring(style_id: str) -> str | None:
        if style_id in mapping:
            return mapping[style_id]
        style = source_ids.get(style_id)
        if style is None:
            return None
        existing = target_names.get(_name_of(style))
        if existing is None:
            existing = target_ids.get(style_id.lower())
        if existing is not None:
            mapping[style_id] = existing.get(qn("w:styleId"))
            return mapping[style_id]
        mapping[style_id] = style_id
        copy = deepcopy(style)
        for tag in ("w:basedOn", "w:next", "w:link"):
            ref = copy.find(qn(tag))
            if ref is not None:
                new_id = bring(ref.get(qn("w:val")))
                if new_id is None:
                    copy.remove(ref)
                else:
                    ref.set(qn("w:val"), new_id)
        num_id = copy.find(_NUM_ID)
        if num_id is not None:
            new_num = _copy_list(source, target, int(num_id.get(qn("w:val"))))
            num_id.set(qn("w:val"), str(new_num or 0))
        target.styles.element.append(copy)
        target_names[_name_of(copy)] = target_ids[style_id.lower()] = copy
        return style_id

    for name in names:
        style = source_names.get(name.lower())
        if style is not None:
            bring(style.get(_STYLE_ID))


def ensure_style(document, style_id: str, name: str, kind: str, xml_body: str, based_on: str | None = None) -> None:
    """Add a built-in style neither the template nor the default has (Word recognises it by its name).

    `based_on` is a style name, resolved to whatever id the document gives it."""
    known = _styles_by(document, "any")
    if name.lower() in known or style_id.lower() in known:
        return
    parent = known.get((based_on or "").lower())
    base = f'<w:basedOn w:val="{parent.get(qn("w:styleId"))}"/>' if parent is not None else ""
    document.styles.element.append(parse_xml(
        f'<w:style {nsdecls("w")} w:type="{kind}" w:styleId="{style_id}"><w:name w:val="{name}"/>{base}'
        f'{xml_body}</w:style>'))


_LOWER = "translate({}, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')"
_FIRST_NAMED = etree.XPath(f"(w:style[{_LOWER.format('w:name/@w:val')} = $name])[1]", namespaces=nsmap)
_FIRST_WITH_ID = etree.XPath(f"(w:style[{_LOWER.format('@w:styleId')} = $name])[1]", namespaces=nsmap)


def style_id(document, name: str) -> str | None:
    """The id style_ids gives a lower-case `name`, found by lxml's XPath without visiting every style (a
    letterhead may hold thousands)."""
    element = document.styles.element
    for find in (_FIRST_NAMED, _FIRST_WITH_ID):
        found = find(element, name=name)
        if found:
            return found[0].get(_STYLE_ID) or None
    return None


def style_ids(document) -> dict[str, str]:
    """Every style id by lower-case style name, and by its own id in lower case where no style has that
    name, read in one pass over the styles part."""
    return {key: style.get(qn("w:styleId")) for key, style in _styles_by(document, "any").items()
            if style.get(qn("w:styleId"))}


# python-docx refuses a core property (title, subject, author …) of more than 255 characters, as Word's
# dialogs do; the answers may hold up to 2,000.
MAX_PROPERTY = 255


def property_text(value: str) -> str:
    """A document property at most MAX_PROPERTY characters long: cut at a word where one is near the
    limit, an ellipsis marking the cut."""
    if len(value) <= MAX_PROPERTY:
        return value
    cut = value[: MAX_PROPERTY - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > MAX_PROPERTY - 40 else cut).rstrip() + "…"


FOOTNOTES_XML = (
    f'<w:footnotes {nsdecls("w", "r")}>'
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/>'
    '</w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" w:line="240" '
    'w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
    "</w:footnotes>"
)


class Footnotes:
    """The footnotes part of a document, created on first use; a template's own notes are dropped."""

    def __init__(self, document, text_style: str = "FootnoteText", reference_style: str = "FootnoteReference"):
        self.document = document
        self.text_style = text_style
        self.reference_style = reference_style
        self._element = None
        self._note = None    # an empty footnote, parsed once and copied for each note
        self.count = 0

    @property
    def element(self):
        if self._element is None:
            part = self.document.part
            for rel in part.rels.values():
                if rel.reltype == RT.FOOTNOTES:
                    self._element = rel.target_part.element
                    for note in self._element.findall(qn("w:footnote")):
                        if int(note.get(qn("w:id"))) > 0:
                            self._element.remove(note)
                    break
            else:
                footnotes = XmlPart(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, parse_xml(FOOTNOTES_XML),
                                    part.package)
                part.relate_to(footnotes, RT.FOOTNOTES)
                self._element = footnotes.element
        return self._element

    def add(self, p, runs: list[tuple[str, dict]]) -> None:
        """Put a footnote reference at the end of paragraph `p` (a `w:p`), with `runs` as the note's text."""
        self.count += 1
        number = str(self.count)
        ref = SubElement(p, _W["r"])
        SubElement(SubElement(ref, _W["rPr"]), _W["rStyle"], {_W["val"]: self.reference_style})
        SubElement(ref, _W["footnoteReference"], {_W["id"]: number})
        if self._note is None:
            self._note = parse_xml(
                f'<w:footnote {nsdecls("w")}><w:p><w:pPr><w:pStyle w:val="{self.text_style}"/></w:pPr>'
                f'<w:r><w:rPr><w:rStyle w:val="{self.reference_style}"/></w:rPr><w:footnoteRef/></w:r>'
                '<w:r><w:t xml:space="preserve"> </w:t></w:r></w:p></w:footnote>')
        note = deepcopy(self._note)
        note.set(_W["id"], number)
        body = note[0]
        for text, fmt in runs:
            add_text_run(body, text, fmt.get("bold", False), fmt.get("italic", False))
        self.element.append(note)


def renumber_comments(document, first: int) -> None:
    """Give the comments ids from `first` on, past every footnote id: LibreOffice (7.4) takes a comment
    for the footnote of the same id and prints another note's text under the page."""
    rel = next((r for r in document.part.rels.values() if r.reltype == RT.COMMENTS), None)
    if rel is None:
        return
    new_ids = {}
    for index, comment in enumerate(rel.target_part.element.findall(qn("w:comment"))):
        new_ids[comment.get(qn("w:id"))] = str(first + index)
        comment.set(qn("w:id"), new_ids[comment.get(qn("w:id"))])
    for marker in document.element.body.iter(qn("w:commentRangeStart"), qn("w:commentRangeEnd"),
                                             qn("w:commentReference")):
        marker.set(qn("w:id"), new_ids.get(marker.get(qn("w:id")), marker.get(qn("w:id"))))


def _fld_char(paragraph, kind: str, dirty: bool = False) -> None:
    flag = ' w:dirty="true"' if dirty else ""
    paragraph.add_run()._r.append(parse_xml(f'<w:fldChar {nsdecls("w")} w:fldCharType="{kind}"{flag}/>'))


def begin_field(paragraph, instruction: str) -> None:
    """Open a complex field (PAGE, NUMPAGES, TOC …) that Word recomputes when it opens the file; what
    follows, up to end_field (possibly paragraphs later), is the result shown until then."""
    _fld_char(paragraph, "begin", dirty=True)
    instr = parse_xml(f'<w:instrText {nsdecls("w")} xml:space="preserve"/>')
    instr.text = f" {instruction} "
    paragraph.add_run()._r.append(instr)
    _fld_char(paragraph, "separate")


def end_field(paragraph) -> None:
    _fld_char(paragraph, "end")


def add_field(paragraph, instruction: str, placeholder: str = "") -> None:
    """A complex field within one paragraph, showing `placeholder` until Word updates it."""
    begin_field(paragraph, instruction)
    if placeholder:
        paragraph.add_run(placeholder)
    end_field(paragraph)


def _doc_defaults(document):
    """The styles' w:docDefaults, created first in the styles part if missing."""
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = parse_xml(f'<w:docDefaults {nsdecls("w")}/>')
        styles.insert(0, defaults)
    return defaults


def set_language(document, lang_tag: str) -> None:
    """Proofing language for the whole document (docDefaults) and the theme fonts."""
    defaults = _doc_defaults(document)
    rpr_default = defaults.find(qn("w:rPrDefault"))
    if rpr_default is None:
        rpr_default = parse_xml(f'<w:rPrDefault {nsdecls("w")}/>')
        defaults.insert(0, rpr_default)
    rpr = rpr_default.find(qn("w:rPr"))
    if rpr is None:
        rpr = parse_xml(f'<w:rPr {nsdecls("w")}/>')
        rpr_default.append(rpr)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = parse_xml(f'<w:lang {nsdecls("w")}/>')
        # w:lang comes late in w:rPr: before only these (CT_RPr sequence).
        successor = next((c for c in rpr if c.tag in (qn("w:eastAsianLayout"), qn("w:specVanish"), qn("w:oMath"))),
                         None)
        if successor is not None:
            successor.addprevious(lang)
        else:
            rpr.append(lang)
    lang.set(qn("w:val"), lang_tag)
    lang.set(qn("w:eastAsia"), lang_tag)
    lang.set(qn("w:bidi"), "ar-SA")
    settings = document.settings.element
    theme = settings.find(qn("w:themeFontLang"))
    if theme is None:
        theme = parse_xml(f'<w:themeFontLang {nsdecls("w")}/>')
        _insert_setting(settings, theme)
    theme.set(qn("w:val"), lang_tag)


# Schema order of the w:settings children that matter here (CT_Settings).
_SETTINGS_ORDER = ["writeProtection", "view", "zoom", "removePersonalInformation", "removeDateAndTime",
                   "doNotDisplayPageBoundaries", "displayBackgroundShape", "printPostScriptOverText",
                   "printFractionalCharacterWidth", "printFormsData", "embedTrueTypeFonts", "embedSystemFonts",
                   "saveSubsetFonts", "saveFormsData", "mirrorMargins", "alignBordersAndEdges",
                   "bordersDoNotSurroundHeader", "bordersDoNotSurroundFooter", "gutterAtTop", "hideSpellingErrors",
                   "hideGrammaticalErrors", "activeWritingStyle", "proofState", "formsDesign", "attachedTemplate",
                   "linkStyles", "stylePaneFormatFilter", "stylePaneSortMethod", "documentType", "mailMerge",
                   "revisionView", "trackRevisions", "doNotTrackMoves", "doNotTrackFormatting", "documentProtection",
                   "autoFormatOverride", "styleLockTheme", "styleLockQFSet", "defaultTabStop", "autoHyphenation",
                   "consecutiveHyphenLimit", "hyphenationZone", "doNotHyphenateCaps", "showEnvelope",
                   "summaryLength", "clickAndTypeStyle", "defaultTableStyle", "evenAndOddHeaders",
                   "bookFoldRevPrinting", "bookFoldPrinting", "bookFoldPrintingSheets",
                   "drawingGridHorizontalSpacing", "drawingGridVerticalSpacing", "displayHorizontalDrawingGridEvery",
                   "displayVerticalDrawingGridEvery", "doNotUseMarginsForDrawingGridOrigin",
                   "drawingGridHorizontalOrigin", "drawingGridVerticalOrigin", "doNotShadeFormData",
                   "noPunctuationKerning", "characterSpacingControl", "printTwoOnOne", "strictFirstAndLastChars",
                   "noLineBreaksAfter", "noLineBreaksBefore", "savePreviewPicture", "doNotValidateAgainstSchema",
                   "saveInvalidXml", "ignoreMixedContent", "alwaysShowPlaceholderText", "doNotDemarcateInvalidXml",
                   "saveXmlDataOnly", "useXSLTWhenSaving", "saveThroughXslt", "showXMLTags",
                   "alwaysMergeEmptyNamespace", "updateFields", "hdrShapeDefaults", "footnotePr", "endnotePr",
                   "compat", "docVars", "rsids", "mathPr", "attachedSchema", "themeFontLang", "clrSchemeMapping",
                   "doNotIncludeSubdocsInStats", "doNotAutoCompressPictures", "forceUpgrade", "captions",
                   "readModeInkLockDown", "smartTagType", "schemaLibrary", "shapeDefaults",
                   "doNotEmbedSmartTags", "decimalSymbol", "listSeparator"]


def _insert_setting(settings, element) -> None:
    name = element.tag.split("}")[1]
    rank = _SETTINGS_ORDER.index(name)
    for child in settings:
        child_name = child.tag.split("}")[1] if "}" in child.tag else ""
        if child_name in _SETTINGS_ORDER and _SETTINGS_ORDER.index(child_name) > rank:
            child.addprevious(element)
            return
    settings.append(element)


def widow_control(document) -> None:
    """No first or last line of a paragraph alone at the foot or the head of a page: Word's default,
    which a document must state (a paragraph without it has none)."""
    defaults = _doc_defaults(document)
    ppr_default = defaults.find(qn("w:pPrDefault"))
    if ppr_default is None:
        ppr_default = parse_xml(f'<w:pPrDefault {nsdecls("w")}/>')
        defaults.append(ppr_default)
    add_properties(ppr_default, "<w:widowControl/>")   # in its w:pPr, created if missing


def update_fields_on_open(document) -> None:
    settings = document.settings.element
    if settings.find(qn("w:updateFields")) is None:
        _insert_setting(settings, parse_xml(f'<w:updateFields {nsdecls("w")} w:val="true"/>'))


def forget_template_state(document) -> None:
    """Remove settings that describe the template rather than this document: a proofing state that
    claims the text was already spell-checked, and the template's document ids shared by every copy."""
    settings = document.settings.element
    for tag in (qn("w:proofState"), f"{{{W14_NS}}}docId", f"{{{W15_NS}}}docId"):
        for element in settings.findall(tag):
            settings.remove(element)


def drop_relationships(source, *reltypes: str) -> None:
    """Remove the parts of these relationship types from a part or the package (they are not saved)."""
    for rid, rel in list(source.rels.items()):
        if rel.reltype in reltypes:
            del source.rels[rid]


def set_app_properties(document, company: str) -> None:
    """docProps/app.xml naming only the issuing organisation: no template name, application or counts
    that a template would otherwise leave (they describe another file)."""
    blob = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
            'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
            f'<Company>{escape(company, quote=False)}</Company><ScaleCrop>false</ScaleCrop>'
            '<LinksUpToDate>false</LinksUpToDate>'
            '<SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged><DocSecurity>0</DocSecurity>'
            '</Properties>').encode()
    package = document.part.package
    drop_relationships(package, RT.EXTENDED_PROPERTIES)
    package.relate_to(Part(PackURI("/docProps/app.xml"), CT.OFC_EXTENDED_PROPERTIES, blob, package),
                      RT.EXTENDED_PROPERTIES)


_CONTENT = {qn("w:drawing"), qn("w:pict"), qn("w:object"), qn("w:tbl"), qn("w:fldSimple"), qn("w:instrText")}


def has_content(element) -> bool:
    """Whether a header or footer shows anything: text, a picture (a letterhead logo), a table or a field."""
    return any(node.tag in _CONTENT or (node.tag == qn("w:t") and (node.text or "").strip())
               for node in element.iter())


def stable_zip(data: bytes) -> bytes:
    """The same package with fixed timestamps and attributes, so equal inputs give equal bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    return _zipped((info.filename, source.read(info.filename)) for info in source.infolist())


def saved(document) -> bytes:
    """A python-docx document as stable_zip gives it, its members in the order python-docx saves them,
    compressed once rather than saved compressed, read back and compressed again."""
    from docx.opc.pkgwriter import PackageWriter

    members: list[tuple[str, bytes]] = []

    class Members:   # what python-docx's writer writes to: the members, kept in order
        @staticmethod
        def write(uri, blob: bytes) -> None:
            members.append((uri.membername, blob))

    package = document.part.package
    parts = list(package.parts)
    for part in parts:
        part.before_marshal()
    PackageWriter._write_content_types_stream(Members, parts)
    PackageWriter._write_pkg_rels(Members, package.rels)
    PackageWriter._write_parts(Members, parts)
    return _zipped(members)


def _zipped(members) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in members:
            fixed = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            fixed.create_system = 0
            target.writestr(fixed, data)
    return out.getvalue()


# Schema order of the w:pPr children (CT_PPr): a property goes before every one that follows it here.
_PPR_ORDER = ["pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
              "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
              "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid",
              "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc", "textDirection",
              "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange"]


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def add_properties(p, *xml: str) -> None:
    """Paragraph properties (`<w:keepNext/>`, `<w:jc w:val="center"/>` …) put in their schema order."""
    ppr = p.find(_W["pPr"])
    if ppr is None:
        ppr = p.makeelement(_W["pPr"])
        p.insert(0, ppr)
    for source in xml:
        element = parse_xml(_with_ns(source))
        rank = _PPR_ORDER.index(_local(element.tag))
        existing = ppr.find(element.tag)
        if existing is not None:
            ppr.remove(existing)
        later = next((c for c in ppr if _local(c.tag) in _PPR_ORDER and _PPR_ORDER.index(_local(c.tag)) > rank), None)
        if later is not None:
            later.addprevious(element)
        else:
            ppr.append(element)


def _with_ns(source: str) -> str:
    """An XML fragment whose first element declares the w namespace."""
    name_end = next(i for i, c in enumerate(source) if c in " />")
    return f"{source[:name_end]} {nsdecls('w')}{source[name_end:]}"


def bookmark(p, number: int, name: str) -> None:
    """A bookmark around the whole text of paragraph `p`: what the contents' page references point at."""
    start = p.makeelement(qn("w:bookmarkStart"), {qn("w:id"): str(number), qn("w:name"): name})
    ppr = p.find(_W["pPr"])
    if ppr is not None:
        ppr.addnext(start)
    else:
        p.insert(0, start)
    SubElement(p, qn("w:bookmarkEnd"), {qn("w:id"): str(number)})


def _field(parent, instruction: str, result: str, deleted: bool = False) -> None:
    """A complex field at the end of `parent`: its instruction (as deleted text when `deleted`) and its
    result already written, so that a viewer that updates no field shows it."""
    for kind, text in (("begin", None), (None, instruction), ("separate", None)):
        run = SubElement(parent, _W["r"])
        if kind:
            SubElement(run, qn("w:fldChar"), {qn("w:fldCharType"): kind})
        else:
            instr = SubElement(run, qn("w:delInstrText" if deleted else "w:instrText"))
            instr.text = text
            instr.set(_XML_SPACE, "preserve")
    if result:
        add_text_run(parent, result)
    SubElement(SubElement(parent, _W["r"]), qn("w:fldChar"), {qn("w:fldCharType"): "end"})


def add_reference(p, target: str, label: str) -> None:
    """A reference to the numbered heading bookmarked `target`: a REF field giving its number as the
    numbering shows it, without the trailing period (\\n), as a link (\\h), its result `label` already
    written. Word recomputes it when the articles are renumbered."""
    _field(p, f" REF {target} \\n \\h ", label)


def add_contents_entry(p, text: str, target: str, page: str = "", link: bool = True, deleted: bool = False) -> None:
    """One line of the table of contents as Word writes it: a link to the heading's bookmark holding its
    text, a tab, and a PAGEREF field whose result is the page number (empty until it is known). With
    `link` false, the text, tab and field go into `p` itself (a link or a revision already made);
    `deleted` writes the field's instruction as deleted text."""
    link = SubElement(p, qn("w:hyperlink"), {qn("w:anchor"): target, qn("w:history"): "1"}) if link else p
    if text:
        add_text_run(link, text)
    SubElement(SubElement(link, _W["r"]), qn("w:tab"))
    _field(link, f" PAGEREF {target} \\h ", page, deleted)


def new_table(parent, before, style: str | None, widths: list[int]):
    """A `w:tbl` the width of the text, its columns in proportion to `widths`, inserted before `before`."""
    total = sum(widths) or 1
    props = (f'<w:tblPr>{f"<w:tblStyle w:val={chr(34)}{style}{chr(34)}/>" if style else ""}'
             '<w:tblW w:w="5000" w:type="pct"/><w:tblLayout w:type="fixed"/>'
             '<w:tblCellMar><w:top w:w="45" w:type="dxa"/><w:left w:w="85" w:type="dxa"/>'
             '<w:bottom w:w="45" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar>'
             '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" '
             'w:noHBand="0" w:noVBand="1"/></w:tblPr>')
    grid = "".join(f'<w:gridCol w:w="{round(9000 * w / total)}"/>' for w in widths)
    table = parse_xml(f'<w:tbl {nsdecls("w")}>{props}<w:tblGrid>{grid}</w:tblGrid></w:tbl>')
    if before is not None:
        before.addprevious(table)
    else:
        parent.append(table)
    return table


def add_row(table, widths: list[int], header: bool = False, height: int | None = None, shade: tuple[int, ...] = ()):
    """A row of empty cells (each cell a `w:tc` with no paragraph yet); the heading row repeats on every
    page a table spans, no row breaks across pages, `height` is the least height in twentieths of a point,
    and the cells at the positions in `shade` are grey (a form's labels, a table's headings)."""
    total = sum(widths) or 1
    row = SubElement(table, qn("w:tr"))
    props = SubElement(row, qn("w:trPr"))
    SubElement(props, qn("w:cantSplit"))
    if height:
        SubElement(props, qn("w:trHeight"), {qn("w:val"): str(height), qn("w:hRule"): "atLeast"})
    if header:
        SubElement(props, qn("w:tblHeader"))
    cells = []
    for index, width in enumerate(widths):
        cell = SubElement(row, qn("w:tc"))
        cell_props = SubElement(cell, qn("w:tcPr"))
        SubElement(cell_props, qn("w:tcW"), {qn("w:w"): str(round(5000 * width / total)), qn("w:type"): "pct"})
        if index in shade:
            SubElement(cell_props, qn("w:shd"), {qn("w:val"): "clear", qn("w:color"): "auto", qn("w:fill"): "EDEDED"})
        cells.append(cell)
    return cells


def fill_page_numbers(data: bytes, pages: dict[str, int]) -> bytes:
    """The same package with the page of each heading written into the table of contents (the result of
    each entry's PAGEREF field), and without the request to update fields on opening: they are filled."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        body = etree.fromstring(package.read("word/document.xml"))
        settings = etree.fromstring(package.read("word/settings.xml"))
    for link in body.iter(qn("w:hyperlink")):
        page = pages.get(link.get(qn("w:anchor"), ""))
        chars = link.findall(f"{_W['r']}/{qn('w:fldChar')}")
        if page is None or len(chars) < 3:
            continue
        separate, end = chars[-2].getparent(), chars[-1].getparent()
        while separate.getnext() is not end:
            link.remove(separate.getnext())
        result = link.makeelement(_W["r"])
        SubElement(result, _W["t"]).text = str(page)
        end.addprevious(result)
    for element in settings.findall(qn("w:updateFields")):
        settings.remove(element)
    return replace_parts(data, {"word/document.xml": _serialize(body), "word/settings.xml": _serialize(settings)})


def without_comments(data: bytes) -> bytes:
    """The same package with no comment anchored in its body (the comments part stays, unreferenced).
    LibreOffice 7.4 aborts loading, through its API, a .docx whose body holds a comment (any comment,
    python-docx's own included), though it converts one from the command line; comments take no room
    on the page, so the copy LibreOffice lays out leaves them out and the pages are the same."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        body = etree.fromstring(package.read("word/document.xml"))
    anchors = [*body.iter(qn("w:commentRangeStart"), qn("w:commentRangeEnd"), qn("w:commentReference"))]
    if not anchors:
        return data
    for element in anchors:
        run = element.getparent()
        run.remove(element)
        if run.tag == _W["r"] and all(child.tag == qn("w:rPr") for child in run):   # the reference's own run
            run.getparent().remove(run)
    return replace_parts(data, {"word/document.xml": _serialize(body)})


def _serialize(element) -> bytes:
    return etree.tostring(element, xml_declaration=True, encoding="UTF-8", standalone=True)


def replace_parts(data: bytes, parts: dict[str, bytes]) -> bytes:
    """The same package with some parts' bytes replaced: the same entries, order and stable attributes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info, parts.get(info.filename) or source.read(info.filename))
    return out.getvalue()


_CUSTOM_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"   # the format id Word gives user-defined properties


def set_custom_properties(document, properties: dict[str, str]) -> None:
    """docProps/custom.xml with these text properties, in order (Word: File › Properties › Custom;
    LibreOffice: File › Properties › Custom Properties); empty values are left out."""
    rows = "".join(f'<property fmtid="{_CUSTOM_FMTID}" pid="{pid}" name="{escape(name)}">'
                   f"<vt:lpwstr>{escape(value, quote=False)}</vt:lpwstr></property>"
                   for pid, (name, value) in enumerate(((n, v) for n, v in properties.items() if v), 2))
    blob = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
            f'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">{rows}</Properties>'
            ).encode()
    package = document.part.package
    drop_relationships(package, RT.CUSTOM_PROPERTIES)
    package.relate_to(Part(PackURI("/docProps/custom.xml"), CT.OFC_CUSTOM_PROPERTIES, blob, package),
                      RT.CUSTOM_PROPERTIES)


def track_revisions(document) -> None:
    """Turn on Track Changes: what a reviewer edits in a tracked-changes copy is tracked too."""
    settings = document.settings.element
    if settings.find(qn("w:trackRevisions")) is None:
        _insert_setting(settings, parse_xml(f'<w:trackRevisions {nsdecls("w")}/>'))
