"""`draft serve` end to end in a real browser: Debian's Chromium driven by Playwright, against the
server the command starts. An official completes the essentials in French, changes an answer on the
review page, downloads the directive and the answers file, and both open — with JavaScript, and
without it. Skipped, with the reason, where Chromium is not installed."""
from __future__ import annotations

import shutil
import subprocess
import sys

import docx
import pytest
import yaml

from toolkit import answers as answers_mod, api, i18n
from toolkit.web import flow

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
playwright = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium)")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def server():
    """`draft serve` on a free port of 127.0.0.1, as an official would start it."""
    process = subprocess.Popen([sys.executable, "-m", "toolkit.cli", "serve", "--port", "0"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = process.stdout.readline()
    assert line.startswith("The questionnaire is at http://127.0.0.1:"), line + process.stderr.read()
    yield line.split(" at ", 1)[1].split()[0]
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


def page_of(key: str) -> str:
    return next(p.id for p in flow.pages(api.questionnaire()) if key in {q.key for q in p.questions})


def label(key: str, lang: str = "fr") -> str:
    return api.questionnaire().by_key[key].text(i18n.translator(lang))


@pytest.mark.parametrize("javascript", [True, False], ids=["with-javascript", "without-javascript"])
def test_an_official_completes_the_essentials_in_french(server, browser, tmp_path, javascript):
    context = browser.new_context(locale="fr-FR", java_script_enabled=javascript, accept_downloads=True)
    page = context.new_page()
    requests, console = [], []
    context.on("request", lambda request: requests.append(request.url))
    context.on("console", lambda message: console.append(message.text))
    page.goto(server)
    assert page.get_attribute("html", "lang") == "fr"  # the browser's language

    # the keyboard reaches the skip link first, and it leads to the questions
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "w-skip"

    # the essentials, found by their labels
    page.get_by_label(label("jurisdiction")).fill("Ruritanie")
    page.get_by_label(label("issuing_authority")).fill("Service pénitentiaire de Ruritanie")
    page.get_by_label(label("directive_reference")).fill("DAP 1/2026")
    page.get_by_label(label("adoption_date")).fill("2026-11-22")
    if javascript:  # the preview follows the answers in place
        playwright.expect(page.locator(".w-directive")).to_contain_text("Ruritanie")
    else:
        page.click("button[value='stay']")
        assert "Ruritanie" in page.inner_text(".w-directive")

    # a conditional question goes away when its condition no longer holds
    page.click(f"button[value='page:{page_of('age_extension')}']")
    if page_of("max_age_extended_months") == page_of("age_extension"):
        # the same page again (both are essentials): wait for it, the expectation retries until it shows
        page.wait_for_load_state()
        playwright.expect(page.locator("#w-max_age_extended_months")).to_be_visible()
        page.evaluate("window.stillHere = true") if javascript else None
        page.check("#q-age_extension-false")
        if javascript:
            page.wait_for_selector("#w-max_age_extended_months", state="hidden")
            assert page.evaluate("window.stillHere") is True  # no page load
        else:
            page.click("button[value='stay']")
            playwright.expect(page.locator("#w-max_age_extended_months")).to_be_hidden()
    else:
        page.check("#q-age_extension-false")

    # the proposed answers for the rest, then the review
    page.click("button[value='rest']")
    assert page.inner_text("h1") == i18n.translator("fr").gettext("Review and download")
    assert "36" in page.inner_text("#r-max_age_months")

    # a change on the review page
    page.click("button[value='change:max_age_months']")
    page.get_by_label(label("max_age_months")).fill("24")
    page.click("button[value='next']")
    assert "24 mois" in page.inner_text("#r-max_age_months")

    # the directive and the answers file, and both open
    with page.expect_download() as download:
        page.click("button[value='docx']")
    assert download.value.suggested_filename == "directive.fr.docx"
    document = docx.Document(download.value.path())
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Ruritanie" in text and "Service pénitentiaire de Ruritanie" in document.core_properties.author
    assert "24 mois" in text
    with page.expect_download() as download:
        page.click("button[value='yaml']")
    saved = download.value.path().read_text(encoding="utf-8")
    answers = answers_mod.validate(api.questionnaire(), yaml.safe_load(saved))
    assert answers["max_age_months"] == 24 and answers["age_extension"] is False
    assert answers["jurisdiction"] == "Ruritanie"

    # a tab opened again offers the answers this browser kept (with JavaScript; without, nothing is kept)
    again = context.new_page()
    again.goto(server)
    if javascript:
        again.click("#w-restore-go")
        assert again.inner_text("h1") == i18n.translator("fr").gettext("Review and download")
        assert "24 mois" in again.inner_text("#r-max_age_months")
        again.goto(server)
        again.click("#w-restore-forget")
        again.goto(server)
    assert not again.is_visible("#w-restore")

    # nothing was asked of any other machine
    assert all(url.startswith(server) for url in requests), [u for u in requests if not u.startswith(server)]
    assert console == []  # no script or style refused by the page's policy, no missing file
    context.close()
