"""Settings for the investment-promotion portal.

One module, driven by environment variables. The defaults run the embedded setup
(SQLite, a file cache shared by every worker on the machine, media on local disk)
with everything that must survive restarts in one git-ignored folder,
``DJANGO_DATA_DIR`` (``var/`` by default). See README.md, "Configuration".
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from news.operations.headers import static_headers as _static_headers

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name, default=None):
    value = os.environ.get(name)
    return default if value is None or value == "" else value


def env_bool(name, default=False):
    value = env(name)
    if value is None:
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_list(name, default):
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)

PORTAL_DATA_DIR = Path(env("DJANGO_DATA_DIR", BASE_DIR / "var"))

# The key comes from the environment or from the file `make run` writes once into
# the data folder; it is never generated at start-up, which would log everyone out
# on every restart and differ between workers.
SECRET_KEY = env("DJANGO_SECRET_KEY")
if SECRET_KEY is None and (PORTAL_DATA_DIR / "secret_key").is_file():
    SECRET_KEY = (PORTAL_DATA_DIR / "secret_key").read_text().strip()
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set and there is no "
            f"{PORTAL_DATA_DIR / 'secret_key'} file. Set DJANGO_SECRET_KEY, or run `make run`, "
            "which writes that file once."
        )
    SECRET_KEY = "django-insecure-development-only"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

DJANGO_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
]
THIRD_PARTY_APPS = [
    "reversion",
    "django_prose_editor",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_countries",
]
PORTAL_APPS = [
    # The content, the reader site and the newsroom; then who gets into the admin, and running the site.
    "news",
    "news.staff",
    "news.operations",
    # Investor services: enquiries routed to desks and tracked in working days (news/investment/).
    "news.investment",
    # Policy documents: the 政务公开 metadata of the articles of policy columns (news/policies/).
    "news.policies",
]
# modeltranslation must come before the admin to patch its forms; WhiteNoise's runserver_nostatic
# before staticfiles, so `manage.py runserver` serves static files as gunicorn does.
INSTALLED_APPS = ["modeltranslation", "whitenoise.runserver_nostatic", *DJANGO_APPS, *THIRD_PARTY_APPS, *PORTAL_APPS]

MIDDLEWARE = [
    # Security headers first, outside WhiteNoise and the page cache: static files, media and
    # cached pages carry the same headers as pages rendered afresh.
    "django.middleware.security.SecurityMiddleware",
    "news.operations.headers.ContentSecurityPolicyMiddleware",
    "news.operations.headers.SecurityHeadersMiddleware",
    "news.admin.csp.AdminCSPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside the page cache: 304s and visit counting apply to cached answers too.
    "django.middleware.http.ConditionalGetMiddleware",
    "news.visits.VisitCounterMiddleware",
    # Answers anonymous reader pages before sessions, locale, CSRF and auth run (news/pagecache/).
    "news.pagecache.middleware.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Pages the page cache could not answer, per address and minute (news/ratelimit.py).
    "news.ratelimit.MissRateLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Two-factor authentication (news/staff/): which device verified this session, and
    # no admin page (nor a staff view of the site) until the second step is done.
    "django_otp.middleware.OTPMiddleware",
    "news.staff.middleware.TwoFactorMiddleware",
    # Who and from where, for the audit log (news/audit.py); logs 403 answers.
    "news.audit.AuditMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Answers a locked-out login with the lockout page (news/staff/throttling.py).
    "axes.middleware.AxesMiddleware",
    # Last, so it sees every 404 first: a request for an old site's address moves to the article.
    "news.middleware.LegacyRedirectMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "news.context_processors.site",
            ],
        },
    },
]

# --- Database --------------------------------------------------------------------
# SQLite in WAL mode with a busy timeout and IMMEDIATE write transactions, so that
# readers never wait for a writer and two workers writing at once queue instead of
# failing with "database is locked".
_SQLITE_OPTIONS = {
    "init_command": (
        "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA busy_timeout=5000;PRAGMA foreign_keys=ON;"
    ),
    "transaction_mode": "IMMEDIATE",
    "timeout": 5,
}

# Connections are kept (60 s, checked before reuse) with SQLite too: opening one runs the
# PRAGMAs above, and closing the last one checkpoints and removes the WAL, which together cost
# about a tenth of an uncached page when done on every request (docs/benchmarks.md).
_DATABASE_URL = env("DATABASE_URL")
if _DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(_DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        DATABASES["default"]["OPTIONS"] = _SQLITE_OPTIONS
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": PORTAL_DATA_DIR / "db.sqlite3",
            "OPTIONS": _SQLITE_OPTIONS,
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache -----------------------------------------------------------------------
# Every worker must see the same cache (the page cache and its content version, rate-limit
# counters), so the embedded default is a cache on disk, not local memory.
_REDIS_URL = env("REDIS_URL")
if _REDIS_URL:
    CACHES = {
        "default": {
            # django-redis behind a per-process circuit breaker (news/operations/sharedcache.py):
            # a Redis that refuses or hangs becomes cache misses, costing each process one
            # socket timeout every PORTAL_CACHE_RETRY_SECONDS, not one per call.
            "BACKEND": "news.operations.sharedcache.RedisCache",
            "LOCATION": _REDIS_URL,
            "KEY_PREFIX": env("DJANGO_CACHE_PREFIX", "portal"),
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": False,  # the breaker ignores them, once
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 0.5,
                # A page entry is 12–17 KB of HTML in a pickle; zlib makes it about a fifth.
                "COMPRESSOR": "django_redis.compressors.zlib.ZlibCompressor",
            },
        }
    }
    # Each ignored error is logged on portal.cache, as one warning line at most once a minute
    # (news/operations/faults.py, CacheOutageLogFilter), not as an error with a traceback per call.
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
    DJANGO_REDIS_LOGGER = "portal.cache"
else:
    CACHES = {
        "default": {
            # SQLite files in the data folder, shared by every worker of the machine (diskcache):
            # a write costs the same at any number of entries; pages are evicted oldest first past
            # MAX_MB, counters and the content version never for room; a full disk is a miss
            # (news/operations/sharedcache.py). Django's file cache listed its folder on every write.
            "BACKEND": "news.operations.sharedcache.DiskCache",
            "LOCATION": PORTAL_DATA_DIR / "shared-cache",
            "KEY_PREFIX": env("DJANGO_CACHE_PREFIX", "portal"),
            "OPTIONS": {
                "MAX_MB": float(env("PORTAL_CACHE_MAX_MB", 256)),
                # Whole pages and values derived from content (news/pagecache/): anything else is state.
                "EVICTABLE_KEY_PREFIXES": ("page", "remembered:"),
                # The content version (news/pagecache/version.py VERSION_KEY), read by every
                # page-cache hit: in a file of its own, one stat() a read while it is unchanged.
                "FILE_KEYS": ("content:version",),
            },
        }
    }

# How long a process leaves a failing shared cache alone before trying it again (the circuit
# breaker), and how often each process checks the content version in the cache against the one
# in the database (news/pagecache/version.py): together they bound how long a change saved while
# the cache was unreachable can go unseen once it is back (README, "Staying up").
PORTAL_CACHE_RETRY_SECONDS = float(env("PORTAL_CACHE_RETRY_SECONDS", 5))
PORTAL_CACHE_RECONCILE_SECONDS = float(env("PORTAL_CACHE_RECONCILE_SECONDS", 5))

# The parts every page shares (header, menu, footer) are rendered once per content version and
# language and kept in each process ({% chrome %}, news/context_processors.py; the breadcrumb,
# reader tools and feed links with {% cache %} here, the version in the key), so any edit is seen
# at once. Local memory, as nothing is shared but the version. The list
# items (cards, news/pagecache/fragments.py) are kept here too, one per object, language and shown
# values: a 2,000-article site in two languages has 4,000 of them, so the default holds a crawl of
# every list page without evicting cards it is about to need again. Measured: about 2.4 KB of
# memory an entry (tracemalloc over 2,280 cards), so at most ~24 MB a worker at the default.
PORTAL_TEMPLATE_FRAGMENTS = int(env("PORTAL_TEMPLATE_FRAGMENTS", 10000))
CACHES["template_fragments"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "template-fragments",
    "OPTIONS": {"MAX_ENTRIES": PORTAL_TEMPLATE_FRAGMENTS},
}
# An article page's own parts (news/pagecache/fragments.py ``kept_part``: its content block; its
# links and meta) are kept under a digest of what they show, two entries an article and language of
# 5 KB on average pickled (the harness's corpus); a part over 20,000 characters (a long document's
# body) is not kept, so an entry stays under ~70 KB. Kept apart from the cards, for the most recently
# read pages only: a crawler walking every article keeps at most PORTAL_ARTICLE_PARTS entries (~5 MB
# a worker at the default with news-length articles, 70 MB at the very worst) and evicts no cards.
PORTAL_ARTICLE_PARTS = int(env("PORTAL_ARTICLE_PARTS", 1000))
CACHES["article_parts"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "article-parts",
    "OPTIONS": {"MAX_ENTRIES": PORTAL_ARTICLE_PARTS},
}

SESSION_ENGINE = "django.contrib.sessions.backends.db"
# Only staff have sessions (readers get cached pages without one). A session ends after
# 8 hours without a request: each request saves it again, pushing its expiry on. It also
# ends when the password changes (Django's session hash) or the account is disabled
# (ModelBackend refuses inactive users on every request).
SESSION_COOKIE_AGE = int(env("PORTAL_SESSION_IDLE_HOURS", 8)) * 3600
SESSION_SAVE_EVERY_REQUEST = True

# --- Staff logins ------------------------------------------------------------------
# Staff log in through the admin. A login whose ``next`` is not ours (another host, a scheme)
# lands on the admin's index, not on Django's default /accounts/profile/ (a 404 here).
LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "admin:index"
# django-axes checks every login first: 5 failed attempts for the same username from the same
# address lock that pair out for 15 minutes, which end by themselves (no one has to unlock).
# Attempts are kept in the database, shared by every instance, and survive a cache outage.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(env("PORTAL_LOGIN_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = timedelta(minutes=int(env("PORTAL_LOGIN_COOLOFF_MINUTES", 15)))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "news.staff.throttling.lockout_response"
AXES_CLIENT_IP_CALLABLE = "news.operations.headers.client_ip"
# Axes would log raw usernames; the audit log (portal.audit) records failures, escaped.
AXES_VERBOSE = False
# Axes's admin pages are not translated into Chinese; locks end by themselves, and operators
# lift one early with `manage.py axes_reset_username USERNAME`.
AXES_ENABLE_ADMIN = False

# --- Two-factor authentication (django-otp, news/staff/) ----------------------------
# Staff with a confirmed authenticator give a current code after their password. The site
# administrator can require it of all staff (Site settings); PORTAL_REQUIRE_TWO_FACTOR=true
# requires it whatever the site settings say, for operators who want it fixed at deployment.
PORTAL_REQUIRE_TWO_FACTOR = env_bool("PORTAL_REQUIRE_TWO_FACTOR", False)
# A wrong code makes the next try wait 1, 2, 4, 8 … seconds (per device, in the database).
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1


def OTP_TOTP_ISSUER(device):  # noqa: N802 - a setting django-otp calls with the device
    """The name the authenticator app shows beside the code: the site's name."""
    from news.staff.devices import issuer

    return issuer()


