"""`draft serve` through the framework's test client, as a browser without JavaScript uses it: every
page in three languages, answers kept across pages and languages, validation next to the field,
uploads good and bad, downloads, the token against cross-site requests, limits and headers."""
from __future__ import annotations

import dataclasses
import io
import re
import threading

import docx
import pytest
import yaml
from conftest import EXAMPLES, MINIMAL
from test_hardening import CORPUS, EXPECTED, HOSTILE
from webpage import get, post

from toolkit import answers as answers_mod, api, i18n
from toolkit.render import office
from toolkit.web import create_app, flow, security
from toolkit.wording import Wording

LANGS = ("en", "fr", "es")
ESSENTIALS = yaml.safe_load(MINIMAL.replace("2026-11-22", "'2026-11-22'"))


@pytest.fixture(scope="module")
def app():
    return create_app(b"test secret")


@pytest.fixture
def client(app):
    return app.test_client()


def page_of(key: str) -> str:
    return next(p.id for p in flow.pages(api.questionnaire()) if key in {q.key for q in p.questions})


def start(client, lang="en"):
    return get(client, f"/?lang={lang}")


def answered(client, lang="en", **more):
    """The review page once the essentials are answered and the rest proposed."""
    return start(client, lang).press("rest", **{**ESSENTIALS, **more})


def words(text: str) -> str:
    """Text with its spaces as a page's text content gives them (no-break spaces included)."""
    return " ".join(text.split())


def translated(lang: str, message: str, **values) -> str:
    text = i18n.translator(lang).gettext(message)
    return text % values if values else text


# -- every page, in every language
@pytest.mark.parametrize("lang", LANGS)
def test_every_page_in_each_language(client, lang):
    page = start(client, lang)
    assert page.status == 200 and page.lang == lang
    assert page.heading == translated(lang, "The essentials")
    t = i18n.translator(lang)
    for step in flow.pages(api.questionnaire())[1:]:
        page = page.press(f"page:{step.id}")
        assert page.status == 200 and page.lang == lang
        assert page.heading == step.groups[0].heading(t)
        for question in step.questions:  # the words of the one definition, in the page's language
            block = page.content(f"w-{question.key}")
            assert words(question.text(t)) in block
            assert words(question.help_text(t)) in block
            for choice in question.choices:
                assert words(question.label(choice, t)) in block
    review = page.press("page:review")
    assert review.status == 200 and review.heading == translated(lang, "Review and download")
    if lang != "en":
        assert translated(lang, "Continue") != "Continue"  # the interface is translated, not only the questions
        assert translated(lang, "Download") in review.text


@pytest.mark.parametrize(("header", "lang"), [("fr-CA,fr;q=0.9,en;q=0.5", "fr"), ("es-419", "es"),
                                              ("de-DE,de;q=0.9", "en"), ("", "en")])
def test_the_browser_language_is_the_default(client, header, lang):
    page = get(client, "/", headers={"Accept-Language": header} if header else {})
    assert page.lang == lang


def test_labels_are_tied_to_fields_and_help_to_them(client):
    page = start(client)
    doc = page.doc
    for field in doc.xpath("//form[@id='w-form']//input[@type!='hidden']"):
        label = doc.xpath("//label[@for=$id]", id=field.get("id"))
        assert label, field.get("id")
        described = field.get("aria-describedby") or field.xpath("ancestor::fieldset/@aria-describedby")[0]
        for ref in described.split():
            assert page.by_id(ref) is not None, ref
    assert doc.xpath("//a[@class='w-skip']/@href") == ["#w-main"] and page.by_id("w-main") is not None


# -- answers across pages and languages
def test_answers_survive_every_page_and_a_change_of_language(client):
    page = start(client).press(f"page:{page_of('jurisdiction')}", **ESSENTIALS)
    page = page.press(f"page:{page_of('max_age_months')}", max_age_months="30")
    page = page.press("lang:fr")
    assert page.lang == "fr" and page.value("max_age_months") == "30"
    assert page.value("jurisdiction") == "Ruritania"
    # a proposed text, left as proposed, is proposed again in the new language; a typed one is kept
    t = i18n.translator("fr")
    assert page.value("signing_office") == api.questionnaire().by_key["signing_office"].default_text(t)
    page = page.press(f"page:{page_of('director_title')}", director_title="Governor").press("lang:es")
    assert page.value("director_title") == "Governor"


