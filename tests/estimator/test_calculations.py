"""The method against published figures (each cited where it is used), and its invariants. No database."""

import math
import random

import pytest
from ecologits.impacts.llm import compute_llm_impacts

from estimator import calculations as calc
from estimator.ecologits_adapter import llm_request_impacts

GRID_400 = calc.Location("grid", "given", "400 g", 400.0, 3.9, ())
PARIS = calc.Location("region", "europe-west9", "Paris", 16.30, 2.0, ())
MUMBAI = calc.Location("region", "asia-south1", "Mumbai", 678.76, 3.9, ())
PUE_1 = calc.Datacenter("PUE 1", calc.Range.exact(1.0), calc.Range.exact(0.0), ())
PUE_1_2 = calc.Datacenter("PUE 1.2", calc.Range.exact(1.2), calc.Range.exact(0.5), ())
H100 = calc.Gpu("h100", "H100", 700, 273, 26_280)
DENSE_70B = calc.TextModel("70b", "70B dense", (70.0, 70.0), (70.0, 70.0))
GPT_4O = calc.TextModel("gpt-4o", "GPT-4o", (44.0, 132.0), (440.0, 440.0))


def training(gpu_hours, gpu_power_w, pue, grid, embodied=False):
    location = calc.Location("grid", "given", "given", grid, 0.0, ())
    return calc.training_footprint(
        gpu_hours=gpu_hours,
        gpu_power_w=gpu_power_w,
        gpu=H100,
        pue=calc.Range.exact(pue),
        datacenter_wue_l_per_kwh=calc.Range.exact(0.0),
        location=location,
        include_embodied=embodied,
    )


@pytest.mark.parametrize(
    ("case", "gpu_hours", "power_w", "pue", "grid", "published_tco2e", "published_mwh"),
    [
        # Meta, Llama 3 model card (Apr 2024): 700 W already includes data-centre overhead.
        ("Llama 3 8B", 1.3e6, 700, 1.0, 425, 390, None),
        ("Llama 3 70B", 6.4e6, 700, 1.0, 425, 1_900, None),
        ("Llama 3 8B + 70B", 7.7e6, 700, 1.0, 425, 2_290, None),
        # Patterson et al. 2021: 10,000 V100 for 14.8 days, 330 W per processor, PUE 1.1, 429 g/kWh.
        ("GPT-3", 10_000 * 14.8 * 24, 330, 1.1, 429, 552, 1_287),
    ],
)
def test_training_reproduces_published_cases_within_5_percent(
    case, gpu_hours, power_w, pue, grid, published_tco2e, published_mwh
):
    footprint = training(gpu_hours, power_w, pue, grid)

    assert footprint.emissions_kgco2e.central / 1000 == pytest.approx(published_tco2e, rel=0.05), case
    if published_mwh:
        assert footprint.energy_kwh.central / 1000 == pytest.approx(published_mwh, rel=0.05), case


def test_training_embodied_is_a_small_share_and_can_be_left_out():
    with_embodied = training(6.4e6, 700, 1.0, 425, embodied=True)
    without = training(6.4e6, 700, 1.0, 425, embodied=False)

    share = with_embodied.embodied_emissions_kgco2e.central / with_embodied.emissions_kgco2e.central
    assert 0.02 <= share <= 0.22  # the published range of embodied shares
    assert without.embodied_emissions_kgco2e.central == 0
    assert with_embodied.usage_emissions_kgco2e == without.usage_emissions_kgco2e


def text(model=DENSE_70B, location=GRID_400, datacenter=PUE_1_2, **inputs):
    return calc.text_footprint(model=model, location=location, datacenter=datacenter, **inputs)


def test_a_70b_dense_model_answering_500_tokens_brackets_the_ecologits_derived_figure():
    # ≈ 0.27 Wh for a 70B dense model and 500 output tokens, derived from EcoLogits' method at batch 64 and
    # PUE 1.2: EcoLogits methodology, LLM inference, https://ecologits.ai/latest/methodology/llm_inference/
    energy_wh = text(output_tokens=500).energy_kwh.map(lambda kwh: kwh * 1000)

    assert energy_wh.low <= 0.27 <= energy_wh.high
    assert energy_wh.low < energy_wh.central < energy_wh.high


