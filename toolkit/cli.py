"""The `draft` command: parse options, call the API, map a DraftError to its exit code.

Command bodies import what they need when they run, so `draft --help` starts fast.
"""

import errno
import sys
from pathlib import Path

import typer
from typer._click.exceptions import ClickException
from typer.core import TyperGroup

from .errors import MAX_SHOWN, DraftError
from .i18n import _, more, n_
from .text import printable, shorten


class _Handled(TyperGroup):
    """The one error handler of the CLI: a user mistake shows as a short message and exits with its
    code, whatever the command; never a traceback. Ctrl-C, SIGTERM and SIGHUP stop a command the same
    way, and the message says exactly what had been written by then. Nothing reaches the terminal with
    its control characters acting (a file name or an option holding an escape sequence)."""

    def make_context(self, *args, **kwargs):
        try:
            return super().make_context(*args, **kwargs)
        except ClickException as error:
            raise _tidy(error) from None

    def invoke(self, ctx):
        from . import output, signals

        output.forget()
        try:
            with signals.handled():
                return super().invoke(ctx)
        except DraftError as error:
            say(f"draft: {error}", err=True)
            raise typer.Exit(error.exit_code) from None
        except (KeyboardInterrupt, signals.Terminated) as stop:
            say("draft: " + interrupted(stop, output.committed()), err=True)
            raise typer.Exit(getattr(stop, "exit_code", 130)) from None
        except ClickException as error:
            raise _tidy(error) from None
        except OSError as error:
            if not _output_failed(error):
                raise
            if error.errno != errno.EPIPE:
                message = _("cannot write to standard output: %(why)s", why=error.strerror)
                written = output.committed()
                if written:
                    message += "; " + n_("%(n)s file was written: %(files)s", "%(n)s files were written: %(files)s",
                                         len(written), files=_files(written))
                say("draft: " + message, err=True)
            raise typer.Exit(141 if error.errno == errno.EPIPE else 2) from None


def _tidy(error: ClickException) -> ClickException:
    """A usage error of the option parser, short and with any control character shown, not obeyed."""
    original = error.format_message
    error.format_message = lambda: shorten(printable(original()), 400)
    return error


def _output_failed(error: OSError) -> bool:
    """Whether standard output is what failed (a full disk, a closed pipe); if so it is silenced, so that
    the interpreter's own flush at exit fails no more."""
    try:
        sys.stdout.flush()
        if error.errno not in (errno.EPIPE, errno.ENOSPC, errno.EIO, getattr(errno, "EDQUOT", -1), errno.EFBIG):
            return False
    except OSError:
        pass
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass
    return True


def interrupted(stop: BaseException, written: list[Path]) -> str:
    """What a stop means for the files: none written, or exactly which."""
    from . import signals

    files = _files(written)
    if isinstance(stop, signals.Terminated):
        if not written:
            return _("stopped by %(signal)s; no file was written or replaced", signal=stop.name)
        return n_("stopped by %(signal)s after %(n)s file was written: %(files)s",
                  "stopped by %(signal)s after %(n)s files were written: %(files)s", len(written),
                  signal=stop.name, files=files)
    if not written:
        return _("interrupted; no file was written or replaced")
    return n_("interrupted after %(n)s file was written: %(files)s",
              "interrupted after %(n)s files were written: %(files)s", len(written), files=files)


def _files(paths: list[Path]) -> str:
    """The first few of a list of files, and how many more."""
    return ", ".join(str(path) for path in paths[:5]) + (" " + more(len(paths) - 5) if len(paths) > 5 else "")


def say(text: str, err: bool = False, nl: bool = True) -> None:
    """Echo text with its control characters shown as escapes."""
    typer.echo(printable(text), err=err, nl=nl)


app = typer.Typer(
    name="draft", cls=_Handled,
    help="Draft a prison directive on babies and small children living in prison with a parent, "
         "from a questionnaire and a library of model clauses that implement international standards.",
    no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False, rich_markup_mode=None,
)


@app.callback()
def draft() -> None:
    """Draft a prison directive on babies and small children living in prison with a parent.

    Start with `draft new` (a questionnaire) or edit an example answers file, then `draft build`.
    """


def split(values: list[str] | None) -> tuple[str, ...]:
    """`--lang en,fr --lang es` → ("en", "fr", "es")."""
    out: list[str] = []
    for value in values or []:
        out += [v.strip() for v in value.split(",") if v.strip()]
    return tuple(dict.fromkeys(out))


