"""import_articles and export_articles: JSON Lines in and out."""

import io
import json
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.utils import timezone
from PIL import Image as PILImage

from news.models import Article, Attachment, Column, Region, Tag
from tests.factories import image_file, make_article

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n%%EOF\n"


def picture_bytes():
    buffer = io.BytesIO()
    PILImage.new("RGB", (800, 500), (10, 120, 80)).save(buffer, "JPEG")
    return buffer.getvalue()


def record(**fields):
    data = {
        "external_id": "old-cms-1001",
        "legacy_url": "/tzdt/201804/t20180413_3752855.html",
        "column": {"slug": "investment-dynamics", "name": {"zh-hans": "投资动态", "en": "Investment Dynamics"}},
        "status": "published",
        "publish_at": "2018-04-10T09:00:00+08:00",
        "event_date": "2018-03-30",
        "tags": [{"slug": "new-energy-vehicles", "name": {"zh-hans": "新能源汽车", "en": "New-energy vehicles"}}],
        "region": {"slug": "changchun", "name": {"zh-hans": "长春市", "en": "Changchun"}},
        "author": "王明",
        "title": {"zh-hans": "吉林签约", "en": "Jilin signs"},
        "summary": {"en": "A summary."},
        "body": {"zh-hans": "<p>正文</p>", "en": "<p>Body<script>alert(1)</script></p>"},
        "source": {"zh-hans": "吉林日报", "en": "Jilin Daily"},
        "cover": {"path": "files/cover.jpg", "alt": {"zh-hans": "封面", "en": "Cover"}, "caption": {"en": "A caption"}},
        "attachments": [{"path": "files/policy.pdf", "title": {"zh-hans": "政策", "en": "Policy"}}],
    }
    data.update(fields)
    return data


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "files").mkdir()
    (tmp_path / "files" / "cover.jpg").write_bytes(picture_bytes())
    (tmp_path / "files" / "policy.pdf").write_bytes(PDF)
    (tmp_path / "files" / "fake.jpg").write_bytes(b"<html>not a picture</html>")
    return tmp_path


def write(folder, *records, name="articles.jsonl"):
    path = folder / name
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records) + "\n")
    return path