# How many one-time backup codes a staff member gets.
PORTAL_TWO_FACTOR_BACKUP_CODES = 10

# --- Passwords -------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Languages -------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [
    ("zh-hans", _("Simplified Chinese")),
    ("en", _("English")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True

MODELTRANSLATION_DEFAULT_LANGUAGE = "zh-hans"
# No silent fallback of content: an English page never shows Chinese text in place
# of missing English (README, "How the portal behaves").
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ()}

# --- Static files and media ----------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("DJANGO_STATIC_ROOT", PORTAL_DATA_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("DJANGO_MEDIA_ROOT", PORTAL_DATA_DIR / "media"))

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage",
    },
}
# Uploads on S3-compatible storage (AWS, MinIO, Aliyun OSS, Tencent COS, …), so that every
# instance behind the load balancer sees every upload. Readers fetch media straight from the
# bucket or its CDN (MEDIA_S3_CUSTOM_DOMAIN): the bucket must allow public reads of these
# objects, and addresses are unsigned so that cached pages never hold an expired signature.
_MEDIA_S3_BUCKET = env("MEDIA_S3_BUCKET")
if _MEDIA_S3_BUCKET:
    STORAGES["default"] = {
        # S3Storage, with the content type taken from the generated name (news/uploads/storage.py).
        "BACKEND": "news.uploads.storage.MediaS3Storage",
        "OPTIONS": {
            "bucket_name": _MEDIA_S3_BUCKET,
            "endpoint_url": env("MEDIA_S3_ENDPOINT_URL"),
            "region_name": env("MEDIA_S3_REGION"),
            # Unset: boto3's usual chain (AWS_* variables, instance role).
            "access_key": env("MEDIA_S3_ACCESS_KEY_ID"),
            "secret_key": env("MEDIA_S3_SECRET_ACCESS_KEY"),
            "custom_domain": env("MEDIA_S3_CUSTOM_DOMAIN"),
            "location": env("MEDIA_S3_PREFIX", ""),
            "default_acl": env("MEDIA_S3_ACL"),
            "querystring_auth": False,
            # A second upload named like the first gets its own name, as on local disk.
            "file_overwrite": False,
            "object_parameters": {"CacheControl": "public, max-age=86400"},
        },
    }