def test_at_ecologits_serving_a_request_is_ecologits_itself():
    direct = compute_llm_impacts(
        model_active_parameter_count=70.0,
        model_total_parameter_count=70.0,
        output_token_count=500,
        if_electricity_mix_adpe=0,
        if_electricity_mix_pe=0,
        if_electricity_mix_gwp=0.4,
        if_electricity_mix_wue=3.9,
        datacenter_pue=1.2,
        datacenter_wue=0.5,
        request_latency=math.inf,
    )

    low, high = calc.ecologits_bounds(DENSE_70B, PUE_1_2)
    ours = calc.text_request(DENSE_70B, low, 500, GRID_400)

    assert low == high
    assert ours.energy_kwh == pytest.approx(direct.energy.value, rel=1e-9)
    assert ours.energy_kwh * 0.4 == pytest.approx(direct.usage.gwp.value, rel=1e-9)
    assert ours.embodied_kgco2e == pytest.approx(direct.embodied.gwp.value, rel=1e-9)
    assert ours.water_onsite_l + ours.water_offsite_l == pytest.approx(direct.wcf.value, rel=1e-9)


def test_cached_affine_coefficients_are_exact_for_any_token_count_and_speed():
    rng = random.Random(7)
    for _ in range(20):
        active = rng.uniform(1, 400)
        tokens = rng.randint(1, 20_000)
        tps, ttft = rng.choice([(None, None), (rng.uniform(10, 150), rng.uniform(0, 10))])
        serving = rng.choice([calc.SERVING_LOW_IMPACT, calc.SERVING_CENTRAL, calc.SERVING_HIGH_IMPACT])
        impacts = llm_request_impacts(active, active * 2, serving, tps, ttft)
        direct = compute_llm_impacts(
            model_active_parameter_count=active,
            model_total_parameter_count=active * 2,
            output_token_count=tokens,
            if_electricity_mix_adpe=0,
            if_electricity_mix_pe=0,
            if_electricity_mix_gwp=0,
            if_electricity_mix_wue=0,
            datacenter_pue=1.1,
            datacenter_wue=0,
            request_latency=math.inf,
            tps=tps,
            ttft=ttft,
            batch_size=serving.batch_size,
            model_quantization_bits=serving.quantization_bits,
            gpu_memory=serving.gpu_memory_gb,
        )
        energy = (impacts.it_energy_kwh_per_token * tokens + impacts.it_energy_kwh_per_request) * 1.1
        embodied = impacts.embodied_kgco2e_per_token * tokens + impacts.embodied_kgco2e_per_request
        assert energy == pytest.approx(direct.energy.value, rel=1e-9)
        assert embodied == pytest.approx(direct.embodied.gwp.value, rel=1e-9)


@pytest.mark.parametrize("output_tokens", [400, 1000])  # a typical chat answer
def test_per_answer_energy_of_mainstream_models_overlaps_the_published_band(output_tokens):
    # Published per-answer energy spans ≈ 0.02 Wh (a small model, GPU only: ML.ENERGY leaderboard,
    # https://ml.energy/leaderboard) … 0.24 Wh (Google, median Gemini Apps text prompt, arXiv 2508.15734,
    # 2025) and 0.34 Wh (OpenAI, S. Altman, "The Gentle Singularity", June 2025) … 2.9 Wh (A. de Vries,
    # "The growing energy footprint of artificial intelligence", Joule 7(10), 2023).
    for model in (DENSE_70B, GPT_4O, calc.TextModel("8b", "8B", (8.0, 8.0), (8.0, 8.0))):
        energy_wh = text(model=model, output_tokens=output_tokens).energy_kwh.map(lambda kwh: kwh * 1000)
        assert energy_wh.high >= 0.02 and energy_wh.low <= 4, (model.name, output_tokens, energy_wh)


def test_mumbai_emits_about_42_times_paris_in_the_usage_phase():
    paris = text(location=PARIS, output_tokens=400).usage_emissions_kgco2e.central
    mumbai = text(location=MUMBAI, output_tokens=400).usage_emissions_kgco2e.central

    assert mumbai / paris == pytest.approx(41.6, abs=0.1)