def run_import(path, *args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_articles", str(path), *args, stdout=out, stderr=err)
    except CommandError as error:
        return out.getvalue(), err.getvalue(), error
    return out.getvalue(), err.getvalue(), None


class TestImport:
    def test_the_editor_in_charge_is_per_language_and_an_old_files_one_goes_where_its_script_fits(self, folder):
        out, err, error = run_import(write(folder, record(editor={"zh-hans": "赵磊、孙丽", "en": "Zhao Lei, Sun Li"})))
        assert error is None, err
        article = Article.objects.get()
        assert (article.editor_zh_hans, article.editor_en) == ("赵磊、孙丽", "Zhao Lei, Sun Li")
        out, err, error = run_import(write(folder, record(editor="赵磊")))  # written before it was per language
        assert error is None, err
        article.refresh_from_db()
        assert (article.editor_zh_hans, article.editor_en) == ("赵磊", "")

    def test_further_columns_are_set_and_the_primary_is_refused_among_them(self, folder, site):
        policies = Column.objects.create(slug="policies", name_zh_hans="政策", name_en="Policies")
        out, err, error = run_import(write(folder, record(further_columns=["policies"])))
        assert error is None, err
        assert list(Article.objects.get().further_columns.all()) == [policies]
        out, err, error = run_import(write(folder, record(further_columns=[])))
        assert error is None, err
        assert not Article.objects.get().further_columns.exists()  # importing again replaces them
        out, err, error = run_import(write(folder, record(further_columns=["investment-dynamics"])))
        assert "names the primary column “investment-dynamics” again" in err
        assert not Article.objects.get().further_columns.exists()

    def test_imports_a_bilingual_article_with_its_files(self, folder):
        out, err, error = run_import(write(folder, record()))
        assert error is None, err
        assert "1 articles were created" in out and "[####" in err  # a progress bar on stderr
        article = Article.objects.get()
        assert article.title_en == "Jilin signs" and article.title_zh_hans == "吉林签约"
        assert article.body_en == "<p>Body</p>"  # sanitized like every other path
        assert article.publish_at.isoformat() == "2018-04-10T01:00:00+00:00"
        assert article.is_published() and article.region.slug == "changchun"
        assert list(article.tags.values_list("slug", flat=True)) == ["new-energy-vehicles"]
        assert article.cover_width == 800 and article.cover_alt_en == "Cover"
        attachment = article.attachments.get()
        assert attachment.title_en == "Policy" and attachment.size == len(PDF) and attachment.file.name.endswith(".pdf")

    def test_importing_twice_updates_instead_of_duplicating(self, folder):
        path = write(folder, record())
        run_import(path)
        out, _err, error = run_import(write(folder, record(title={"zh-hans": "吉林签约", "en": "Jilin signs again"})))
        assert error is None and "0 articles were created, 1 were updated" in out
        assert Article.objects.count() == 1 and Attachment.objects.count() == 1
        assert Article.objects.get().title_en == "Jilin signs again"
        assert Column.objects.count() == Region.objects.count() == Tag.objects.count() == 1

    def test_keyed_by_legacy_url_without_an_external_id(self, folder):
        path = write(folder, record(external_id=""))
        run_import(path)
        run_import(path)
        assert Article.objects.count() == 1

    def test_every_rejected_record_is_reported_with_its_line_and_reason(self, folder):
        path = write(
            folder,
            record(external_id="good-1"),
            "{not json",
            record(external_id="bad-2", cover={"path": "files/fake.jpg"}),
            record(external_id="bad-3", column={"slug": "nowhere"}),
            record(external_id="bad-4", title={}, body={}),
            record(external_id="", legacy_url=""),
            record(external_id="bad-6", attachments=[{"path": "files/cover.jpg"}]),
            record(external_id="bad-7", cover={"path": "../../etc/passwd"}),
            record(external_id="good-9", legacy_url="/other.html"),
        )
        out, err, error = run_import(path)
        assert error is not None
        assert "2 articles were created" in out and "7 records rejected" in out
        lines = {line.split(":")[0]: line for line in err.splitlines() if line.startswith("line ")}
        assert set(lines) == {f"line {n}" for n in (2, 3, 4, 5, 6, 7, 8)}
        assert "not valid JSON" in lines["line 2"]
        assert "not a JPEG" in lines["line 3"]
        assert "unknown column “nowhere”" in lines["line 4"]
        assert "title" in lines["line 5"]
        assert "external_id" in lines["line 6"]
        assert "Only PDF" in lines["line 7"]
        assert "leaves the folder" in lines["line 8"]
        assert set(Article.objects.values_list("external_id", flat=True)) == {"good-1", "good-9"}

    def test_dry_run_checks_everything_and_saves_nothing(self, folder, settings):
        out, _err, error = run_import(
            write(folder, record(), record(external_id="x", column={"slug": "nowhere"})), "--dry-run"
        )
        assert error is not None and "1 articles would be created" in out and "dry run" in out
        assert not Article.objects.exists() and not Column.objects.exists()
        assert not (settings.MEDIA_ROOT / "covers").exists()


class TestImportNeverCrashesNorLosesQuietly:
    def test_a_line_in_another_encoding_is_rejected_alone(self, folder):
        path = folder / "mixed.jsonl"
        good = [json.dumps(record(external_id=f"good-{n}"), ensure_ascii=False).encode() for n in (1, 3)]
        gbk = json.dumps(record(external_id="gbk-2", title={"zh-hans": "长春新区签约"}), ensure_ascii=False)
        path.write_bytes(b"\xef\xbb\xbf" + good[0] + b"\n" + gbk.encode("gbk") + b"\r\n" + good[1] + b"\n")
        out, err, error = run_import(path)
        assert error is not None and "2 articles were created" in out and "1 records rejected" in out
        assert "line 2: rejected: not UTF-8 text" in err and "GBK" in err
        assert set(Article.objects.values_list("external_id", flat=True)) == {"good-1", "good-3"}

    @pytest.mark.parametrize(
        ("fields", "reason"),
        [
            ({"tags": [5]}, "could not be imported"),
            ({"column": 7}, "could not be imported"),
            ({"title": "only one language"}, "must be an object of languages"),
            ({"featured": {"no": 1}}, "featured"),
        ],
    )
    def test_a_record_of_the_wrong_shape_is_rejected_with_its_line(self, folder, fields, reason):
        out, err, error = run_import(write(folder, record(external_id="good-1"), record(external_id="bad", **fields)))
        assert error is not None and "1 articles were created" in out
        assert "line 2: rejected:" in err and reason in err and "Traceback" not in err

    def test_the_same_key_twice_in_a_file_is_reported(self, folder):
        path = write(
            folder,
            record(title={"zh-hans": "第一", "en": "First"}),
            record(external_id="other"),
            record(title={"zh-hans": "第二", "en": "Second"}),
            record(external_id="", legacy_url="/a.html"),
            record(external_id="", legacy_url="http://old.example/a.html"),
        )
        out, err, error = run_import(path)
        assert error is None and "3 articles were created, 2 were updated" in out
        assert "line 3: warning: external_id “old-cms-1001” is also on line 1; this line replaces it" in err
        assert "line 5: warning: legacy_url “/a.html” is also on line 4" in err
        assert Article.objects.get(external_id="old-cms-1001").title_en == "Second"

    def test_a_body_over_the_limit_is_refused_however_it_arrives(self, folder, settings, column):
        settings.PORTAL_BODY_MAX_CHARACTERS = 1000
        long_body = "<p>" + "长" * 1200 + "</p>"
        out, err, error = run_import(write(folder, record(body={"zh-hans": long_body, "en": "<p>Short</p>"})))
        assert error is not None and "1 records rejected" in out
        assert "body_zh_hans: This text is 1207 characters long; at most 1000 can be saved." in err
        article = make_article(column, body_en="<p>" + "x" * 1200 + "</p>")
        with pytest.raises(ValidationError) as raised:
            article.full_clean()
        assert "body_en" in raised.value.message_dict

    def test_a_line_over_the_limit_is_refused_unread(self, folder, settings):
        settings.PORTAL_IMPORT_LINE_MAX_BYTES = 2 * 1024 * 1024
        huge = record(external_id="huge", body={"zh-hans": "<p>" + "x" * 3 * 1024 * 1024 + "</p>"})
        out, err, error = run_import(write(folder, record(), huge))
        assert (
            "1 articles were created" in out
            and "line 2: rejected: the line is 3 MB; a record may be at most 2 MB" in err
        )

    def test_the_accessible_flag_is_imported_and_must_be_true_or_false(self, folder):
        files = [{"path": "files/policy.pdf", "title": {"en": "Policy"}, "accessible": True}]
        out, err, error = run_import(write(folder, record(attachments=files)))
        assert error is None, err
        assert Article.objects.get().attachments.get().accessible is True
        files[0]["accessible"] = False
        run_import(write(folder, record(attachments=files)))
        assert Article.objects.get().attachments.get().accessible is False
        files[0]["accessible"] = "yes"
        out, err, error = run_import(
            write(folder, record(external_id="other", legacy_url="/o.html", attachments=files))
        )
        assert error is not None and "attachment 1: accessible must be true or false" in err
        assert Article.objects.count() == 1

    def test_importing_an_unchanged_file_again_stores_no_picture_again(self, folder, settings):
        path = write(folder, record())
        run_import(path)
        files = sorted(p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file())
        article = Article.objects.get()
        cover, attachment = article.cover_image.name, article.attachments.get().file.name
        out, _err, error = run_import(
            write(folder, record(attachments=[{"path": "files/policy.pdf", "title": {"en": "New"}}]))
        )
        assert error is None and "1 were updated" in out
        article = Article.objects.get()
        assert article.cover_image.name == cover and article.attachments.get().file.name == attachment
        assert article.attachments.get().title_en == "New"
        assert sorted(p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()) == files
        (folder / "files" / "policy.pdf").write_bytes(PDF + b"%changed\n")
        run_import(path)
        assert Article.objects.get().attachments.get().file.name != attachment


def test_export_then_import_into_an_empty_database_gives_the_same_articles(tmp_path, site, django_db_blocker):
    region = Region.objects.create(slug="siping", name_zh_hans="四平市", name_en="Siping")
    tag = Tag.objects.create(slug="clean-energy", name_zh_hans="清洁能源", name_en="Clean energy")
    first = make_article(
        site,
        cover_image=image_file(size=(900, 600)),
        cover_alt_zh_hans="封面",
        cover_alt_en="Cover",
        region=region,
        legacy_url="/tzdt/1.html",
        slug="jilin-news",
        unpublish_at=timezone.now() + timedelta(days=30),
        featured=True,
    )
    first.tags.add(tag)
    first.further_columns.add(Column.objects.create(slug="policies", name_zh_hans="政策", name_en="Policies"))
    attachment = Attachment(article=first, title_en="Rules", title_zh_hans="规则", size=len(PDF), accessible=True)
    attachment.file.save("r.pdf", ContentFile(PDF), save=False)
    attachment.save()
    make_article(site, languages=("zh-hans",), status=Article.Status.DRAFT, external_id="cms-7")

    export = tmp_path / "out" / "articles.jsonl"
    export.parent.mkdir()
    call_command("export_articles", str(export), stdout=io.StringIO())
    before = [json.loads(line) for line in export.read_text().splitlines()]
    assert len(before) == 2
    assert before[0]["further_columns"] == [{"slug": "policies", "name": {"zh-hans": "政策", "en": "Policies"}}]
    assert before[0]["attachments"][0]["accessible"] is True

    # An empty database: no articles, columns, regions or tags.
    Article.objects.all().delete()
    Column.objects.all().delete()
    Region.objects.all().delete()
    Tag.objects.all().delete()
    out, err, error = run_import(export)
    assert error is None, err

    again = tmp_path / "again" / "articles.jsonl"
    again.parent.mkdir()
    call_command("export_articles", str(again), stdout=io.StringIO())
    after = [json.loads(line) for line in again.read_text().splitlines()]

    def without_paths(records, base):
        for item in records:
            for file in [item["cover"], *item["attachments"]] if item["cover"] else item["attachments"]:
                assert (base / file.pop("path")).is_file()
        return records

    # The same articles: every field, language, tag, region and file title; files are stored under new names.
    after, before = without_paths(after, again.parent), without_paths(before, export.parent)
    for old, new in zip(before, after, strict=True):
        assert {key: (old[key], new[key]) for key in old if old[key] != new[key]} == {}
    imported = Article.objects.get(external_id=before[0]["external_id"])
    assert imported.attachments.get().file.read() == PDF
    assert imported.cover_width == 900
