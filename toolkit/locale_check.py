"""What a translator needs to fix, and how far each language has come.

`check` lists every problem as file:line — syntax, untranslated and fuzzy entries, placeholders that
differ from the English (in name or conversion), a lone %, template tags, wrong plural counts, a plural
rule that fails, a folder that names no language — and adds what `msgfmt --check` says when gettext
is installed. Whatever the build would refuse, this reports. `stats` gives the share translated per
language and per section.
"""
from __future__ import annotations

import shutil
import subprocess
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from . import pofile
from .errors import DraftError, Problem
from .i18n import (
    DOMAIN,
    SOURCE_LANGUAGE,
    _,
    languages,
    locale_problem,
    locales_dir,
    plural_function,
    po_path,
    refusal,
)


def catalogs(lang: str | None = None, root: Path | None = None) -> list[Path]:
    root = root or locales_dir()
    langs = [lang] if lang else [x for x in languages(root) if x != SOURCE_LANGUAGE]
    paths = []
    for code in langs:
        path = po_path(code, root)
        if not path.is_file():
            raise DraftError(Problem(_("expected one of %(allowed)s, found %(found)r",
                                       allowed=", ".join(languages(root)[1:]), found=code), field="LANG"))
        paths.append(path)
    return paths


def check_file(path: Path, template: set[tuple[str | None, str]] | None = None) -> list[Problem]:
    try:
        entries = pofile.read(path)
    except DraftError as e:
        return list(e.problems)
    problems: list[Problem] = []
    language = locale_problem(path.parent.parent.name)
    if language is not None:
        problems.append(Problem(language, path))
    try:
        plural_function(entries, path)
    except DraftError as e:
        problems += e.problems
    nplurals = pofile.plural_count(entries)
    seen = set()
    for entry in entries:
        if entry.msgid == "" and entry.msgctxt is None:
            continue
        seen.add((entry.msgctxt, entry.msgid))
        where = {"file": path, "line": entry.line}
        label = _label(entry.msgctxt, entry.msgid)
        if entry.fuzzy:
            problems.append(Problem(_("fuzzy (the English changed; review and remove the fuzzy flag): %(m)s", m=label),
                                    **where))
        if not entry.translated:
            problems.append(Problem(_("untranslated: %(m)s", m=label), **where))
            continue
        if entry.msgid_plural is not None and nplurals and sorted(entry.msgstr) != list(range(nplurals)):
            problems.append(Problem(_("expected %(n)s plural forms (Plural-Forms header), found %(found)s",
                                      n=nplurals, found=", ".join(f"msgstr[{i}]" for i in sorted(entry.msgstr))),
                                    **where))
        why = refusal(entry)
        if why:
            problems.append(Problem(why, **where))
    for ctxt, msgid in sorted((template or set()) - seen, key=lambda k: (k[0] or "", k[1])):
        problems.append(Problem(_("missing (run `draft locales update`): %(m)s", m=_label(ctxt, msgid)), file=path))
    return problems + msgfmt(path)


def _label(context: str | None, msgid: str) -> str:
    """A message as a translator finds it in the file: its context, then the start of its English."""
    return (context + " | " if context else "") + repr(msgid[:50])


def msgfmt(path: Path) -> list[Problem]:
    """`msgfmt --check` on the file, when gettext is installed."""
    tool = shutil.which("msgfmt")
    if tool is None:
        return []
    run = subprocess.run([tool, "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True)
    if run.returncode == 0:
        return []
    problems = []
    for line in run.stderr.splitlines():
        parts = line.split(":", 2)
        if len(parts) == 3 and parts[1].strip().isdigit():
            problems.append(Problem(f"msgfmt: {parts[2].strip()}", path, int(parts[1])))
        elif line.strip() and "fatal error" not in line and "found" not in line:
            problems.append(Problem(f"msgfmt: {line.strip()}", path))
    return problems or [Problem(_("msgfmt --check failed"), path)]


def template_keys(root: Path | None = None) -> set[tuple[str | None, str]]:
    path = (root or locales_dir()) / f"{DOMAIN}.pot"
    if not path.is_file():
        return set()
    return {(e.msgctxt, e.msgid) for e in pofile.read(path) if e.msgid}


def check(lang: str | None = None, root: Path | None = None) -> list[Problem]:
    template = template_keys(root)
    missing = unextracted(template) if template else []   # a folder without messages.pot has nothing to compare
    return missing + [p for path in catalogs(lang, root) for p in check_file(path, template)]


# gettext calls of the code: function name → positions of (context, message) among the arguments
_CALLS = {"_": (None, 0), "gettext": (None, 0), "ngettext": (None, 0), "n_": (None, 0),
          "pgettext": (0, 1), "npgettext": (0, 1)}


def unextracted(template: set[tuple[str | None, str]]) -> list[Problem]:
    """Every message the code asks for that the template lacks — also where the extractor cannot see
    it, as inside an f-string — so that no string a reader sees is left out of the catalogs."""
    import ast

    package = Path(__file__).resolve().parent
    problems = []
    for path in sorted(package.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
            if name not in _CALLS:
                continue
            context_at, message_at = _CALLS[name]
            literal = [a.value if isinstance(a, ast.Constant) and isinstance(a.value, str) else None for a in node.args]
            if len(literal) <= message_at or literal[message_at] is None:
                continue
            context = literal[context_at] if context_at is not None else None
            if context_at is not None and context is None:
                continue
            if (context, literal[message_at]) not in template:
                problems.append(Problem(_("used in the code but missing from the template (run `draft locales "
                                          "extract`): %(m)s", m=_label(context, literal[message_at])),
                                        path.relative_to(package.parent), node.lineno))
    return problems


@dataclass
class Stat:
    total: int = 0
    translated: int = 0

    @property
    def percent(self) -> float:
        """The share translated, to one decimal, rounded down: 100.0 only when nothing is missing (one
        untranslated note among 2,000 messages is 99.9%, not 100.0%)."""
        if not self.total:
            return 100.0
        return (1000 * self.translated // self.total) / 10


def section_of(context: str | None) -> str:
    """The part of the toolkit a message belongs to, from its msgctxt."""
    if not context:
        return "interface"
    if context.startswith("section:"):
        return context.split(":", 1)[1]
    if context.startswith(("instrument:", "citation", "pinpoint")):
        return "instruments"
    if context.startswith(("standard:", "check")):
        return "standards"
    if context.startswith("group:") or ":question" in context or ":help" in context or ":choice:" in context:
        return "questionnaire"
    head = context.split(":", 1)[0]
    if "." in head:
        return head.split(".", 1)[0]
    return "interface"


def stats(root: Path | None = None) -> dict[str, dict[str, Stat]]:
    """language → section → Stat, with a "total" row per language (fuzzy counts as not translated)."""
    result: dict[str, dict[str, Stat]] = {}
    for path in catalogs(None, root):
        table: dict[str, Stat] = defaultdict(Stat)
        for entry in pofile.read(path):
            if not entry.msgid:
                continue
            done = entry.translated and not entry.fuzzy
            for key in (section_of(entry.msgctxt), "total"):
                table[key].total += 1
                table[key].translated += done
        result[path.parent.parent.name] = dict(sorted(table.items()))
    return result