def test_totals_are_linear_in_requests_and_iterations():
    one = text(output_tokens=300, input_tokens=200)
    many = text(output_tokens=300, input_tokens=200, requests=1000, iterations=3)

    for field in ("energy_kwh", "usage_emissions_kgco2e", "embodied_emissions_kgco2e", "water_l"):
        for bound in ("low", "central", "high"):
            assert getattr(getattr(many, field), bound) == pytest.approx(
                3000 * getattr(getattr(one, field), bound)
            )


def test_long_inputs_cost_what_epoch_ai_estimated_for_gpt_4o():
    # Epoch AI 2025: ≈0.3 Wh per query, ≈2.5 Wh with 10k input tokens, ≈40 Wh with 100k.
    base = text(model=GPT_4O, output_tokens=500).energy_kwh.central
    with_10k = text(model=GPT_4O, output_tokens=500, input_tokens=10_000).energy_kwh.central
    with_100k = text(model=GPT_4O, output_tokens=500, input_tokens=100_000).energy_kwh.central

    assert with_10k / base == pytest.approx(2.5 / 0.3, rel=0.1)
    assert with_100k / base == pytest.approx(40 / 0.3, rel=0.1)


def test_a_closed_model_gets_a_wider_range_than_a_published_one():
    closed = text(model=GPT_4O, output_tokens=400).energy_kwh
    published = text(
        model=calc.TextModel("x", "x", (88.0, 88.0), (440.0, 440.0)), output_tokens=400
    ).energy_kwh

    assert closed.high / closed.low > published.high / published.low


@pytest.mark.parametrize(
    ("inputs", "field"),
    [
        ({"output_tokens": 0}, "output_tokens"),
        ({"output_tokens": -5}, "output_tokens"),
        ({"output_tokens": math.nan}, "output_tokens"),
        ({"output_tokens": math.inf}, "output_tokens"),
        ({"output_tokens": 1e30}, "output_tokens"),
        ({"output_tokens": 100, "input_tokens": -1}, "input_tokens"),
        ({"output_tokens": 100, "requests": 0}, "requests"),
        ({"output_tokens": 100, "iterations": 0.5}, "iterations"),
        ({"output_tokens": 100, "requests": 1e30}, "requests"),
    ],
)
def test_bad_text_inputs_are_refused_with_the_field_named(inputs, field):
    with pytest.raises(calc.InvalidInput) as error:
        text(**inputs)
    assert field in error.value.errors


SDXL = calc.ImageModel(
    "sdxl",
    "SDXL",
    (
        calc.ImageMeasurement(
            1.64, "accelerator", 1024, 1024, 50, H100, "H100, GPU only", "AI Energy Score", 2025
        ),
    ),
)


def image(**inputs):
    return calc.image_footprint(model=SDXL, location=GRID_400, datacenter=PUE_1, **inputs)


def test_at_the_measured_conditions_the_centre_is_the_measurement():
    assert image(images=1000).energy_kwh.central == pytest.approx(1.64)


def test_image_energy_scales_with_steps_linearly_and_pixels_as_measured():
    full = image(images=10).energy_kwh
    quarter = image(images=10, width=512, height=512).energy_kwh
    quadruple = image(images=10, width=2048, height=2048).energy_kwh
    half_steps = image(images=10, steps=25).energy_kwh

    # Bertazzini et al. 2025: ×1.3 to ×4.7 per doubling of the side; ×√(1.3 × 4.7) in the centre.
    doubling = (1.3 * 4.7) ** 0.5
    assert quadruple.central == pytest.approx(full.central * doubling)
    assert quarter.central == pytest.approx(full.central / doubling)
    assert quadruple.high == pytest.approx(full.high * 4.7) and quadruple.low == pytest.approx(full.low * 1.3)
    assert quarter.high == pytest.approx(full.high / 1.3) and quarter.low == pytest.approx(full.low / 4.7)
    assert half_steps.central == pytest.approx(full.central / 2)


