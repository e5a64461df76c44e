"""The routes of `draft serve`: every page is one form holding every answer; each request decides them
again, renders a page or a file, and forgets them.

    GET  /            the essentials, in the browser's language (or ?lang=)
    POST /            move between pages, change language, apply answers (the form's `_go` button)
    POST /preview     the conditional questions, the errors and the preview, for the page's script
    POST /download    the directive (any format, any language) or the answers file
    POST /upload      an answers file to resume or correct
    GET  /static/NAME the page's stylesheet and script, from the package
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from flask import Flask, Response, abort, g, jsonify, request
from werkzeug.exceptions import HTTPException

from .. import answers as answers_mod, api, i18n, interview, prompt, yamlfile
from ..errors import DraftError
from ..i18n import _
from ..questionnaire import MISSING
from ..render import office
from ..wording import Wording
from . import flow, form, memory, pages, security
from .preview import preview

UPLOAD_LIMIT = 1024 * 1024      # bytes: an answers file is a few kilobytes
MIME = {"md": "text/markdown; charset=utf-8", "html": "text/html; charset=utf-8", "pdf": "application/pdf",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "yaml": "application/yaml; charset=utf-8"}
log = logging.getLogger(__name__)


class Site:
    """What every request reads: the questionnaire in each language and its pages, loaded once."""

    def __init__(self) -> None:
        self.languages = i18n.languages()
        self.questionnaires = {lang: api.questionnaire().in_language(i18n.translator(lang))
                               for lang in self.languages}
        self.pages = flow.pages(api.questionnaire())
        self.page_ids = [p.id for p in self.pages] + [flow.REVIEW]
        self.page_of = {q.key: p.id for p in self.pages for q in p.questions}

    @property
    def formats(self) -> list[str]:
        """PDF where LibreOffice, which lays it out, is installed with its Python bridge: asked at each
        request, so installing LibreOffice while the site runs offers PDF at once."""
        return [fmt for fmt in ("docx", "pdf", "md", "html") if fmt in api.FORMATS
                and (fmt != "pdf" or not isinstance(office.find(), str))]

    def page(self, page_id: str) -> flow.Page | None:
        return next((p for p in self.pages if p.id == page_id), None)


def create_app(secret: bytes | None = None) -> Flask:
    """The web application (a WSGI app: `draft serve` runs it with waitress; any WSGI server can)."""
    app = Flask(__name__, static_folder=None, template_folder=None)
    app.config.update(MAX_CONTENT_LENGTH=UPLOAD_LIMIT, MAX_FORM_MEMORY_SIZE=UPLOAD_LIMIT, MAX_FORM_PARTS=4000)
    key = secret or security.secret()
    site = Site()

    @app.before_request
    def start() -> None:
        g.lang = _language(site)
        i18n.set_ui_language(g.lang)
        cookie = request.cookies.get(security.COOKIE)
        g.new_token = None if security.signed(key, cookie) else security.new_token(key)
        g.token = g.new_token or cookie
        if request.method == "POST" and not security.accepted(key, cookie, request.form.get(security.FIELD)):
            abort(403)

    @app.after_request
    def finish(response: Response) -> Response:
        response.headers.update(security.HEADERS)
        if request.path.startswith("/static/"):
            response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
        else:
            response.headers["Cache-Control"] = "no-store"  # the answers are the page: no copy on disk
        if getattr(g, "new_token", None):
            response.set_cookie(security.COOKIE, g.new_token, httponly=True, samesite="Strict",
                                secure=request.is_secure, path="/")
        return response

    @app.get("/")
    def home():
        state = form.decide(site.questionnaires[g.lang], {})
        return _page(site, state, flow.ESSENTIALS, start=True)

    @app.post("/")
    def navigate():
        go = request.form.get("_go", "")
        state = _state(site, switching=go.startswith("lang:"))
        current = _page_id(site, request.form.get("_page", ""))
        return_to = request.form.get("_return", "") if request.form.get("_return", "") == flow.REVIEW else ""
        if go == "back" and current in site.page_ids:
            return _page(site, state, site.page_ids[max(0, site.page_ids.index(current) - 1)], return_to=return_to)
        if go.startswith("change:") and go[7:] in site.page_of:
            return _page(site, state, site.page_of[go[7:]], return_to=flow.REVIEW)
        if go.startswith("page:"):
            return _page(site, state, _page_id(site, go[5:]), return_to=return_to)
        if go in ("next", "rest"):
            stop = _stop(site, state, current)
            if stop is not None:
                return _page(site, state, current, checking=True, notice=stop, return_to=return_to,
                             status=422 if stop == "errors" else 200)
            if go == "rest" or return_to:
                return _page(site, state, flow.REVIEW)
            return _page(site, state, site.page_ids[min(len(site.page_ids) - 1, site.page_ids.index(current) + 1)])
        return _page(site, state, current, return_to=return_to)  # a change of language, or the preview

    @app.post("/preview")
    def live():
        state = _state(site)
        return jsonify(applies=state.applies, errors=state.invalid, missing=state.missing,
                       aside=pages.render("aside.html.j2", **_aside(state)))

    @app.post("/download")
    def download():
        state = _state(site)
        fmt = request.form.get("_fmt", "")
        lang = request.form.get("_doc_lang", g.lang)
        if fmt not in [*site.formats, "yaml"] or lang not in site.languages:
            abort(400)
        if fmt == "yaml":
            return _attachment(_answers_file(state).encode("utf-8"), "answers.yaml", fmt)
        if not state.complete:
            return _page(site, state, flow.REVIEW, checking=True, status=422)
        try:
            data = api.render_file(state.answers(), lang, fmt, api.BuildOptions(langs=(lang,), formats=(fmt,)))
        except DraftError as error:
            return _page(site, state, flow.REVIEW, failure=error, status=422)
        finally:
            memory.release()
        return _attachment(data, f"directive.{lang}.{fmt}", fmt)

    @app.post("/upload")
    def upload():
        given = request.files.get("answers")
        here = _state(site)  # the answers on the page, kept if the file cannot be used
        current = _page_id(site, request.form.get("_page", ""))
        if given is None or not given.filename:
            return _page(site, here, current, upload_error=DraftError(_("choose an answers file to upload")),
                         status=400)
        name = _display_name(given.filename)
        try:
            data = answers_mod.check_mapping(yamlfile.loads(yamlfile.decode(given.read(), name), name), name)
            problems = answers_mod.unknown_keys(api.questionnaire(), data, name)
            if problems:
                answers_mod.fail(problems, name)
        except DraftError as error:
            return _page(site, here, current, upload_error=error, status=400)
        raw = {key: form.encode(api.questionnaire().by_key[key], value) for key, value in data.items()
               if key not in answers_mod.METADATA}   # the keys about the file: its language, its defaults
        state = form.decide(site.questionnaires[g.lang], raw)
        failure = None
        try:
            answers_mod.validate(api.questionnaire(), data, name)
        except DraftError as error:  # the answers are on the page to correct; the file's message says what
            failure = error
        return _page(site, state, flow.REVIEW, checking=True, failure=failure, uploaded=name)

    @app.get("/static/<name>")
    def static_file(name: str):
        found = pages.assets().get(name)
        if found is None:
            abort(404)
        return Response(found.data, content_type=found.mimetype)

    @app.get("/healthz")
    def health():
        return Response("ok\n", mimetype="text/plain")

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        return _error_page(error.code or 500), error.code or 500

    @app.errorhandler(DraftError)
    def draft_error(error: DraftError):
        return _error_page(400, error), 400

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        log.exception("unexpected error")
        return _error_page(500), 500

    return app


def _language(site: Site) -> str:
    """The page's language: the one asked for (a language button, the form, ?lang=), else the browser's."""
    go = request.form.get("_go", "") if request.method == "POST" and request.content_length else ""
    for wanted in (go[5:] if go.startswith("lang:") else "",
                   request.form.get("_lang", "") if request.method == "POST" and request.content_length else "",
                   request.args.get("lang", "")):
        if wanted in site.languages:
            return wanted
    return request.accept_languages.best_match(site.languages) or i18n.SOURCE_LANGUAGE


def _state(site: Site, switching: bool = False) -> form.State:
    questionnaire = site.questionnaires[g.lang]
    sent_in = request.form.get("_lang", "")
    raw = form.read(request.form, questionnaire, sent_in if sent_in in site.languages else g.lang)
    if switching and request.form.get("_lang", "") in site.languages:
        raw = form.without_default_texts(raw, api.questionnaire(), i18n.translator(request.form["_lang"]))
    return form.decide(questionnaire, raw)


def _page_id(site: Site, wanted: str) -> str:
    return wanted if wanted in site.page_ids else flow.ESSENTIALS


def _stop(site: Site, state: form.State, current: str) -> str | None:
    """Why the official stays on this page before going on: an answer to correct or give, or questions
    that the answers just made apply and that the page has not shown yet."""
    page = site.page(current)
    if page is None:
        return None
    keys = [q.key for q in page.questions if state.applies[q.key]]
    if any(key in state.errors for key in keys):
        return "errors"
    shown = set(request.form.get("_shown", "").split())
    if any(key not in shown for key in keys):
        return "new"
    return None


def _aside(state: form.State) -> dict[str, Any]:
    """The preview and the findings, or what stops them."""
    failure = None
    try:
        shown = preview(state.preview_answers(), g.lang)
    except DraftError as error:
        shown, failure = None, error
    waiting = [q for q in state.questionnaire if q.key in state.errors and q.required]
    return {"preview": shown, "preview_failure": failure, "waiting": waiting, "partial": not state.complete,
            "t": i18n.translator(g.lang), "lang": g.lang}


def _page(site: Site, state: form.State, page_id: str, *, checking: bool = False, notice: str | None = None,
          return_to: str = "", failure: DraftError | None = None, upload_error: DraftError | None = None,
          uploaded: str | None = None, start: bool = False, status: int = 200):
    """A page of questions (or the review) for these answers; `checking` shows what is missing too."""
    t = i18n.translator(g.lang)
    questionnaire = state.questionnaire
    page = site.page(page_id)
    groups = [(group, [questionnaire.by_key[q.key] for q in group.questions]) for group in page.groups] if page else []
    asked = [q for _group, questions in groups for q in questions]
    asked_keys = {q.key for q in asked}
    errors = state.errors if checking else state.invalid
    shown_errors = [q for q in (asked if page else questionnaire) if q.key in errors and state.applies[q.key]]
    visible = [q.key for q in asked if state.applies[q.key]]
    seen = set(request.form.get("_shown", "").split()) if request.method == "POST" else set(visible)
    listing = None if page else flow.review(questionnaire, state.values, state.applies, state.errors,
                                            Wording(t, questionnaire))
    html = pages.render(
        "review.html.j2" if page is None else "page.html.j2",
        languages=pages.language_names(), csrf=g.token, state=state, current=page_id,
        pages=site.pages, page_ids=site.page_ids, page_groups=groups, return_to=return_to, errors=errors,
        shown_errors=shown_errors, notice=notice, visible=visible,
        fresh={key for key in visible if key not in seen} if notice == "new" else set(),
        hidden=[q for q in questionnaire if q.key not in asked_keys], listing=listing, formats=site.formats,
        failure=failure, upload_error=upload_error, uploaded=uploaded, wording=Wording(t, questionnaire),
        field_id=_field_id, default_of=_default_of, start=start, **_aside(state))
    return html, status


def _field_id(question) -> str:
    """The id of a question's first field, where a link to it takes the keyboard."""
    suffix = {"bool": "-true", "choice": "-1", "multi": "-1"}.get(question.type, "")
    return f"q-{question.key}{suffix}"