def test_the_answers_file_is_the_one_the_cli_writes(client):
    review = answered(client, "fr", max_age_months="30")
    download = review.press("yaml")
    assert download.status == 200
    assert download.response.headers["Content-Disposition"] == 'attachment; filename="answers.yaml"'
    loaded = answers_mod.validate(api.questionnaire(), yaml.safe_load(download.text))
    values = loaded.values
    assert values["max_age_months"] == 30 and values["jurisdiction"] == "Ruritania"
    # the language of the page, and the answers that hold the proposed answer (draft new --from offers to
    # review them), except the essentials, which the first page asks
    assert loaded.language == "fr" and "board_chair" in loaded.defaulted and "max_age_months" not in loaded.defaulted
    assert not {q.key for q in api.questionnaire().essentials()} & loaded.defaulted
    t = i18n.translator("fr")
    expected = answers_mod.dump(api.questionnaire().in_language(t), values, t.lookup, language="fr",
                                defaulted=loaded.defaulted)
    assert download.text == expected


# -- validation next to the field, in the page's language
@pytest.mark.parametrize("lang", LANGS)
def test_a_wrong_answer_is_named_next_to_its_field(client, lang):
    page = start(client, lang).press(f"page:{page_of('max_age_months')}", **ESSENTIALS)
    page = page.press("next", max_age_months="200")
    assert page.status == 422 and page.value("_page") == page_of("max_age_months")
    i18n.set_ui_language(lang)
    expected = api.questionnaire().by_key["max_age_months"]
    with pytest.raises(ValueError) as why:
        expected.coerce(200)
    message = page.content("q-max_age_months-error")
    assert message == words(str(why.value))
    field = page.by_id("q-max_age_months")
    assert field.get("aria-invalid") == "true" and "q-max_age_months-error" in field.get("aria-describedby")
    assert page.by_id("q-max_age_months-error").get("role") == "alert"
    summary = page.doc.xpath("//div[@class='w-summary']")[0]
    assert summary.get("role") == "alert" and summary.xpath(".//a/@href") == ["#q-max_age_months"]
    # typed as it was, to correct
    assert page.value("max_age_months") == "200"


def test_a_required_answer_left_blank_stops_at_its_page(client):
    page = start(client).press("next", jurisdiction="  ")
    assert page.status == 422 and page.heading == "The essentials"
    assert page.content("q-jurisdiction-error") == "this question needs an answer"
    assert page.content("q-issuing_authority-error") == "this question needs an answer"
    page = page.press("next", **ESSENTIALS)
    assert page.status == 200 and page.value("_page") != flow.ESSENTIALS


def test_a_relation_between_answers_is_checked_at_its_question(client):
    page = start(client).press(f"page:{page_of('max_age_extended_months')}", **ESSENTIALS)
    page = page.press("next", max_age_months="48", max_age_extended_months="48", age_extension="true")
    assert "expected more than 48 months (the answer to “Age limit”, max_age_months), found 48 months" in page.content(
        "q-max_age_extended_months-error")


def test_conditional_questions_appear_when_their_condition_holds(client):
    page = start(client).press(f"page:{page_of('age_extension')}", **ESSENTIALS, age_extension="false")
    on_page = page_of("max_age_extended_months") == page_of("age_extension")
    page = page.press("stay", age_extension="false")
    if on_page:
        assert page.by_id("w-max_age_extended_months").get("hidden") is not None
    # without JavaScript, going on after a change that brings in questions shows them first
    page = page.press("next", age_extension="true")
    if on_page:
        assert page.by_id("w-max_age_extended_months").get("hidden") is None
        assert page.value("_page") == page_of("age_extension")
        assert "w-fresh" in page.by_id("w-max_age_extended_months").get("class")
        page = page.press("next")
    assert page.value("_page") != page_of("age_extension")
    review = page.press("page:review")
    assert review.by_id("r-max_age_extended_months") is not None
    review = review.press(f"change:{'age_extension'}").press("next", age_extension="false")
    assert review.heading == "Review and download" and review.by_id("r-max_age_extended_months") is None
    assert review.value("max_age_extended_months") == "48"  # kept in the form, should it apply again


