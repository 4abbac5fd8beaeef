"""Stored XSS in a real browser: the corpus (tests/xss.py) through every field editors fill, rendered in Chromium.

What is stored: one article per payload with the payload in every text field of both languages
(title, summary, body, source, cover caption, alt text and credit, author, editor, internal note,
attachment title), in its own column (name, description), region and tag, and a picture in the
library; the footer settings and a page take each payload in turn. Everything is saved the way
an editor's input is: through ``full_clean()`` and ``save()`` (the model's cleaning and the body
sanitizer), and a share of it through the admin's own forms posted by a staff user.

What runs it: every reader page that shows those fields (home, columns, archives, tags, regions,
articles in both languages, search with highlighted snippets, pages and the footer) and the admin
pages a senior editor opens (lists, change forms, history, version comparison, previews, the
picture library). Reader pages are loaded with the Content-Security-Policy bypassed, so that
escaping and sanitizing are what is tested, and again under the policy, which must report no
violation. A page fails when anything calls ``alert``/``confirm``/``prompt``/``print`` or
``window.__xss`` (replaced and defined by an init script), opens a dialog, raises a script
error, or holds an element, event-handler attribute or ``javascript:``/``data:`` URL that our
templates never write.

The search and the page parameters (``q``, ``page``, the column and year filters) take every
payload too. Feeds, page metadata and JSON-LD are checked server side (tests/news/test_xss_fields.py).
"""

import importlib
import os
from urllib.parse import quote

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from reversion.models import Version

from news.models import Article, Attachment, Column, Image, Page, Region, SiteSettings, Tag
from tests.factories import admin_form_data, image_file
from tests.xss import PAYLOADS, problems

pytestmark = [
    pytest.mark.browser,
    # As tests/browser/test_csp.py: on PostgreSQL the session-wide live server holds a
    # connection when the test database is dropped. Escaping does not depend on the database.
    pytest.mark.skipif(
        os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="run on SQLite only (see test_csp.py)"
    ),
    pytest.mark.django_db(transaction=True),
]

PASSWORD = "browser-test-password-1"

# Runs in every frame before the page's own scripts: whatever a payload calls is recorded.
INIT_SCRIPT = """
(() => {
  const record = (what) => { (window.__xssHits = window.__xssHits || []).push(String(what)); };
  window.__xss = (...args) => record("__xss(" + args.join(",") + ")");
  for (const name of ["alert", "confirm", "prompt", "print"]) {
    window[name] = (...args) => record(name + "(" + args.join(",") + ")");
  }
  document.addEventListener("securitypolicyviolation", (event) => {
    (window.__cspViolations = window.__cspViolations || []).push(
      event.violatedDirective + " " + event.blockedURI + " at " + event.sourceFile + ":" + event.lineNumber);
  });
})();
"""