LangOption = typer.Option(None, "--lang", "-l", help="Languages of the directive, comma-separated: en, fr, es. "
                                                       "[default: en]")
FormatOption = typer.Option(None, "--format", "-f", help="Output formats, comma-separated: md, docx, html, akn "
                                                         "(Akoma Ntoso XML, NAME.LANG.akn.xml), pdf (through "
                                                         "LibreOffice). [default: md,docx]")
ClausesOption = typer.Option(None, "--clauses", help="A folder of your own clause files, merged over the model "
                                                     "library (same id replaces, new id adds).")


@app.command()
def build(
    answers: list[Path] = typer.Argument(..., help="Answers files (YAML), e.g. examples/*.yaml.", show_default=False),
    lang: list[str] | None = LangOption,
    fmt: list[str] | None = FormatOption,
    out: Path = typer.Option(Path("out"), "--out", "-o", help="Folder to write to; created if missing. Files are "
                                                               "named ANSWERS.LANG.FORMAT."),
    force: bool = typer.Option(False, "--force", help="Replace files that already exist."),
    clauses: Path | None = ClausesOption,
    citations: str = typer.Option("footnotes", "--citations", help="Where citations go: footnotes (and the Sources "
                                                                    "annex), annex (annex only) or none."),
    notes: bool = typer.Option(False, "--notes", help="Add each clause's drafting note: Word comments in .docx, "
                                                      "quoted notes in Markdown (a review copy)."),
    reference_docx: Path | None = typer.Option(None, "--reference-docx", help="A Word file whose styles, page "
                                                  "setup, header and footer the .docx takes (your letterhead)."),
    compliance_annex: bool = typer.Option(False, "--compliance-annex", help="Add an annex: how the answers measure "
                                                                            "against the standards."),
    omit: list[str] | None = typer.Option(None, "--omit", help="Sections left to other instruments, "
                                             "comma-separated (alternatives, pregnancy, staff, monitoring), besides "
                                             "those the answers list."),
    forms: bool = typer.Option(False, "--forms", help="Build each form the directive annexes as a document of its "
                                                      "own, for daily use, instead of the directive."),
    annex_only: list[str] | None = typer.Option(None, "--annex-only", help="Build these annexes (e.g. "
                                                   "application,decision,sources), each as a document of its own, "
                                                   "instead of the directive."),
    layout: bool | None = typer.Option(None, "--layout/--no-layout", help="Lay Word files out with LibreOffice to "
                                           "fill in the page numbers of the table of contents, or leave them to "
                                           "Word. [default: when LibreOffice is installed]"),
    jobs: int = typer.Option(1, "--jobs", "-j", help="Worker processes for large batches."),
    accept_fallback: bool = typer.Option(False, "--accept-fallback", help="Build a language even where an answer "
                                         "given by language has no version in it: another version is shown, "
                                         "and the build says which answers."),
    mark_departures: bool = typer.Option(False, "--mark-departures", help="End each article whose wording departs "
                                         "from an international standard with a paragraph naming the provisions "
                                         "it departs from (without it, only the drafting note says so)."),
) -> None:
    """Build the directive from answers files, in each language and format."""
    from . import api

    options = api.BuildOptions(langs=split(lang) or ("en",), formats=split(fmt) or ("md", "docx"),
                               citations=citations, notes=notes, clauses=clauses, reference_docx=reference_docx,
                               compliance_annex=compliance_annex, accept_fallback=accept_fallback, omit=split(omit),
                               layout=layout, annex_only=split(annex_only), forms=forms,
                               mark_departures=mark_departures)
    from . import i18n

    i18n.set_ui_language(options.langs[0])
    _preload(options)
    total = len(answers) * len(options.langs) * len(options.formats)
    if progress_wanted(sys.stderr, total):
        with typer.progressbar(length=total, label=_("building"), file=sys.stderr) as bar:
            report = api.build(list(answers), out, options, force=force, jobs=jobs, progress=lambda _: bar.update(1))
    else:
        report = api.build(list(answers), out, options, force=force, jobs=jobs)
    show_report(report)


def progress_wanted(stream, total: int) -> bool:
    """A progress bar only for someone watching a terminal, and only when there is more than one file."""
    return stream.isatty() and total > 1