# -- the review and the downloads
def test_review_lists_every_answer_numbered_and_changes_one(client):
    review = answered(client)
    numbers = [int(n) for n in review.doc.xpath("//table[@class='w-review']//tr/td[1]/text()")]
    assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) > 50
    assert "Ruritania" in review.content("r-jurisdiction")
    assert "36 months" in review.content("r-max_age_months") and "(proposed)" in review.content("r-max_age_months")
    assert "Age limit" in review.content("r-max_age_months")   # the short label, as in draft new's review
    button = review.button("change:max_age_months")
    assert button.get("formaction") == "/#q-max_age_months"
    page = review.press("change:max_age_months")
    assert page.value("_return") == "review" and page.by_id("q-max_age_months") is not None
    review = page.press("next", max_age_months="24")
    assert review.heading == "Review and download"
    assert "24 months" in review.content("r-max_age_months") and "(proposed)" not in review.content("r-max_age_months")


@pytest.mark.office
@pytest.mark.parametrize("lang", LANGS)
def test_downloads_in_every_format_and_language(client, lang):
    review = answered(client)
    offered = [b.get("value") for b in review.doc.xpath("//button[@name='_fmt']")]
    assert {"docx", "md", "html", "yaml"} <= set(offered) <= {*api.FORMATS, "yaml"}
    assert ("pdf" in offered) == (not isinstance(office.find(), str))
    for fmt in offered:
        if fmt == "yaml" or (fmt == "pdf" and lang != "fr"):  # one PDF is enough: LibreOffice takes seconds
            continue
        download = review.press(fmt, _doc_lang=lang)
        assert download.status == 200, download.text[:500]
        assert download.response.headers["Content-Disposition"] == f'attachment; filename="directive.{lang}.{fmt}"'
        data = download.response.data
        if fmt == "docx":
            document = docx.Document(io.BytesIO(data))
            assert any("Ruritania" in p.text for p in document.paragraphs)
            assert document.core_properties.language.startswith(lang)
        elif fmt == "pdf":
            assert data.startswith(b"%PDF")
        elif fmt == "md":
            assert "Ruritania" in data.decode("utf-8")
            section = api.library().sections[0]
            assert Wording(i18n.translator(lang), api.questionnaire()).section_title(section.key, section.title) \
                in data.decode("utf-8")


def test_pdf_is_offered_only_where_libreoffice_can_lay_it_out(client):
    review = answered(client)  # DRAFT_SOFFICE is empty here: as on a server without LibreOffice
    assert "pdf" not in [b.get("value") for b in review.doc.xpath("//button[@name='_fmt']")]
    docx_button = review.button("docx")
    refused = post(client, docx_button.get("formaction") or "/", [*review.changed(_doc_lang="en"), ("_fmt", "pdf")])
    assert refused.status != 200 and not refused.response.data.startswith(b"%PDF")


def test_a_directive_is_not_written_from_incomplete_answers(client):
    review = start(client).press("page:review")
    assert review.status == 200 and review.by_id("r-jurisdiction") is not None
    refused = review.press("docx")
    assert refused.status == 422 and refused.response.mimetype == "text/html"
    assert "this question needs an answer" in refused.content("r-jurisdiction")
    assert "Ruritania" not in refused.text


