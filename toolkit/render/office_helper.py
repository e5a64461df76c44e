"""LibreOffice's side of the page layout: run by the Python that has LibreOffice's `uno` module (Debian's
/usr/bin/python3 with python3-uno, or LibreOffice's own), never imported by the toolkit.

It connects to a running `soffice --accept=pipe,name=NAME;urp;`, prints one JSON line when ready, then
reads one JSON request per line: {"docx": PATH, "pdf": PATH or null, "prefix": "_Toc"}. For each it loads
the document once, hidden; reads the page of every bookmark whose name starts with the prefix (the
toolkit puts one on each heading its table of contents lists), which the toolkit writes into its own
contents; when a PDF is asked for, writes the same numbers into the contents of the loaded document and
exports it (tagged, with bookmarks from the headings); and answers {"pages": {NAME: PAGE}} or
{"error": TEXT}. Only the standard library and uno are used.
"""
import contextlib
import json
import sys
import time

import uno
from com.sun.star.beans import PropertyValue


def _prop(name, value):
    prop = PropertyValue()
    prop.Name = name
    prop.Value = value
    return prop


def _connect(pipe, timeout):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + timeout
    while True:
        try:
            context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            return context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def _pages(doc, prefix):
    """The page of each bookmark whose name starts with `prefix`, in their order, as the layout places
    them (LibreOffice's own update of a table of contents can number a page or two apart)."""
    bookmarks = doc.getBookmarks()
    names = sorted(name for name in bookmarks.getElementNames() if name.startswith(prefix))
    cursor = doc.getCurrentController().getViewCursor()
    pages = {}
    for name in names:
        cursor.gotoRange(bookmarks.getByName(name).getAnchor(), False)
        pages[name] = cursor.getPage()
    return pages


def _number_contents(doc, pages):
    """Write the page numbers after the tab that ends each entry of the toolkit's table of contents, in
    the order of the bookmarks, as the toolkit writes them into its .docx: the PDF then shows the same
    contents. The entries keep their length (the numbers sit in room kept for them), so no heading
    moves. False when the table is not the toolkit's, one entry per bookmark, each ending with a tab."""
    indexes = doc.getDocumentIndexes()
    if indexes.getCount() != 1:
        return False
    index = indexes.getByIndex(0)
    entries = index.getAnchor().getString().split("\n")
    if len(entries) != len(pages) or not all(entry.endswith("\t") for entry in entries):
        return False
    index.IsProtected = False
    text = doc.getText()
    paragraphs = index.getAnchor().createEnumeration()
    doc.lockControllers()
    try:
        for name in sorted(pages):
            text.insertString(paragraphs.nextElement().getEnd(), str(pages[name]), False)
    finally:
        doc.unlockControllers()
    return True


def _lay_out(desktop, request):
    url = uno.systemPathToFileUrl(request["docx"])
    doc = desktop.loadComponentFromURL(url, "_blank", 0, (_prop("Hidden", True),))
    if doc is None:
        raise RuntimeError("LibreOffice could not open the document")
    try:
        pages = _pages(doc, request.get("prefix", "_Toc"))
        if request.get("pdf"):
            if pages and not _number_contents(doc, pages):
                indexes = doc.getDocumentIndexes()   # not the toolkit's contents: LibreOffice numbers them
                for n in range(indexes.getCount()):
                    indexes.getByIndex(n).update()
            options = uno.Any("[]com.sun.star.beans.PropertyValue", tuple(
                _prop(name, value) for name, value in (("UseTaggedPDF", True), ("ExportBookmarks", True),
                                                       ("ExportNotes", False))))
            arguments = (_prop("FilterName", "writer_pdf_Export"), _prop("FilterData", options))
            uno.invoke(doc, "storeToURL", (uno.systemPathToFileUrl(request["pdf"]), arguments))
        return pages
    finally:
        doc.close(True)


def main():
    pipe, timeout = sys.argv[1], float(sys.argv[2])
    try:
        desktop = _connect(pipe, timeout)
    except Exception as e:
        print(json.dumps({"error": f"{type(e).__name__}: {e}"}), flush=True)
        return
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        try:
            answer = {"pages": _lay_out(desktop, json.loads(line))}
        except Exception as e:
            answer = {"error": f"{type(e).__name__}: {e}"}
        print(json.dumps(answer), flush=True)
    with contextlib.suppress(Exception):   # soffice may already have gone; the toolkit ends it anyway
        desktop.terminate()


if __name__ == "__main__":
    main()