# What our templates never write, looked for in the rendered DOM (after the parser and any
# script of ours ran): handlers, script-capable elements, inline scripts, unsafe URLs.
DOM_CHECK = """
({heading, text}) => {
  const found = (window.__xssHits || []).map((hit) => "executed: " + hit);
  for (const violation of window.__cspViolations || []) found.push("CSP violation: " + violation);
  const urlAttributes = ["href", "src", "action", "formaction", "data", "background", "poster",
                         "xlink:href", "srcdoc", "srcset", "codebase", "cite", "dynsrc", "lowsrc"];
  const forbidden = ["IFRAME", "FRAME", "FRAMESET", "OBJECT", "EMBED", "APPLET", "BASE", "EMBED",
                     "STYLE", "MATH", "XMP", "NOSCRIPT", "ISINDEX", "MARQUEE", "VIDEO", "AUDIO",
                     "SOURCE", "TEMPLATE"];
  const scriptData = ["application/ld+json", "importmap", "application/json"];
  for (const element of document.querySelectorAll("*")) {
    const tag = element.tagName.toUpperCase();
    // Exempt: <source> in our <picture>s; the base rules the admin's rich-text editor injects.
    const ours = (tag === "SOURCE" && element.parentElement.tagName === "PICTURE")
      || (tag === "STYLE" && element.hasAttribute("data-tiptap-style"));
    if (forbidden.includes(tag) && !ours) {
      found.push("in the DOM: <" + tag.toLowerCase() + ">");
    }
    // The admin's own icons (theme switcher, the editor's toolbar) are the only SVG our pages hold.
    if (tag === "SVG" && !element.closest(".base-svgs, .theme-toggle, .prose-menubar")) {
      found.push("in the DOM: <svg>");
    }
    if (tag === "SCRIPT" && !element.src && !scriptData.includes(element.type)) {
      found.push("in the DOM: inline <script>: " + element.textContent.slice(0, 60));
    }
    if (tag === "META" && (element.httpEquiv || "").toLowerCase() === "refresh") found.push("in the DOM: <meta refresh>");
    for (const attribute of element.attributes) {
      const name = attribute.name.toLowerCase();
      if (name.startsWith("on")) found.push("in the DOM: " + tag.toLowerCase() + "[" + name + "]");
      if (name === "style" && element.closest(".site-header, .site-footer, main") && /url|expression|behavior/i.test(attribute.value)) {
        found.push("in the DOM: " + tag.toLowerCase() + "[style=" + attribute.value.slice(0, 60) + "]");
      }
      if (urlAttributes.includes(name)) {
        const value = attribute.value.replace(/[\\u0000-\\u0020]/g, "").toLowerCase();
        if (/(^|,)(javascript|vbscript|data):/.test(value) && !/^data:image\\/(png|gif|jpeg|webp);/.test(value)) {
          found.push("in the DOM: " + tag.toLowerCase() + "[" + name + "=" + attribute.value.slice(0, 60) + "]");
        }
      }
    }
  }
  // The payload must be on the page as text, or the load proved nothing.
  const squeeze = (value) => value.split(/\\s+/).filter(Boolean).join(" ");
  if (heading !== null) {
    const shown = squeeze(document.querySelector("h1")?.textContent || "");
    if (shown !== squeeze(heading)) found.push("h1 shows " + JSON.stringify(shown.slice(0, 80)) + ", not the payload");
  }
  if (text !== null && !squeeze(document.body.textContent).includes(squeeze(text))) {
    found.push("the page does not show " + JSON.stringify(text.slice(0, 80)) + " as text");
  }
  return found;
}
"""


class Watcher:
    """One browser page reused for many loads; every finding is kept with the path that showed it."""

    def __init__(self, browser, base_url, name, bypass_csp=True, storage_state=None):
        self.name = name
        self.context = browser.new_context(
            base_url=base_url, bypass_csp=bypass_csp, storage_state=storage_state, java_script_enabled=True
        )
        self.context.set_default_timeout(20_000)
        self.context.add_init_script(INIT_SCRIPT)
        self.page = self.context.new_page()
        self.findings = []
        self.loads = 0
        self.current = None
        self.page.on("dialog", self._dialog)
        self.page.on("pageerror", lambda error: self.findings.append((self.current, f"script error: {error}")))

    def _dialog(self, dialog):
        self.findings.append((self.current, f"dialog {dialog.type}: {dialog.message}"))
        dialog.dismiss()

    def visit(self, path, expect_status=200, heading=None, text=None):
        """Load ``path``, then record what ran and what the DOM holds; ``heading`` is what the
        ``h1`` must say, ``text`` what the page must show somewhere (as text, not markup)."""
        self.current = path
        response = self.page.goto(path, wait_until="load")
        self.loads += 1
        if response.status not in (expect_status if isinstance(expect_status, tuple) else (expect_status,)):
            self.findings.append((path, f"status {response.status}, expected {expect_status}"))
        self.findings.extend(
            (path, found) for found in self.page.evaluate(DOM_CHECK, {"heading": heading, "text": text})
        )
        for frame in self.page.frames[1:]:  # none of our pages has one: a payload's frame is a finding
            self.findings.append((path, f"a frame: {frame.url[:80]}"))

    def close(self):
        self.context.close()


def report(watchers):
    """The findings, a sample from each browser context so that none hides the others."""
    total = sum(len(watcher.findings) for watcher in watchers)
    lines = [f"{total} findings in {sum(watcher.loads for watcher in watchers)} page loads"]
    for watcher in watchers:
        lines.append(f"-- {watcher.name}: {len(watcher.findings)} findings")
        lines += [f"{path}: {what}" for path, what in watcher.findings[:15]]
    return "\n".join(lines)


