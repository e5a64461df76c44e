"""A letterhead (`--reference-docx`) read safely, before python-docx ever sees it.

A .docx is a zip of XML parts that may come from anywhere, so it is read like any input — a regular
file of at most MAX_FILE bytes — and its archive within the bounds of render/package (parts, sizes,
elements; no DOCTYPE). A section that refers to a header the file lacks, a list numbered with something
other than whole numbers, a page size that is not a measure: each is refused with the part and line,
never a traceback.

What could reach outside the document or run is removed, and the build says so once: external
relationships (a remote image, an attached remote template, links), macros (vbaProject.bin), ActiveX
controls, embedded objects, imported documents, fields that include or link other files (INCLUDETEXT,
INCLUDEPICTURE, LINK, DDE …), a mail-merge data source. Nothing from the letterhead asks Word to update
fields on open. The body is emptied but for its section properties (page setup, header and footer), the
parts only the body used go with it, and a body without section properties gets the default ones. The
result is a clean package of the same styles, page setup, header and footer.
"""
from __future__ import annotations

import io
import os
import posixpath
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from lxml import etree

from .. import inputs
from ..errors import DraftError, OptionError, Problem
from ..i18n import _
from ..text import shorten
from . import package

MAX_FILE = 32 * 1024 * 1024        # the letterhead file (its parts are bounded by render/package)

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
_VML = "urn:schemas-microsoft-com:vml"
_OFFICE = "urn:schemas-microsoft-com:office:office"
_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_WORD_MAINS = {_MAIN, "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
               "application/vnd.ms-word.document.macroEnabled.main+xml",
               "application/vnd.ms-word.template.macroEnabledTemplate.main+xml"}
_DEFAULT_SECTION = (f'<w:sectPr xmlns:w="{W}"><w:pgSz w:w="12240" w:h="15840"/><w:pgMar w:top="1440" '
                    'w:right="1800" w:bottom="1440" w:left="1800" w:header="720" w:footer="720" w:gutter="0"/>'
                    '<w:cols w:space="720"/><w:docGrid w:linePitch="360"/></w:sectPr>')
# Relationship types (the last segment of the type's URI) that run code, embed other programs' content or
# import other documents — each removed with what refers to it — and the words the build's note uses.
_MACROS = {"vbaProject", "wordVbaData", "keyMapCustomizations", "attachedToolbars", "vbaProjectSignature",
           "vbaProjectSignatureAgile", "vbaProjectSignatureV3"}
_CONTROLS = {"control", "activeXControlBinary"}
_OBJECTS = {"oleObject", "package"}
_IMPORTS = {"aFChunk", "subDocument", "frame"}
_MAIL_MERGE = {"mailMergeSource", "mailMergeHeaderSource", "recipientData"}
# Parts of the letterhead a directive has no use for: the writer makes its own notes and properties.
_DROPPED = {"footnotes", "endnotes", "custom-properties", "glossaryDocument"}
# Relationships that only the XML of their part refers to (by r:id): gone with the body that used them.
_REFERENCED = {"image", "hyperlink", "chart", "diagramData", "diagramLayout", "diagramQuickStyle",
               "diagramColors", "diagramDrawing", "video", "audio", "media", "header", "footer"} | _OBJECTS \
    | _CONTROLS | _IMPORTS
# Fields that fetch or link other files, run macros or send commands to a printer.
_FIELDS = {"INCLUDETEXT", "INCLUDEPICTURE", "INCLUDE", "IMPORT", "LINK", "DDE", "DDEAUTO", "DATABASE",
           "MACROBUTTON", "PRINT"}
_SETTINGS_REMOVED = ("attachedTemplate", "linkStyles", "mailMerge", "updateFields")
_WHOLE = re.compile(r"[+-]?\d{1,9}")
_MEASURE = re.compile(r"-?\d{1,9}(\.\d+)?(mm|cm|in|pt|pc|pi)?")
_NUMBERS = {"numId": "val", "abstractNumId": "val", "ilvl": "val", "start": "val", "startOverride": "val",
            "num": "numId", "abstractNum": "abstractNumId", "lvl": "ilvl", "lvlOverride": "ilvl"}
_MEASURES = {"pgSz": ("w", "h"), "pgMar": ("top", "right", "bottom", "left", "header", "footer", "gutter")}


@dataclass(frozen=True)
class Letterhead:
    data: bytes                  # a clean .docx package
    removed: tuple[str, ...]     # what was stripped, in words for the build's note


def load(path: Path) -> Letterhead:
    """The letterhead at `path`, read and cleaned once per version of the file."""
    try:
        info = os.stat(path)
        version = (info.st_mtime_ns, info.st_size)
    except OSError:  # reading it fails the same way, with the message the user needs
        version = None
    return _load(path, version)


