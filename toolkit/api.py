"""The whole story, top to bottom: load answers → select clauses → assemble → render → write.

Everything a document needs (questionnaire, library, standards, catalogs) is loaded here, once per
process, and passed down to the stages; every document of a batch shares it.
"""
from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import NamedTuple

from . import (
    answers as answers_mod,
    cache as cache_mod,
    forms as forms_mod,
    i18n,
    library as library_mod,
    output,
    provenance,
    questionnaire as questionnaire_mod,
    resources,
    workers,
)
from .answers import Answers
from .assemble import OMITTED, assemble
from .errors import AnswersError, OfficeError, OptionError, Problem, ReadError
from .forms import CHOOSER, Form
from .i18n import _
from .library import Library
from .localized import missing_versions
from .questionnaire import Questionnaire
from .render import compose, md
from .render.tree import Document
from .wording import Wording

FORMATS = ("md", "docx", "html", "akn", "pdf")
EXTENSIONS = {"akn": "akn.xml"}   # a format whose files end otherwise than in its name (XML editors know .xml)
CITATIONS = ("footnotes", "annex", "none")
WORD_FORMATS = ("docx", "pdf")      # written by the Word writer (a PDF is its .docx laid out by LibreOffice)
COMPLIANCE = "compliance"


@dataclass(frozen=True)
class BuildOptions:
    langs: tuple[str, ...] = ("en",)
    formats: tuple[str, ...] = ("md", "docx")
    citations: str = "footnotes"
    notes: bool = False
    clauses: Path | None = None
    reference_docx: Path | None = None
    compliance_annex: bool = False
    accept_fallback: bool = False   # a free-text answer with no version in a language shows another one
    mark_departures: bool = False   # each article that departs from a standard says so, naming the provisions
    omit: tuple[str, ...] = ()              # sections left to other instruments, with the answers' own
    layout: bool | None = None              # lay Word files out with LibreOffice (None: when installed)
    annex_only: tuple[str, ...] = ()        # build these annexes, each as a document of its own
    forms: bool = False                     # build every annexed form, each as a document of its own

    @property
    def alone(self) -> bool:
        """Whether the build writes annexes on their own rather than the directive."""
        return self.forms or bool(self.annex_only)

    def check(self) -> BuildOptions:
        problems = []
        for fmt in self.formats:
            if fmt not in FORMATS:
                problems.append(Problem(_("expected a format from %(allowed)s, found %(found)r",
                                          allowed=", ".join(FORMATS), found=fmt), field="--format"))
        problems += filter(None, map(i18n.unknown_language, self.langs))
        if self.citations not in CITATIONS:
            problems.append(Problem(_("expected one of %(allowed)s, found %(found)r",
                                      allowed=", ".join(CITATIONS), found=self.citations), field="--citations"))
        if "akn" in self.formats:
            from .render import akn

            for lang in self.langs:
                try:
                    akn.language_code(lang)
                except OptionError as error:
                    problems += error.problems
        if not self.formats or not self.langs:
            problems.append(Problem(_("expected at least one language and one format"), field="--lang/--format"))
        omittable = questionnaire().by_key[OMITTED].choices if self.omit else ()
        for key in self.omit:
            if not any(choice.value == key for choice in omittable):
                problems.append(Problem(_("expected sections from %(allowed)s, found %(found)r",
                                          allowed=", ".join(c.value for c in omittable), found=key), field="--omit"))
        if self.reference_docx is not None and not set(WORD_FORMATS) & set(self.formats):
            problems.append(Problem(_("--reference-docx applies to Word and PDF output; add docx or pdf to "
                                      "--format"), field="--reference-docx"))
        if problems:
            raise OptionError(problems, _("The options are not valid:"))
        return self


@dataclass
class BuildReport:
    """What a build wrote, and what the reader should know about it."""

    written: list[Path] = field(default_factory=list)
    fallbacks: dict[str, int] = field(default_factory=dict)     # language → strings shown in English
    refused: list[Problem] = field(default_factory=list)        # translations refused as unsafe
    notes: list[str] = field(default_factory=list)              # what else the reader should know, said once
    answer_fallbacks: dict[str, list[str]] = field(default_factory=dict)  # language → answers shown in another
    unfilled: str | None = None     # why the tables of contents have no page numbers yet (Word fills them)


