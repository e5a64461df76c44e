"""The translators' catalogs: extract every string a reader sees into locales/messages.pot, merge it
into each language's .po, start a new language.

Strings come from the code and templates (Babel's extractors) and from the data — questions, clauses,
sections, instruments — each with a stable msgctxt, so an edit of the English marks the translation
fuzzy rather than dropping it.
"""
from __future__ import annotations

import copy
import io
from collections.abc import Callable
from datetime import UTC, datetime
from difflib import SequenceMatcher
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from . import resources
from .errors import LocaleError, Problem
from .i18n import DOMAIN, _, locales_dir, po_path
from .library import Library
from .output import write_atomic
from .questionnaire import MARKS, QUANTITIES, Questionnaire
from .wording import PINPOINT_UNITS

PROJECT = "children-in-prison-directive-toolkit"
_FIXED_DATE = datetime(2026, 1, 1, tzinfo=UTC)  # stable headers: no churn in version control
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "n_": (1, 2), "p_": ((1, "c"), 2),
            "pgettext": ((1, "c"), 2), "npgettext": ((1, "c"), 2, 3)}


def pot_path(root: Path | None = None) -> Path:
    return (root or locales_dir()) / f"{DOMAIN}.pot"


def _source_root() -> Path:
    return Path(__file__).resolve().parent


def extract(questionnaire: Questionnaire, library: Library, rules: tuple, forms: tuple = ()) -> Catalog:
    """Every translatable string of the toolkit — its code and templates, the questionnaire, the clause
    library, the rules of the standards and the forms — in a stable order."""
    catalog = Catalog(project=PROJECT, version="1", creation_date=_FIXED_DATE, revision_date=_FIXED_DATE,
                      msgid_bugs_address="", copyright_holder="", fuzzy=False, charset="utf-8")
    package = _source_root()
    for filename, lineno, message, comments, context in extract_from_dir(
            package, [("**.py", "python")], keywords=KEYWORDS, comment_tags=("TRANSLATORS:",)):
        catalog.add(message, locations=[(f"toolkit/{filename}", lineno)], auto_comments=comments, context=context)
    # the directive's page, then the pages of `draft serve`
    for folder, prefix in ((resources.path("templates"), "templates"), (resources.path("web") / "templates",
                                                                         "toolkit/web/templates")):
        for filename, lineno, message, comments, context in extract_from_dir(
                folder, [("**.j2", "jinja2")], keywords=KEYWORDS,
                options_map={"**.j2": {"extensions": "jinja2.ext.i18n", "trimmed": "true"}}):
            catalog.add(message, locations=[(f"{prefix}/{filename}", lineno)], auto_comments=comments,
                        context=context)
    for unit, (singular, plural) in PINPOINT_UNITS.items():
        catalog.add((singular, plural), context="pinpoint", auto_comments=[f"A {unit} of an instrument, e.g. 52(2)."])
    for unit, (singular, plural) in QUANTITIES.items():
        catalog.add((singular, plural), context="quantity", auto_comments=[f"A number of {unit} in a clause."])
    _add_questions(catalog, questionnaire)
    _add_library(catalog, library)
    _add_standards(catalog, rules)
    _add_forms(catalog, forms)
    return catalog


def _add_forms(catalog: Catalog, forms: tuple) -> None:
    for form in forms:
        where = [(f"templates/forms/{form.file.name}" if form.file else "templates/forms", 0)]
        for context, text in form.texts():
            catalog.add(text, context=context, locations=where, auto_comments=[f"Form {form.id}: {form.title}"])


def _add_standards(catalog: Catalog, rules: tuple) -> None:
    for rule in rules:
        where = [("toolkit/standards.yaml", 0)]
        catalog.add(rule.requires, context=f"standard:{rule.id}:requires", locations=where)
        catalog.add(rule.because, context=f"standard:{rule.id}:because", locations=where)