def test_the_answers_so_far_can_be_saved_and_resumed(client):
    from toolkit import prompt

    page = start(client).press(f"page:{page_of('max_age_months')}", jurisdiction="Ruritania")
    saved = page.press("page:review").press("yaml", max_age_months="eighteen")
    assert saved.status == 200 and saved.text.startswith(prompt.INCOMPLETE + "\n")
    data = yaml.safe_load(saved.text)
    assert data["jurisdiction"] == "Ruritania" and data["max_age_months"] == "eighteen"
    assert "issuing_authority" not in data
    resumed = upload(client, saved.response.data)
    assert resumed.status == 200 and resumed.value("jurisdiction") == "Ruritania"
    assert "max_age_months: expected a whole number of months, or a number with its unit" in resumed.content("w-main")
    assert "this question needs an answer" in resumed.content("r-issuing_authority")


# -- uploads
def upload(client, content: bytes, name="answers.yaml", lang="en"):
    page = start(client, lang)
    pairs = {"_csrf": page.value("_csrf"), "_lang": lang, "answers": (io.BytesIO(content), name)}
    return post(client, f"/upload?lang={lang}", list(pairs.items()), content_type="multipart/form-data")


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_an_answers_file_resumes_as_it_was(client, example):
    page = upload(client, example.read_bytes(), example.name)
    assert page.status == 200 and page.heading == "Review and download"
    assert f"The answers of {example.name} are on this page." in page.text
    download = page.press("yaml")
    assert answers_mod.validate(api.questionnaire(), yaml.safe_load(download.text)).values == \
        api.load_answers(example).values


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_broken_answers_file_gets_the_message_of_the_command_line(client, name):
    page = upload(client, (CORPUS / name).read_bytes(), name)
    assert page.status in (200, 400), page.status
    assert "Traceback" not in page.text
    shown = " ".join(page.doc.xpath("//ul[@class='w-problems']")[0].text_content().split())
    for fragment in EXPECTED[name]:
        assert (name + fragment if fragment.startswith(":") else fragment) in shown, (fragment, shown)
    alert = page.doc.xpath("//*[@role='alert'][.//ul[@class='w-problems']]")
    assert alert


def test_a_broken_file_is_explained_in_the_page_language(client):
    page = upload(client, b"jurisdiction: [unclosed\n", "x.yaml", lang="es")
    assert page.status == 400 and page.lang == "es"
    i18n.set_ui_language("es")
    assert i18n._("expected valid YAML, found %(found)s", found="")[:10] in page.text


def test_an_upload_names_only_the_file_never_a_path(client):
    page = upload(client, b"favourite_colour: blue\n", "../../etc/passwd")
    assert page.status == 400
    assert "passwd:1: favourite_colour: unknown question key" in page.text and "../" not in page.text


def test_an_upload_over_the_limit_is_refused_with_413(client):
    page = upload(client, b"# " + b"x" * (1024 * 1024 + 10) + b"\n", lang="fr")
    assert page.status == 413 and page.lang == "fr"
    assert "1" in page.content("w-main") and translated("fr", "The file is too large") in page.text


def test_an_upload_without_a_file_says_so(client):
    page = start(client)
    result = post(client, "/upload", [("_csrf", page.value("_csrf"))], content_type="multipart/form-data")
    assert result.status == 400 and "choose an answers file to upload" in result.text


# -- what users write is text
@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_text_appears_literally_on_the_page_and_in_the_files(client, value):
    review = answered(client, jurisdiction=value, issuing_authority=value)
    assert value in review.content("r-jurisdiction")
    assert review.value("jurisdiction") == value
    preview = review.doc.xpath("//div[@class='w-directive']")[0]
    assert value in preview.text_content()
    assert not preview.xpath(".//b|.//script|.//img|.//blockquote|.//code")  # none of it became markup
    document = docx.Document(io.BytesIO(review.press("docx").response.data))
    assert any(value in p.text for p in document.paragraphs)
    saved = yaml.safe_load(review.press("yaml").text)
    assert saved["jurisdiction"] == value and saved["issuing_authority"] == value
    live = post(client, "/preview", review.fields())
    assert value in re.sub(r"\s+", " ", get_text(live.response.get_json()["aside"]))


def get_text(markup: str) -> str:
    from lxml import html as lxml_html

    return lxml_html.fragment_fromstring(markup, create_parent="div").text_content()