def show_report(report) -> None:
    """What a build wrote, and what the reader should know about its translations."""
    for path in report.written:
        say(_("wrote %(path)s", path=path))
    for lang, count in sorted(report.fallbacks.items()):
        say(n_("note: %(n)s string has no %(lang)s translation and is shown in English",
                      "note: %(n)s strings have no %(lang)s translation and are shown in English", count, lang=lang),
                   err=True)
    for lang, keys in sorted(report.answer_fallbacks.items()):
        say(n_("note: %(n)s answer has no %(lang)s version and is shown in another language: %(keys)s",
               "note: %(n)s answers have no %(lang)s version and are shown in another language: %(keys)s",
               len(keys), lang=lang, keys=", ".join(keys)), err=True)
    for problem in report.refused[:MAX_SHOWN]:
        say(_("note: translation refused, English used instead: %(problem)s", problem=problem), err=True)
    if len(report.refused) > MAX_SHOWN:
        say("note: " + more(len(report.refused) - MAX_SHOWN), err=True)
    for note in report.notes:
        say(_("note: %(note)s", note=note), err=True)
    if report.unfilled:
        say(_("note: %(why)s, so the tables of contents have no page numbers yet: Word fills them in when the file "
              "is opened (install libreoffice-writer-nogui and python3-uno to have them in the file)",
              why=report.unfilled), err=True)


@app.command()
def compare(
    old: Path = typer.Argument(..., help="The old version: an answers file, or the Markdown of a directive built "
                                         "before (NAME.LANG.md).", show_default=False),
    new: Path = typer.Argument(..., help="The new version: an answers file, or a directive's Markdown.",
                               show_default=False),
    lang: str = typer.Option("en", "--lang", "-l", help="The language of the two versions: en, fr, es."),
    out: Path = typer.Option(Path("out"), "--out", "-o", help="Folder to write to; created if missing. Writes "
                                                               "NEW.LANG.tracked.docx and NEW.LANG.changes.md."),
    force: bool = typer.Option(False, "--force", help="Replace files that already exist."),
    clauses: Path | None = typer.Option(None, "--clauses", help="A folder of your own clauses, merged over the "
                                                                 "model library for both versions."),
    old_clauses: Path | None = typer.Option(None, "--old-clauses", help="Your clauses for the old version only "
                                                                         "(e.g. last year's folder)."),
    new_clauses: Path | None = typer.Option(None, "--new-clauses", help="Your clauses for the new version only."),
    citations: str = typer.Option("footnotes", "--citations", help="Where citations go: footnotes, annex or none."),
    reference_docx: Path | None = typer.Option(None, "--reference-docx", help="A Word file whose styles, page "
                                                  "setup, header and footer the .docx takes (your letterhead)."),
) -> None:
    """Write the new version of a directive as a Word file with tracked changes against the old, and a
    summary of the changes by article.

    Give two answers files (an amendment: a new age limit, a new facility), or one answers file twice with
    --old-clauses and --new-clauses (your clauses revised), or the Markdown of a directive built before and
    an answers file (what changed since, the model library's changes too). Accept or reject the changes
    in Word or LibreOffice: accepting all gives the new version, rejecting all the old.
    """
    from . import api, i18n

    i18n.set_ui_language(i18n.check_language(lang))
    options = api.CompareOptions(lang=lang, citations=citations, clauses=clauses, old_clauses=old_clauses,
                                 new_clauses=new_clauses, reference_docx=reference_docx)
    report = api.compare(old, new, out, options, force=force)
    for line in report.summary:
        say(line)
    for path in report.written:
        say(_("wrote %(path)s", path=path))