def cleaned(instance):
    """Save as the admin would after a valid form: the model's validation and cleaning, then save()."""
    instance.full_clean()
    instance.save()
    return instance


def publish(article):
    """Publish a cleaned and saved draft. Publishing refuses a body with a picture without alt text
    (several payloads are such pictures), so the status is set after the save; what is stored is
    still what cleaning and the sanitizer made of the payloads."""
    Article.objects.filter(pk=article.pk).update(status=Article.Status.PUBLISHED)
    article.status = Article.Status.PUBLISHED


def pdf_file(name="notice.pdf"):
    return ContentFile(b"%PDF-1.4\n% test\n", name=name)


# --- What editors store -----------------------------------------------------------------


def store_the_corpus():
    """One article (in its own column, region and tag) and one library picture per payload."""
    articles = []
    now = timezone.now()
    for number, payload in enumerate(PAYLOADS):
        short = payload[:100]
        column = cleaned(
            Column(
                slug=f"c{number}",
                order=number,
                name_zh_hans=short,
                name_en=short,
                description_zh_hans=payload,
                description_en=payload,
            )
        )
        region = cleaned(Region(slug=f"r{number}", order=number, name_zh_hans=short, name_en=short))
        tag = cleaned(Tag(slug=f"t{number}", name_zh_hans=short, name_en=short))
        fields = {}
        for code in ("zh_hans", "en"):
            fields.update(
                {
                    f"title_{code}": payload,
                    f"summary_{code}": payload,
                    # Text before the payload: a body the sanitizer empties would make the
                    # article unavailable, and its page would not show the other fields.
                    f"body_{code}": f"<p>Body {number}</p>{payload}",
                    f"source_{code}": payload,
                    f"cover_caption_{code}": payload,
                    f"cover_alt_{code}": payload,
                    f"cover_credit_{code}": payload,
                }
            )
        article = cleaned(
            Article(
                column=column,
                region=region,
                status=Article.Status.DRAFT,
                publish_at=now - timezone.timedelta(minutes=number + 1),
                featured=number < 4,
                author_en=short,
                editor=short,
                internal_note=payload,
                source_url="https://example.com/source?text=" + quote(payload[:40], safe=""),
                cover_image=image_file(f"cover{number}.jpg"),
                slug=f"a{number}",
                **fields,
            )
        )
        publish(article)
        article.tags.add(tag)
        cleaned(Attachment(article=article, title_zh_hans=payload, title_en=payload, file=pdf_file()))
        cleaned(
            Image(
                file=image_file(f"library{number}.png", image_format="PNG"),
                alt_zh_hans=payload,
                alt_en=payload,
                caption_zh_hans=payload,
                caption_en=payload,
                credit_zh_hans=payload,
                credit_en=payload,
            )
        )
        articles.append(article)
    return articles


def site_chrome():
    cleaned(SiteSettings(site_name_zh_hans="吉林省投资促进网", site_name_en="Jilin Investment"))
    for order, slug in enumerate(("about", "contact", "privacy")):
        cleaned(
            Page(slug=slug, order=order, title_zh_hans=slug, title_en=slug, body_zh_hans="<p>x</p>", body_en="<p>x</p>")
        )


