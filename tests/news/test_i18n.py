"""The Chinese catalogue is complete and its compiled .mo matches the .po."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

CATALOGUES = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES"
# django: Python and templates; djangojs: the admin's own scripts (static/js/), served by the
# admin's JavaScript catalogue together with Django's.
DOMAINS = ("django", "djangojs")


@pytest.fixture(scope="module", params=DOMAINS)
def po(request):
    catalogue = polib.pofile(str(CATALOGUES / f"{request.param}.po"))
    catalogue.domain = request.param
    return catalogue


def test_every_msgid_is_translated(po):
    untranslated = [entry.msgid for entry in po if not entry.obsolete and not entry.translated()]
    assert untranslated == []
    assert po.percent_translated() == 100


def test_no_fuzzy_entries(po):
    assert [entry.msgid for entry in po.fuzzy_entries()] == []


def test_the_compiled_catalogue_is_up_to_date(po):
    mo = polib.mofile(str(CATALOGUES / f"{po.domain}.mo"))

    def translations(entry):
        return entry.msgstr_plural if entry.msgid_plural else entry.msgstr

    compiled = {(entry.msgctxt, entry.msgid): translations(entry) for entry in mo if entry.msgid}
    source = {(entry.msgctxt, entry.msgid): translations(entry) for entry in po.translated_entries()}
    assert compiled == source


def test_placeholders_survive_translation(po):
    placeholder = re.compile(r"%\(\w+\)s|%s")
    for entry in po.translated_entries():
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for translation in translations:
            assert set(placeholder.findall(entry.msgid)) == set(placeholder.findall(translation)), entry.msgid


@pytest.mark.skipif(
    not shutil.which("xgettext"), reason="GNU gettext is not installed (needed only to extract strings)"
)
def test_the_catalogue_holds_every_string_in_the_code(po, tmp_path):
    """Extract the strings afresh from a copy of the project and compare with the committed catalogue."""
    base = Path(settings.BASE_DIR)
    for name in ("manage.py", "portal", "news", "templates", "static", "locale"):
        source = base / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, tmp_path / name)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings", "DJANGO_DEBUG": "true", "DATABASE_URL": ""}
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--locale", "zh_Hans", "--no-obsolete", "--domain", po.domain],
        cwd=tmp_path,
        env=env,
        check=True,
        capture_output=True,
    )
    extracted = polib.pofile(str(tmp_path / "locale" / "zh_Hans" / "LC_MESSAGES" / f"{po.domain}.po"))
    fresh = {(entry.msgctxt, entry.msgid) for entry in extracted}
    committed = {(entry.msgctxt, entry.msgid) for entry in po if not entry.obsolete}
    assert sorted(fresh - committed, key=str) == [], "run `make messages` and translate the new strings"
    assert sorted(committed - fresh, key=str) == [], "strings no longer used: run `make messages`"


def test_every_string_the_rich_text_editor_translates_is_in_the_catalogue():
    """django-prose-editor's dialogs ask ``window.gettext``; static/js/admin-editor-i18n.js lists their
    strings for the catalogue. A new editor version with new strings fails here, naming them."""
    import django_prose_editor

    script = (Path(django_prose_editor.__file__).parent / "static" / "django_prose_editor" / "editor.js").read_text()
    alias = re.search(r"(\w+)=window\.gettext\|\|", script).group(1)
    asked = set(re.findall(rf"\b{re.escape(alias)}\(\"([^\"]+)\"\)", script))
    assert len(asked) > 20
    translated = {entry.msgid for entry in polib.pofile(str(CATALOGUES / "djangojs.po")).translated_entries()}
    assert sorted(asked - translated) == []


# Strings of Django's admin that never show here: no password-reset address is configured (the
# login page's link and the reset e-mail), and the user add form is our own template.
NOT_SHOWN = {
    "Forgotten your login credentials?",
    "In case you’ve forgotten, you are:",
    "After you’ve created a user, you’ll be able to edit more user options.",
}


def _django_admin_strings(pattern, suffix):
    import django

    root = Path(django.__file__).parent / "contrib"
    found = set()
    for path in [*(root / "admin").rglob(suffix), *(root / "auth" / "templates").rglob(suffix)]:
        if "vendor" in path.parts:
            continue
        found |= {match.group(2) for match in re.finditer(pattern, path.read_text())}
    return found - NOT_SHOWN


@pytest.mark.django_db
def test_what_djangos_admin_shows_is_in_chinese(client):
    """Django's zh_Hans catalogue lags behind its admin (the app list's column headers, the two-box
    selector's help): whatever it lacks, ours holds (news/i18n.py, static/js/admin-editor-i18n.js)."""
    import json

    from django.utils import translation

    from tests.factories import make_staff

    templates = _django_admin_strings(r"""\{% (?:translate|trans) (['"])((?:(?!\1).)*)\1""", "*.html")
    with translation.override("zh-hans"):
        assert [text for text in sorted(templates) if translation.gettext(text) == text] == []
    scripts = _django_admin_strings(r"""(?<![\w.])gettext\(\s*(['"])((?:\\.|(?!\1).)*)\1""", "*.js")
    scripts = {text.replace('\\"', '"').replace("\\'", "'") for text in scripts}
    assert "Choose all %s" in scripts
    client.force_login(make_staff("Editor"))
    catalogue = client.get("/admin/jsi18n/", headers={"accept-language": "zh-hans"}).content.decode()
    assert [text for text in sorted(scripts) if f"{json.dumps(text)}: " not in catalogue] == []


def test_no_english_full_stop_after_chinese_from_djangos_admin():
    """Django's zh_Hans catalogue ends some Chinese sentences with an English full stop (您可以在
    下面再次编辑它. after saving; the login page's error): ours says them again, with 。."""
    import gettext

    import django
    from django.utils import translation

    wrong = []
    for app in ("admin", "auth"):
        mo = Path(django.__file__).parent / "contrib" / app / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.mo"
        with mo.open("rb") as file:
            catalogue = gettext.GNUTranslations(file)._catalog
        for msgid, text in catalogue.items():
            if isinstance(msgid, str) and msgid and re.search(r"[\u4e00-\u9fff]\.$", text):
                with translation.override("zh-hans"):
                    if translation.gettext(msgid).endswith("."):
                        wrong.append(msgid)
    assert wrong == []