@app.command()
def new(
    output: Path | None = typer.Argument(None, help="The answers file to write. [default: answers.yaml; with "
                                                       "--from, that file]", show_default=False),
    lang: list[str] | None = LangOption,
    fmt: list[str] | None = FormatOption,
    prefill: Path | None = typer.Option(None, "--from", help="An answers file to start from: its valid answers "
                                           "are kept and only what is missing or invalid is asked. Resumes an "
                                           "interrupted questionnaire, in the language it was answered in."),
    ask: list[str] | None = typer.Option(None, "--ask", help="With --from: ask only these questions (keys, "
                                            "comma-separated or repeated), then show the changes and rewrite the "
                                            "file."),
    defaults: bool = typer.Option(False, "--defaults", help="Take every default (the answer that best meets the "
                                                            "standards) without asking; ask only what has none."),
    force: bool = typer.Option(False, "--force", help="Replace the answers file and the documents if they exist."),
    out: Path = typer.Option(Path("out"), "--out", "-o", help="Folder for the directive; created if missing."),
    build: bool = typer.Option(True, "--build/--no-build", help="Build the directive once the answers are written."),
    clauses: Path | None = ClausesOption,
    interactive: bool | None = typer.Option(None, "--interactive/--no-interactive", help="Ask even when standard "
                                               "input is not a terminal (one answer per line, e.g. from a pipe), or "
                                               "never ask. [default: ask on a terminal]"),
    in_each_language: bool = typer.Option(False, "--in-each-language", help="Ask each free-text answer (names, "
                                          "titles) also in the other languages of --lang, for a directive "
                                          "adopted in several languages."),
) -> None:
    """Answer the questionnaire: the essential questions first, then the others as you choose; review every
    answer; write the answers file and build the directive.

    Questions and messages are in the first --lang language. Enter alone takes the proposed answer; < goes
    back a question; ? shows the help again. Ctrl-C or the end of input saves the answers so far and shows
    the command that goes on. With no terminal, give --defaults or --from: questions left unanswered then
    take their default.
    """
    from dataclasses import replace

    from . import api, i18n, prompt
    from .output import prepare

    request = prompt.Request(output, prefill, defaults, force, ask=split(ask), build=build,
                             interactive=sys.stdin.isatty() if interactive is None else interactive).resolved()
    recorded = None if lang else prompt.recorded_language(request.prefill)
    langs = split(lang) or ((recorded,) if recorded else ("en",))
    options = api.BuildOptions(langs=langs, formats=split(fmt) or ("md", "docx"), clauses=clauses).check()
    i18n.set_ui_language(langs[0])
    request = replace(request, resume=_repeated(langs, fmt and options.formats, out, build, clauses, defaults),
                      versions=langs[1:] if in_each_language else ())
    answers_file = request.check()
    if build:  # refuse existing documents before the first question, not after the last
        prepare(out, [target for _path, _lang, _fmt, target, _annex in api.targets([answers_file], out, options)],
                force)
    path = prompt.new(request, api.questionnaire())
    say(i18n._("wrote %(path)s", path=path))
    if build:
        try:
            show_report(api.build([path], out, options, force=force))
        except DraftError as error:  # the answers are safe: say how to build them once the cause is fixed
            import shlex

            from .errors import Problem

            command = ["draft", "build", str(path), *_repeated(langs, options.formats, out, True, clauses, False)]
            error.problems.append(Problem(_("The answers are saved in %(file)s. Once this is put right, build the "
                                            "directive with: %(command)s", file=path, command=shlex.join(command))))
            raise


def _repeated(langs, formats, out: Path, build: bool, clauses: Path | None, defaults: bool) -> tuple[str, ...]:
    """The options of `draft new` that the command going on with its answers repeats."""
    options = ["--lang", ",".join(langs)]
    if formats:
        options += ["--format", ",".join(formats)]
    if out != Path("out"):
        options += ["--out", str(out)]
    if not build:
        options.append("--no-build")
    if clauses:
        options += ["--clauses", str(clauses)]
    if defaults:
        options.append("--defaults")
    return tuple(options)


answers_app = typer.Typer(help="Work on an answers file: show its answers, change some of them.",
                          no_args_is_help=True)
app.add_typer(answers_app, name="answers")
AnswersLangOption = typer.Option(None, "--lang", "-l", help="Language of the messages: en, fr, es. [default: the "
                                                              "language the file was answered in, else en]")


def _answers_language(lang: str | None, path: Path) -> str:
    from . import i18n, prompt

    language = i18n.check_language(lang) if lang else prompt.recorded_language(path) or "en"
    i18n.set_ui_language(language)
    return language


@answers_app.command("show")
def answers_show(
    file: Path = typer.Argument(..., help="An answers file (YAML).", show_default=False),
    lang: str | None = AnswersLangOption,
) -> None:
    """Every answer by group, numbered, with a short label; * marks an answer taken as proposed, unreviewed."""
    from . import api, i18n, interview, terminal

    t = i18n.translator(_answers_language(lang, file))
    questionnaire = api.questionnaire()
    loaded = api.load_answers(file)
    state = interview.State(dict(loaded.values), set(loaded.defaulted))
    for line in terminal.review_lines(interview.review(questionnaire, state, t), 100):
        typer.echo(line)