def admin_posts(senior_editor, site_administrator):
    """Part of the corpus through the admin's own forms, as staff type it: the form's cleaning
    and the sanitizer decide what is stored. Returns the article whose history is compared."""
    pick = PAYLOADS[::7]  # a spread of the corpus (12 payloads) through each form

    def post(path, data, files=None):
        client = (
            senior_editor if path.startswith(("/admin/news/article/", "/admin/news/image/")) else site_administrator
        )
        response = client.post(path, {**data, **(files or {})})
        context = response.context or {}
        assert response.status_code == 302, (
            path,
            context.get("errors"),
            context.get("adminform") and context["adminform"].form.errors,
        )
        return response

    for number, payload in enumerate(pick):
        short = payload[:100]
        names = {"name_zh_hans": short, "name_en": short}
        post("/admin/news/column/add/", {"slug": f"admin-c{number}", "order": 100 + number, "kind": "news", **names,
             "description_zh_hans": payload, "description_en": payload})  # fmt: skip
        post("/admin/news/region/add/", {"slug": f"admin-r{number}", "order": 100 + number, **names})
        post("/admin/news/tag/add/", {"slug": f"admin-t{number}", **names})
        upload = image_file(f"admin{number}.png", image_format="PNG")
        post(
            "/admin/news/image/add/",
            {f"{field}_{code}": payload for field in ("alt", "caption", "credit") for code in ("zh_hans", "en")},
            {"file": SimpleUploadedFile(upload.name, upload.read(), "image/png")},
        )
        assert Tag.objects.get(slug=f"admin-t{number}").name_en == short  # stored as typed: text, escaped on output
        texts = ("title", "summary", "source", "cover_caption", "cover_alt", "cover_credit")
        data = admin_form_data(
            None,
            column=Column.objects.get(slug=f"admin-c{number}").pk,
            slug=f"admin-a{number}",
            author_en=short,
            editor=short,
            internal_note=payload,
            **{f"{field}_{code}": payload for field in texts for code in ("zh_hans", "en")},
            **{f"body_{code}": f"<p>Admin body {number}</p>{payload}" for code in ("zh_hans", "en")},
        )
        post("/admin/news/article/add/", data)
        posted = Article.objects.get(slug=f"admin-a{number}")
        assert posted.title_en == payload.strip() and problems(posted.body_en) == []
        publish(posted)

    # An article with every payload: added, then edited, so its history has two versions to compare.
    column = Column.objects.get(slug="admin-c0")
    body = "\n".join(PAYLOADS)
    data = admin_form_data(
        None,
        column=column.pk,
        status=Article.Status.DRAFT,
        slug="everything",
        author_en=PAYLOADS[0][:100],
        **{f"{field}_{code}": PAYLOADS[1] for field in ("title", "source") for code in ("zh_hans", "en")},
        **{f"summary_{code}": " ".join(PAYLOADS) for code in ("zh_hans", "en")},
        **{f"body_{code}": "<p>Every payload</p>" + body for code in ("zh_hans", "en")},
        source_url="https://example.com/everything",
        internal_note=body,
        **{
            "attachments-TOTAL_FORMS": "1",
            "attachments-0-title_zh_hans": PAYLOADS[2],
            "attachments-0-title_en": PAYLOADS[3],
            "attachments-0-order": "0",
        },  # fmt: skip
    )
    post(
        "/admin/news/article/add/",
        data,
        {"attachments-0-file": SimpleUploadedFile("a.pdf", b"%PDF-1.4\n", "application/pdf")},
    )
    everything = Article.objects.get(slug="everything")
    assert problems(everything.body_en) == [] and everything.title_en == PAYLOADS[1]
    data = admin_form_data(everything, **{f"title_{code}": PAYLOADS[5] for code in ("zh_hans", "en")})
    data.update({"attachments-TOTAL_FORMS": "1", "attachments-INITIAL_FORMS": "1",
                 "attachments-0-id": everything.attachments.get().pk, "attachments-0-article": everything.pk,
                 "attachments-0-title_zh_hans": PAYLOADS[2], "attachments-0-title_en": PAYLOADS[3],
                 "attachments-0-order": "0"})  # fmt: skip
    post(f"/admin/news/article/{everything.pk}/change/", data)
    publish(everything)

    page = Page.objects.get(slug="about")
    post(f"/admin/news/page/{page.pk}/change/", {"slug": "about", "order": 0,
         "title_zh_hans": PAYLOADS[6], "title_en": PAYLOADS[7],
         "body_zh_hans": "<p>About</p>" + body, "body_en": "<p>About</p>" + body})  # fmt: skip
    assert problems(Page.objects.get(slug="about").body_en) == []
    post("/admin/news/sitesettings/1/change/", settings_texts(PAYLOADS[8]))
    return everything


def settings_texts(payload):
    """The footer settings with ``payload`` in every text field it fits, as the admin form posts them."""
    return {
        "site_name_zh_hans": payload,
        "site_name_en": payload,
        "sponsor_zh_hans": payload,
        "sponsor_en": payload,
        "contact_address_zh_hans": payload,
        "contact_address_en": payload,
        "contact_phone": payload[:50],
        "contact_email": "office@example.gov.cn",
        "icp_record": payload[:100],
        "icp_url": "https://beian.miit.gov.cn/?q=" + quote(payload[:40], safe=""),
        "public_security_record": payload[:100],
        "public_security_url": "https://beian.mps.gov.cn/",
        "government_site_code": payload[:50],
        "government_site_code_url": "https://example.gov.cn/",
    }


