"""The newsroom's admin: registrations only. The classes are in ``site`` (PortalAdmin, language
fieldsets, columns, regions, tags, pages, site settings), ``articles`` (the article editor with
its workflow, previews and history), ``forms`` (the article form), ``library`` (the picture
library) and ``csp`` (what the admin adds to the Content-Security-Policy). Staff accounts are in
``news/staff/admin.py``.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ..models import Article, Column, Image, Page, Region, SiteSettings, Tag
from .articles import ArticleAdmin
from .library import ImageAdmin
from .site import ColumnAdmin, PageAdmin, RegionAdmin, SiteSettingsAdmin, TagAdmin

admin.site.site_header = _("Investment promotion portal: administration")
admin.site.site_title = _("Portal administration")
admin.site.index_title = _("Content")

admin.site.register(Article, ArticleAdmin)
admin.site.register(Image, ImageAdmin)
admin.site.register(Column, ColumnAdmin)
admin.site.register(Region, RegionAdmin)
admin.site.register(Tag, TagAdmin)
admin.site.register(Page, PageAdmin)
admin.site.register(SiteSettings, SiteSettingsAdmin)