def _default_of(question):
    return None if question.default is MISSING else question.default


def _answers_file(state: form.State) -> str:
    """The answers of the page as `draft new` writes them; while some are missing or still to correct,
    the answers so far, marked as `draft new` marks a file saved before the end (an answer to correct
    as typed), so that nothing typed is lost and the file resumes here or with `draft new --from`."""
    t = i18n.translator(g.lang)
    questionnaire = state.questionnaire
    taken = {key for key in interview.proposed(questionnaire, state.values) if not questionnaire.by_key[key].essential}
    if state.complete:
        return answers_mod.dump(questionnaire, state.values, t.lookup, language=g.lang, defaulted=taken)
    typed = {key: form.typed(questionnaire.by_key[key], state.raw[key]) for key in state.invalid}
    text = answers_mod.dump(questionnaire, {**state.values, **typed}, t.lookup, language=g.lang, defaulted=taken)
    note = _("Not every question is answered yet. To go on, run: %(command)s",
             command=prompt.resume_command(Path("answers.yaml"), ("--lang", g.lang)))
    return "\n".join([prompt.INCOMPLETE, "# " + note, text])


def _display_name(filename: str) -> str:
    """An uploaded file's name as its messages show it: the last part only, printable, short. It names
    the file in messages and is never opened."""
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable())[:80]
    return name or "answers.yaml"


def _attachment(data: bytes, filename: str, fmt: str) -> Response:
    response = Response(data, mimetype=MIME[fmt])
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _error_page(code: int, error: DraftError | None = None) -> str:
    lang = getattr(g, "lang", None) or _fallback_language()
    i18n.set_ui_language(lang)
    return pages.render("error.html.j2", lang=lang, code=code, error=error, languages=pages.language_names())


def _fallback_language() -> str:
    """The language of a page for a request refused before it was read (too large, say)."""
    languages = i18n.languages()
    wanted = request.args.get("lang", "")
    return wanted if wanted in languages else request.accept_languages.best_match(languages) or "en"