def staff_member(live_server, group_name, username):
    """A staff account in one of the workflow groups, logged in on a test client and in a browser state.

    The live server's tests empty the database after each test, groups included, so the group is
    made again from the migration's own list (as tests/browser/test_editor.py does)."""
    workflow_groups = importlib.import_module("news.migrations.0006_workflow_groups")
    group, _created = Group.objects.get_or_create(name=group_name)
    for code in workflow_groups.GROUPS[group_name]:
        app_label, codename = code.split(".")
        group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    user = get_user_model().objects.create_user(username, password=PASSWORD, is_staff=True)
    user.groups.add(group)
    client = Client()
    client.force_login(user)
    cookie = client.cookies["sessionid"]
    state = {
        "cookies": [
            {"name": "sessionid", "value": cookie.value, "url": live_server.url, "httpOnly": True, "sameSite": "Lax"}
        ],
        "origins": [],
    }
    return client, state


# --- The tests --------------------------------------------------------------------------


def change_footer(payload):
    """The footer settings and the About page's texts take ``payload``, saved as the admin form does."""
    row = SiteSettings.load()
    for name, value in settings_texts(payload).items():
        setattr(row, name, value)
    cleaned(row)
    about = Page.objects.get(slug="about")
    about.title_zh_hans = about.title_en = payload  # shown in the footer's links on every page
    cleaned(about)


def visit_search(watcher, path, most=8):
    """A search and its following result pages, by their "next page" links."""
    for _page in range(most):
        watcher.visit(path)
        following = watcher.page.locator("a[rel=next]")
        if not following.count():
            return
        path = following.first.get_attribute("href")
        path = path if path.startswith("/") else watcher.page.url.split("?")[0] + path


LANGUAGES = ("zh-hans", "en")


