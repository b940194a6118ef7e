"""Cancelling an import and removing a mapping rule ask first, on a page that works without JavaScript
(portal/confirm.html): GET shows the question, POST acts; admins only."""

import html

import pytest
from django.urls import reverse

from tests.usage.test_import_hardening import HEADER, create, row
from usage.models import Connection, MappingRule, UsageImport

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(root, sales, tmp_path, settings) -> UsageImport:
    return create(root, (HEADER + row("1")).encode(), tmp_path, settings, name="october.csv")


@pytest.fixture
def rule(sales) -> MappingRule:
    connection = Connection.objects.create(
        name="Traces", kind=Connection.Kind.OTLP, default_region="europe-west9"
    )
    return MappingRule.objects.create(
        connection=connection, field="project", value="chatbot", department=sales
    )


@pytest.mark.parametrize(
    ("language", "question", "button"),
    [
        ("en", "Cancel the import of “october.csv”?", "Cancel the import"),
        ("fr", "Annuler l’import de « october.csv » ?", "Annuler l'import"),
    ],
)
def test_cancelling_an_import_asks_first(client, root, queued, language, question, button):
    url = reverse("usage:import-cancel", args=[queued.pk])
    client.cookies["django_language"] = language
    client.force_login(root)

    detail = client.get(reverse("usage:import", args=[queued.pk])).content.decode()
    asked = client.get(url)

    assert f'href="{url}"' in detail and f'action="{url}"' not in detail
    page = html.unescape(asked.content.decode())
    assert asked.status_code == 200 and question in page and f">{button}</button>" in page
    assert UsageImport.objects.get(pk=queued.pk).status == "queued"
    client.post(url)
    assert UsageImport.objects.get(pk=queued.pk).status == "cancelled"


def test_only_admins_see_the_cancel_question(client, bruno, alice, queued):
    url = reverse("usage:import-cancel", args=[queued.pk])
    assert client.get(url).status_code == 302  # anonymous: to the sign-in page
    for user in (alice, bruno):
        client.force_login(user)
        assert client.get(url).status_code == 403
        assert client.post(url).status_code == 403
    assert UsageImport.objects.get(pk=queued.pk).status == "queued"


@pytest.mark.parametrize(
    ("language", "question", "button"),
    [
        ("en", "Remove the rule “project = chatbot”?", "Remove the rule"),
        ("fr", "Supprimer la règle « projet = chatbot » ?", "Supprimer la règle"),
    ],
)
def test_removing_a_mapping_rule_asks_first(client, root, rule, language, question, button):
    url = reverse("usage:connection-rule-delete", args=[rule.connection_id, rule.pk])
    client.cookies["django_language"] = language
    client.force_login(root)

    detail = client.get(reverse("usage:connection", args=[rule.connection_id])).content.decode()
    asked = client.get(url)

    assert f'href="{url}"' in detail and f'action="{url}"' not in detail
    page = html.unescape(asked.content.decode())
    assert asked.status_code == 200 and question in page and f">{button}</button>" in page
    assert MappingRule.objects.filter(pk=rule.pk).exists()
    client.post(url)
    assert not MappingRule.objects.filter(pk=rule.pk).exists()


def test_only_admins_see_the_remove_question(client, bruno, alice, rule):
    url = reverse("usage:connection-rule-delete", args=[rule.connection_id, rule.pk])
    assert client.get(url).status_code == 302
    for user in (alice, bruno):
        client.force_login(user)
        assert client.get(url).status_code == 403
        assert client.post(url).status_code == 403
    assert MappingRule.objects.filter(pk=rule.pk).exists()
