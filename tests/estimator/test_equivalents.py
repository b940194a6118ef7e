"""Everyday equivalents (issue 13): ADEME Impact CO2's factors from the data file, worded so that every
size reads well, in English and French, with the source linked."""

import json
import math
import re

import pytest
from django.urls import reverse
from django.utils import translation

from estimator import equivalents
from estimator.templatetags.equivalents import amount_text, everyday

DATA = json.loads(equivalents.DATA_FILE.read_text(encoding="utf-8"))
FACTORS = {entry["slug"]: entry for entry in DATA["equivalents"]}


def test_the_factors_are_the_data_files_and_each_total_is_the_sum_of_its_stages():
    factors = equivalents.impactco2_factors()

    assert [factor.slug for factor in factors] == list(FACTORS)
    for factor in factors:
        entry = FACTORS[factor.slug]
        assert factor.kgco2e_per_unit == entry["kgco2e_per_unit"] > 0
        assert factor.source_url.startswith("https://impactco2.fr/outils/") and factor.boundary
        if entry["components_kgco2e_per_unit"]:
            assert math.isclose(sum(entry["components_kgco2e_per_unit"].values()), factor.kgco2e_per_unit)


def test_the_equivalents_asked_for_are_there_or_said_missing():
    assert {"voiturethermique", "eaudurobinet", "francais"} <= set(FACTORS)
    assert FACTORS["francais"]["unit"] == "person_year"
    # No smartphone charge in Impact CO2: said so, and no factor invented for it
    assert [gap["asked_for"] for gap in DATA["not_available"]] == ["smartphone charges"]
    assert not any("charge" in slug for slug in FACTORS)


@pytest.mark.parametrize("kgco2e", [1e-6, 0.142, 1.0, 250.0, 9100.0, 3.2e7])
def test_an_equivalent_is_the_amount_divided_by_its_factor(kgco2e):
    result = equivalents.everyday_equivalents(kgco2e)

    assert [item.slug for item in result] == list(FACTORS)
    for item in result:
        expected = kgco2e / FACTORS[item.slug]["kgco2e_per_unit"]
        assert math.isclose(item.central, expected) and item.low == item.central == item.high


def test_ranges_keep_their_bounds_from_a_mapping_or_a_triple():
    as_mapping = equivalents.everyday_equivalents({"low": 1.0, "central": 2.0, "high": 5.0})
    as_triple = equivalents.everyday_equivalents((1.0, 2.0, 5.0))

    assert as_mapping == as_triple
    car = as_mapping[0]
    per_km = FACTORS["voiturethermique"]["kgco2e_per_unit"]
    assert (car.low, car.central, car.high) == (1.0 / per_km, 2.0 / per_km, 5.0 / per_km)


@pytest.mark.parametrize("kgco2e", [None, "abc", float("nan"), float("inf"), (1.0, 2.0), {"low": 1.0}])
def test_no_amount_gives_no_equivalent(kgco2e):
    assert equivalents.everyday_equivalents(kgco2e) == []


@pytest.mark.parametrize("kgco2e", [None, 0, 0.0, -3.0, {"low": 0, "central": 0, "high": 0}])
def test_nothing_is_shown_for_nothing_or_less(kgco2e):
    assert everyday(kgco2e) == []


@pytest.mark.parametrize("language", ["en", "fr"])
def test_no_size_reads_as_zero_or_with_a_trailing_zero(language):
    with translation.override(language):
        for exponent in range(-12, 13):
            for item in everyday(10.0**exponent * 1.37):
                assert not re.search(r"(?<![\d.,])0([.,]0+)?\s", item["text"]), item["text"]
                assert not re.search(r"[.,]0\b", item["text"]), item["text"]


def test_tiny_amounts_read_as_less_than_the_smallest_unit():
    texts = [item["text"] for item in everyday(1e-9)]

    assert texts == [
        "less than 1 m by car",
        "less than 1 mL of tap water",
        "less than 1 s of video streaming",
        "less than 1 s of a person's carbon footprint in France",
    ]
    assert not any(item["approximate"] for item in everyday(1e-9))