def test_stored_payloads_never_run_on_reader_or_admin_pages(live_server, browser, settings):
    settings.PORTAL_PAGE_CACHE_SECONDS = 0  # each footer change must show at once; cached pages are the same HTML
    settings.PORTAL_SEARCH_RATE_LIMIT = 0
    site_chrome()
    articles = store_the_corpus()
    senior_editor, senior_state = staff_member(live_server, "Senior editor", "senior")
    site_administrator, administrator_state = staff_member(live_server, "Site administrator", "site-admin")
    everything = admin_posts(senior_editor, site_administrator)

    open_page = Watcher(browser, live_server.url, "reader pages, CSP bypassed")
    under_csp = Watcher(browser, live_server.url, "reader pages under the CSP", bypass_csp=False)
    admin = Watcher(browser, live_server.url, "a senior editor's admin pages, CSP bypassed", storage_state=senior_state)
    settings_admin = Watcher(
        browser, live_server.url, "a site administrator's admin pages, CSP bypassed", storage_state=administrator_state
    )
    watchers = [open_page, under_csp, admin, settings_admin]
    try:
        # Pages with every payload: the About page's body, the article holding them all.
        for language in LANGUAGES:
            for watcher in (open_page, under_csp):
                watcher.visit(f"/{language}/page/about/")
                watcher.visit(everything.get_absolute_url(language), heading=PAYLOADS[5])
        # Home pages: every column name in the navigation, every article in a column block.
        for language in LANGUAGES:
            open_page.visit(f"/{language}/")
            under_csp.visit(f"/{language}/")
        # Every article with the policy bypassed, in both languages (the footer, that is the
        # settings and the About page's title, takes the same payload meanwhile); every fourth
        # article under the policy too.
        for number, (payload, article) in enumerate(zip(PAYLOADS, articles, strict=True)):
            change_footer(payload)
            for language in LANGUAGES:
                open_page.visit(article.get_absolute_url(language), heading=payload)
            if number % 4 == 0:
                under_csp.visit(article.get_absolute_url(LANGUAGES[number % 2]), heading=payload)
        # The lists that show names and titles: column, tag, region, year and month archives.
        # Each article's own year and month: they are a minute apart, and may straddle a month's
        # end in Beijing time (CI once ran at 00:15 on the 1st, and the older ones were in the
        # month before).
        kinds = ["column/c{n}/", "tag/t{n}/", "region/r{n}/", "column/c{n}/{year}/", "column/c{n}/{year}/{month}/"]
        for number, (payload, article) in enumerate(zip(PAYLOADS, articles, strict=True)):
            year, month = timezone.localtime(article.publish_at).strftime("%Y %m").split()
            language = LANGUAGES[number // len(kinds) % 2]
            path = f"/{language}/" + kinds[number % len(kinds)].format(n=number, year=year, month=month)
            if number % len(kinds) == 0:
                open_page.visit(path, heading=payload[:100])
            else:
                open_page.visit(path, text=payload[:100])
            if number % 12 == 0:
                under_csp.visit(path)
        # Search results: titles, and snippets with the matched words highlighted, page by page.
        for language in LANGUAGES:
            visit_search(open_page, f"/{language}/search/?q=alert")
            under_csp.visit(f"/{language}/search/?q=img")

        # The admin pages a senior editor opens.
        admin.visit("/admin/")
        admin.visit("/admin/news/article/")
        admin.visit("/admin/news/article/?q=alert")
        for model in ("column", "region", "tag", "image"):
            admin.visit(f"/admin/news/{model}/")
        admin.visit("/admin/news/image/picker/?language=en")
        admin.visit(f"/admin/news/image/{Image.objects.first().pk}/change/")
        for article in (everything, *articles[::30]):
            admin.visit(f"/admin/news/article/{article.pk}/change/")
        admin.visit(f"/admin/news/article/{everything.pk}/history/")
        older, newer = Version.objects.get_for_object(everything).order_by("pk").values_list("pk", flat=True)[:2]
        admin.visit(f"/admin/news/article/{everything.pk}/history/compare/?a={older}&b={newer}")
        for language in LANGUAGES:
            admin.visit(f"/admin/news/article/{everything.pk}/preview/{language}/", heading=PAYLOADS[5])
        admin.visit(f"/admin/news/article/{everything.pk}/delete/")
        # And those of the site administrator, who keeps columns, pages and the footer settings.
        settings_admin.visit("/admin/")
        settings_admin.visit("/admin/news/page/")
        settings_admin.visit(f"/admin/news/page/{Page.objects.get(slug='about').pk}/change/")
        settings_admin.visit("/admin/news/sitesettings/1/change/")
        settings_admin.visit(f"/admin/news/column/{Column.objects.get(slug='c1').pk}/change/")
    finally:
        for watcher in watchers:
            watcher.close()
    assert not any(watcher.findings for watcher in watchers), report(watchers)


def test_search_and_page_parameters_never_run(live_server, browser, settings):
    """Every payload as the search words and the column and year filters; every fourth as a page number."""
    settings.PORTAL_SEARCH_RATE_LIMIT = 0
    site_chrome()
    column = cleaned(Column(slug="news", name_zh_hans="新闻", name_en="News"))
    for number in range(25):  # two pages of results, so the pagination links carry the query
        cleaned(
            Article(
                column=column,
                status=Article.Status.PUBLISHED,
                publish_at=timezone.now() - timezone.timedelta(hours=number + 1),
                title_zh_hans=f"招商 alert {number}",
                title_en=f"Investment alert script {number}",
                body_zh_hans="<p>招商引资 alert img script</p>",
                body_en="<p>Investment alert img script onerror</p>",
            )
        )
    watcher = Watcher(browser, live_server.url, "search and page parameters, CSP bypassed")
    try:
        for number, payload in enumerate(PAYLOADS):
            value = quote(payload, safe="")
            language = LANGUAGES[number % 2]
            watcher.visit(f"/{language}/search/?q={value}&column={value}&year={value}")
            if number % 4 == 0:
                path = ["column/news/?page={}", "search/?q=alert&page={}", "tag/nope/?page={}"][number // 4 % 3]
                watcher.visit(f"/{language}/" + path.format(value), expect_status=404)
    finally:
        watcher.close()
    assert not watcher.findings, report([watcher])