# Serve uploaded media from the app itself when no separate media host is set;
# see news.views.files.serve_media. Off when a CDN or S3 serves media.
PORTAL_SERVE_MEDIA = env_bool("DJANGO_SERVE_MEDIA", not _MEDIA_S3_BUCKET)
WHITENOISE_MAX_AGE = 3600
# The share image may be loaded by other sites (link previews); see news/operations/headers.py.
WHITENOISE_ADD_HEADERS_FUNCTION = _static_headers

FILE_UPLOAD_PERMISSIONS = 0o644
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Security ----------------------------------------------------------------------
# PORTAL_HTTPS is on by default whenever DEBUG is off. `make run` serves the local demo
# over plain HTTP and sets DJANGO_HTTPS=false for that reason only.
PORTAL_HTTPS = env_bool("DJANGO_HTTPS", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = PORTAL_HTTPS
if PORTAL_HTTPS:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(env("DJANGO_HSTS_SECONDS", 31536000))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
# Content-Security-Policy (django-csp). No inline script or style anywhere: pages load their
# scripts and styles from the site itself. The one exception is the admin's rich-text editor,
# whose import map is an inline <script type="importmap">: it carries the request's nonce
# (news/admin/csp.py), and a nonce enters the header only on pages that used one. Public pages
# never do, so the page cache never stores a nonce. JSON-LD is a data block, not script.
# Media on S3 or a CDN come from another origin (its custom domain, or else its endpoint).
_media_origin = ""
if _MEDIA_S3_BUCKET:
    _media_origin = (
        f"https://{env('MEDIA_S3_CUSTOM_DOMAIN')}"
        if env("MEDIA_S3_CUSTOM_DOMAIN")
        else env("MEDIA_S3_ENDPOINT_URL", "")
    )
PORTAL_MEDIA_ORIGINS = env_list(
    "DJANGO_CSP_MEDIA_ORIGINS", _media_origin or "https://*.amazonaws.com" * bool(_MEDIA_S3_BUCKET)
)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *PORTAL_MEDIA_ORIGINS],
        "media-src": [SELF, *PORTAL_MEDIA_ORIGINS],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "frame-src": [NONE],
        "upgrade-insecure-requests": PORTAL_HTTPS,
    },
}
# Cross-Origin-Resource-Policy on every answer (news/operations/headers.py): nobody else's pages embed
# ours. Pictures that feeds and Open Graph publish (media pictures, the share image) are cross-origin.
PORTAL_CROSS_ORIGIN_RESOURCE_POLICY = "same-origin"