@answers_app.command("set")
def answers_set(
    file: Path = typer.Argument(..., help="An answers file (YAML).", show_default=False),
    assignments: list[str] = typer.Argument(..., help="KEY=VALUE, one or more: max_age_months=48, "
                                                      "age_extension=no, facilities=nursery,kitchen, "
                                                      "legal_basis= (left blank).", show_default=False),
    lang: str | None = AnswersLangOption,
) -> None:
    """Change answers in an answers file: each is checked with the others (a relation it would break is
    refused), the file keeps its comments and order, and it is replaced atomically."""
    from . import answer_edit, api, i18n

    t = i18n.translator(_answers_language(lang, file))
    questionnaire = api.questionnaire()
    changes = answer_edit.set_answers(questionnaire, file, answer_edit.assignments(questionnaire, assignments),
                                      t.lookup)
    for line in answer_edit.describe(questionnaire, changes, t):
        typer.echo(line)
    typer.echo(_("wrote %(path)s", path=file))


@app.command()
def questions(
    lang: str = typer.Option("en", "--lang", "-l", help="Language of the questions: en, fr, es."),
    json_schema: bool = typer.Option(False, "--json-schema", help="Write a JSON Schema (draft 2020-12) of the "
                                     "answers file instead, for editors: `draft questions --json-schema > "
                                     "answers.schema.json`, then start an answers file with the line "
                                     "`# yaml-language-server: $schema=answers.schema.json`."),
) -> None:
    """List the questions by group: key, what each takes, its default or condition, and its text."""
    from . import api, i18n, schema

    i18n.set_ui_language(i18n.check_language(lang))
    t = i18n.translator(lang)
    if json_schema:
        return echo_json(schema.json_schema(api.questionnaire(), t))
    say(schema.listing(api.questionnaire(), t), nl=False)


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="The address to listen on. Only this computer can reach "
                                                         "127.0.0.1; 0.0.0.0 listens on every network."),
    port: int = typer.Option(8000, "--port", "-p", help="The port to listen on (0: any free port)."),
    open_browser: bool = typer.Option(False, "--open", help="Open the questionnaire in the web browser."),
    threads: int = typer.Option(4, "--threads", help="Requests answered at once by this process."),
    behind_proxy: bool = typer.Option(False, "--behind-proxy", help="Trust the X-Forwarded-For, -Proto and -Host "
                                                                     "headers of one reverse proxy in front."),
) -> None:
    """The questionnaire in a web browser: answer it, see the directive and how it measures against the
    standards as you go, download it (.docx, .md …) and the answers file. Nothing is kept on the server."""
    from .web import serve as web_serve

    web_serve.run(web_serve.ServeOptions(host, port, open_browser, threads, behind_proxy), say)


clauses_app = typer.Typer(help="Browse and check the clause library: list, show, coverage, lint.",
                          no_args_is_help=True)
locales_app = typer.Typer(help="Translators' tools: extract, update, check, stats, init.", no_args_is_help=True)
app.add_typer(clauses_app, name="clauses")
app.add_typer(locales_app, name="locales")
JsonOption = typer.Option(False, "--json", help="Write JSON instead of text.")


def echo_json(data) -> None:
    import json
    import re

    text = json.dumps(data, ensure_ascii=False, indent=2, default=str)
    say(re.sub("[\x7f-\x9f]", lambda m: "\\u%04x" % ord(m.group()), text))


@clauses_app.command("list")
def clauses_list(
    section: str | None = typer.Option(None, "--section", "-s", help="Only the clauses of this section."),
    instrument: str | None = typer.Option(None, "--instrument", "-i", help="Only clauses citing this "
                                                                              "instrument (a key: bangkok, crc …)."),
    clauses: Path | None = ClausesOption,
    lang: str = typer.Option("en", "--lang", "-l", help="Language of the titles and citations: en, fr, es."),
    as_json: bool = JsonOption,
) -> None:
    """List the clauses of the library, with the provisions each implements."""
    from . import api, browse

    wording = _wording(lang)
    library = api.library(clauses)
    rows = browse.clause_rows(library, section, instrument)
    if as_json:
        return echo_json(rows)
    say(browse.listing(library, rows, wording, terminal_width()))


