"""Staff accounts (news/staff/admin.py, roles.py, names.py): roles chosen whole, no escalation below superuser."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.utils import translation

from news.staff.names import display_name
from tests.factories import make_staff

pytestmark = pytest.mark.django_db
User = get_user_model()
ZH = {"accept-language": "zh-hans"}


@pytest.fixture
def admin_client_of_site(db):
    client = Client()
    client.user = make_staff("Site administrator", "sysadmin")
    client.force_login(client.user)
    return client


def change_data(user, **overrides):
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "groups": [str(group.pk) for group in user.groups.all()],
    }
    data.update(overrides)
    return data


class TestNoEscalation:
    def test_a_site_administrator_cannot_make_anyone_a_superuser_or_give_permissions(self, admin_client_of_site):
        editor = make_staff("Editor", "wang")
        permission = Permission.objects.get(codename="publish_article")
        response = admin_client_of_site.post(
            f"/admin/auth/user/{editor.pk}/change/",
            change_data(editor, is_superuser="on", is_staff="on", user_permissions=[str(permission.pk)]),
        )
        assert response.status_code == 302
        editor.refresh_from_db()
        assert not editor.is_superuser
        assert not editor.user_permissions.exists()
        assert not editor.has_perm("news.publish_article")

    def test_a_site_administrator_cannot_raise_their_own_role(self, admin_client_of_site):
        me = admin_client_of_site.user
        senior = Group.objects.get(name="Senior editor")
        response = admin_client_of_site.post(
            f"/admin/auth/user/{me.pk}/change/",
            change_data(me, groups=[str(senior.pk)], is_superuser="on"),
        )
        assert response.status_code == 302
        me.refresh_from_db()
        assert not me.is_superuser
        assert list(me.groups.values_list("name", flat=True)) == ["Site administrator"]

    def test_the_form_offers_roles_not_permissions(self, admin_client_of_site):
        editor = make_staff("Editor", "wang")
        Group.objects.create(name="hand-made group")
        page = admin_client_of_site.get(f"/admin/auth/user/{editor.pk}/change/", headers=ZH).content.decode()
        assert 'name="is_superuser"' not in page and 'name="user_permissions"' not in page
        assert "高级编辑" in page and "编辑" in page and "hand-made group" not in page

    def test_a_site_administrator_can_give_a_role(self, admin_client_of_site):
        editor = make_staff("Editor", "wang")
        senior = Group.objects.get(name="Senior editor")
        response = admin_client_of_site.post(
            f"/admin/auth/user/{editor.pk}/change/", change_data(editor, groups=[str(senior.pk)])
        )
        assert response.status_code == 302
        assert editor.has_perm("news.publish_article") or User.objects.get(pk=editor.pk).has_perm(
            "news.publish_article"
        )

    def test_superusers_are_out_of_a_site_administrators_reach(self, admin_client_of_site):
        root = User.objects.create_superuser("root", password="a-long-password-1")
        assert "root" not in admin_client_of_site.get("/admin/auth/user/").content.decode()
        assert admin_client_of_site.get(f"/admin/auth/user/{root.pk}/change/").status_code in (302, 404)
        response = admin_client_of_site.post(
            f"/admin/auth/user/{root.pk}/password/", {"password1": "x-new-password-9", "password2": "x-new-password-9"}
        )
        assert response.status_code in (302, 403, 404)
        root.refresh_from_db()
        assert root.check_password("a-long-password-1")


class TestOnePage:
    def test_a_staff_account_with_name_password_and_role_in_one_step(self, admin_client_of_site):
        editor = Group.objects.get(name="Editor")
        response = admin_client_of_site.post(
            "/admin/auth/user/add/",
            {
                "username": "wangxm",
                "last_name": "王",
                "first_name": "小明",
                "email": "",
                "usable_password": "true",
                "password1": "Zhaoshang-2026-a",
                "password2": "Zhaoshang-2026-a",
                "groups": [str(editor.pk)],
                "is_superuser": "on",
            },
        )
        assert response.status_code == 302
        user = User.objects.get(username="wangxm")
        assert user.is_staff and not user.is_superuser and user.check_password("Zhaoshang-2026-a")
        assert list(user.groups.values_list("name", flat=True)) == ["Editor"]
        listing = admin_client_of_site.get("/admin/auth/user/", headers=ZH).content.decode()
        assert "王小明" in listing and "编辑" in listing

    def test_group_names_stay_stored_and_show_in_chinese(self, admin_client_of_site):
        assert set(Group.objects.values_list("name", flat=True)) >= {"Editor", "Senior editor", "Site administrator"}
        page = admin_client_of_site.get("/admin/auth/group/", headers=ZH).content.decode()
        assert "高级编辑" in page and "网站管理员" in page

    def test_every_role_is_named_in_chinese_and_offered(self, admin_client_of_site):
        officer = make_staff("Enquiry officer", "zhao")
        listing = admin_client_of_site.get("/admin/auth/user/", headers=ZH).content.decode()
        assert "咨询受理员" in listing
        for stored in ("Enquiry officer", "Senior editor", "Site administrator", ">Editor<"):
            assert stored not in listing, stored  # neither in the role column nor in the filter
        group = Group.objects.get(name="Enquiry officer")
        filtered = admin_client_of_site.get(f"/admin/auth/user/?groups__id__exact={group.pk}", headers=ZH)
        rows = filtered.content.decode()
        assert f"/admin/auth/user/{officer.pk}/change/" in rows
        assert f"/admin/auth/user/{admin_client_of_site.user.pk}/change/" not in rows
        form = admin_client_of_site.get("/admin/auth/user/add/", headers=ZH).content.decode()
        assert "咨询受理员" in form and f'value="{group.pk}"' in form
        assert officer.groups.get() == group

    def test_a_role_viewed_read_only_lists_its_permissions_in_chinese(self, admin_client_of_site):
        group = Group.objects.get(name="Editor")
        page = admin_client_of_site.get(f"/admin/auth/group/{group.pk}/change/", headers=ZH).content.decode()
        assert "新闻 | 文章 | 可以添加文章" in page
        assert "Can add" not in page and "Can view" not in page
        assert "<title>编辑 |" in page and "<h2>Editor</h2>" not in page
        assert "新闻 | 文章 | 可以修改文章<br>新闻 | 文章 | 可以查看文章" in page  # one a line, in order


def test_a_roles_pages_name_it_in_chinese_in_their_breadcrumbs_too(client, db):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    chief = get_user_model().objects.create_superuser("chief-roles", "c@example.org", "a-long-password-1")
    client.force_login(chief)
    group = Group.objects.get(name="Senior editor")
    zh = {"accept-language": "zh-hans"}
    for page in ("change", "history", "delete"):
        html = client.get(f"/admin/auth/group/{group.pk}/{page}/", headers=zh).content.decode()
        crumbs = re.search(r'<div class="breadcrumbs">(.*?)</div>', html, re.S).group(1)
        assert "高级编辑" in crumbs and "Senior editor" not in crumbs, page
    delete = client.get(f"/admin/auth/group/{group.pk}/delete/", headers=zh).content.decode()
    assert '"高级编辑"' in delete and f'/admin/auth/group/{group.pk}/change/">高级编辑</a>' in delete
    assert "Senior editor" not in delete and "Group_permissions object" not in delete
    assert "Group-permission" not in delete  # the table of links, listed row by row in English
    editor = make_staff("Editor", "wu")
    user_delete = client.get(f"/admin/auth/user/{editor.pk}/delete/", headers=zh).content.decode()
    assert "User_groups object" not in user_delete and "wu" in user_delete
    assert Group.objects.filter(name="Senior editor").exists()  # stored names stay as they are


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [("主编", "李", "李主编"), ("小明", "王", "王小明"), ("Anna", "Li", "Anna Li"), ("", "", "li")],
)
def test_display_name_puts_chinese_family_names_first(first, last, expected):
    assert display_name(User(username="li", first_name=first, last_name=last)) == expected


def test_a_superuser_reads_permissions_and_groups_in_chinese(client, db):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    chief = get_user_model().objects.create_superuser("chief-perms", "c@example.org", "a-long-password-1")
    client.force_login(chief)
    zh = {"accept-language": "zh-hans"}
    user_page = client.get(f"/admin/auth/user/{chief.pk}/change/", headers=zh).content.decode()
    assert "新闻 | 文章 | 可以添加文章" in user_page
    assert "新闻 | 文章 | 可以发布、定时发布、撤销发布和归档文章" in user_page
    assert "Can add article" not in user_page and "Can publish" not in user_page
    group = Group.objects.get(name="Senior editor")
    group_page = client.get(f"/admin/auth/group/{group.pk}/change/", headers=zh).content.decode()
    assert "新闻 | 文章 | 可以修改文章" in group_page and "Can change article" not in group_page
    en = client.get(f"/admin/auth/group/{group.pk}/change/", headers={"accept-language": "en"}).content.decode()
    assert "News | article | Can change article" in en


@pytest.mark.parametrize(
    ("page", "original"),
    [
        ("change", "admin/change_form.html"),
        ("history", "admin/object_history.html"),
        ("delete", "admin/delete_confirmation.html"),
    ],
)
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_role_pages_breadcrumbs_are_djangos_own_for_a_group_that_is_no_role(client, db, page, original, language):
    """templates/admin/auth/group/ copy Django's breadcrumbs to name a role in the admin's language
    (docs/upgrading.md, "What copies Django"): for a group whose name is no role's, they must write
    what Django's own templates write."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.template.loader import get_template

    chief = get_user_model().objects.create_superuser("chief-crumbs", "c@example.org", "a-long-password-1")
    client.force_login(chief)
    # Long enough for ``truncatewords:"18"``.
    group = Group.objects.create(name="Press office & partners " + " ".join(f"w{n}" for n in range(20)))
    response = client.get(f"/admin/auth/group/{group.pk}/{page}/", headers={"accept-language": language})
    assert response.status_code == 200
    context = response.context[0].flatten()  # the page's own context (first of the templates rendered)
    context["object"] = group  # the delete page passes the role's label as ``object`` (RoleGroupAdmin)
    with translation.override(language):
        djangos = get_template(original).render(context, response.wsgi_request)

    def crumbs(html):
        return re.search(r'<div class="breadcrumbs">(.*?)</div>', html, re.S).group(1)

    ours = crumbs(response.content.decode())
    assert ours == crumbs(djangos)
    assert "Press office &amp; partners w0" in ours and "w19" not in ours
    assert ("首页" if language == "zh-hans" else "Home") in ours
