"""Nobody is linked to a page they cannot open (yet): every link on the pages each persona can reach
from the home page opens (issue 13, item 3: a module before the first practice tasks, the certificate
too early, the dashboard for an employee)."""

from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
from django.test import Client

from courses import services as courses
from courses.models import Course
from estimator import services as estimator
from tests.factories import use_case

pytestmark = pytest.mark.django_db

# Links that change state, leave the site's pages, or download files: not followed.
SKIPPED = ("/admin/", "/api/", "/static/", "/accounts/logout/", "/accounts/oidc/", "/i18n/")
MAX_PAGES = 70


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.found.append(href)


def links_of(html: str) -> list[str]:
    parser = Links()
    parser.feed(html)
    return parser.found


def broken_links(client: Client) -> list[tuple[str, str, int]]:
    """(page, link, status) for every link that answers 403, 404 or 5xx, breadth first from home."""
    seen, queue, broken = {"/"}, [("", "/")], []
    while queue and len(seen) <= MAX_PAGES:
        origin, url = queue.pop(0)
        response = client.get(url)
        if response.status_code in (403, 404) or response.status_code >= 500:
            broken.append((origin, url, response.status_code))
            continue
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        for href in links_of(response.content.decode()):
            target, _fragment = urldefrag(href)
            parts = urlsplit(target)
            if not target or parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue
            if parts.path.startswith(SKIPPED) or "export=" in parts.query or parts.path.endswith(".csv"):
                continue
            if target not in seen:
                seen.add(target)
                queue.append((url, target))
    return broken


@pytest.fixture
def world(alice, colette, bruno, root):
    """alice: enrolled, before her first practice tasks, with a draft, a submitted use case and an
    estimate; colette: a colleague, nowhere yet; bruno: her manager; root: an admin."""
    course = Course.objects.get(slug="frugal-prompting")
    courses.course_enroll(user=alice, course=course)
    use_case(alice)
    use_case(alice, status="submitted", title="Translate the catalogue")
    estimator.estimate_save(
        owner=alice, name="mine", kind="text", inputs={"model": "gpt-4o", "output_tokens": 100}
    )


@pytest.mark.parametrize("persona", ["alice", "colette", "bruno", "root"])
def test_every_link_a_persona_sees_opens(request, client, world, persona):
    client.force_login(request.getfixturevalue(persona))

    assert broken_links(client) == []


def test_without_local_passwords_no_page_links_to_the_password_pages(client, world, alice, settings):
    settings.LOCAL_PASSWORDS_ENABLED = False
    settings.OIDC_ENABLED = True
    client.force_login(alice)

    assert broken_links(client) == []