def test_each_size_takes_the_unit_that_reads_well():
    per_km = FACTORS["voiturethermique"]["kgco2e_per_unit"]
    per_litre = FACTORS["eaudurobinet"]["kgco2e_per_unit"]
    per_year = FACTORS["francais"]["kgco2e_per_unit"]

    assert everyday(per_km * 0.998)[0]["text"] == "1 km by car"  # rounds up: not "1,000 m"
    assert everyday(per_km * 0.0123)[0]["text"] == "12 m by car"
    assert everyday(per_km * 12_345)[0]["text"] == "12,000 km by car"
    assert everyday(per_litre * 7_640_000)[1]["text"] == "7.6 million L of tap water"
    assert everyday(per_year * 3)[3]["text"] == "3 years of a person's carbon footprint in France"
    assert everyday(per_year * 1)[3]["text"] == "1 year of a person's carbon footprint in France"
    assert everyday(per_year * 0.11)[3]["text"] == "11% of a person's yearly carbon footprint in France"
    assert everyday(per_year * 2 / 365)[3]["text"] == "2 days of a person's carbon footprint in France"
    assert everyday(per_year / 8760 * 2.5)[3]["text"] == "2.5 h of a person's carbon footprint in France"


def test_a_range_is_shown_in_the_central_values_unit():
    per_km = FACTORS["voiturethermique"]["kgco2e_per_unit"]

    car = everyday({"low": per_km * 8.4, "central": per_km * 12, "high": per_km * 17})[0]
    exact = everyday(per_km * 12)[0]

    assert (car["text"], car["range"]) == ("12 km by car", "8.4 to 17")
    assert exact["range"] == ""


def test_the_french_wording_uses_french_numbers():
    per_litre = FACTORS["eaudurobinet"]["kgco2e_per_unit"]

    with translation.override("fr"):
        water = everyday(per_litre * 7.6)[1]["text"]
        share = everyday(FACTORS["francais"]["kgco2e_per_unit"] * 0.11)[3]["text"]

    assert water == "7,6 L d'eau du robinet"
    assert share == "11 % de l'empreinte carbone annuelle d'une personne en France"


def result_html(client, language):
    client.cookies["django_language"] = language
    return client.get(reverse("estimator:estimate")).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "says"), [("en", "The same emissions as:"), ("fr", "Autant d’émissions que :")]
)
def test_the_estimator_result_shows_the_equivalents_and_their_source(client, alice, language, says):
    client.force_login(alice)

    html = result_html(client, language)

    assert says in html
    assert 'href="https://impactco2.fr"' in html
    assert 'href="https://impactco2.fr/outils/transport/voiturethermique"' in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "says"), [("en", "The same emissions as:"), ("fr", "Autant d’émissions que :")]
)
def test_the_scenario_shows_the_saving_in_everyday_terms(client, alice, language, says):
    client.force_login(alice)
    client.cookies["django_language"] = language

    response = client.get(reverse("estimator:scenario"))

    html = response.content.decode()
    saving = response.context["saving_kgco2e"]
    scenario = response.context["scenario"]
    assert (
        saving
        == scenario["baseline"]["emissions_kgco2e"]["central"]
        - (scenario["improved"]["emissions_kgco2e"]["central"])
    )
    assert saving > 0 and says in html and "https://impactco2.fr/outils/usagenumerique/streamingvideo" in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "says", "value"),
    [
        ("en", "Everyday equivalents", "0.142 kgCO2e/km"),
        ("fr", "Équivalents du quotidien", "0,142 kgCO2e/km"),
    ],
)
def test_the_method_page_lists_the_factors_with_their_sources(client, alice, language, says, value):
    client.force_login(alice)
    client.cookies["django_language"] = language

    html = client.get(reverse("estimator:method")).content.decode()

    section = html.split('id="everyday-equivalents"')[1]
    assert says in html and value in section
    for entry in FACTORS.values():
        assert f'href="{entry["source_url"]}"' in section


@pytest.mark.parametrize(
    ("value", "english", "french"),
    [
        (7_576, "7,600", "7\xa0600"),
        (1_500_000, "1.5 million", "1,5 million"),
        (999_600, "1 million", "1 million"),  # a million once rounded: not "1,000,000"
        (999_999_999, "1 billion", "1 milliard"),  # not "1,000 million"
        (2_400_000_000, "2.4 billion", "2,4 milliards"),
    ],
)
def test_amounts_in_words_from_their_rounded_value(value, english, french):
    with translation.override("en"):
        assert amount_text(value) == english
    with translation.override("fr"):
        assert amount_text(value) == french