# -- the script's route
def test_the_preview_follows_the_answers(client):
    page = start(client, "fr")
    result = post(client, "/preview", page.changed(**ESSENTIALS, age_extension="false", max_age_months="abc"))
    assert result.status == 200
    data = result.response.get_json()
    assert data["applies"]["max_age_extended_months"] is False and data["applies"]["jurisdiction"] is True
    i18n.set_ui_language("fr")
    assert data["errors"]["max_age_months"] == i18n._(
        'expected a whole number of %(unit)s, or a number with its unit such as "3 years" or "45 days", found '
        '%(found)s', unit=i18n._("months"), found="'abc'")
    assert "Ruritania" in get_text(data["aside"])
    waiting = post(client, "/preview", page.fields()).response.get_json()
    assert "Ruritania" not in waiting["aside"] and waiting["missing"]["jurisdiction"]


# -- security
def test_every_response_carries_the_security_headers(client):
    review = answered(client)
    responses = [start(client).response, review.response, review.press("docx").response,
                 client.get("/static/app.css"), client.get("/nowhere"), client.post("/")]
    for response in responses:
        assert response.headers["Content-Security-Policy"].startswith("default-src 'self';")
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
        assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert start(client).response.headers["Cache-Control"] == "no-store"


def test_no_page_asks_for_anything_from_elsewhere(client):
    for page in (start(client), answered(client)):
        for ref in page.doc.xpath("//@src|//@href|//@action|//@formaction"):
            assert ref.startswith(("/", "#")), ref
        assert not page.doc.xpath("//*[@style]|//style|//script[not(@src)]")  # nothing inline: CSP allows none
    css = client.get("/static/app.css").get_data(as_text=True)
    assert "url(" not in css and "@import" not in css


@pytest.mark.parametrize("route", ["/", "/preview", "/download", "/upload"])
def test_a_request_without_the_token_changes_nothing(app, route):
    client = app.test_client()
    page = start(client)
    fields = [*page.fields(), ("_go", "next"), ("_fmt", "yaml")]
    assert post(client, route, [(n, v) for n, v in fields if n != "_csrf"]).status == 403
    assert post(client, route, [(n, "x" + v if n == "_csrf" else v) for n, v in fields]).status == 403
    other = app.test_client()  # another browser: no cookie, so its own token proves nothing here
    refused = post(other, route, fields)
    assert refused.status == 403 and "This page has expired" in refused.text
    forged = security.new_token(b"another secret")
    client.set_cookie(security.COOKIE, forged)
    assert post(client, route, [(n, forged if n == "_csrf" else v) for n, v in fields]).status == 403


def test_any_worker_with_the_same_secret_serves_the_same_browser():
    first, second = create_app(b"shared"), create_app(b"shared")
    client = first.test_client()
    page = start(client)
    token = page.value("_csrf")
    other = second.test_client()
    other.set_cookie(security.COOKIE, token)
    review = post(other, "/", page.changed(**ESSENTIALS, _go="rest"))
    assert review.status == 200 and review.heading == "Review and download"
    stranger = create_app(b"not shared").test_client()
    stranger.set_cookie(security.COOKIE, token)
    assert post(stranger, "/", page.fields()).status == 403


def test_the_token_cookie_is_for_this_site_only(client):
    cookie = start(client).response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie


def test_static_files_come_from_the_package_by_name_only(client):
    assert client.get("/static/app.js").mimetype == "text/javascript"
    for path in ("/static/../app.py", "/static/%2e%2e%2fapp.py", "/static/..%5capp.py", "/static/missing.css"):
        assert client.get(path).status_code == 404, path


def test_an_unexpected_failure_is_a_page_not_a_traceback(app, client, monkeypatch):
    from toolkit.web import app as app_mod

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(app_mod, "preview", broken)
    page = start(client, "fr")
    assert page.status == 500 and page.lang == "fr" and "boom" not in page.text and "Traceback" not in page.text