def _add_questions(catalog: Catalog, questionnaire: Questionnaire) -> None:
    for mark, label in MARKS.items():
        catalog.add(label, context=f"answer:{mark}", locations=[("toolkit/questionnaire.py", 0)],
                    auto_comments=["A special answer, shown by draft new and draft check and in the directive."])
    for group in questionnaire.groups:
        catalog.add(group.title, context=f"group:{group.key}", locations=[(f"toolkit/questions/{group.key}", 0)])
        for q in group.questions:
            where = [(f"toolkit/questions/{q.file.name}", q.line or 0)]
            catalog.add(q.question, context=f"{q.key}:question", locations=where)
            if q.help:
                catalog.add(q.help, context=f"{q.key}:help", locations=where)
            if q.short_label:
                catalog.add(q.short_label, context=f"{q.key}:label", locations=where,
                            auto_comments=["A short name of the answer, shown in lists and on the review screen."])
            for choice in q.choices:
                catalog.add(choice.label, context=f"{q.key}:choice:{choice.value}", locations=where)
            if q.type == "text" and isinstance(q.default, str):
                catalog.add(q.default, context=f"{q.key}:default", locations=where,
                            auto_comments=["The proposed answer, written into the directive if accepted."])


def _add_library(catalog: Catalog, lib: Library) -> None:
    for inst in lib.instruments.values():
        where = [("clauses/instruments.yaml", 0)]
        catalog.add(inst.short["en"], context=f"instrument:{inst.key}:short", locations=where,
                    auto_comments=[f"Official short title; fr: {inst.short.get('fr', '')}; "
                                   f"es: {inst.short.get('es', '')}"])
        catalog.add(inst.title["en"], context=f"instrument:{inst.key}:title", locations=where,
                    auto_comments=[f"Official title; fr: {inst.title.get('fr', '')}; es: {inst.title.get('es', '')}"])
        catalog.add(inst.adoption, context=f"instrument:{inst.key}:adoption", locations=where)
        for key, heading in inst.headings.items():
            catalog.add(heading, context=f"instrument:{inst.key}:{key}", locations=where)
    for section in lib.sections:
        rel = f"clauses/{section.file.name}" if section.file else "clauses"
        catalog.add(section.title, context=f"section:{section.key}", locations=[(rel, 0)])
        for clause in section.clauses:
            params = ", ".join(f"%({p})s" for p in clause.params)
            note = [f"Clause {clause.id}: {clause.title}"] + ([f"Parameters are filled from the answers: {params}"]
                                                              if params else [])
            for context, text in clause.texts():
                catalog.add(text, context=context, locations=[(rel, clause.line or 0)], auto_comments=note)
            if clause.note:
                comment = (f"Drafting note of clause {clause.id} ({clause.title}): a commentary for the drafter, shown "
                           "with --notes and by `draft clauses show`. Cite provisions as this language's commentaries "
                           "do (rule 52(2) of the Bangkok Rules).")
                catalog.add(clause.note, context=f"{clause.id}:note", locations=[(rel, clause.line or 0)],
                            auto_comments=[comment])


def _write(catalog: Catalog, path: Path) -> None:
    out = io.BytesIO()
    write_po(out, catalog, width=76, include_previous=False, sort_output=False, no_location=False,
             include_lineno=False)
    text = _with_previous(out.getvalue().decode("utf-8"), catalog, path)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, text.encode("utf-8"))


def _with_previous(text: str, catalog: Catalog, path: Path) -> str:
    """The former English of each fuzzy entry as `#| msgid` lines before the entry. Babel's writer
    folds a long former msgid into comment lines that lose their quotes, which msgfmt rejects."""
    from babel.messages.pofile import normalize

    from . import pofile

    previous = {(m.context, m.id if isinstance(m.id, str) else m.id[0]): m.previous_id for m in catalog
                if m.id and m.previous_id}
    if not previous:
        return text
    lines = text.split("\n")
    for entry in sorted(pofile.parse(text, path), key=lambda e: e.line, reverse=True):
        former = previous.get((entry.msgctxt, entry.msgid))
        if not former:
            continue
        comment = []
        for keyword, value in zip(("msgid", "msgid_plural"), former, strict=False):
            folded = normalize(value, width=76).split("\n")
            comment += [f"#| {keyword} {folded[0]}", *(f"#| {line}" for line in folded[1:])]
        lines[entry.line - 1:entry.line - 1] = comment
    return "\n".join(lines)


def write_template(template: Catalog, root: Path | None = None) -> Path:
    path = pot_path(root)
    _write(template, path)
    return path


