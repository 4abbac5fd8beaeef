"""A reader in a real browser: the journey through the site, phones, text size and print."""

import re

import pytest
from playwright.sync_api import expect

from news.models import Article

from .conftest import PHONE

pytestmark = pytest.mark.browser


def test_home_column_article_other_language_search(web, demo):
    page = web.open("/")
    expect(page).to_have_url(re.compile(r"/zh-hans/$"))
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")

    page.get_by_role("navigation", name="栏目").get_by_role("link", name="投资动态").click()
    expect(page).to_have_url(re.compile(r"/zh-hans/column/investment-dynamics/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("投资动态")

    first = page.locator(".article-list-long .article-item > a").first
    title_zh = first.inner_text()
    first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title_zh)
    article_id = re.search(r"/zh-hans/news/(\d+)/", page.url).group(1)
    article = Article.objects.get(pk=article_id)

    # The switcher leads to the same article in English, and says so in English.
    switch = page.get_by_role("navigation", name="语言").get_by_role("link", name="English")
    expect(switch).to_have_attribute("lang", "en")
    switch.click()
    expect(page).to_have_url(re.compile(rf"/en/news/{article_id}/"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text(article.title_en)

    words = [word for word in re.findall(r"[A-Za-z]+", article.title_en) if len(word) > 3][:2]
    box = page.get_by_role("searchbox", name="Search the news")
    box.fill(" ".join(words))
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/en/search/\?q="))
    expect(page.get_by_role("heading", level=1)).to_have_text("Search")
    page.locator(".search-results").get_by_role("link", name=article.title_en).click()
    expect(page).to_have_url(re.compile(rf"/en/news/{article_id}/"))


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_phone_never_scrolls_sideways(web, demo, language):
    article = Article.objects.published().filter(featured=True).first()
    paths = [
        f"/{language}/",
        f"/{language}/column/investment-dynamics/",
        article.get_absolute_url().replace("/zh-hans/", f"/{language}/"),
        f"/{language}/search/?q=" + ("吉林" if language == "zh-hans" else "Jilin"),
        f"/{language}/page/about/",
        f"/{language}/page/accessibility/",
        f"/{language}/policies/",
        f"/{language}/projects/",
        f"/{language}/zones/",
    ]
    page = web.open(None, viewport=PHONE)
    for text_size in ("medium", "large", "x-large"):
        for path in paths:
            page.goto(path)
            if text_size != "medium" and path == paths[0]:
                page.evaluate(f"localStorage.setItem('portal-text-size', '{text_size}')")
                page.reload()
            width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            assert width[0] <= width[1], f"{path} is {width[0]} px wide on a {width[1]} px phone ({text_size} text)"


def test_touch_targets_on_a_phone_are_at_least_44_px(web, demo):
    """Every link, button and field outside running text is at least 44 × 44 CSS pixels."""
    article = Article.objects.published().filter(featured=True).first()
    page = web.open(None, viewport=PHONE)
    paths = [
        "/zh-hans/",
        "/en/column/investment-dynamics/",
        article.get_absolute_url(),
        "/zh-hans/search/?q=吉林",
        "/en/page/about/",
        "/en/no-such-page/",
    ]
    for path in paths:
        page.goto(path)
        small = page.evaluate(
            """() => [...document.querySelectorAll('a[href], button, input:not([type=hidden]), select, summary')]
                .filter((element) => !element.closest('.article-body, .skip-link'))
                .filter((element) => element.offsetParent !== null)
                .map((element) => [element.outerHTML.slice(0, 80), element.getBoundingClientRect()])
                .filter(([, box]) => box.width < 44 || box.height < 43.5)
                .map(([html, box]) => `${html} ${Math.round(box.width)}×${Math.round(box.height)}`)"""
        )
        assert small == [], f"targets under 44 px on {path}"


def test_text_size_persists_across_pages_and_visits(web, demo):
    article = Article.objects.published().filter(featured=True).first()
    page = web.open(article.get_absolute_url())
    html = page.locator("html")
    tools = page.get_by_role("group", name="字号：")

    def button(group, name):
        return group.get_by_role("button", name=name, exact=True)  # 大 is also in 特大

    def font_size():
        return page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")

    expect(button(tools, "中")).to_have_attribute("aria-pressed", "true")
    medium = font_size()

    button(tools, "大").click()
    expect(html).to_have_class(re.compile(r"\btext-large\b"))
    expect(button(tools, "大")).to_have_attribute("aria-pressed", "true")
    expect(button(tools, "中")).to_have_attribute("aria-pressed", "false")
    large = font_size()
    assert large > medium

    # Another page, in the other language: the size came along, before anything was clicked.
    page.goto("/en/")
    expect(html).to_have_class(re.compile(r"\btext-large\b"))
    page.goto(article.get_absolute_url().replace("/zh-hans/", "/en/"))
    english_tools = page.get_by_role("group", name="Text size:")
    expect(button(english_tools, "Large")).to_have_attribute("aria-pressed", "true")

    # The fourth step, from the keyboard.
    button(english_tools, "Extra large").focus()
    page.keyboard.press("Space")
    expect(html).to_have_class(re.compile(r"\btext-x-large\b"))
    expect(button(english_tools, "Extra large")).to_have_attribute("aria-pressed", "true")
    assert font_size() > large

    button(english_tools, "Small").click()
    expect(html).to_have_class(re.compile(r"\btext-small\b"))
    assert font_size() < medium
    page.reload()
    expect(html).to_have_class(re.compile(r"\btext-small\b"))

    button(english_tools, "Medium").click()
    expect(html).not_to_have_class(re.compile(r"\btext-(small|large|x-large)\b"))
    assert page.evaluate("localStorage.getItem('portal-text-size')") == "medium"


def test_high_contrast_is_kept_apart_from_the_text_size_and_the_elder_mode_sets_both(web, demo):
    article = Article.objects.published().filter(featured=True).first()
    page = web.open(article.get_absolute_url().replace("/zh-hans/", "/en/"))
    html = page.locator("html")
    contrast = page.get_by_role("button", name="High contrast", exact=True)
    elder = page.get_by_role("button", name="Elder-friendly mode", exact=True)
    contrast.click()
    expect(html).to_have_class(re.compile(r"\bcontrast-high\b"))
    expect(contrast).to_have_attribute("aria-pressed", "true")
    expect(elder).to_have_attribute("aria-pressed", "false")  # high contrast alone, medium text
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(0, 0, 0)"
    page.goto("/zh-hans/")
    expect(html).to_have_class(re.compile(r"\bcontrast-high\b"))
    page.get_by_role("button", name="适老模式").click()
    expect(html).to_have_class(re.compile(r"\btext-x-large\b"))
    assert page.evaluate("[localStorage.getItem('portal-text-size'), localStorage.getItem('portal-contrast')]") == [
        "x-large",
        "high",
    ]
    page.get_by_role("button", name="适老模式").click()
    expect(html).not_to_have_class(re.compile(r"\b(contrast-high|text-x-large)\b"))
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(255, 255, 255)"
    assert page.context.cookies() == []


def test_without_javascript_the_controls_are_hidden_and_the_page_reads(web, demo):
    article = Article.objects.published().filter(featured=True).first()
    page = web.open(article.get_absolute_url(), java_script_enabled=False)
    expect(page.get_by_role("heading", level=1)).to_have_text(article.title_zh_hans)
    expect(page.locator(".reader-tools")).to_be_hidden()


def test_print_shows_the_article_and_its_address_only(web, demo, live_server):
    article = Article.objects.published().filter(featured=True).first()
    page = web.open(article.get_absolute_url())
    expect(page.get_by_role("button", name="打印")).to_be_visible()
    expect(page.locator(".print-address")).to_be_hidden()

    page.emulate_media(media="print")
    for hidden in (".site-header", ".column-nav", ".site-footer", ".breadcrumb", ".reader-tools", ".prev-next"):
        expect(page.locator(hidden).first).to_be_hidden()
    address = page.locator(".print-address")
    expect(address).to_be_visible()
    expect(address).to_contain_text(live_server.url + article.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    cover = page.locator(".cover img")
    expect(cover).to_be_visible()
    sizes = cover.evaluate("(img) => [img.getBoundingClientRect().width, img.closest('main').clientWidth]")
    assert sizes[0] <= sizes[1]
    assert page.pdf()[:4] == b"%PDF"


def test_the_skip_link_is_the_first_stop_and_leads_to_the_content(web, demo):
    page = web.open("/en/")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).not_to_be_in_viewport()
    page.keyboard.press("Tab")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    outline = skip.evaluate("(link) => getComputedStyle(link).outlineStyle")
    assert outline == "solid", "the focused link shows no focus ring"
    page.keyboard.press("Enter")
    expect(page.locator("main#content")).to_be_focused()