# Behind nginx or a load balancer that terminates TLS and sets X-Forwarded-Proto.
PORTAL_BEHIND_PROXY = env_bool("DJANGO_BEHIND_PROXY", False)
if PORTAL_BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# The path the portal is mounted under ("" = the root of its host), set here and never read from
# the request: gunicorn turns a client's SCRIPT_NAME header into the WSGI SCRIPT_NAME for peers it
# trusts (--forwarded-allow-ips, loopback by default), and a page rendered under such a made-up
# prefix would be stored in the page cache with every link pointing under it.
FORCE_SCRIPT_NAME = env("DJANGO_SCRIPT_NAME", "").rstrip("/")

# The admin lives at a configurable path, outside the language prefixes.
PORTAL_ADMIN_URL = env("DJANGO_ADMIN_URL", "admin/").strip("/") + "/"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"cache_outage": {"()": "news.operations.faults.CacheOutageLogFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        # The audit trail (news/audit.py): send it to its own file or collector in production.
        "portal.audit": {"level": "INFO"},
        # Outages of the database and the cache (news/operations/faults.py).
        "portal.faults": {"level": "INFO"},
        "portal.cache": {"level": "INFO", "filters": ["cache_outage"]},
    },
}

# --- The portal ------------------------------------------------------------------
# How long a repeated view of the same page by the same visitor is not counted again,
# and how often the counts kept in the cache are written to the database.
PORTAL_VISIT_DEDUP_SECONDS = int(env("PORTAL_VISIT_DEDUP_SECONDS", 1800))
# At most this many (address, page) pairs per generation, two generations per process (news/visits.py).
PORTAL_VISIT_DEDUP_ENTRIES = int(env("PORTAL_VISIT_DEDUP_ENTRIES", 50000))
PORTAL_VISIT_FLUSH_SECONDS = int(env("PORTAL_VISIT_FLUSH_SECONDS", 60))

