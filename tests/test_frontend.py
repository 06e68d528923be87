"""The browser app as Django serves it, and the API types it is built on."""

import shutil
import subprocess
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command

FRONTEND = settings.BASE_DIR / "frontend"


@pytest.fixture
def built(tmp_path, settings):
    """A stand-in build, so these tests do not depend on when `npm run build` last ran."""
    (tmp_path / "index.html").write_text(
        '<!doctype html><div id="root"></div><script src="/static/assets/app.js"></script>'
    )
    settings.FRONTEND_DIST = tmp_path
    return tmp_path


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/", "/progress", "/attempts/3f2b1c9e-0000-4000-8000-000000000000/result", "/signin?next=/"]
)
def test_every_client_side_route_gets_the_app_with_a_csrf_cookie(client, built, path):
    response = client.get(path)
    assert response.status_code == 200
    assert '<div id="root"></div>' in response.content.decode()
    assert response["Cache-Control"] == "no-cache"
    assert "csrftoken" in response.cookies


@pytest.mark.django_db
def test_the_api_admin_and_static_paths_are_not_swallowed_by_the_app(client, built):
    response = client.get("/api/no-such-thing/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert client.get("/admin/").status_code == 302  # to the admin's sign-in
    assert client.get("/static/no-such-file.js").status_code == 404


@pytest.mark.django_db
def test_the_app_page_only_answers_reads(client, built):
    response = client.post("/progress")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"


@pytest.mark.django_db
def test_without_a_build_the_page_says_how_to_build_it(client, tmp_path, settings):
    settings.FRONTEND_DIST = tmp_path / "missing"
    response = client.get("/")
    assert response.status_code == 503
    assert "The browser app is not built" in response.content.decode()
    assert "make run" in response.content.decode()


def test_the_committed_api_types_match_the_api(tmp_path):
    """frontend/openapi.yaml and src/api/schema.d.ts are generated; fail when either is stale."""
    out = StringIO()
    call_command("spectacular", stdout=out)
    committed_schema = (FRONTEND / "openapi.yaml").read_text()
    assert out.getvalue() == committed_schema, (
        "frontend/openapi.yaml is stale: run `make api-types` and commit the result"
    )
    generator = FRONTEND / "node_modules" / ".bin" / "openapi-typescript"
    assert generator.exists(), "frontend/node_modules is missing: `make test` installs it (npm ci)"
    node = shutil.which("node")
    assert node, "Node.js is needed to check the generated API types"
    target = tmp_path / "schema.d.ts"
    subprocess.run(
        [str(generator), str(FRONTEND / "openapi.yaml"), "--default-non-nullable", "false", "-o", str(target)],
        check=True,
        capture_output=True,
        cwd=FRONTEND,
    )
    assert target.read_text() == (FRONTEND / "src" / "api" / "schema.d.ts").read_text(), (
        "frontend/src/api/schema.d.ts is stale: run `make api-types` and commit the result"
    )