def versions_missing(loaded: dict[Path, Answers], options: BuildOptions) -> dict[str, list[str]]:
    """Language → the answers given by language that have no version in it. Without --accept-fallback
    they stop the build before anything is written: a directive would show another language's words."""
    missing: dict[str, list[str]] = {}
    problems = []
    for path, answers in loaded.items():
        for lang in options.langs:
            keys = missing_versions(answers.values, lang)
            if keys:
                missing.setdefault(lang, []).extend(keys)
                example = "%s: {%s: …}" % (keys[0], lang)
                problems.append(Problem(_("%(keys)s: no %(lang)s version; add one (%(example)s) or build with "
                                          "--accept-fallback", keys=", ".join(keys), lang=lang, example=example),
                                        path, answers.lines.get(keys[0])))
    if problems and not options.accept_fallback:
        raise AnswersError(problems, _("Some answers are not given in every language of the build:"))
    return {lang: sorted(set(keys)) for lang, keys in missing.items()}


# -- what the commands read, loaded once per process (and parsed once per version of the files, cache.py)
@cache
def questionnaire() -> Questionnaire:
    return cache_mod.cached("questionnaire", [resources.path("questions")], questionnaire_mod.load)


@cache
def forms() -> tuple[Form, ...]:
    """The forms a directive can annex (templates/forms)."""
    return cache_mod.cached("forms", [resources.path("questions"), resources.path("templates")],
                            lambda: forms_mod.load(questionnaire()))


def annex_ids() -> frozenset[str]:
    """Every annex a directive can have, as clauses refer to them (%(annex:ID)s)."""
    return frozenset({form.id for form in forms()} | {compose.SOURCES, compose.INSTRUMENTS, COMPLIANCE})


@cache
def library(clauses: Path | None = None) -> Library:
    """The model library, merged with a ministry's folder of clauses when given."""
    sources = [resources.path("questions"), resources.path("templates"), resources.path("clauses"), clauses]
    return cache_mod.cached("library" if clauses is None else "library-clauses", sources,
                            lambda: library_mod.load(questionnaire(), clauses, annexes=annex_ids()))


@cache
def versions(clauses: Path | None = None) -> provenance.Versions:
    """What a document is built with: the toolkit's version and the library's content hash (the model
    library, a ministry's clauses over it, the templates and the catalogs)."""
    return provenance.Versions(provenance.toolkit_version(), provenance.library_version(clauses, i18n.locales_dir()))


@cache
def standards():
    """The rules of `draft check`, against the model library's instruments."""
    from . import check

    sources = [resources.path("questions"), resources.path("clauses"), resources.path("standards.yaml")]
    return cache_mod.cached("standards", sources, lambda: check.load(questionnaire(), library().instruments))


def compliance(answers: Answers, lang: str):
    """How the answers measure against the standards, in words of one language."""
    from .check import ComplianceReport

    return ComplianceReport(answers, Wording(i18n.translator(lang), questionnaire()), standards(),
                            library().instruments)


REPORT_FORMATS = ("text", "md", "json", "docx")


def report_bytes(report, fmt: str, width: int | None = None) -> bytes:
    """The compliance report in a format: text (wrapped to `width`, a terminal's) or JSON for a terminal
    or a tool, or the document for the ministry (its Markdown or Word file)."""
    if fmt == "text":
        return report.text(width=width or 100).encode("utf-8")
    if fmt == "json":
        import json

        return (json.dumps(report.as_json(), ensure_ascii=False, indent=2, default=str) + "\n").encode("utf-8")
    from .check import document

    return render(report.answers, report.wording.t.lang, fmt, BuildOptions(), document(report))


def write_file(target: Path, data: bytes, force: bool) -> None:
    """One file put in place as a build's are (output.commit), into a folder created if missing; an
    existing file only with `force`."""
    output.prepare(target.parent, [target], force)
    output.commit(target.parent, [(target, data)], force)


def load_answers(path: Path) -> Answers:
    return answers_mod.load(questionnaire(), path)