def test_nonsense_in_the_form_is_ignored(client):
    page = start(client)
    pairs = [*page.fields(), ("_page", "../../secret"), ("_go", "page:nowhere"), ("_return", "elsewhere"),
             ("no_such_question", "x")]
    result = post(client, "/", pairs)
    assert result.status == 200 and result.heading == "The essentials"
    download = post(client, "/download", [*page.fields(), ("_fmt", "../../etc/passwd")])
    assert download.status == 400


# -- the command
def test_serve_says_where_and_opens_the_browser(invoke, monkeypatch):
    import threading
    import webbrowser

    import waitress

    from toolkit.web import serve

    served, opened = {}, []

    class Server:
        effective_port = 8123

        def run(self):
            served["ran"] = True

        def close(self):
            served["closed"] = True

    def create_server(app, **options):
        served.update(options)
        return Server()

    class Now:
        def __init__(self, delay, function, args):
            self.call = lambda: function(*args)

        def start(self):
            self.call()

    monkeypatch.setattr(waitress, "create_server", create_server)
    monkeypatch.setattr(serve, "warm", lambda: None)
    monkeypatch.setattr(threading, "Timer", Now)
    monkeypatch.setattr(webbrowser, "open", opened.append)
    result = invoke("serve", "--port", "8123", "--open")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "The questionnaire is at http://127.0.0.1:8123/ — press Ctrl-C to stop."
    assert served["host"] == "127.0.0.1" and served["ran"] and served["closed"]
    assert opened == ["http://127.0.0.1:8123/"]
    result = invoke("serve", "--host", "0.0.0.0")
    assert "note: listening beyond this computer" in result.stdout


def test_serve_on_a_port_in_use_says_so(invoke):
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = invoke("serve", "--port", str(port))
    assert result.exit_code == 2
    assert f"cannot listen on 127.0.0.1 port {port}: Address already in use; choose another" in result.stderr


def test_serve_refuses_no_threads(invoke):
    result = invoke("serve", "--threads", "0")
    assert result.exit_code == 2 and "expected a number of threads of 1 or more, found 0" in result.stderr


def test_the_deployment_files_run_the_command_as_it_is(invoke):
    """The service file and the container start `draft serve` with options it has, behind the proxy
    of nginx.conf, whose workers are the ports the service file's instances listen on."""
    import shlex

    from conftest import ROOT

    deploy = ROOT / "deploy"
    unit = (deploy / "draft-serve@.service").read_text(encoding="utf-8")
    exec_start = shlex.split(re.search(r"^ExecStart=(.+)$", unit, re.M).group(1).replace("%i", "8001"))
    container = (deploy / "Containerfile").read_text(encoding="utf-8")
    cmd = yaml.safe_load(re.search(r"^CMD (\[.+\])$", container, re.M).group(1))
    options = invoke("serve", "--help").stdout
    for command in (exec_start, cmd):
        assert command[0].endswith("/draft") and command[1] == "serve"
        for word in command[2:]:
            if word.startswith("--"):
                assert word in options, word
        assert "--behind-proxy" in command
    nginx = (deploy / "nginx.conf").read_text(encoding="utf-8")
    assert "server 127.0.0.1:8001;" in nginx and "X-Forwarded-Proto" in nginx
    assert "EnvironmentFile=/etc/draft-serve.env" in unit and security.SECRET_ENV in unit


def test_behind_an_https_proxy_the_cookie_is_secure():
    from toolkit.web import serve

    app = create_app(b"k")
    serve.trust_proxy(app)
    response = app.test_client().get("/", headers={"X-Forwarded-Proto": "https"})
    assert "Secure" in response.headers["Set-Cookie"]
    assert "Secure" not in create_app(b"k").test_client().get("/").headers["Set-Cookie"]


def test_a_broken_upload_keeps_the_answers_on_the_page(client):
    page = start(client).press("page:essentials", jurisdiction="Ruritania")
    pairs = [*page.changed(_go="upload"), ("answers", (io.BytesIO(b"- a list\n"), "broken.yaml"))]
    result = post(client, "/upload", pairs, content_type="multipart/form-data")
    assert result.status == 400 and result.value("jurisdiction") == "Ruritania"
    assert "broken.yaml: expected a mapping of question keys to answers, found a list" in result.content("w-file-error")
    assert result.by_id("w-file").get("aria-invalid") == "true"


