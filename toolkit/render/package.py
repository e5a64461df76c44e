"""An Open XML package (a .docx) read within bounds, before any library inflates or parses it.

The archive's entries are counted, and each part's size and the total uncompressed checked against
what the archive declares before anything is inflated; a part is never inflated past its declared size
(a lie shows as a damaged archive); an XML part's elements are counted before it is parsed, and a part
that declares a DOCTYPE (entities) or is not well-formed is refused with its name and line.
"""
from __future__ import annotations

import io
import posixpath
import zipfile
import zlib
from pathlib import Path
from urllib.parse import unquote

from lxml import etree

from ..errors import OptionError, Problem
from ..i18n import _
from ..text import shorten

MAX_PARTS = 1000                   # entries of the archive
MAX_PART = 32 * 1024 * 1024        # one part, uncompressed (a logo; a styles part is well under 1 MB)
MAX_TOTAL = 96 * 1024 * 1024       # all parts, uncompressed
MAX_ELEMENTS = 120_000             # tags of one XML part (a rich styles part has about 12,000)
MAX_ALL_ELEMENTS = 600_000         # tags of all XML parts
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


class Archive:
    """The parts of a package, read on demand within the limits; `refuse` makes the error naming the file
    (and the part and line), given as the option `field`."""

    def __init__(self, path: Path, data: bytes, field: str):
        self.path, self.field = path, field
        self.elements = 0
        try:
            self.archive = zipfile.ZipFile(io.BytesIO(data))
            infos = self.archive.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError, NotImplementedError):
            raise self.refuse(_("expected a Word (.docx) file, found something else (not a zip archive)")) from None
        if len(infos) > MAX_PARTS:
            raise self.refuse(_("expected a Word file of at most %(max)s parts, found %(n)s", max=MAX_PARTS,
                                n=len(infos)))
        self.infos: dict[str, zipfile.ZipInfo] = {}
        total = 0
        for info in infos:
            name = info.filename
            if name.lower() in self.infos:
                raise self.refuse(_("expected each part once, found %(part)s twice", part=shorten(name, 80)))
            if info.flag_bits & 0x1:
                raise self.refuse(_("expected a Word file that is not encrypted, found %(part)s encrypted",
                                    part=shorten(name, 80)))
            if info.file_size > MAX_PART:
                raise self.refuse(self._too_large(name, info.file_size))
            total += info.file_size
            if total > MAX_TOTAL:
                raise self.refuse(_("expected at most %(max)s MB of content uncompressed, found more",
                                    max=MAX_TOTAL // 1024 // 1024))
            self.infos[name.lower()] = info

    # -- reading
    def refuse(self, message: str, part: str | None = None, line: int | None = None) -> OptionError:
        if part is not None:
            where = _("%(part)s, line %(line)s", part=part, line=line) if line else part
            message = f"{where}: {message}"
        return OptionError(Problem(message, self.path, field=self.field))

    def _too_large(self, name: str, size: int) -> str:
        return _("%(part)s: expected a part of at most %(max)s MB uncompressed, found %(size)s MB",
                 part=shorten(name, 80), max=MAX_PART // 1024 // 1024, size=round(size / 1e6, 1))

    def has(self, name: str) -> bool:
        return self.entry(name) is not None

    def entry(self, name: str) -> zipfile.ZipInfo | None:
        return self.infos.get(name.lower()) or self.infos.get(unquote(name).lower())

    def raw(self, name: str) -> bytes | None:
        """A part's bytes, never more than the archive declares (and at most MAX_PART), or None."""
        info = self.entry(name)
        if info is None:
            return None
        try:
            with self.archive.open(info) as handle:
                data = handle.read(info.file_size + 1)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError,
                ValueError) as e:
            raise self.refuse(_("expected a Word (.docx) file, found a damaged archive (%(why)s)",
                                why=shorten(str(e), 80)), name) from None
        if len(data) > info.file_size:
            raise self.refuse(self._too_large(name, len(data)))
        return data

    def xml(self, name: str, data: bytes):
        """A part's XML, once it is known to be small enough to parse and to declare no DOCTYPE."""
        tags = data.count(b"<")
        self.elements += tags
        if tags > MAX_ELEMENTS or self.elements > MAX_ALL_ELEMENTS:
            raise self.refuse(_("expected at most %(max)s XML elements, found more", max=MAX_ELEMENTS), name)
        if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
            raise self.refuse(_("expected Word XML, found a document type declaration (<!DOCTYPE>), which Word "
                                "never writes"), name)
        try:
            root = etree.fromstring(data, _PARSER)
        except etree.XMLSyntaxError as e:
            raise self.refuse(_("expected well-formed XML, found %(why)s", why=shorten(e.msg or str(e), 120)),
                              name, e.lineno) from None
        if root.getroottree().docinfo.doctype:
            raise self.refuse(_("expected Word XML, found a document type declaration (<!DOCTYPE>), which Word "
                                "never writes"), name)
        return root

    def content_types(self) -> None:
        """Read [Content_Types].xml: the type of each part, by name or by extension."""
        data = self.raw("[Content_Types].xml")
        if data is None:
            raise self.refuse(_("expected a Word (.docx) file, found a zip archive without [Content_Types].xml"))
        self.defaults, self.overrides = {}, {}
        for item in self.xml("[Content_Types].xml", data):
            tag = item.tag.rsplit("}", 1)[-1] if isinstance(item.tag, str) else ""
            if tag == "Default":
                self.defaults[(item.get("Extension") or "").lower()] = item.get("ContentType") or ""
            elif tag == "Override":
                self.overrides[(item.get("PartName") or "").lstrip("/").lower()] = item.get("ContentType") or ""

    def content_type(self, name: str) -> str:
        key = name.lower()
        return self.overrides.get(key) or self.defaults.get(posixpath.splitext(key)[1].lstrip("."), "")

    def is_xml(self, name: str) -> bool:
        kind = self.content_type(name)
        return kind.endswith("+xml") or kind in ("application/xml", "text/xml") or name.lower().endswith(".xml")
