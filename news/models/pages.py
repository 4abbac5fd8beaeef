"""Static pages (About, Contact Us, Privacy Statement) and the one row of site settings."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..addresses import address
from ..fields import SanitizedHTMLField, WebAddressesMixin


class Page(models.Model):
    """A static page: About, Contact Us, Privacy Statement."""

    slug = models.SlugField(_("slug"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    body = SanitizedHTMLField(_("body"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("page")
        verbose_name_plural = _("pages")

    def __str__(self):
        return self.title or self.slug

    def get_absolute_url(self):
        return address("news:page-detail", slug=self.slug)


class SiteSettings(WebAddressesMixin, models.Model):
    """The one row of site-wide settings: the name and what the footer must show.

    The record numbers are those the State Council's 2017 guidelines for government
    websites require in the footer; each is shown only when filled in.
    """

    site_name = models.CharField(_("site name"), max_length=200)
    icp_record = models.CharField(
        _("ICP record number"), max_length=100, blank=True, help_text=_("For example 吉ICP备10003975号.")
    )
    icp_url = models.URLField(_("ICP record link"), blank=True, default="https://beian.miit.gov.cn/")
    public_security_record = models.CharField(_("public security record number"), max_length=100, blank=True)
    public_security_url = models.URLField(
        _("public security record link"), blank=True, default="https://beian.mps.gov.cn/"
    )
    government_site_code = models.CharField(_("government website identification code"), max_length=50, blank=True)
    government_site_code_url = models.URLField(_("identification code link"), blank=True)
    sponsor = models.CharField(
        _("sponsor"), max_length=200, blank=True, help_text=_("The agency that runs the site (主办单位).")
    )
    contact_address = models.CharField(_("address"), max_length=255, blank=True)
    contact_phone = models.CharField(_("telephone"), max_length=50, blank=True)
    contact_email = models.EmailField(_("email"), blank=True)
    require_two_factor = models.BooleanField(
        _("require two-factor authentication for all staff"),
        default=False,
        help_text=_(
            "Staff who have not set up an authenticator app are sent to set one up after they log in, "
            "and can open nothing else in the administration until they have."
        ),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("site settings")
        verbose_name_plural = _("site settings")
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="site_settings_single_row")]

    def __str__(self):
        return str(_("Site settings"))

    def save(self, *args, **kwargs):
        # There is only ever one row; saving any instance writes that row.
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def load(cls):
        """The settings row, or an unsaved default one when none exists yet."""
        return cls.objects.filter(pk=1).first() or cls(pk=1)