def test_a_free_text_answer_can_be_given_in_each_language():
    from werkzeug.datastructures import MultiDict

    from toolkit.web import form

    question = api.questionnaire().by_key["jurisdiction"]
    fields = MultiDict([("jurisdiction", "le Royaume de Nordmark"), ("jurisdiction.en", "the Kingdom of Nordmark"),
                        ("jurisdiction.es", " ")])
    raw = form.read(fields, api.questionnaire(), "fr")
    assert raw["jurisdiction"] == {"fr": "le Royaume de Nordmark", "en": "the Kingdom of Nordmark", "es": " "}
    assert form.typed(question, raw["jurisdiction"]) == {"fr": "le Royaume de Nordmark",
                                                         "en": "the Kingdom of Nordmark"}
    alone = form.read(MultiDict([("jurisdiction", "Nordmark"), ("jurisdiction.en", "")]), api.questionnaire(), "fr")
    assert alone["jurisdiction"] == "Nordmark"   # no other version: the same text in every language


def test_officials_downloading_one_directive_at_once_wait_for_one_layout(monkeypatch):
    """The same document gives the same bytes, so concurrent and repeated downloads of one directive share
    one LibreOffice layout; another directive, or another format, is laid out for itself — by the one
    soffice the server keeps, started again when it fails."""
    from toolkit.errors import OfficeError, Problem

    sessions, layouts, gate, failing = [], [], threading.Event(), []

    class Session:
        def __init__(self, installation):
            sessions.append(installation)

        def lay_out(self, word, pdf=False, prefix="_Toc", date=""):
            gate.wait(5)
            layouts.append(pdf)
            if failing:
                raise OfficeError(Problem(failing.pop()))
            return {}, (b"%PDF-" + word[:8]) if pdf else None

        def close(self):
            pass

    monkeypatch.setattr(office, "Session", Session)
    monkeypatch.setattr(office, "_KEPT", {})
    monkeypatch.setattr(api, "_office", lambda options: (office.Installation("soffice", "python3"), None))
    monkeypatch.setattr(api, "_LAID_OUT", type(api._LAID_OUT)())
    answers = api.load_answers(EXAMPLES[0])
    options = api.BuildOptions(langs=("en",), formats=("docx",))
    results: list[bytes] = []
    threads = [threading.Thread(target=lambda: results.append(api.render_file(answers, "en", "docx", options)))
               for _ in range(5)]
    for thread in threads:
        thread.start()
    gate.set()
    for thread in threads:
        thread.join(10)
    assert len(layouts) == 1 and len(results) == 5 and len(set(results)) == 1
    assert api.render_file(answers, "en", "docx", options) == results[0] and len(layouts) == 1
    api.render_file(answers, "fr", "docx", options)
    api.render_file(answers, "en", "pdf", dataclasses.replace(options, formats=("pdf",)))
    assert len(layouts) == 3 and len(sessions) == 1
    failing.append("soffice stopped")
    with pytest.raises(OfficeError):
        api.render_file(answers, "es", "docx", options)
    api.render_file(answers, "es", "docx", options)
    assert len(sessions) == 2


def test_a_server_starts_libreoffice_before_the_first_download_and_survives_its_failure(monkeypatch):
    from toolkit.errors import OfficeError, Problem

    started, failing = [], [True]

    class Session:
        def __init__(self, installation):
            started.append(installation)

        def start(self):
            if failing:
                failing.pop()
                raise OfficeError(Problem("soffice did not start"))

        def lay_out(self, word, pdf=False, prefix="_Toc", date=""):
            return {}, None

        def close(self):
            started.append("closed")

    monkeypatch.setattr(office, "Session", Session)
    kept = office.Kept(office.Installation("soffice", "python3"))
    kept.start()                          # the failure is left to the first layout to report
    assert started == [kept.installation, "closed"]
    kept.start()
    assert kept.lay_out(b"docx") == ({}, None) and started.count(kept.installation) == 2
    kept.close()
    assert started[-1] == "closed"