def with_options(answers: Answers, options: BuildOptions) -> Answers:
    """The answers as the build's options amend them: sections left out by --omit too."""
    if not options.omit:
        return answers
    omitted = [c.value for c in questionnaire().by_key[OMITTED].choices
               if c.value in options.omit or c.value in (answers.values.get(OMITTED) or ())]
    return replace(answers, values={**answers.values, OMITTED: omitted})


def document(answers: Answers, lang: str, options: BuildOptions) -> Document:
    """One directive in one language, as the tree every writer visits."""
    wording = Wording(i18n.translator(lang), questionnaire(), words=answers.values.get("numbers_in_words") is True)
    answers = with_options(answers, options)
    annexes = ()
    if options.compliance_annex:
        from .check import annex

        annexes = (annex(compliance(answers, lang)),)
    built = versions(options.clauses)
    return compose.compose(assemble(library(options.clauses), answers), wording,
                           compose.Options(citations=options.citations, notes=options.notes, annexes=annexes,
                                           forms=forms(), toolkit=built.toolkit, library=built.library,
                                           departures=options.mark_departures))


def annexes_of(answers: Answers, options: BuildOptions) -> list[str]:
    """The ids of the annexes of a directive built from these answers, in order (they are composed in
    this order too), without composing it."""
    chosen = answers.values.get(CHOOSER) or ()
    ids = [form.id for form in forms() if form.choice in chosen]
    ids += [compose.SOURCES, compose.INSTRUMENTS] if options.citations != "none" else []
    return ids + ([COMPLIANCE] if options.compliance_annex else [])


def render(answers: Answers, lang: str, fmt: str, options: BuildOptions, tree: Document | None = None) -> bytes:
    """One directive (or annex, when `tree` is one alone) in one language and one format. `tree` is its
    document when already composed: a batch composes it once for every format. The bytes of a PDF are
    those of its .docx, which LibreOffice then lays out (`build`)."""
    tree = tree or document(answers, lang, options)
    labels = compose.labels(i18n.translator(lang))
    if fmt == "md":
        return md.write(tree, labels).encode("utf-8")
    if fmt == "html":
        from .render import html

        return html.write(tree, labels).encode("utf-8")
    if fmt == "akn":
        from .render import akn

        return akn.write(tree)
    from .render import word

    return word.write(tree, labels, word.WordOptions(lang=lang, reference=options.reference_docx))


# The files a server made last, by what they were made from (the same inputs give the same bytes).
_LAID_OUT: OrderedDict[str, bytes] = OrderedDict()
_LAYING: dict[str, threading.Lock] = {}
_GUARD = threading.Lock()
_KEPT = 16


def render_file(answers: Answers, lang: str, fmt: str, options: BuildOptions) -> bytes:
    """One directive's file as `build` writes it, for a server: a .docx with the page numbers of its
    contents when LibreOffice is installed, a PDF laid out by LibreOffice — the soffice this process keeps.
    A file of the same answers, language, format and options that was just made, or is being made for
    another request, is that file: officials downloading one directive at once wait for one layout."""
    if fmt not in WORD_FORMATS:
        return render(answers, lang, fmt, options)
    installation, _unavailable = _office(replace(options, formats=(fmt,)))
    if installation is None:
        return render(answers, lang, fmt, options)
    from .render import office

    key = hashlib.sha256(repr((sorted(answers.values.items()), lang, fmt, options)).encode("utf-8")).hexdigest()
    with _GUARD:
        flight = _LAYING.setdefault(key, threading.Lock())
    with flight:
        with _GUARD:
            if key in _LAID_OUT:
                _LAID_OUT.move_to_end(key)
                return _LAID_OUT[key]
        try:
            target = Path(f"directive.{fmt}")
            made = Made((), render(answers, lang, fmt, options), target if fmt == "docx" else None,
                        target if fmt == "pdf" else None, True)
            result = _finish(made, office.kept(installation), answers.values["adoption_date"].isoformat())[0][1]
            with _GUARD:
                _LAID_OUT[key] = result
                while len(_LAID_OUT) > _KEPT:
                    _LAID_OUT.popitem(last=False)
        finally:
            with _GUARD:
                _LAYING.pop(key, None)
        return result


def render_markdown(answers: Answers, lang: str, options: BuildOptions) -> str:
    return render(answers, lang, "md", options).decode("utf-8")