# Signed preview links for reviewers without an account stay valid this long.
PORTAL_PREVIEW_LINK_MAX_AGE = int(env("PORTAL_PREVIEW_LINK_HOURS", 48)) * 3600
# How often an open article form says it is still open (news/admin/presence.py).
PORTAL_PRESENCE_HEARTBEAT_SECONDS = 30
# Uploads: images are re-encoded by Pillow within these limits; documents by type and size.
PORTAL_IMAGE_MAX_BYTES = int(env("PORTAL_IMAGE_MAX_MB", 15)) * 1024 * 1024
PORTAL_IMAGE_MAX_PIXELS = int(env("PORTAL_IMAGE_MAX_MEGAPIXELS", 40)) * 1_000_000
# Animated pictures: at most this many frames (and PORTAL_IMAGE_MAX_PIXELS counts them all); the first is kept.
PORTAL_IMAGE_MAX_FRAMES = int(env("PORTAL_IMAGE_MAX_FRAMES", 100))
PORTAL_ATTACHMENT_MAX_BYTES = int(env("PORTAL_ATTACHMENT_MAX_MB", 50)) * 1024 * 1024
# An article body, in each language, whichever way it arrives (the admin, an import, full_clean):
# 300,000 characters is over a hundred printed pages, and two of them in Chinese (3 bytes a
# character) still fit in DATA_UPLOAD_MAX_MEMORY_SIZE, so the admin can say what is wrong.
PORTAL_BODY_MAX_CHARACTERS = int(env("PORTAL_BODY_MAX_CHARACTERS", 300_000))
# One line of an import file (one article, every language) is refused unread past this size.
PORTAL_IMPORT_LINE_MAX_BYTES = 8 * PORTAL_BODY_MAX_CHARACTERS + 1024 * 1024

