"""The notes the method writes beside its own factors are shown in the reader's language (issue 13,
item 13: "factor notes" were English on French pages). Cited titles stay as published."""

import pytest
from django.urls import reverse
from django.utils import translation

from estimator import labels, lifecycle, reference_data

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("key", sorted(labels.SOURCE_NOTES))
def test_each_note_is_the_methods_wording_word_for_word(key):
    """A note reworded in the method and not here would silently stay English: this fails first."""
    with translation.override("en"):
        assert labels.factor_source(labels.CODE_FACTORS[key].source) == labels.CODE_FACTORS[key].source
    with translation.override("fr"):
        assert labels.factor_source(labels.CODE_FACTORS[key].source) != labels.CODE_FACTORS[key].source


def test_the_tokens_note_and_an_older_wording():
    with translation.override("fr"):
        assert labels.factor_source(lifecycle.TOKENS_SOURCE).startswith("Non publié : de l’optimum de calcul")
        assert labels.factor_source("An older note, as saved") == "An older note, as saved"


@pytest.mark.parametrize(
    ("query", "english", "french"),
    [
        (
            "kind=text&model=gpt-4o&output_tokens=500",
            "Our model, calibrated on Epoch AI",
            "Notre modèle, calé sur",
        ),
        (
            "kind=image&model=sdxl&images=10",
            "Low: 6 years, the cloud providers",
            "Bas : 6 ans, la durée de vie",
        ),
        ("kind=training&gpu_hours=200&gpu_type=a100", "High: Patterson et al.", "Haut : Patterson et al."),
    ],
)
def test_the_estimators_factor_table_in_both_languages(client, alice, query, english, french):
    client.force_login(alice)
    url = f"{reverse('estimator:estimate')}?{query}"

    client.cookies["django_language"] = "en"
    in_english = client.get(url).content.decode()
    client.cookies["django_language"] = "fr"
    in_french = client.get(url).content.decode()

    assert english in in_english and french not in in_english
    assert french in in_french and english not in in_french


@pytest.mark.parametrize(
    "source", [reference_data.DATACENTER_SOURCE, *(gpu["source"] for gpu in reference_data.GPUS)]
)
def test_the_reference_datas_notes_are_translated_too(source):
    with translation.override("en"):
        assert labels.factor_source(source) == source
    with translation.override("fr"):
        assert labels.factor_source(source) != source