@clauses_app.command("show")
def clauses_show(
    clause_id: str = typer.Argument(..., help="The clause id, e.g. admission.application.", show_default=False),
    clauses: Path | None = ClausesOption,
    lang: str = typer.Option("en", "--lang", "-l", help="Language of the text: en, fr, es."),
    as_json: bool = JsonOption,
) -> None:
    """Show one clause in full: text (each parameter by the question it answers), conditions, sources and
    drafting note."""
    from . import api, browse

    wording = _wording(lang)
    library = api.library(clauses)
    if as_json:
        return echo_json(browse.clause_detail(library, clause_id))
    say(browse.shown(library, clause_id, wording, terminal_width()))


@clauses_app.command("coverage")
def clauses_coverage(clauses: Path | None = ClausesOption, as_json: bool = JsonOption) -> None:
    """The concordance: every provision cited with the clauses that implement it, and the topics covered."""
    from . import api, browse

    lib = api.library(clauses)
    data = browse.coverage(lib)
    say(browse.format_coverage(data, lib)) if not as_json else echo_json(data)


@clauses_app.command("lint")
def clauses_lint(
    clauses: Path | None = ClausesOption,
    answers: list[Path] | None = typer.Option(None, "--answers", "-a", help="Answers files to build (repeat the "
                                              "option); by default the questionnaire's defaults and the examples."),
    lang: str = typer.Option("en", "--lang", "-l", help="Language of the messages: en, fr, es."),
) -> None:
    """Find what a careful reader would find wrong in the directives the clauses can build, as file:line:
    a wording that cites a provision its answers fall short of, a reference to an article a build leaves
    out, a term used without its definition or defined and never used, a "shall" that names no one who
    acts, clauses selected together with one they exclude. Exit code 1 when something is found."""
    from . import api, i18n, lint

    i18n.set_ui_language(i18n.check_language(lang))
    library = api.library(clauses)
    bases = lint.bases(api.questionnaire(), list(answers or []), examples())
    report = lint.lint(library, api.questionnaire(), api.standards(), bases)
    for problem in report.findings:
        typer.echo(str(relative(problem)))
    percent = format(report.share, ".1f")
    typer.echo(_("\"shall\" names who acts in %(named)s of its %(total)s uses (%(percent)s%%)",
                 named=report.shall_named, total=report.shall, percent=percent), err=True)
    if report.findings:
        typer.echo(n_("%(n)s finding in %(builds)s builds", "%(n)s findings in %(builds)s builds",
                      len(report.findings), builds=report.builds), err=True)
        raise typer.Exit(1)
    typer.echo(_("no findings in %(builds)s builds", builds=report.builds))


def examples() -> list[Path]:
    """The example answers files shipped with the toolkit, when it runs from a checkout."""
    from . import resources

    folder = resources.path("clauses").parent / "examples"
    return sorted(folder.glob("*.yaml")) if folder.is_dir() else []


