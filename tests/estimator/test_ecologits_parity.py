"""Parity: for every text model of the catalogue, our adapter and core give EcoLogits' own numbers.

EcoLogits' public `llm_impacts(provider, model_name, output_token_count, request_latency)` (ecologits
.tracers.utils) looks the model up in its list, with its generation speed and time to first token where it
holds them, and uses the provider's data-centre location, PUE and WUE. We run our path at the same inputs
(the catalogue row as the services read it, the provider's default place, EcoLogits' serving assumptions)
and compare energy, usage and embodied emissions and water, at EcoLogits' min and max, to 1e-9 relative.
Models EcoLogits does not list are compared with its `compute_llm_impacts` at their published sizes.
"""

import math

import pytest
from ecologits.electricity_mix_repository import electricity_mixes
from ecologits.impacts.llm import compute_llm_impacts
from ecologits.tracers.utils import PROVIDER_CONFIG_MAP, llm_impacts
from ecologits.utils.range_value import RangeValue

from estimator import calculations as calc
from estimator import services
from estimator.models import AIModel

pytestmark = pytest.mark.django_db

OUTPUT_TOKENS = (1, 500, 4_000)


def ends(value):
    if isinstance(value, RangeValue):
        return float(value.min), float(value.max)
    return float(value), float(value)


def range_or_value(low, high):
    return low if low == high else RangeValue(min=low, max=high)


def ecologits_direct(row, tokens):
    """EcoLogits for a model it does not list: its public function at the model's published sizes."""
    config = PROVIDER_CONFIG_MAP[row.provider]
    mix = electricity_mixes.find_electricity_mix(zone=config.datacenter_location)
    return compute_llm_impacts(
        model_active_parameter_count=range_or_value(row.active_params_min_b, row.active_params_max_b),
        model_total_parameter_count=range_or_value(row.total_params_min_b, row.total_params_max_b),
        output_token_count=tokens,
        if_electricity_mix_adpe=mix.adpe,
        if_electricity_mix_pe=mix.pe,
        if_electricity_mix_gwp=mix.gwp,
        if_electricity_mix_wue=mix.wue,
        datacenter_pue=config.datacenter_pue,
        datacenter_wue=config.datacenter_wue,
        request_latency=math.inf,
    )


def ours(row, tokens):
    spec = services.text_model(row)
    place = services.place_resolve(provider=row.datacenter)
    datacenter = services.datacenter_for(place, row, None)
    return [
        calc.text_request(spec, bound, tokens, place.location)
        for bound in calc.ecologits_bounds(spec, datacenter)
    ], place.location


def test_every_catalogue_text_model_matches_ecologits_to_1e_9():
    rows = list(AIModel.objects.filter(modality="text").select_related("datacenter"))
    assert len(rows) > 340  # EcoLogits' list and our additions
    with_speed = 0
    checked = 0
    for row in rows:
        with_speed += row.generation_speed_tps is not None
        for tokens in OUTPUT_TOKENS:
            if row.ecologits_name:
                theirs = llm_impacts(row.provider, row.ecologits_name, tokens, math.inf)
                assert not theirs.has_errors, (row.slug, theirs.errors)
            else:
                theirs = ecologits_direct(row, tokens)
            (low, high), location = ours(row, tokens)
            for index, mine in enumerate((low, high)):
                label = (row.slug, tokens, ("min", "max")[index])
                expected = {
                    "energy": ends(theirs.energy.value)[index],
                    "usage": ends(theirs.usage.gwp.value)[index],
                    "embodied": ends(theirs.embodied.gwp.value)[index],
                    "water": ends(theirs.usage.wcf.value)[index],
                }
                got = {
                    "energy": mine.energy_kwh,
                    "usage": mine.energy_kwh * location.grid_gco2e_per_kwh / 1000,
                    "embodied": mine.embodied_kgco2e,
                    "water": mine.water_onsite_l + mine.water_offsite_l,
                }
                assert got == pytest.approx(expected, rel=1e-9), label
                checked += 1
    # The closed-model providers' speed data is used (EcoLogits holds it for most of their models).
    assert with_speed > 90
    assert checked == len(rows) * len(OUTPUT_TOKENS) * 2


def test_the_default_place_is_the_providers_as_ecologits_models_it():
    for row in AIModel.objects.filter(modality="text", datacenter__isnull=False).select_related("datacenter"):
        zone = PROVIDER_CONFIG_MAP[row.provider].datacenter_location
        footprint = services.estimate_text(model=row.slug, output_tokens=100)
        assert footprint.inputs["location"] == {
            "kind": "provider",
            "code": zone,
            "label": footprint.inputs["location"]["label"],
        }
        assert zone in footprint.inputs["location"]["label"]
