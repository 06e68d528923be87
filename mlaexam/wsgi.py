import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mlaexam.settings")
application = get_wsgi_application()

# Everything imported so far lives as long as the process: move it out of the garbage collector's
# generations, so full collections stop re-scanning it on the request path (bench/README.md shows
# the effect on p95 latency).
gc.freeze()