def relative(problem):
    """A problem whose file is named from the current folder when it lies inside it."""
    import dataclasses

    if problem.file is None:
        return problem
    try:
        return dataclasses.replace(problem, file=Path(problem.file).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return problem


@app.command()
def check(
    answers: Path = typer.Argument(..., help="An answers file (YAML).", show_default=False),
    lang: str = typer.Option("en", "--lang", "-l", help="Language of the report: en, fr, es."),
    fmt: str = typer.Option("text", "--format", "-f", help="text, json, or the report as a document for the "
                                                           "ministry: md or docx."),
    out: Path | None = typer.Option(None, "--out", "-o", help="The file to write the report to (needed for docx; "
                                                               "md and text go to standard output without it)."),
    force: bool = typer.Option(False, "--force", help="Replace the --out file if it exists."),
) -> None:
    """How the answers measure against each provision of the standards: meets, falls short (and why), or not
    addressed; then a summary per instrument. Exit code 1 when something falls short."""
    from . import api, i18n
    from .errors import OptionError, Problem

    if fmt not in api.REPORT_FORMATS:
        allowed = ", ".join(api.REPORT_FORMATS)
        raise OptionError(Problem(_("expected one of %(allowed)s, found %(found)r", allowed=allowed, found=fmt),
                                  field="--format"))
    if fmt == "docx" and out is None:
        raise OptionError(Problem(_("a Word report is a file: give its name with --out"), field="--out"))
    i18n.set_ui_language(i18n.check_language(lang))
    report = api.compliance(api.load_answers(answers), lang)
    if out is None and fmt == "json":
        echo_json(report.as_json())
    elif out is None:
        say(api.report_bytes(report, fmt, width=terminal_width()).decode("utf-8"), nl=False)
    else:
        data = api.report_bytes(report, fmt)
        api.write_file(out, data, force)
        say(_("wrote %(path)s", path=out))
    raise typer.Exit(1 if report.falls_short else 0)


@app.command()
def instruments(as_json: bool = JsonOption) -> None:
    """The instruments the clauses cite: official titles in English, French and Spanish, adoption, year."""
    from . import api, browse

    rows = browse.instruments(api.library())
    if as_json:
        return echo_json(rows)
    for row in rows:
        say(f"{row['key']:<16} {row['short']['en']} ({row['year']})")
        for lang in ("en", "fr", "es"):
            say(f"{'':<16} {lang}: {row['title'].get(lang, '')}")
        say(f"{'':<16} {row['adoption']}")


@locales_app.command("extract")
def locales_extract() -> None:
    """Refresh locales/messages.pot from the code, templates, questionnaire and clause library."""
    from . import catalog

    template = _template()
    say(_("wrote %(path)s (%(n)s messages)", path=catalog.write_template(template), n=len(template)))


@locales_app.command("update")
def locales_update() -> None:
    """Merge the template into every .po: keep translations, mark changed ones fuzzy, add new ones."""
    from . import catalog

    for path, fuzzy, untranslated in catalog.update(_template()):
        say(_("updated %(path)s: %(fuzzy)s fuzzy, %(untranslated)s untranslated", path=path, fuzzy=fuzzy,
                     untranslated=untranslated))


@locales_app.command("check")
def locales_check(lang: str | None = typer.Argument(None, help="Only this language (default: all).")) -> None:
    """List every problem as file:line (untranslated, fuzzy, placeholders, syntax, msgfmt); exit 1 if any."""
    from . import locale_check

    problems = locale_check.check(lang)
    for problem in problems:
        say(str(problem))
    if problems:
        say(n_("%(n)s problem", "%(n)s problems", len(problems)), err=True)
        raise typer.Exit(1)
    say(_("no problems"))


@locales_app.command("stats")
def locales_stats(as_json: bool = JsonOption) -> None:
    """How much of each language is translated, per section."""
    from . import locale_check

    table = locale_check.stats()
    if as_json:
        return echo_json({lang: {k: {"total": v.total, "translated": v.translated, "percent": v.percent}
                                 for k, v in rows.items()} for lang, rows in table.items()})
    for lang, rows in table.items():
        total = rows["total"]
        percent = format(total.percent, ".1f")
        say(_("%(lang)s: %(percent)s%% translated (%(done)s/%(total)s)", lang=lang,
                     percent=percent, done=total.translated, total=total.total))
        for key, stat in rows.items():
            if key != "total":
                say(f"  {key:<20} {stat.percent:6.1f}%  {stat.translated}/{stat.total}")


@locales_app.command("init")
def locales_init(lang: str = typer.Argument(..., help="Language code, e.g. pt or pt_BR.", show_default=False),
                 force: bool = typer.Option(False, "--force", help="Start again over an existing catalog.")) -> None:
    """Start a new language: create locales/LANG/LC_MESSAGES/messages.po from the template."""
    from . import catalog

    say(_("wrote %(path)s", path=catalog.init(lang, _template, force=force)))


def _wording(lang: str):
    """The words of a language, for what a command shows; the interface speaks it too."""
    from . import api, i18n
    from .wording import Wording

    i18n.set_ui_language(i18n.check_language(lang))
    return Wording(i18n.translator(lang), api.questionnaire())


def terminal_width() -> int:
    import shutil

    return max(40, min(shutil.get_terminal_size((100, 24)).columns, 120))


def _template():
    """The translators' template: every string of the code, templates, questionnaire, library and standards."""
    from . import api, catalog

    return catalog.extract(api.questionnaire(), api.library(), api.standards(), api.forms())


def _preload(options) -> None:
    """Load what every document shares, then freeze it out of the garbage collector's reach: it lives as
    long as this process, and every full collection would walk it again."""
    import gc

    from . import api

    api.preload(options)
    gc.freeze()


def main() -> None:
    app()


if __name__ == "__main__":
    main()