def notes(letterhead: Letterhead, path: Path) -> list[str]:
    """What the build tells its reader about the letterhead, once."""
    if not letterhead.removed:
        return []
    return [_("the letterhead %(file)s held what could reach outside the document or run code; the output "
              "leaves out %(what)s", file=path, what=", ".join(letterhead.removed))]


@lru_cache(maxsize=8)
def _load(path: Path, version) -> Letterhead:
    return _Cleaner(path, inputs.read_bytes(path, _("a Word (.docx) file"), MAX_FILE, OptionError)).clean()


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _kind(reltype: str) -> str:
    return reltype.rstrip("/").rsplit("/", 1)[-1]


def _rels_name(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{name}.rels")


class _Cleaner:
    def __init__(self, path: Path, data: bytes):
        self.path = path
        self.removed: list[str] = []
        self.archive = package.Archive(path, data, "--reference-docx")
        self.refuse = self.archive.refuse
        self.raw, self.xml, self.has = self.archive.raw, self.archive.xml, self.archive.has
        self.content_type, self._is_xml = self.archive.content_type, self.archive.is_xml

    def note(self, what: str) -> None:
        if what not in self.removed:
            self.removed.append(what)

    # -- the package
    def clean(self) -> Letterhead:
        self.archive.content_types()
        self.rels: dict[str, object] = {}
        self.parts: dict[str, object] = {}     # name → XML root, or bytes
        self._walk()
        main = self._target("", "officeDocument")
        if main is None or self.content_type(main) not in _WORD_MAINS:
            found = self.content_type(main) if main else _("no main document")
            raise self.refuse(_("expected a Word document, found %(found)s", found=_what(found)))
        self.main = main
        for name, part in list(self.parts.items()):
            if isinstance(part, bytes) and self._is_xml(name):
                self.parts[name] = self.xml(name, part)
        for name, part in self.parts.items():
            if not isinstance(part, bytes) and etree.QName(part).namespace == W:
                self._fields(part)
                self._check_numbers(name, part)
        self._body()
        self._settings()
        self.rels = {source: self.rels[source] for source in self._reachable() if source in self.rels}
        return Letterhead(self._package(), tuple(self.removed))

    def _walk(self) -> None:
        """Read every part the package's relationships reach, removing those that reach outside or run."""
        queue, seen = [""], {""}
        while queue:
            source = queue.pop(0)
            name = _rels_name(source) if source else "_rels/.rels"
            data = self.raw(name)
            if data is None:
                continue
            root = self.xml(name, data)
            removed = set()
            for rel in list(root):
                kind, target = _kind(rel.get("Type") or ""), rel.get("Target") or ""
                why = self._danger(rel, kind)
                if why is not None or kind in _DROPPED:
                    if why:
                        self.note(why)
                    removed.add(rel.get("Id"))
                    root.remove(rel)
                    continue
                part = _resolve(source, target)
                if part is None or not self.has(part):
                    root.remove(rel)  # a relationship to nothing: python-docx would fail on it
                    continue
                part = self.archive.entry(part).filename
                rel.set("Target", "/" + part)
                if part not in seen:
                    seen.add(part)
                    queue.append(part)
                    self.parts[part] = self.raw(part)
            self.rels[source] = root
            if removed and source:
                self._unrefer(source, removed)

    def _danger(self, rel, kind: str) -> str | None:
        """Why a relationship must go, in the words of the build's note, or None."""
        if (rel.get("TargetMode") or "").lower() == "external":
            if kind == "image":
                return _("a remote image")
            if kind == "attachedTemplate":
                return _("an attached template")
            if kind == "hyperlink":
                return _("links to outside the document")
            return _("references to files outside the document")
        if kind in _MACROS:
            return _("macros (vbaProject.bin)")
        if kind in _CONTROLS:
            return _("ActiveX controls")
        if kind in _OBJECTS:
            return _("embedded objects")
        if kind in _IMPORTS:
            return _("imported documents")
        if kind in _MAIL_MERGE:
            return _("a mail merge data source")
        if kind == "attachedTemplate":
            return _("an attached template")
        return None

    def _unrefer(self, source: str, removed: set) -> None:
        """Remove what in `source` refers to a removed relationship: a picture goes whole, a link keeps
        its text, an embedded object or an import goes."""
        data = self.parts.get(source)
        if not isinstance(data, bytes) or not self._is_xml(source):
            return
        root = self.xml(source, data)
        self.parts[source] = root
        for element in list(root.iter(etree.Element)):
            for attribute, value in list(element.attrib.items()):
                if etree.QName(attribute).namespace != R or value not in removed:
                    continue
                gone = _enclosing(element, ("drawing", "pict", "object", "control", "altChunk", "subDoc"))
                if gone is None:
                    del element.attrib[attribute]
                elif gone.getparent() is not None:
                    gone.getparent().remove(gone)

    def _target(self, source: str, kind: str) -> str | None:
        root = self.rels.get(source)
        for rel in root if root is not None else ():
            if _kind(rel.get("Type") or "") == kind:
                return rel.get("Target").lstrip("/")
        return None

    # -- the parts' content
    def _fields(self, root) -> None:
        """Strip the fields that include or link other files, keeping their last result as text, and
        every field's request to be updated on open."""
        for element in root.iter(f"{{{W}}}fldChar", f"{{{W}}}fldSimple"):
            element.attrib.pop(f"{{{W}}}dirty", None)
        found: set[str] = set()
        for simple in list(root.iter(f"{{{W}}}fldSimple")):
            name, parent = _field_name(simple.get(f"{{{W}}}instr") or ""), simple.getparent()
            if name in _FIELDS and parent is not None:
                found.add(name)
                index = parent.index(simple)
                for offset, child in enumerate(list(simple)):
                    parent.insert(index + offset, child)
                parent.remove(simple)
        for element in root.iter(f"{{{_VML}}}*"):  # an old-style picture may name a remote file directly
            for attribute in ("src", f"{{{_OFFICE}}}href"):
                if _remote(element.get(attribute) or ""):
                    del element.attrib[attribute]
                    self.note(_("a remote image"))
        stack: list[dict] = []
        for element in list(root.iter(f"{{{W}}}fldChar", f"{{{W}}}instrText", f"{{{W}}}delInstrText")):
            kind = element.get(f"{{{W}}}fldCharType")
            if _local(element.tag) != "fldChar":
                if stack:
                    stack[-1]["code"].append(element)
            elif kind == "begin":
                stack.append({"marks": [element], "code": []})
            elif kind == "separate" and stack:
                stack[-1]["marks"].append(element)
            elif kind == "end" and stack:
                field = stack.pop()
                name = _field_name("".join(e.text or "" for e in field["code"]))
                if name in _FIELDS:
                    found.add(name)
                    for mark in [*field["marks"], element, *field["code"]]:
                        if mark.getparent() is not None:
                            mark.getparent().remove(mark)
        if found:
            self.note(_("fields that include or link other files (%(names)s)", names=", ".join(sorted(found))))

    def _check_numbers(self, name: str, root) -> None:
        """List numbers and page measures python-docx and the writer read as numbers must be numbers."""
        for element in root.iter(etree.Element):
            local = _local(element.tag)
            attribute = _NUMBERS.get(local)
            if attribute is not None and etree.QName(element).namespace == W:
                value = element.get(f"{{{W}}}{attribute}")
                if value is not None and not _WHOLE.fullmatch(value):
                    raise self.refuse(_("expected a whole number in w:%(attribute)s of w:%(element)s, found %(found)r",
                                        attribute=attribute, element=local, found=shorten(value, 40)), name,
                                      element.sourceline)
            for attribute in _MEASURES.get(local, ()):
                value = element.get(f"{{{W}}}{attribute}")
                if value is not None and not _MEASURE.fullmatch(value):
                    raise self.refuse(_("expected a measure in w:%(attribute)s of w:%(element)s, found %(found)r",
                                        attribute=attribute, element=local, found=shorten(value, 40)), name,
                                      element.sourceline)

    def _body(self) -> None:
        """Empty the body but for its last section properties (or the default ones), drop what only the
        body used, and check that the headers and footers the section names are there."""
        document = self.parts[self.main]
        body = document.find(f"{{{W}}}body")
        if body is None:
            raise self.refuse(_("expected a document body (w:body), found none"), self.main)
        section = body[-1] if len(body) and _local(body[-1].tag) == "sectPr" else etree.fromstring(_DEFAULT_SECTION)
        for child in list(body):
            body.remove(child)
        body.append(section)
        used = {value for element in document.iter(etree.Element) for attribute, value in element.attrib.items()
                if etree.QName(attribute).namespace == R}
        rels = self.rels.get(self.main)
        for rel in list(rels if rels is not None else ()):
            if _kind(rel.get("Type") or "") in _REFERENCED and rel.get("Id") not in used:
                rels.remove(rel)
        kinds = {rel.get("Id"): _kind(rel.get("Type") or "") for rel in (rels if rels is not None else ())}
        for reference in section:
            kind = {"headerReference": "header", "footerReference": "footer"}.get(_local(reference.tag))
            rid = reference.get(f"{{{R}}}id")
            if kind is not None and kinds.get(rid) != kind:
                rid = shorten(str(rid), 20)
                message = (_("expected the header the section refers to (%(id)s), found none in the file", id=rid)
                           if kind == "header" else
                           _("expected the footer the section refers to (%(id)s), found none in the file", id=rid))
                raise self.refuse(message, self.main, reference.sourceline)

    def _settings(self) -> None:
        """No template attached, no mail merge, nothing that asks Word to update fields on open, and no
        reference to the notes the letterhead no longer has."""
        name = self._target(self.main, "settings")
        settings = self.parts.get(name) if name else None
        if settings is None or isinstance(settings, bytes):
            return
        for local in _SETTINGS_REMOVED:
            for element in settings.findall(f"{{{W}}}{local}"):
                settings.remove(element)
        for local in ("footnotePr", "endnotePr"):
            for properties in settings.findall(f"{{{W}}}{local}"):
                for note in properties.findall(f"{{{W}}}{local[:-2]}"):
                    properties.remove(note)

    def _reachable(self) -> list[str]:
        """The sources of relationships still reached from the package, in the order they were read."""
        reached, queue = {""}, [""]
        while queue:
            root = self.rels.get(queue.pop(0))
            for rel in root if root is not None else ():
                part = rel.get("Target").lstrip("/")
                if part not in reached:
                    reached.add(part)
                    queue.append(part)
        return [source for source in self.rels if source in reached] + \
            [part for part in reached if part and part not in self.rels]

    def _package(self) -> bytes:
        """The clean package: the parts still reached, with content types for each, the main document's
        as a document (a template or a macro-enabled file is read as a plain .docx)."""
        parts = [name for name in self._reachable() if name]
        types = etree.Element(f"{{{_CT}}}Types", nsmap={None: _CT})
        etree.SubElement(types, f"{{{_CT}}}Default", Extension="rels",
                         ContentType="application/vnd.openxmlformats-package.relationships+xml")
        for name in parts:
            kind = _MAIN if name == self.main else (self.content_type(name) or "application/octet-stream")
            etree.SubElement(types, f"{{{_CT}}}Override", PartName="/" + name, ContentType=kind)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("[Content_Types].xml", _serialize(types))
            for source, root in self.rels.items():
                if source in ("", *parts):
                    archive.writestr(_rels_name(source) if source else "_rels/.rels", _serialize(root))
            for name in parts:
                part = self.parts[name]
                archive.writestr(name, part if isinstance(part, bytes) else _serialize(part))
        return out.getvalue()


def _serialize(root) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _remote(target: str) -> bool:
    return "://" in target or target.startswith(("\\\\", "//")) or target.lower().startswith("file:")


def _resolve(source: str, target: str) -> str | None:
    """The part a relationship's target names, relative to its source part's folder."""
    if not target or _remote(target):
        return None
    if target.startswith("/"):
        path = target.lstrip("/")
    else:
        path = posixpath.normpath(posixpath.join(posixpath.dirname(source), target))
    return None if path.startswith("..") or path in (".", "") else path


def _enclosing(element, locals_: tuple[str, ...]):
    """The nearest ancestor-or-self of `element` with one of these local names, if any."""
    node = element
    while node is not None:
        if _local(node.tag) in locals_:
            return node
        node = node.getparent()
    return None


def _field_name(code: str) -> str:
    """The name of a field from its code (" INCLUDETEXT  "http://…" \\* MERGEFORMAT" → INCLUDETEXT)."""
    words = code.split()
    return words[0].upper() if words else ""


def _what(content_type: str) -> str:
    """A main part's content type in words: what was given instead of a Word document."""
    if "spreadsheetml" in content_type or "ms-excel" in content_type:
        return _("a spreadsheet")
    if "presentationml" in content_type or "ms-powerpoint" in content_type:
        return _("a presentation")
    return shorten(content_type, 80) if content_type else _("a part without a content type")


@contextmanager
def guard(path: Path | None) -> Iterator[None]:
    """Whatever python-docx or the writer still stumbles on in a letterhead is a message naming it, never a
    traceback (without a letterhead, an error is the toolkit's own and shows as one)."""
    if path is None:
        yield
        return
    try:
        yield
    except DraftError:
        raise
    except Exception as e:
        raise OptionError(Problem(_("expected a Word (.docx) file the toolkit can use, found one it cannot "
                                    "(%(why)s)", why=shorten(f"{type(e).__name__}: {e}", 120)), path,
                                  field="--reference-docx")) from None
