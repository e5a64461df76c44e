"""The whole story, top to bottom: load answers → select clauses → assemble → render → write.

Everything a document needs (questionnaire, library, standards, catalogs) is loaded here, once per
process, and passed down to the stages; every document of a batch shares it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import NamedTuple

from . import answers as answers_mod, i18n, library as library_mod, output, questionnaire as questionnaire_mod, workers
from .answers import Answers
from .assemble import assemble
from .errors import OptionError, Problem
from .i18n import _
from .library import Library
from .questionnaire import Questionnaire
from .render import compose, md
from .render.tree import Document
from .wording import Wording

FORMATS = ("md", "docx", "html")
CITATIONS = ("footnotes", "annex", "none")


@dataclass(frozen=True)
class BuildOptions:
    langs: tuple[str, ...] = ("en",)
    formats: tuple[str, ...] = ("md", "docx")
    citations: str = "footnotes"
    notes: bool = False
    clauses: Path | None = None
    reference_docx: Path | None = None
    compliance_annex: bool = False

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
        if not self.formats or not self.langs:
            problems.append(Problem(_("expected at least one language and one format"), field="--lang/--format"))
        if self.reference_docx is not None and "docx" not in self.formats:
            problems.append(Problem(_("--reference-docx applies to Word output; add docx to --format"),
                                    field="--reference-docx"))
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


# -- what the commands read, loaded once per process
@cache
def questionnaire() -> Questionnaire:
    return questionnaire_mod.load()


@cache
def library(clauses: Path | None = None) -> Library:
    """The model library, merged with a ministry's folder of clauses when given."""
    return library_mod.load(questionnaire(), clauses)


@cache
def standards():
    """The rules of `draft check`, against the model library's instruments."""
    from . import check

    return check.load(questionnaire(), library().instruments)


def compliance(answers: Answers, lang: str):
    """How the answers measure against the standards, in words of one language."""
    from .check import ComplianceReport

    return ComplianceReport(answers, Wording(i18n.translator(lang), questionnaire()), standards(),
                            library().instruments)


def load_answers(path: Path) -> Answers:
    return answers_mod.load(questionnaire(), path)


def document(answers: Answers, lang: str, options: BuildOptions) -> Document:
    """One directive in one language, as the tree every writer visits."""
    wording = Wording(i18n.translator(lang), questionnaire())
    annexes = ()
    if options.compliance_annex:
        from .check import annex

        annexes = (annex(compliance(answers, lang)),)
    return compose.compose(assemble(library(options.clauses), answers), wording,
                           compose.Options(citations=options.citations, notes=options.notes, annexes=annexes))


def render(answers: Answers, lang: str, fmt: str, options: BuildOptions, tree: Document | None = None) -> bytes:
    """One directive in one language and one format. `tree` is its document when already composed: a
    batch composes it once for every format."""
    tree = tree or document(answers, lang, options)
    labels = compose.labels(i18n.translator(lang))
    if fmt == "md":
        return md.write(tree, labels).encode("utf-8")
    if fmt == "html":
        from .render import html

        return html.write(tree, labels).encode("utf-8")
    from .render import word

    return word.write(tree, labels, word.WordOptions(lang=lang, reference=options.reference_docx))


def render_markdown(answers: Answers, lang: str, options: BuildOptions) -> str:
    return render(answers, lang, "md", options).decode("utf-8")


def targets(paths: list[Path], out: Path, options: BuildOptions) -> list[tuple[Path, str, str, Path]]:
    """(answers file, language, format, target) for every document of a build, in order."""
    return [(path, lang, fmt, out / f"{path.stem}.{lang}.{fmt}")
            for path in paths for lang in options.langs for fmt in options.formats]


class Task(NamedTuple):
    """One answers file in one language, in each of its formats: its document is composed once."""

    answers: Answers
    lang: str
    outputs: tuple[tuple[str, Path], ...]   # (format, target)
    options: BuildOptions


def _make(task: Task) -> tuple[list[tuple[Path, bytes]], frozenset]:
    """Every document of a task; also the strings that had no translation (a worker process has its own
    record)."""
    tree = document(task.answers, task.lang, task.options)
    documents = [(target, render(task.answers, task.lang, fmt, task.options, tree)) for fmt, target in task.outputs]
    return documents, frozenset(i18n.translator(task.lang).fell_back)


def _tasks(plan: list[tuple[Path, str, str, Path]], loaded: dict[Path, Answers], options: BuildOptions) -> list[Task]:
    """The plan grouped by answers file and language, in its order: one task composes the document once."""
    outputs: dict[tuple[Path, str], list[tuple[str, Path]]] = {}
    for path, lang, fmt, target in plan:
        outputs.setdefault((path, lang), []).append((fmt, target))
    return [Task(loaded[path], lang, tuple(group), options) for (path, lang), group in outputs.items()]


def preload(options: BuildOptions) -> list[str]:
    """Load what every document of a build shares — questionnaire, library, catalogs, letterhead — before
    the first one, so that a process entry point can then freeze it out of the garbage collector's reach
    and a mistake in any of it is reported before anything is made. Returns the notes the build owes its
    reader about what it read (what was stripped from the letterhead)."""
    library(options.clauses)
    for lang in options.langs:
        i18n.translator(lang)
    if options.compliance_annex:
        standards()
    if options.reference_docx is not None and "docx" in options.formats:
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
    report = BuildReport()
    report.notes += preload(options)
    loaded = {path: load_answers(path) for path in paths}
    plan = targets(paths, out, options)
    names = [t for *_, t in plan]
    if len(set(names)) != len(names):
        raise OptionError(Problem(_("two answers files have the same name; their outputs would overwrite each other"),
                                  field="ANSWERS"))
    output.prepare(out, names, force)
    tasks = _tasks(plan, loaded, options)
    documents: list[tuple[Path, bytes]] = []
    fell_back: dict[str, set] = {lang: set() for lang in options.langs}
    for (made, missing), task in zip(workers.run(_make, tasks, jobs, _worker_start, (options,)), tasks, strict=True):
        fell_back[task.lang] |= missing
        documents += made
        if progress:
            for _target, _data in made:
                progress(_target)
    with output.created(out), output.locked(out):
        output.remove_leftovers(names)
        output.check(names, force)  # again: another build may have written them meanwhile
        with output.Batch(replace=force) as batch:
            for target, data in documents:
                batch.add(target, data)
    report.written = names
    report.fallbacks = {lang: len(keys) for lang, keys in fell_back.items() if keys}
    for lang in options.langs:
        report.refused += i18n.translator(lang).refused
    return report
