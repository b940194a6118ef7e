"""People are named one way everywhere: their full name, else their username."""

import pytest
from django.core import mail
from django.urls import reverse

from governance import tasks
from tests.factories import use_case

pytestmark = pytest.mark.django_db


def test_a_person_with_a_name_is_named_by_it_and_one_without_by_their_username(alice, colette):
    alice.first_name, alice.last_name = "Alice", "Martin"
    alice.save()

    assert str(alice) == "Alice Martin"
    assert str(colette) == "colette"


def test_pages_and_emails_name_the_owner_and_the_signed_in_person_by_their_full_name(client, alice, bruno):
    alice.first_name, alice.last_name = "Alice", "Martin"
    alice.save()
    bruno.first_name, bruno.last_name = "Bruno", "Leroy"
    bruno.save()
    case = use_case(alice, status="submitted")
    tasks.usecase_notify_deciders_task(case.events.get(to_status="submitted").pk)
    client.force_login(bruno)

    listed = client.get(reverse("governance:list")).content.decode()
    home = client.get(reverse("portal:home")).content.decode()
    detail = client.get(reverse("governance:detail", args=[case.pk])).content.decode()

    assert "<td>Alice Martin</td>" in listed and ">alice<" not in listed
    assert "by Alice Martin" in home
    assert "owned by Alice Martin" in detail
    assert '<span class="who">Bruno Leroy</span>' in detail
    assert [message.to for message in mail.outbox] == [[bruno.email]]
    assert "Hello Bruno Leroy" in mail.outbox[0].body and "Alice Martin" in mail.outbox[0].body
