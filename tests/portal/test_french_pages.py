"""The main pages, in French, as the demo users see them: no English left over (issue 13, item 13:
"location-based", kinds "text"/"image", country names, "De Déc 2025", "mot par token", "30000 rows").

User content (use-case titles, estimate names) and cited titles stay as written; what the portal
words itself must be French."""

import re
from html.parser import HTMLParser

import pytest
from django.core.management import call_command
from django.test import Client

from estimator.models import Estimate
from governance.models import UseCase
from portal.models import User

pytestmark = pytest.mark.django_db

# Words the portal used to leave in English, as whole visible texts or inside one.
WHOLE = {"text", "image", "training", "model", "region", "rows", "Loading", "Loading…"}
INSIDE = re.compile(
    r"location-based|market-based|Location-based|Market-based|mot par token|\b\d+ rows\b|Loading"
    r"|\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|Déc) \d{4}\b|\d [ap]\.m\."
    r"|\((?:Finland|Belgium|Singapore|Netherlands|Taiwan|Warsaw)\)|· (?:Finland|Belgium|Singapore) ·"
)
# Numbers the portal shows: none with five digits or more left ungrouped ("30000"), outside
# identifiers and cited sources.
UNGROUPED = re.compile(r"(?<![\w.,/-])\d{5,}(?![\w/-])")


class VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "option", "textarea"):
            self._hidden += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style", "option", "textarea"):
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.texts.append(data.strip())


def leftovers(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    return [text for text in parser.texts if text in WHOLE or INSIDE.search(text) or ungrouped(text)]


def ungrouped(text: str) -> bool:
    return bool(UNGROUPED.search(text)) and not re.search(r"arXiv|https?:|/|[A-Za-z]\d{5,}", text)


def pages_of(user: User) -> list[str]:
    pages = [
        "/",
        "/estimator/",
        "/estimator/?kind=image",
        "/estimator/?kind=training",
        "/estimator/models/",
        "/estimator/compare/",
        "/estimator/scenario/",
        "/estimator/saved/",
        "/governance/",
        "/governance/new/",
        "/courses/",
        "/reports/",
    ]
    pages += [
        f"/estimator/saved/{pk}/" for pk in Estimate.objects.filter(owner=user).values_list("pk", flat=True)
    ]
    pages += [f"/governance/{pk}/" for pk in UseCase.objects.values_list("pk", flat=True)[:8]]
    if user.role != User.Role.EMPLOYEE:
        pages += ["/dashboard/", "/dashboard/training/"]
    if user.is_org_admin:
        pages += ["/usage/import/", "/usage/imports/", "/usage/connections/", "/usage/connections/1/"]
    return pages


def test_the_demo_users_pages_in_french_have_no_english_leftovers():
    call_command("load_demo", verbosity=0)
    problems = {}
    for username in ("alice", "bruno", "admin"):
        client = Client()
        client.cookies["django_language"] = "fr"
        client.force_login(User.objects.get(username=username))
        for url in pages_of(User.objects.get(username=username)):
            response = client.get(url)
            if response.status_code != 200:
                continue  # a use case this user may not see
            if found := leftovers(response.content.decode()):
                problems[f"{username} {url}"] = found[:5]
    assert problems == {}


def test_the_leftover_check_finds_what_it_looks_for():
    html = (
        "<td>text</td><p>Empreinte (location-based)</p><p>De Déc 2025 à Jan 2026</p>"
        "<p>environ 0,75 mot par token</p><p>30000 lignes</p><p>europe-north1 (Finland)</p>"
        "<script>var Loading = 1;</script><option>text</option>"
    )
    assert len(leftovers(html)) == 6


def test_the_french_catalogue_calls_a_department_a_service_everywhere():
    """The filters, forms and tables say 'service'; five messages said 'département' (the dashboard's 403,
    the decision queue's empty state, the use-case form's department choice)."""
    from django.utils import translation
    from django.utils.translation import trans_real

    with translation.override("fr"):
        catalogue = trans_real.translation("fr")._catalog
        saying_departement = [
            key
            for key, text in catalogue.items()
            if isinstance(text, str) and re.search(r"[dD]épartements?\b", text)
        ]

    assert saying_departement == []
    with translation.override("fr"):
        assert translation.gettext("Choose a department") == "Choisissez un service"