def test_an_image_costs_tens_of_times_a_short_text_answer():
    # Power Hungry Processing: a mean image ≈ 60× a mean text answer.
    small_text = text(
        model=calc.TextModel("8b", "8B", (8.0, 8.0), (8.0, 8.0)), output_tokens=100, datacenter=PUE_1
    )
    ratio = image().energy_kwh.central / small_text.energy_kwh.central
    assert 10 < ratio < 500


def test_one_campaign_gets_the_spread_between_campaigns():
    energy = image().energy_kwh
    low_divisor, high_factor = calc.IMAGE_CAMPAIGN_SPREAD
    assert energy.low == pytest.approx(energy.central / low_divisor)
    assert energy.high == pytest.approx(energy.central * high_factor)
    assert "image_campaign_spread" in {factor.key for factor in image().factors}


def test_several_campaigns_give_the_median_and_their_spread_and_no_serving_overhead():
    def measured(wh, campaign, width=1024, steps=50):
        return calc.ImageMeasurement(
            wh, "accelerator", width, width, steps, H100, "", campaign, 2025, campaign
        )

    model = calc.ImageModel(
        "m", "M", (measured(1.0, "A"), measured(4.0, "B"), measured(2.0, "C", width=512, steps=25))
    )
    energy = calc.image_footprint(model=model, location=GRID_400, datacenter=PUE_1).energy_kwh * 1000
    doubling = (1.3 * 4.7) ** 0.5

    assert energy.low == pytest.approx(1.0)
    assert energy.high == pytest.approx(2.0 * 2 * 4.7)  # the 512 px, 25-step measurement, scaled up
    assert energy.central == pytest.approx(sorted([1.0, 4.0, 2.0 * 2 * doubling])[1])
    keys = {
        factor.key
        for factor in calc.image_footprint(model=model, location=GRID_400, datacenter=PUE_1).factors
    }
    assert "serving_overhead" not in keys and "image_campaign_spread" not in keys


@pytest.mark.parametrize(
    ("inputs", "field"),
    [({"width": 10, "height": 10}, "width"), ({"steps": 0}, "steps"), ({"images": -1}, "images")],
)
def test_bad_image_inputs_are_refused(inputs, field):
    with pytest.raises(calc.InvalidInput) as error:
        image(**inputs)
    assert field in error.value.errors


def workload(model=DENSE_70B, location=MUMBAI, output_tokens=400, iterations=3):
    return calc.Workload(((model, 1.0),), location, PUE_1_2, output_tokens, iterations)


def test_lever_savings_add_up_to_the_total_saving():
    small = calc.TextModel("8b", "8B", (8.0, 8.0), (8.0, 8.0))
    improved = calc.Workload(((DENSE_70B, 0.5), (small, 0.5)), PARIS, PUE_1_2, 250, 2)

    result = calc.scenario(baseline=workload(), improved=improved, tasks=1e6, input_tokens=300)

    total = result.baseline.emissions_kgco2e.central - result.improved.emissions_kgco2e.central
    assert sum(lever.saving_kgco2e for lever in result.levers) == pytest.approx(total)
    assert sum(lever.share for lever in result.levers) == pytest.approx(1)
    assert all(lever.saving_kgco2e > 0 for lever in result.levers)
    assert result.ratio > 1


def test_a_scenario_that_changes_one_lever_gives_it_the_whole_saving():
    result = calc.scenario(baseline=workload(), improved=workload(iterations=1), tasks=1000)

    shares = {lever.name: lever.share for lever in result.levers}
    assert shares == {"region": 0, "iterations": pytest.approx(1), "output_size": 0, "model": 0}
    assert result.ratio == pytest.approx(3)


def test_fixed_emissions_count_on_both_sides_and_no_lever_takes_them():
    fixed = training(1e6, 700, 1.0, 400)
    without = calc.scenario(baseline=workload(), improved=workload(location=PARIS), tasks=1e6)
    with_fixed = calc.scenario(baseline=workload(), improved=workload(location=PARIS), tasks=1e6, fixed=fixed)

    extra = fixed.emissions_kgco2e.central
    assert with_fixed.baseline.emissions_kgco2e.central == pytest.approx(
        without.baseline.emissions_kgco2e.central + extra
    )
    assert with_fixed.levers[0].saving_kgco2e == pytest.approx(without.levers[0].saving_kgco2e)
