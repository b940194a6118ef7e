"""No form in the portal offers "---------" as a choice: empty choices say what to choose ("Choose a
department", "All"), or the field has no empty choice. Every page without parameters is rendered, as an
administrator (who sees every form), and a use case's edit page."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.factories import use_case
from usage.models import Connection

pytestmark = pytest.mark.django_db

SKIPPED_NAMESPACES = {"admin", "oidc", "api", "schema"}


def _pages(patterns=None, namespace=""):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in SKIPPED_NAMESPACES or str(pattern.pattern).startswith("api/"):
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _pages(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name and not pattern.pattern.regex.groups:
            yield f"{namespace}{pattern.name}"


def test_no_page_offers_dashes_as_a_choice(client, root, alice):
    client.force_login(root)
    checked, with_dashes = [], []
    for name in sorted(set(_pages())):
        response = client.get(reverse(name))
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        checked.append(name)
        if "---------" in response.content.decode():
            with_dashes.append(name)
    assert with_dashes == []
    connection = Connection.objects.create(name="A", kind="openai", default_region="us-east1")
    detail = client.get(reverse("usage:connection", args=[connection.pk])).content.decode()
    assert 'name="department"' in detail  # its mapping rules' form
    assert "---------" not in detail
    case = use_case(alice)
    client.force_login(alice)
    assert "---------" not in client.get(reverse("governance:edit", args=[case.pk])).content.decode()
    # The pages with the project's forms were among those rendered.
    assert {"governance:create", "governance:list", "usage:dashboard", "estimator:estimate"} <= set(checked)


def test_no_filter_offers_a_bare_all_whose_french_agrees_with_nothing(client, root):
    """'All' was 'Toutes' for every filter, so a department or a model (masculine in French) read 'Toutes':
    each empty choice names what it covers ('Tous les services', 'Tous les modèles')."""
    client.force_login(root)
    client.cookies["django_language"] = "fr"
    bare = []
    for name in sorted(set(_pages())):
        response = client.get(reverse(name))
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        if '<option value="" selected>Toutes</option>' in html or '<option value="">Toutes</option>' in html:
            bare.append(name)
    # Only the catalogue's modality ('modalité' is feminine) may say 'Toutes'.
    assert bare == ["estimator:catalogue"]
    dashboard = client.get(reverse("usage:dashboard")).content.decode()
    assert ">Tous les services</option>" in dashboard and ">Tous les modèles</option>" in dashboard
    assert ">Toutes les régions</option>" in dashboard