Target = tuple[Path, str, str, Path, str | None]   # answers file, language, format, target, annex alone


def targets(paths: list[Path], out: Path, options: BuildOptions,
            loaded: dict[Path, Answers] | None = None) -> list[Target]:
    """(answers file, language, format, target, annex) for every document of a build, in order: the
    directive (annex None), or each annex built alone, named ANSWERS.LANG.ANNEX.FORMAT."""
    if not options.alone:
        return [(path, lang, fmt, out / f"{path.stem}.{lang}.{EXTENSIONS.get(fmt, fmt)}", None)
                for path in paths for lang in options.langs for fmt in options.formats]
    plan: list[Target] = []
    problems = []
    for path in paths:
        available = annexes_of(loaded[path], options)
        wanted = [form.id for form in forms() if form.id in available] if options.forms else []
        wanted += [annex_id for annex_id in options.annex_only if annex_id not in wanted]
        for annex_id in wanted:
            if annex_id not in available:
                problems.append(Problem(_("expected an annex of this directive (%(allowed)s), found %(found)r",
                                          allowed=", ".join(available), found=annex_id), path, field="--annex-only"))
        plan += [(path, lang, fmt, out / f"{path.stem}.{lang}.{annex_id}.{EXTENSIONS.get(fmt, fmt)}", annex_id)
                 for lang in options.langs for annex_id in wanted for fmt in options.formats]
    if problems:
        raise OptionError(problems, _("Nothing was written:"))
    return plan


class Task(NamedTuple):
    """One answers file in one language, in each of its formats and annexes: its document is composed once."""

    answers: Answers
    lang: str
    outputs: tuple[tuple[str, Path, str | None], ...]   # (format, target, annex alone)
    options: BuildOptions


class Made(NamedTuple):
    """One document of a task in its formats; `word` is the .docx that its docx and pdf targets come from."""

    written: tuple[tuple[Path, bytes], ...]     # the targets whose bytes are final (md, html)
    word: bytes | None
    docx: Path | None
    pdf: Path | None
    contents: bool                              # whether the .docx has a table of contents to fill in


def _make(task: Task) -> tuple[list[Made], frozenset]:
    """Every document of a task; also the strings that had no translation (a worker process has its own
    record)."""
    tree = document(task.answers, task.lang, task.options)
    t = i18n.translator(task.lang)
    by_document: dict[str | None, list[tuple[str, Path]]] = {}
    for fmt, target, annex in task.outputs:
        by_document.setdefault(annex, []).append((fmt, target))
    made = []
    for annex, outputs in by_document.items():
        shown = tree if annex is None else compose.alone(tree, annex, t)
        formats = dict(outputs)
        word = render(task.answers, task.lang, "docx", task.options, shown) if set(formats) & set(WORD_FORMATS) \
            else None
        written = tuple((target, render(task.answers, task.lang, fmt, task.options, shown))
                        for fmt, target in outputs if fmt not in WORD_FORMATS)
        made.append(Made(written, word, formats.get("docx"), formats.get("pdf"), annex is None))
    return made, frozenset(t.fell_back)


def _tasks(plan: list[Target], loaded: dict[Path, Answers], options: BuildOptions) -> list[Task]:
    """The plan grouped by answers file and language, in its order: one task composes the document once."""
    outputs: dict[tuple[Path, str], list[tuple[str, Path, str | None]]] = {}
    for path, lang, fmt, target, annex in plan:
        outputs.setdefault((path, lang), []).append((fmt, target, annex))
    return [Task(loaded[path], lang, tuple(group), options) for (path, lang), group in outputs.items()]


def _office(options: BuildOptions):
    """The LibreOffice installation the build will use, or why it will use none (None when it is not
    wanted). A PDF cannot be made without it."""
    from .render import office

    contents = "docx" in options.formats and not options.alone   # only a directive has a table of contents
    wanted = "pdf" in options.formats or (contents and options.layout is not False)
    if not wanted:
        return None, None
    found = office.find()
    if isinstance(found, str):
        if "pdf" in options.formats:
            raise office.missing(found)
        return None, found
    return found, None


