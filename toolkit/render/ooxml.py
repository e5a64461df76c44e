"""Small OOXML helpers python-docx lacks: legal numbering, footnotes, fields, language, stable zips.

Each function changes one well-defined part of the package so Word and LibreOffice open the result
without a repair prompt.
"""
from __future__ import annotations

import io
import zipfile
from copy import deepcopy

from docx.opc.constants import CONTENT_TYPE as CT, RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

# Articles "1.", paragraphs "1.1", items "(a)": one multilevel list restarting each level under its parent.
_LEVELS = [
    ("decimal", "%1.", 0, 567, True),
    ("decimal", "%1.%2", 567, 567, True),
    ("lowerLetter", "(%3)", 1134, 567, False),
]


def add_legal_numbering(document, abstract_id: int = 90) -> int:
    """Add the article/paragraph/item list definition; return its numId."""
    numbering = document.part.numbering_part.element
    levels = []
    for ilvl, (fmt, text, left, hanging, legal) in enumerate(_LEVELS):
        levels.append(
            f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
            + ('<w:isLgl/>' if legal and ilvl else "")
            + f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
            f'<w:pPr><w:ind w:left="{left + hanging}" w:hanging="{hanging}"/></w:pPr></w:lvl>'
        )
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
        '<w:multiLevelType w:val="multilevel"/>' + "".join(levels) + "</w:abstractNum>"
    )
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    return numbering.add_num(abstract_id).numId


def set_numbering(paragraph, num_id: int, level: int) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    numpr = ppr.get_or_add_numPr()
    numpr.get_or_add_ilvl().val = level
    numpr.get_or_add_numId().val = num_id


FOOTNOTES_XML = (
    f'<w:footnotes {nsdecls("w", "r")}>'
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/>'
    '</w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" w:line="240" '
    'w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
    "</w:footnotes>"
)


class Footnotes:
    """The footnotes part of a document, created on first use."""

    def __init__(self, document):
        self.document = document
        self._element = None
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

    def add(self, paragraph, runs: list[tuple[str, dict]]) -> None:
        """Put a footnote reference at the end of `paragraph`, with `runs` as the note's text."""
        self.count += 1
        number = self.count
        ref = paragraph.add_run()
        ref._r.append(parse_xml(f'<w:rPr {nsdecls("w")}><w:rStyle w:val="FootnoteReference"/></w:rPr>'))
        ref._r.append(parse_xml(f'<w:footnoteReference {nsdecls("w")} w:id="{number}"/>'))
        note = parse_xml(
            f'<w:footnote {nsdecls("w")} w:id="{number}"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr>'
            '<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteRef/></w:r>'
            '<w:r><w:t xml:space="preserve"> </w:t></w:r></w:p></w:footnote>'
        )
        p = note.find(qn("w:p"))
        for text, fmt in runs:
            p.append(run_xml(text, fmt))
        self.element.append(note)


def run_xml(text: str, fmt: dict | None = None):
    fmt = fmt or {}
    props = ("<w:b/>" if fmt.get("bold") else "") + ("<w:i/>" if fmt.get("italic") else "")
    run = parse_xml(f'<w:r {nsdecls("w")}>' + (f"<w:rPr>{props}</w:rPr>" if props else "") + "<w:t/></w:r>")
    t = run.find(qn("w:t"))
    t.text = text
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return run


def add_field(paragraph, instruction: str, placeholder: str = "") -> None:
    """A complex field (PAGE, NUMPAGES, TOC …) that Word computes when it opens the file."""
    run = paragraph.add_run()
    run._r.append(parse_xml(f'<w:fldChar {nsdecls("w")} w:fldCharType="begin" w:dirty="true"/>'))
    run = paragraph.add_run()
    instr = parse_xml(f'<w:instrText {nsdecls("w")} xml:space="preserve"/>')
    instr.text = f" {instruction} "
    run._r.append(instr)
    paragraph.add_run()._r.append(parse_xml(f'<w:fldChar {nsdecls("w")} w:fldCharType="separate"/>'))
    if placeholder:
        paragraph.add_run(placeholder)
    paragraph.add_run()._r.append(parse_xml(f'<w:fldChar {nsdecls("w")} w:fldCharType="end"/>'))


def set_language(document, lang_tag: str) -> None:
    """Proofing language for the whole document (docDefaults) and the theme fonts."""
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = parse_xml(f'<w:docDefaults {nsdecls("w")}/>')
        styles.insert(0, defaults)
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


def update_fields_on_open(document) -> None:
    settings = document.settings.element
    if settings.find(qn("w:updateFields")) is None:
        _insert_setting(settings, parse_xml(f'<w:updateFields {nsdecls("w")} w:val="true"/>'))


def ensure_style(document, style_id: str, name: str, kind: str, xml_body: str) -> None:
    """Add a built-in style the template lacks (Word recognises it by its name)."""
    styles = document.styles.element
    for style in styles.findall(qn("w:style")):
        if style.get(qn("w:styleId")) == style_id:
            return
    styles.append(parse_xml(
        f'<w:style {nsdecls("w")} w:type="{kind}" w:styleId="{style_id}"><w:name w:val="{name}"/>{xml_body}</w:style>'))


def drop_relationships(document, *reltypes: str) -> None:
    """Remove parts a fresh document should not carry (stylesWithEffects, thumbnail…)."""
    for source in (document.part, document.part.package):
        for rid, rel in list(source.rels.items()):
            if rel.reltype in reltypes or (rel.is_external is False and
                                           str(rel.target_part.partname).endswith(("stylesWithEffects.xml",
                                                                                   "thumbnail.jpeg"))):
                del source.rels[rid]


def stable_zip(data: bytes) -> bytes:
    """The same package with fixed timestamps and attributes, so equal inputs give equal bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            fixed.create_system = 0
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()


def clone(element):
    return deepcopy(element)
