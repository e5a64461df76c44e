"""The forms a directive annexes — application, assessment report, care plan, separation plan, decision —
as data: templates/forms/*.yaml, one file per form, read once and checked against the questionnaire.

A form is a list of blocks: headings, notes, groups of fields (lines to write on, or boxes to tick) and
tables. Their texts are English, translated through the catalogs under the form's id (`form:ID`), and
filled from the answers like clause texts (`%(appeal_days)s`, `%(article:admission.decision)s`); a
block, field, option or row may depend on the answers (`when:`). Options and rows may also be the
labels of a multiple-choice answer (`options_from:`, `labels_from:`), and a table may have as many
blank rows as an answer says (`rows: separation_transition_weeks`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import expressions, resources, yamlfile
from .errors import DefinitionError, DraftError, Problem
from .i18n import _, placeholders
from .library import Item as Text  # a text and the condition under which it shows
from .questionnaire import Questionnaire
from .text import squash

FORMS = "forms"                  # the folder under templates/
CHOOSER = "annexed_forms"        # the question whose answer says which forms a directive annexes
_ID = re.compile(r"^[a-z][a-z0-9-]*$")
_KINDS = ("heading", "note", "fields", "table")
MAX_LINES = 20
MAX_ROWS = 60


@dataclass(frozen=True)
class FieldSpec:
    label: str
    when: str | None = None
    lines: int = 1
    options: tuple[Text, ...] = ()
    options_from: str | None = None      # a multiple-choice question: one box per label of its answer


@dataclass(frozen=True)
class BlockSpec:
    kind: str                            # heading | note | fields | table
    when: str | None = None
    text: str = ""                       # a heading's or a note's text
    fields: tuple[FieldSpec, ...] = ()
    columns: tuple[str, ...] = ()
    labels: tuple[Text, ...] = ()        # rows of a table, by their first cell
    labels_from: str | None = None       # more rows: the labels of a multiple-choice answer
    rows: int | str = 0                  # blank rows: a number, or a whole-number question
    line: int | None = None


@dataclass(frozen=True)
class Form:
    id: str                              # the annex id: %(annex:ID)s refers to it
    choice: str                          # the value of `annexed_forms` that annexes it
    order: int
    title: str
    blocks: tuple[BlockSpec, ...]
    file: Path | None = None
    line: int | None = None

    @property
    def context(self) -> str:
        return f"form:{self.id}"

    def texts(self):
        """Every translatable text with its context: the title under `form:ID:title`, the rest under
        `form:ID`, so that moving or inserting a field keeps the other translations."""
        yield f"{self.context}:title", self.title
        for block in self.blocks:
            if block.text:
                yield self.context, block.text
            for field in block.fields:
                yield self.context, field.label
                for option in field.options:
                    yield self.context, option.text
            for text in (*block.columns, *(label.text for label in block.labels)):
                yield self.context, text


def _when(raw: Any) -> str | None:
    return None if not isinstance(raw, dict) or raw.get("when") is None else str(raw["when"])


def _texts(raw: Any, where: tuple, problems: list[Problem], what: str) -> tuple[Text, ...]:
    out = []
    for item in raw or []:
        if isinstance(item, str):
            out.append(Text(squash(item)))
        elif isinstance(item, dict) and isinstance(item.get("text"), str):
            out.append(Text(squash(item["text"]), _when(item)))
        else:
            problems.append(Problem(_("expected %(what)s: text, or a mapping with text and when", what=what),
                                    where[0], getattr(item, "line", where[1]), where[2]))
    return tuple(out)


def _lines(raw: Any, where: tuple, problems: list[Problem]) -> int:
    lines = raw.get("lines", 1)
    if isinstance(lines, bool) or not isinstance(lines, int) or not 1 <= lines <= MAX_LINES:
        problems.append(Problem(_("expected lines from 1 to %(max)s, found %(found)r", max=MAX_LINES, found=lines),
                                where[0], getattr(raw, "line", where[1]), where[2]))
        return 1
    return lines


def _field(raw: Any, where: tuple, problems: list[Problem]) -> FieldSpec | None:
    if isinstance(raw, str):
        return FieldSpec(squash(raw))
    if not isinstance(raw, dict) or not isinstance(raw.get("label"), str):
        problems.append(Problem(_("expected a field: text, or a mapping with label, when, lines, options"),
                                where[0], getattr(raw, "line", where[1]), where[2]))
        return None
    unknown = set(raw) - {"label", "when", "lines", "options", "options_from"}
    if unknown:
        problems.append(Problem(_("unknown fields %(fields)s", fields=", ".join(sorted(unknown))), where[0],
                                getattr(raw, "line", where[1]), where[2]))
    return FieldSpec(squash(raw["label"]), _when(raw), _lines(raw, where, problems),
                     _texts(raw.get("options"), where, problems, _("an option")),
                     None if raw.get("options_from") is None else str(raw["options_from"]))


def _block(raw: Any, where: tuple, problems: list[Problem]) -> BlockSpec | None:
    line = getattr(raw, "line", where[1])
    kinds = [kind for kind in _KINDS if isinstance(raw, dict) and kind in raw]
    if len(kinds) != 1:
        problems.append(Problem(_("expected a block with one of %(allowed)s", allowed=", ".join(_KINDS)), where[0],
                                line, where[2]))
        return None
    kind = kinds[0]
    unknown = set(raw) - {kind, "when"}
    if unknown:
        problems.append(Problem(_("unknown fields %(fields)s", fields=", ".join(sorted(unknown))), where[0], line,
                                where[2]))
    body = raw[kind]
    if kind in ("heading", "note"):
        if not isinstance(body, str) or not body.strip():
            problems.append(Problem(_("expected the text of the %(kind)s", kind=kind), where[0], line, where[2]))
            return None
        return BlockSpec(kind, _when(raw), text=squash(body), line=line)
    if kind == "fields":
        fields = [_field(item, (where[0], line, where[2]), problems) for item in body or []]
        return BlockSpec(kind, _when(raw), fields=tuple(f for f in fields if f), line=line)
    if not isinstance(body, dict) or not body.get("columns"):
        problems.append(Problem(_("expected a table with columns, and labels, labels_from or rows"), where[0], line,
                                where[2]))
        return None
    unknown = set(body) - {"columns", "labels", "labels_from", "rows"}
    if unknown:
        problems.append(Problem(_("unknown fields %(fields)s", fields=", ".join(sorted(unknown))), where[0], line,
                                where[2]))
    rows = body.get("rows", 0)
    if isinstance(rows, bool) or not isinstance(rows, (int, str)) or (isinstance(rows, int)
                                                                     and not 0 <= rows <= MAX_ROWS):
        problems.append(Problem(_("expected rows: a number from 0 to %(max)s or a question, found %(found)r",
                                  max=MAX_ROWS, found=rows), where[0], line, where[2]))
        rows = 0
    return BlockSpec(kind, _when(raw), columns=tuple(squash(c) for c in body["columns"]),
                     labels=_texts(body.get("labels"), (where[0], line, where[2]), problems, _("a row")),
                     labels_from=None if body.get("labels_from") is None else str(body["labels_from"]),
                     rows=rows, line=line)


def _read(path: Path, problems: list[Problem]) -> Form | None:
    try:
        data = yamlfile.load(path, _("a form file"))
    except DraftError as e:
        problems.extend(e.problems)
        return None
    if not isinstance(data, dict) or not isinstance(data.get("blocks"), list):
        problems.append(Problem(_("expected a mapping with form, choice, order, title and blocks"), path))
        return None
    form_id = data.get("form")
    if not isinstance(form_id, str) or not _ID.match(form_id):
        problems.append(Problem(_("expected a form id such as care-plan, found %(found)r", found=form_id), path,
                                yamlfile.line_of(data, "form")))
        return None
    unknown = set(data) - {"form", "choice", "order", "title", "blocks"}
    if unknown:
        problems.append(Problem(_("unknown fields %(fields)s", fields=", ".join(sorted(unknown))), path, None,
                                form_id))
    if not isinstance(data.get("title"), str) or not isinstance(data.get("order"), int):
        problems.append(Problem(_("expected a title and an order"), path, None, form_id))
        return None
    blocks = [_block(raw, (path, None, form_id), problems) for raw in data["blocks"]]
    return Form(form_id, str(data.get("choice", form_id)), data["order"], squash(data["title"]),
                tuple(b for b in blocks if b), path, getattr(data, "line", None))


def _check(form: Form, questions: Questionnaire, problems: list[Problem]) -> None:
    where = (form.file, None, form.id)

    def name(key: str | None, kinds: tuple[str, ...], line: int | None) -> None:
        if key is None:
            return
        question = questions.by_key.get(key)
        if question is None or question.type not in kinds:
            problems.append(Problem(_("expected a question of type %(types)s, found %(found)r", types=", ".join(kinds),
                                      found=key), form.file, line, form.id))

    chooser = questions.by_key.get(CHOOSER)
    if chooser is not None and chooser.choice(form.choice) is None:
        problems.append(Problem(_("expected a choice of %(key)s, found %(found)r", key=CHOOSER, found=form.choice),
                                *where))
    for _context, text in form.texts():
        for placeholder in placeholders(text):
            kind, reference, _target = placeholder.partition(":")
            if reference and kind not in ("article", "annex"):
                problems.append(Problem(_("expected a reference such as %%(article:separation.plan)s or "
                                          "%%(annex:application)s, found %(found)s", found="%%(%s)s" % placeholder),
                                        *where))
            elif not reference and placeholder not in questions.by_key:
                problems.append(Problem(_("unknown parameter %(name)r: not a question of the questionnaire",
                                          name=placeholder), *where))
    conditions = []
    for block in form.blocks:
        conditions.append((block.when, block.line))
        conditions += [(t.when, block.line) for t in block.labels]
        for field in block.fields:
            conditions.append((field.when, block.line))
            conditions += [(t.when, block.line) for t in field.options]
            name(field.options_from, ("multi", "choice"), block.line)
        name(block.labels_from, ("multi", "choice"), block.line)
        if isinstance(block.rows, str):
            name(block.rows, ("int",), block.line)
    for condition, line in conditions:
        if condition is None:
            continue
        try:
            unknown = expressions.names_in(condition) - set(questions.by_key)
        except expressions.ConditionError as e:
            problems.append(Problem(str(e), form.file, line, form.id))
            continue
        if unknown:
            problems.append(Problem(_("the condition %(condition)r names unknown questions: %(keys)s",
                                      condition=condition, keys=", ".join(sorted(unknown))), form.file, line,
                                    form.id))


def load(questionnaire: Questionnaire, directory: Path | None = None) -> tuple[Form, ...]:
    """Every form (by default the package's templates/forms), in order; all problems reported at once."""
    directory = directory or resources.path("templates") / FORMS
    problems: list[Problem] = []
    forms = [form for path in sorted(directory.glob("*.yaml")) if (form := _read(path, problems))]
    seen: dict[str, Form] = {}
    for form in forms:
        if form.id in seen:
            problems.append(Problem(_("duplicate form id (also in %(file)s)", file=seen[form.id].file.name),
                                    form.file, form.line, form.id))
        seen[form.id] = form
        _check(form, questionnaire, problems)
    if problems:
        raise DefinitionError(problems, _("The forms are invalid:"))
    return tuple(sorted(forms, key=lambda f: (f.order, f.id)))