def _finish(made: Made, session, date: str) -> list[tuple[Path, bytes]]:
    """The final bytes of a document's Word and PDF targets: laid out once by LibreOffice when it runs,
    the page numbers written into the .docx's table of contents."""
    out = list(made.written)
    if made.word is None:
        return out
    word, pdf = made.word, None
    if session is not None and (made.pdf is not None or made.contents):
        from .render import ooxml, word as word_mod

        try:
            pages, pdf = session.lay_out(made.word, pdf=made.pdf is not None, prefix=word_mod.BOOKMARK, date=date)
        except OfficeError as error:   # which document, and what the user can do about it
            problems = [replace(p, file=made.pdf or made.docx) for p in error.problems]
            if made.pdf is None:
                problems.append(Problem(_("the .docx is complete without LibreOffice's layout: build it with "
                                          "--no-layout, and Word fills in the page numbers of its contents when "
                                          "the file is opened"), field="--no-layout"))
            raise OfficeError(problems) from None
        word = ooxml.fill_page_numbers(made.word, pages)
    if made.docx is not None:
        out.append((made.docx, word))
    if made.pdf is not None:
        out.append((made.pdf, pdf))
    return out


def preload(options: BuildOptions) -> list[str]:
    """Load what every document of a build shares — questionnaire, library, catalogs, letterhead — before
    the first one, so that a process entry point can then freeze it out of the garbage collector's reach
    and a mistake in any of it is reported before anything is made. Returns the notes the build owes its
    reader about what it read (what was stripped from the letterhead)."""
    library(options.clauses)
    versions(options.clauses)
    for lang in options.langs:
        i18n.translator(lang)
    if options.compliance_annex:
        standards()
    if options.reference_docx is not None and set(WORD_FORMATS) & set(options.formats):
        from .render import letterhead

        return letterhead.notes(letterhead.load(options.reference_docx), options.reference_docx)
    return []


def _worker_start(options: BuildOptions) -> None:
    """The entry point of a worker process: the shared data, loaded once, lives as long as the process,
    and every full collection would walk it again."""
    import gc

    preload(options)
    gc.freeze()


def build(paths: list[Path], out: Path, options: BuildOptions | None = None, force: bool = False,
          jobs: int = 1, progress=None) -> BuildReport:
    """Build every answers file in every language and format into `out`.

    All inputs are validated and all targets checked before anything is made; every document is made
    before the first file is staged, so that nothing the renderer could fail on comes after writing
    began; then the files go into place together (output.Batch), or none does.
    """
    options = (options or BuildOptions()).check()
    workers.check(jobs)
    installation, unavailable = _office(options)
    report = BuildReport(unfilled=unavailable)
    with ExitStack() as stack:
        session = None
        if installation is not None:   # soffice starts now, while the documents are composed
            from .render import office

            session = stack.enter_context(office.Session(installation))
        report.notes += preload(options)
        loaded = {path: with_options(load_answers(path), options) for path in paths}
        if "akn" in options.formats:
            from .render import akn

            lacking = [akn.country_problem(answers.values.get("country_code"), path)
                       for path, answers in loaded.items()]
            if any(lacking):
                raise AnswersError([p for p in lacking if p], _("Nothing was written:"))
        answer_fallbacks = versions_missing(loaded, options)
        plan = targets(paths, out, options, loaded)
        names = [plan_target for *_, plan_target, _annex in plan]
        if len(set(names)) != len(names):
            raise OptionError(Problem(_("two answers files have the same name; their outputs would overwrite each "
                                        "other"), field="ANSWERS"))
        output.prepare(out, names, force)
        order = {name: index for index, name in enumerate(names)}
        tasks = _tasks(plan, loaded, options)
        documents: list[tuple[Path, bytes]] = []
        fell_back: dict[str, set] = {lang: set() for lang in options.langs}
        for (made, missing), task in zip(workers.run(_make, tasks, jobs, _worker_start, (options,)), tasks,
                                         strict=True):
            fell_back[task.lang] |= missing
            date = task.answers.values["adoption_date"].isoformat()
            finished = sorted((item for one in made for item in _finish(one, session, date)), key=lambda d: order[d[0]])
            documents += finished
            if progress:
                for target, _data in finished:
                    progress(target)
    output.commit(out, documents, force)
    report.written = names
    report.fallbacks = {lang: len(keys) for lang, keys in fell_back.items() if keys}
    report.answer_fallbacks = answer_fallbacks
    for lang in options.langs:
        report.refused += i18n.translator(lang).refused
    return report