# Searches a minute from one address that reach the search engine (page-cache hits are free);
# more get a 429 with Retry-After. 0 turns the limit off.
PORTAL_SEARCH_RATE_LIMIT = int(env("PORTAL_SEARCH_RATE_PER_MINUTE", 30))
# Reader pages a minute from one address that the page cache could not answer (each a render
# and a new entry: distinct query strings are the cheapest way to load the site); more get a 429.
# A reader makes a few; a search engine's crawler from one address stays well under. 0: no limit.
PORTAL_MISS_RATE_LIMIT = int(env("PORTAL_MISS_RATE_PER_MINUTE", 120))

# Whole-page cache of anonymous reader pages (news/pagecache/): how long an entry may live
# at most (edits and scheduled times end it sooner; 0 turns the page cache off), and how
# long a CDN or nginx in front may keep a page (s-maxage).
PORTAL_PAGE_CACHE_SECONDS = int(env("PORTAL_PAGE_CACHE_SECONDS", 600))
PORTAL_PAGE_CACHE_SHARED_SECONDS = int(env("PORTAL_PAGE_CACHE_SHARED_SECONDS", 60))

# The reader pages' queries built once per process (news/db/prepared.py), the same rows three ways:
# true, compiled on the ORM's internals (the one module that uses them); false, on documented API
# only (the ORM's SQL seen once through an execute wrapper); "plain", each the plain queryset it is
# built from (several times the CPU per uncached page). Turn it off first when upgrading Django
# (docs/upgrading.md).
PORTAL_PREPARED_QUERIES = (
    "plain" if env("PORTAL_PREPARED_QUERIES") == "plain" else env_bool("PORTAL_PREPARED_QUERIES", True)
)

# --- Policy documents (news/policies/) ------------------------------------------------
# Working days after its publication within which a normative document should have a public
# interpretation; later, the admin's home page lists it (Zhengzhou's rule is three).
PORTAL_INTERPRETATION_WORKING_DAYS = int(env("PORTAL_INTERPRETATION_WORKING_DAYS", 3))

# --- Investor enquiries (news/investment/) ------------------------------------------
# Enquiries one address may send an hour (counted in the shared cache); 0 turns the limit off.
PORTAL_ENQUIRY_RATE_PER_HOUR = int(env("PORTAL_ENQUIRY_RATE_PER_HOUR", 5))
# Months after an enquiry is closed until `manage.py purge_enquiries` blanks its personal fields.
PORTAL_ENQUIRY_RETENTION_MONTHS = int(env("PORTAL_ENQUIRY_RETENTION_MONTHS", 24))
# A form sent sooner than this after it was shown, or later, is refused (a robot, or a stale page).
PORTAL_ENQUIRY_MIN_SECONDS = 3
PORTAL_ENQUIRY_MAX_SECONDS = 2 * 3600
# Project codes are <prefix><year>-<serial>, such as JL2026-0007 (招商项目编号).
PORTAL_PROJECT_CODE_PREFIX = env("PORTAL_PROJECT_CODE_PREFIX", "JL")

# --- E-mail: notifications only; the enquiry is in the database before any is sent --------
# Without DJANGO_EMAIL_HOST, mail is printed on the console (`make run` needs no mail server).
EMAIL_HOST = env("DJANGO_EMAIL_HOST", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = int(env("DJANGO_EMAIL_PORT", 25))
EMAIL_HOST_USER = env("DJANGO_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env("DJANGO_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("DJANGO_EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = int(env("DJANGO_EMAIL_TIMEOUT", 10))
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", "noreply@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Staff are told by mail when an article of theirs is sent back, once an SMTP server is named;
# without one the admin's home page is the only notice (news/dashboard.py).
PORTAL_NOTIFY_BY_EMAIL = bool(EMAIL_HOST)
