"""The browser app: Django serves the Vite build.

``make run`` builds ``frontend/`` into ``frontend/dist``. Its assets are static files under
``/static/`` (whitenoise); every other path that is not the API or the admin gets the app's
``index.html``, so a reload on a client-side route (``/attempts/<id>?q=12``) opens the same
screen. The CSRF cookie is set here, so the app's first API write already carries its token.
"""

from pathlib import Path

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_safe

NOT_BUILT = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>mlaexam: the app is not built</title></head>
<body style="font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;line-height:1.5">
<h1>The browser app is not built</h1>
<p>Build it with <code>make run</code> (or <code>cd frontend &amp;&amp; npm ci &amp;&amp; npm run build</code>),
then reload. The <a href="/api/docs/">API</a> and the <a href="/admin/">admin</a> work meanwhile.</p>
</body></html>
"""

_cache: dict[Path, tuple[float, bytes]] = {}


def _index_html() -> bytes | None:
    path = Path(settings.FRONTEND_DIST) / "index.html"
    try:
        mtime = path.stat().st_mtime
    except FileNotFoundError:
        return None
    cached = _cache.get(path)
    if cached is None or cached[0] != mtime:  # a rebuild while the server runs is picked up
        cached = _cache[path] = (mtime, path.read_bytes())
    return cached[1]


@require_safe
@ensure_csrf_cookie
def app(request: HttpRequest) -> HttpResponse:
    html = _index_html()
    if html is None:
        return HttpResponse(NOT_BUILT, status=503, content_type="text/html; charset=utf-8")
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    # The page names hashed assets, so it must be revalidated after every deploy.
    response["Cache-Control"] = "no-cache"
    return response