# -- comparing two versions of a directive
@dataclass(frozen=True)
class CompareOptions:
    """How the two versions are built: one language; clauses over the model library for both sides
    (`clauses`) or for each (`old_clauses`, `new_clauses`, which take precedence)."""

    lang: str = "en"
    citations: str = "footnotes"
    clauses: Path | None = None
    old_clauses: Path | None = None
    new_clauses: Path | None = None
    reference_docx: Path | None = None

    def build_options(self, side: str) -> BuildOptions:
        clauses = (self.old_clauses if side == "old" else self.new_clauses) or self.clauses
        return BuildOptions(langs=(self.lang,), formats=("docx",), citations=self.citations, clauses=clauses,
                            reference_docx=self.reference_docx).check()


@dataclass
class CompareReport:
    written: list[Path] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)


DIRECTIVE_SUFFIXES = (".md", ".markdown")


def read_directive(path: Path) -> Document:
    """A directive's Markdown, as `draft build` wrote it, back into its document tree."""
    import yaml

    from .yamlfile import read_text

    what = _("a directive's Markdown (.md) as draft build writes it")
    text = read_text(path, what)
    try:
        tree = md.read(text)
    except md.FormatError as error:
        raise ReadError(Problem(_("expected %(what)s: %(why)s", what=what, why=error), path, error.line)) from None
    except (ValueError, LookupError, TypeError, AttributeError, yaml.YAMLError):
        raise ReadError(Problem(_("expected %(what)s, found other Markdown", what=what), path)) from None
    if not tree.meta.lang or not tree.parts:
        raise ReadError(Problem(_("expected %(what)s, with its front matter and articles; found neither", what=what),
                                path))
    return tree


def version_of(path: Path, side: str, options: CompareOptions) -> Document:
    """One side of a comparison: an answers file built now, or a directive built before (its Markdown)."""
    flag = f"--{side}-clauses"
    if path.suffix.lower() in DIRECTIVE_SUFFIXES:
        if (options.old_clauses if side == "old" else options.new_clauses) is not None:
            raise OptionError(Problem(_("applies to an answers file; this is a directive already built"), path,
                                      field=flag))
        tree = read_directive(path)
        if tree.meta.lang != options.lang:
            raise OptionError(Problem(_("the directive is in %(found)r, but --lang asks for %(lang)r; compare "
                                        "versions in one language", found=tree.meta.lang, lang=options.lang),
                                      path, field="--lang"))
        return tree
    return document(load_answers(path), options.lang, options.build_options(side))


def compare_targets(new: Path, out: Path, lang: str) -> tuple[Path, Path]:
    """The tracked-changes copy and the summary, named after the new version."""
    stem = new.stem.removesuffix(f".{lang}")
    return out / f"{stem}.{lang}.tracked.docx", out / f"{stem}.{lang}.changes.md"


def compare(old: Path, new: Path, out: Path, options: CompareOptions | None = None,
            force: bool = False) -> CompareReport:
    """Write the new version as a .docx with tracked changes against the old, and the summary of the
    changes by article as Markdown; both versions are read and checked before anything is written."""
    from . import compare as compare_mod
    from .render import redline, word

    options = options or CompareOptions()
    i18n.check_language(options.lang)
    old_tree, new_tree = version_of(old, "old", options), version_of(new, "new", options)
    change = compare_mod.compare(old_tree, new_tree)
    t = i18n.translator(options.lang)
    docx_target, md_target = compare_targets(new, out, options.lang)
    output.prepare(out, [docx_target, md_target], force)
    data = redline.write(change, compose.labels(t), word.WordOptions(lang=options.lang,
                                                                      reference=options.reference_docx))
    summary = compare_mod.markdown(change, t, old.name, new.name)
    output.commit(out, [(docx_target, data), (md_target, summary.encode("utf-8"))], force)
    return CompareReport([docx_target, md_target], compare_mod.summary(change, t))
