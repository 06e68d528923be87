import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mlaexam.settings")
application = get_wsgi_application()

from django.urls import get_resolver  # noqa: E402 - after the app registry is ready

# Import the URLconf now (every view, serializer and DRF setting, ~15,000 objects) rather than at the
# first request, so it is frozen below with the rest.
get_resolver().url_patterns  # noqa: B018

# Everything imported so far lives as long as the process: move it out of the garbage collector's
# generations, so full collections stop re-scanning it on the request path (bench/README.md shows
# the effect on p95 latency).
gc.freeze()