def _read(path: Path, locale: str | None = None) -> Catalog:
    from . import pofile

    data = pofile.read_bytes(path)
    pofile.read(path, data)  # strict syntax check first: names the line of a mistake
    return read_po(io.BytesIO(data), locale=locale, abort_invalid=True)


def merge(template: Catalog, old: Catalog) -> Catalog:
    """Babel's update, plus two rescues for messages it would leave untranslated:
    the same English under another context (a paragraph moved to another clause) keeps its translation
    as it is; a changed English takes the translation of the closest English that left the same context
    (the same clause, question or label), marked fuzzy, with that previous English shown to the translator.
    The template is not changed: Babel's update adds the template's own new messages to the catalog, so
    they are copied first, or one language's rescued translations would reach the next language."""
    template = copy.deepcopy(template)
    live = [m for m in old if m.id and _translated(m) and not m.fuzzy]
    by_text = {m.id: m for m in live}
    still_there = {m.id for m in template if m.id}
    known = {(m.context, m.id) for m in old}
    gone: dict[str | None, list] = {}
    for m in live:
        if m.id not in still_there:
            gone.setdefault(m.context, []).append(m)
    old.update(template, no_fuzzy_matching=True, update_creation_date=False)
    new: dict[str | None, list] = {}
    for message in old:
        if not message.id or _translated(message):
            continue
        same_text = by_text.get(message.id)
        if same_text is not None:
            message.string = same_text.string
        elif (message.context, message.id) not in known and message.context in gone:
            new.setdefault(message.context, []).append(message)
    for context, messages in new.items():
        pairs = sorted(((_likeness(p.id, m.id), i, j) for i, m in enumerate(messages)
                        for j, p in enumerate(gone[context]) if type(p.id) is type(m.id)), reverse=True)
        taken_new, taken_old = set(), set()
        for _score, i, j in pairs:
            if i in taken_new or j in taken_old:
                continue
            taken_new.add(i)
            taken_old.add(j)
            message, previous = messages[i], gone[context][j]
            message.string = previous.string
            message.flags.add("fuzzy")
            message.previous_id = list(previous.id) if isinstance(previous.id, tuple) else [previous.id]
    return old


def _likeness(a: str | tuple, b: str | tuple) -> float:
    return SequenceMatcher(None, str(a), str(b), autojunk=False).ratio()


def update(template: Catalog, root: Path | None = None) -> list[tuple[Path, int, int]]:
    """Refresh the template and merge it into every .po; returns (file, fuzzy, untranslated)."""
    root = root or locales_dir()
    path = write_template(template, root)
    results = []
    for po in sorted(root.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        lang = po.parent.parent.name
        # a template of its own for each language: Babel's merge shares the template's messages with the
        # catalog it updates, so one language's rescued translations would reach the next language
        merged = merge(_read(path), _read(po, lang))
        _write(merged, po)
        fuzzy = sum(1 for m in merged if m.id and m.fuzzy)
        untranslated = sum(1 for m in merged if m.id and not _translated(m))
        results.append((po, fuzzy, untranslated))
    return results


def _translated(message) -> bool:
    value = message.string
    return all(value) if isinstance(value, tuple) else bool(value)


def init(lang: str, make_template: Callable[[], Catalog], root: Path | None = None, force: bool = False) -> Path:
    """Start a new language from the template (`make_template()` when the folder has no messages.pot)."""
    try:
        locale = Locale.parse(lang)
    except (ValueError, UnknownLocaleError):
        raise LocaleError(Problem(_("expected a language code such as pt or pt_BR, found %(found)r", found=lang),
                                  field="LANG")) from None
    root = root or locales_dir()
    target = po_path(lang, root)
    if target.exists() and not force:
        raise LocaleError(Problem(_("already exists; use --force to start it again"), target))
    path = pot_path(root)
    template = _read(path) if path.exists() else make_template()
    catalog = Catalog(locale=locale, project=PROJECT, version="1", creation_date=_FIXED_DATE,
                      revision_date=_FIXED_DATE, fuzzy=False, charset="utf-8")
    catalog.update(template, no_fuzzy_matching=True, update_creation_date=False)
    _write(catalog, target)
    return target
