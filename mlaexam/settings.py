"""Settings for mlaexam, read from the environment (12-factor).

One module for every environment: production differs only by environment variables.

* Nothing set: development (``DEBUG`` on), a SQLite file in ``var/`` and Celery tasks run in-process.
* ``DEBUG=False``: production. ``SECRET_KEY`` must be set (the app refuses to start without it),
  cookies are secure, HSTS and the HTTPS redirect are on, and ``manage.py check --deploy`` is clean.

See README.md, "Configuration", for every variable.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

# Lines the app logs once at start-up (mlaexam.apps), so a newcomer sees which defaults are in use.
STARTUP_NOTES: list[str] = []

DEBUG = env.bool("DEBUG", default=True)

if DEBUG:
    SECRET_KEY = env.str("SECRET_KEY", default="django-insecure-development-only-do-not-deploy")
else:
    try:
        SECRET_KEY = env.str("SECRET_KEY")
    except ImproperlyConfigured:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. With DEBUG=False (production) mlaexam refuses to start "
            "without a SECRET_KEY environment variable; generate one with "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`."
        ) from None
    if not SECRET_KEY.strip():
        raise ImproperlyConfigured("SECRET_KEY is empty. Set a long random SECRET_KEY for production.")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "auditlog",
    "mlaexam.apps.MlaexamConfig",
    "accounts",
    "questions",
    "exams",
    "analytics",
    "cohorts",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "auditlog.middleware.AuditlogMiddleware",  # the audit log records who made each change (mlaexam/audit.py)
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "mlaexam.urls"
WSGI_APPLICATION = "mlaexam.wsgi.application"
ASGI_APPLICATION = "mlaexam.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
_default_sqlite = BASE_DIR / "var" / "db.sqlite3"
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{_default_sqlite}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    if "DATABASE_URL" not in env:
        STARTUP_NOTES.append(f"Database: DATABASE_URL is not set, using the SQLite file {DATABASES['default']['NAME']}")
# Persistent connections with health checks: a new PostgreSQL connection per request costs
# roughly 8x the throughput of a minimal endpoint on a 2-core machine (STYLE.md).
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth -----------------------------------------------------------------------------------
# Argon2 first (Django's recommended hasher, memory-hard, and about half the CPU of PBKDF2 at Django's
# defaults, which is what every sign-in costs); older PBKDF2 hashes still verify and are upgraded to
# Argon2 at the user's next sign-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/admin/login/"

# --- Internationalisation ---------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static files (whitenoise serves them, also the built frontend) ----------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise warns on every request when it is missing
# The Vite build of frontend/ (`make run` builds it); its index.html is served for the app's routes.
FRONTEND_DIST = Path(env.str("FRONTEND_DIST", default=str(BASE_DIR / "frontend" / "dist")))
STATICFILES_DIRS = [FRONTEND_DIST] if FRONTEND_DIST.is_dir() else []
# Vite names its assets index-<8 hash chars>.js: cache those for a year.
WHITENOISE_IMMUTABLE_FILE_TEST = r"^.+/assets/.+-[0-9A-Za-z_-]{8}\.\w+$"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# --- Request body limits (mlaexam.parsers, tests/security/test_limits.py) ---------------------
# The largest request body Django (forms, the admin) and the API's JSON parser read, in bytes; a
# larger API request gets a 413 in the one error shape. No API request comes near it (an autosave is
# under 1 KB); question files are uploads, limited by QUESTION_IMPORT_MAX_BYTES instead.
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
# JSON nested deeper than this is refused with a 400 (the deepest request, a practice filter, is 3).
API_JSON_MAX_DEPTH = 20

# --- REST API -------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: its WWW-Authenticate header makes "not signed in" a 401 rather than a 403.
        "mlaexam.authentication.TokenAuthentication",  # scripts (DRF's, one raw query on PostgreSQL)
        "rest_framework.authentication.SessionAuthentication",  # the browser, with CSRF
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["mlaexam.parsers.StrictJSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "mlaexam.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # Clients are counted by address as the last proxy saw it (one trusted proxy in front).
    "NUM_PROXIES": env.int("NUM_PROXIES", default=0),
}
# --- Rate limits (mlaexam/throttling.py) ----------------------------------------------------------
# Requests allowed per scope ("N/second|minute|hour|day"); override any with THROTTLE_RATES, e.g.
# THROTTLE_RATES="sign-in=30/min,autosave=600/min". A scope set to "off" is not limited.
API_THROTTLE_RATES = {
    "sign-in": "10/min",  # per client address
    "sign-in-account": "10/min",  # per username tried
    "sign-up": "20/hour",  # per client address
    "token": "10/min",  # per client address
    "autosave": "300/min",  # per learner: a save every 0.2 s on average
    "join": "10/hour",  # per learner: join codes are not guessed 10 at a time
}
API_THROTTLE_RATES.update(env.dict("THROTTLE_RATES", default={}))
API_THROTTLE_RATES = {scope: None if rate == "off" else rate for scope, rate in API_THROTTLE_RATES.items()}

# The cache keeps the rate-limit counters. Set CACHE_URL (redis://host:6379/1) when more than one
# process serves the app, so they share one count; the default is per process.
CACHES = {
    "default": env.cache_url("CACHE_URL")
    if env.str("CACHE_URL", default="")
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "mlaexam"}
}
SPECTACULAR_SETTINGS = {
    "TITLE": "mlaexam API",
    "DESCRIPTION": "Timed mock exams for AWS Certified Machine Learning Engineer - Associate.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "AttemptModeEnum": "exams.models.Attempt.Mode",
        "AttemptStatusEnum": "exams.models.Attempt.Status",
        "FeedbackEnum": "exams.models.Attempt.Feedback",
        "AssignmentModeEnum": "cohorts.models.Assignment.Mode",
    },
}

# --- Exams ----------------------------------------------------------------------------------
# Saves in flight when the clock runs out are still accepted for this many seconds.
EXAM_SAVE_GRACE_SECONDS = env.int("EXAM_SAVE_GRACE_SECONDS", default=5)
# A grading task grades its attempt together with up to this many - 1 others waiting (exams.services.grading).
EXAM_GRADE_BATCH = env.int("EXAM_GRADE_BATCH", default=50)
# A grading task on a worker then grades every other attempt waiting, for up to this many seconds
# before it hands the rest to a fresh task (below the task time limit).
EXAM_GRADE_DRAIN_SECONDS = env.float("EXAM_GRADE_DRAIN_SECONDS", default=20.0)
# While a grading task waits in the queue, submissions publish no other (exams.grading_queue); the
# marker that says so lapses after this many seconds in case its message is lost. 0 turns it off.
EXAM_GRADE_COALESCE_SECONDS = env.int("EXAM_GRADE_COALESCE_SECONDS", default=30)
# A timed practice set allows this much time per question (before any accommodation).
PRACTICE_SECONDS_PER_QUESTION = env.int("PRACTICE_SECONDS_PER_QUESTION", default=120)

# --- Celery ---------------------------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
if not CELERY_BROKER_URL:
    # No broker: tasks run in-process, synchronously, so the app works with no services at all.
    CELERY_BROKER_URL = "memory://"
    CELERY_TASK_ALWAYS_EAGER = True
    CELERY_TASK_EAGER_PROPAGATES = True
    STARTUP_NOTES.append("Celery: CELERY_BROKER_URL is not set, tasks run in-process (eager)")
CELERY_RESULT_BACKEND = (
    env.str(
        "CELERY_RESULT_BACKEND",
        default=CELERY_BROKER_URL if CELERY_BROKER_URL.startswith(("redis://", "rediss://")) else "",
    )
    or None
)
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=120)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=100)
# Tasks are idempotent (unique constraints), so late acknowledgement is safe: a task whose worker
# dies is redelivered instead of lost.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# Grading tasks are short and often no-ops (their attempt was graded in another task's batch), so a
# worker reserves a few at a time; unacknowledged reservations still come back if the worker dies.
CELERY_WORKER_PREFETCH_MULTIPLIER = env.int("CELERY_WORKER_PREFETCH_MULTIPLIER", default=8)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Celery's Django fix-up closes the database connection around every task unless told to reuse it:
# a new PostgreSQL connection per task cost more than the task itself (bench/README.md). Reuse it for
# this many tasks (connections are still health-checked and recycled by CONN_MAX_AGE).
CELERY_DB_REUSE_MAX = env.int("CELERY_DB_REUSE_MAX", default=500)
CELERY_WORKER_DISABLE_RATE_LIMITS = True  # no task uses rate limits; skip the bookkeeping per message
# A message not acknowledged this long after delivery (its worker died) goes back to the queue.
# Above the task time limit, so a slow task is never handed out twice while it still runs.
# Redis checks for such messages every interval × throttle seconds (here 30 s).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=300),
    "unacked_restore_interval": env.int("CELERY_UNACKED_RESTORE_INTERVAL", default=10),
    "unacked_restore_throttle": env.int("CELERY_UNACKED_RESTORE_THROTTLE", default=3),
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
}
# If the broker is down at submit, give up quickly: the submission is already committed and the
# sweep below hands it to a worker once the broker is back.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}
# celery beat (docker-compose's beat service runs it): what runs periodically, and how often (seconds).
CELERY_BEAT_SCHEDULE = {
    # Submit attempts whose deadline passed while nobody was looking.
    "expire-overdue-attempts": {"task": "exams.expire_overdue_attempts", "schedule": 30.0},
    # Re-enqueue attempts submitted over a minute ago and still ungraded (broker outage, lost worker).
    "requeue-ungraded-attempts": {"task": "exams.requeue_ungraded_attempts", "schedule": 60.0},
    # Recompute item statistics (facility, discrimination, distractors) from graded attempts.
    "recompute-item-statistics": {
        "task": "analytics.recompute_item_statistics",
        "schedule": env.float("ITEM_STATISTICS_EVERY_SECONDS", default=3600.0),
    },
}

# --- Production hardening (DEBUG=False) --------------------------------------------------------
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^api/health/$"]  # health checks probe over plain HTTP inside the network
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    if env.bool("SECURE_PROXY_SSL_HEADER", default=False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# --- Logging --------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
    "loggers": {
        "mlaexam": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

# --- The bank -------------------------------------------------------------------------------
BANK_DIR = Path(env.str("BANK_DIR", default=str(BASE_DIR / "questions" / "bank")))
# The largest question file an import accepts (GIFT, Moodle XML, CSV, bank YAML), in bytes.
QUESTION_IMPORT_MAX_BYTES = env.int("QUESTION_IMPORT_MAX_BYTES", default=5 * 1024 * 1024)
BLUEPRINT_DIR = BASE_DIR / "questions" / "blueprints"
