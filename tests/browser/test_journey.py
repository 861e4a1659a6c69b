"""A Lead's journey through the workbench in a real browser (Debian's chromium).

Sign in, import examples/en-company.yaml, see its marketing-ratio error, fix the channel in
the editor and watch the live (htmx) check drop the finding before anything is saved, save,
export the PDF, and read the plan in Finnish, all without a single CSP violation or console
error. Screenshots of every step are saved (see conftest.py).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pypdfium2
import pytest
from playwright.sync_api import Locator, Page, expect

from kanava.accounts.models import Profile
from kanava.planstore import services
from kanava.planstore.models import PlanDocument
from tests.browser.conftest import Watched
from tests.web.conftest import EXAMPLES, PASSWORD, Cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PLAN_FILE = EXAMPLES / "en-company.yaml"
CHANNEL = "@kuuraoutdoors on Instagram"  # channels[0], marketing_share 0.2 in the file
RULE = "marketing-ratio"
#: WeasyPrint takes about 2 s of CPU for this plan; allow for a slow, busy CI machine.
PDF_TIMEOUT_MS = 60_000


def _sign_in(page: Page, username: str) -> None:
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def _finding(page: Page, rule: str) -> Locator:
    return page.locator("#findings li.finding").filter(
        has=page.locator("code.rule", has_text=re.compile(f"^{re.escape(rule)}$")))


def test_a_lead_imports_a_plan_fixes_its_finding_live_exports_the_pdf_and_reads_it_in_finnish(
        cast: Cast, watched: Watched) -> None:
    page = watched.page

    # 1. Sign in through the form: the Lead lands on the home page of their organization.
    _sign_in(page, "lead")
    expect(page).to_have_url(re.compile(r"/o/acme/$"))
    expect(page.locator("header .user")).to_have_text("Lead")
    watched.shot("signed-in")

    # 2. Import the example plan through the import page, uploading the file.
    page.locator("nav.sections").get_by_role("link", name="Plans").click()
    page.get_by_role("link", name="Import a plan").click()
    expect(page.get_by_role("heading", name="Import a plan")).to_be_visible()
    page.get_by_label("Plan file (YAML or JSON)").set_input_files(PLAN_FILE)
    watched.shot("import-form")
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("The plan was imported.")
    slug = re.search(r"/o/acme/plans/([^/]+)/$", page.url)
    assert slug, page.url
    document = PlanDocument.objects.get(organization=cast.organization, slug=slug[1])
    assert document.pk != cast.plan.pk  # a new document, beside the cast's own copy
    plan_url = page.url

    # 3. The plan page shows the marketing-ratio error of the Instagram channel.
    finding = _finding(page, RULE)
    expect(finding).to_have_count(1)
    expect(finding).to_have_class(re.compile(r"\berror\b"))
    expect(finding).to_contain_text(CHANNEL)
    watched.shot("plan-with-finding")

    # 4. Open that channel in the editor: the finding sits next to its field.
    page.get_by_role("link", name="Edit the plan").click()
    page.locator("#section-channels").get_by_role("link", name=CHANNEL, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(CHANNEL)
    share = page.locator("#field-marketing_share input")
    expect(share).to_have_value("0.2")
    live = page.locator("#live-marketing_share")
    expect(live.locator("code.rule")).to_have_text([RULE])
    expect(page.locator("#live-summary .badge.error")).to_have_count(2)  # whole plan, part
    watched.shot("editor-with-live-finding")

    # …type the fix: htmx posts the form to the live check, the finding goes, nothing saved.
    with page.expect_response(lambda r: r.url.endswith("/edit/channels.0/check/")
                              and r.request.method == "POST") as checked:
        share.fill("0.05")
    assert checked.value.status == 200
    expect(live.locator("li.finding")).to_have_count(0)
    expect(page.locator("#live-summary .badge.error")).to_have_count(0)
    assert document.versions.count() == 1, "the live check must not save"
    share.evaluate("field => field.scrollIntoView({block: 'center'})")
    watched.shot("editor-finding-gone-live", full_page=False)  # the field has the focus

    # …then save: version 2, and the plan page no longer shows the finding.
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("Saved as version 2.")
    assert document.versions.count() == 2
    assert services.loaded(document.latest()).plan.channels[0].marketing_share == 0.05
    page.goto(plan_url)
    expect(page.locator(".meta")).to_contain_text("Version 2")
    expect(_finding(page, RULE)).to_have_count(0)
    expect(_finding(page, "channel-resources")).to_have_count(1)  # the example's warning
    watched.shot("plan-finding-gone")

    # 5. Export the PDF: a download starts and it is a PDF.
    with page.expect_download(timeout=PDF_TIMEOUT_MS) as download_info:
        page.get_by_role("link", name="Export PDF").click(timeout=PDF_TIMEOUT_MS)
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf"), download.suggested_filename
    pdf = watched.folder / f"{watched.name}-export.pdf"
    download.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF-")
    first_page = pypdfium2.PdfDocument(pdf)[0].get_textpage().get_text_range()
    assert "Kuura Outdoor social media plan 2027" in first_page

    # 6. Switch the language to Finnish with the selector in the top bar.
    english = [f.message for f in services.findings(document.latest(), "en")]
    finnish = [f.message for f in services.findings(document.latest(), "fi")]
    assert finnish != english, "the Finnish catalog should translate the rule messages"
    page.locator("#language-select").select_option("fi")
    page.locator("form.language").get_by_role("button").click()
    expect(page.locator("html")).to_have_attribute("lang", "fi")
    expect(page).to_have_url(plan_url)
    for message in finnish:
        expect(page.locator("#findings")).to_contain_text(message)
    for message in english:
        expect(page.locator("#findings")).not_to_contain_text(message)
    expect(page.locator("#language-select")).to_have_value("fi")
    assert Profile.objects.get(user=cast.users["lead"]).language == "fi"
    watched.shot("plan-in-finnish")

    # …and the editor's checks speak Finnish next to their field too.
    page.locator(f'.actions a[href="{urlsplit(plan_url).path}edit/"]').click()
    page.locator("#section-resources h2 a").click()
    resources = next(f for f in services.findings(document.latest(), "fi")
                     if f.rule == "channel-resources")
    expect(page.locator("html")).to_have_attribute("lang", "fi")
    expect(page.locator("#live-hours_per_week")).to_contain_text(resources.message)
    watched.shot("editor-in-finnish")

    # 7. Nothing was refused by the CSP, and no script or request failed on the way.
    assert watched.problems() == []


def test_the_csp_refuses_an_injected_inline_script_and_the_watch_reports_it(
        watched: Watched) -> None:
    """The journey's "no CSP violations" means something: the policy is enforced in the
    browser and a violation does reach the test."""
    page = watched.page
    response = page.goto("/accounts/login/")
    assert response is not None
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.evaluate("""() => {
        const script = document.createElement("script");
        script.textContent = "window.kanavaInjected = true;";
        document.body.append(script);
    }""")
    for _ in range(40):
        if watched.csp_violations:
            break
        page.wait_for_timeout(50)
    assert page.evaluate("() => window.kanavaInjected === undefined")
    assert any(v.startswith("script-src") for v in watched.csp_violations), \
        watched.csp_violations
    assert any("Content Security Policy" in e for e in watched.console_errors), \
        watched.console_errors
