"""No redirect is built from what the client says its Host is.

Starlette's trailing-slash redirect answered ``GET /api/v1/console/queue/`` with ``Host: evil.example``
by a 307 to ``http://evil.example/api/v1/console/queue``: behind a proxy or cache that keys on the
path only, a link to us could send people elsewhere. The api has no paths ending in a slash, so
the slash redirect is off: such a path is a plain 404.
"""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "path", ["/api/v1/console/queue/", "/api/v1/faq/", "/metrics/", "/console/", "/api/v1/conversations/"]
)
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_trailing_slash_is_not_redirected_to_the_hosts_name(client, path, method):
    headers = {"Host": "evil.example", "X-Forwarded-Host": "evil.example"}
    response = client.request(method, path, headers=headers, follow_redirects=False)
    assert response.status_code in (404, 405) and "location" not in response.headers
    assert "evil.example" not in response.text


def test_the_paths_without_the_slash_still_answer(client):
    assert client.get("/api/v1/console/queue").status_code == 401  # no session, but it is there
    assert client.get("/console", headers={"Host": "evil.example"}).status_code == 200
