"""The four levers' split of a saving (Shapley values), computed by hand, and its order independence.

A sequential attribution (each lever credited with its saving when applied after the ones listed before
it) gives other numbers on interacting levers and changes with the order: these tests fail on it.
"""

import itertools
import random

import pytest

from estimator import calculations as calc
from estimator import labels, levers

REGION, ITER, OUT, MODEL = levers.REGION, levers.ITERATIONS, levers.OUTPUT_SIZE, levers.MODEL


def multiplicative(switched: frozenset[str]) -> float:
    """160 kgCO2e; region halves it, the smaller model halves it, shorter outputs take a quarter off;
    iterations change nothing. The levers interact: each one's saving depends on the others."""
    emissions = 160.0
    if REGION in switched:
        emissions *= 0.5
    if MODEL in switched:
        emissions *= 0.5
    if OUT in switched:
        emissions *= 0.75
    return emissions


def test_shapley_values_of_interacting_levers_computed_by_hand():
    # By hand, with the null lever (iterations) left out, n = 3, weights 1/3, 1/6, 1/6, 1/3:
    # E(∅)=160, E(R)=E(M)=80, E(O)=120, E(RM)=40, E(RO)=E(MO)=60, E(RMO)=30.
    # region: 1/3·(160−80) + 1/6·(80−40) + 1/6·(120−60) + 1/3·(60−30) = 160/3
    # model: the same by symmetry = 160/3
    # output: 1/3·(160−120) + 1/6·(80−60) + 1/6·(80−60) + 1/3·(40−30) = 70/3
    # (A sequential attribution in the order R, I, O, M gives 80, 0, 20, 30 instead.)
    savings = {saving.name: saving for saving in levers.shapley_savings(levers.LEVERS, multiplicative)}

    assert savings[REGION].saving_kgco2e == pytest.approx(160 / 3)
    assert savings[MODEL].saving_kgco2e == pytest.approx(160 / 3)
    assert savings[OUT].saving_kgco2e == pytest.approx(70 / 3)
    assert savings[ITER].saving_kgco2e == 0
    assert savings[OUT].share == pytest.approx((70 / 3) / 130)


def test_two_levers_with_an_interaction_split_it_evenly():
    # E(∅)=100, E(a)=60, E(b)=80, E(ab)=30: a = ½(40 + 50) = 45, b = ½(20 + 30) = 25.
    table = {frozenset(): 100.0, frozenset("a"): 60.0, frozenset("b"): 80.0, frozenset("ab"): 30.0}

    savings = {s.name: s.saving_kgco2e for s in levers.shapley_savings(("a", "b"), table.__getitem__)}

    assert savings == {"a": pytest.approx(45), "b": pytest.approx(25)}


def test_the_split_does_not_depend_on_the_order_the_levers_are_listed_in():
    rng = random.Random(14)
    # Any emissions for each of the 16 combinations: levers that interact in every way.
    table = {
        frozenset(subset): rng.uniform(10, 1000)
        for size in range(5)
        for subset in itertools.combinations(levers.LEVERS, size)
    }
    reference = {s.name: s.saving_kgco2e for s in levers.shapley_savings(levers.LEVERS, table.__getitem__)}
    for order in itertools.permutations(levers.LEVERS):
        split = {s.name: s.saving_kgco2e for s in levers.shapley_savings(order, table.__getitem__)}
        assert split == pytest.approx(reference)
    assert sum(reference.values()) == pytest.approx(table[frozenset()] - table[frozenset(levers.LEVERS)])


def test_lever_split_evaluates_each_combination_once_and_gives_the_totals():
    calls: list[frozenset[str]] = []

    def counted(switched: frozenset[str]) -> float:
        calls.append(switched)
        return multiplicative(switched)

    split = levers.lever_split(counted)

    assert len(calls) == len(set(calls)) == 16
    assert (split.baseline_kgco2e, split.improved_kgco2e, split.ratio) == (160, 30, pytest.approx(160 / 30))
    assert {s.name: s.saving_kgco2e for s in split.levers} == {
        REGION: pytest.approx(160 / 3),
        ITER: 0,
        OUT: pytest.approx(70 / 3),
        MODEL: pytest.approx(160 / 3),
    }


def test_the_scenario_uses_the_same_split():
    paris = calc.Location("region", "europe-west9", "Paris", 16.30, 2.0, ())
    mumbai = calc.Location("region", "asia-south1", "Mumbai", 678.76, 3.9, ())
    pue = calc.Datacenter("PUE 1.2", calc.Range.exact(1.2), calc.Range.exact(0.5), ())
    big = calc.TextModel("70b", "70B", (70.0, 70.0), (70.0, 70.0))
    small = calc.TextModel("8b", "8B", (8.0, 8.0), (8.0, 8.0))
    baseline = calc.Workload(((big, 1.0),), mumbai, pue, 400, 3)
    improved = calc.Workload(((small, 1.0),), paris, pue, 250, 2)

    result = calc.scenario(baseline=baseline, improved=improved, tasks=1e6)

    def emissions_of(switched: frozenset[str]) -> float:
        workload = calc._mixed(baseline, improved, switched)
        model, _share = workload.models[0]
        return calc.text_footprint(
            model=model,
            output_tokens=workload.output_tokens,
            requests=1e6,
            iterations=workload.iterations,
            location=workload.location,
            datacenter=workload.datacenter,
        ).emissions_kgco2e.central

    # Reversed order: the same split, because it is order-independent.
    expected = {s.name: s.saving_kgco2e for s in levers.shapley_savings(levers.LEVERS[::-1], emissions_of)}
    assert {s.name: s.saving_kgco2e for s in result.levers} == pytest.approx(expected)


@pytest.mark.parametrize(
    ("width", "height", "expected"),
    [(None, None, (768, 768)), (1024, 1024, (768, 768)), (2048, 1024, (768, 384)), (512, 512, (512, 512))],
)
def test_the_output_size_lever_caps_the_longer_image_side(width, height, expected):
    assert levers.capped_image_size(width, height) == expected


def test_the_other_lever_rules():
    assert levers.iterations_after_training(3) == 2
    assert levers.iterations_after_training(1) == 1
    assert levers.capped_output_tokens(500) == 300
    assert levers.capped_output_tokens(1) == 1
    assert levers.is_large_model(70) and not levers.is_large_model(8) and not levers.is_large_model(None)
    # "Above" the threshold: a model of exactly 20 billion active parameters stays
    assert levers.LARGE_MODEL_ACTIVE_PARAMS_B == 20
    assert not levers.is_large_model(20) and levers.is_large_model(20.5)


def test_levers_that_save_nothing_have_no_share():
    split = levers.lever_split(lambda switched: 100.0)

    assert split.baseline_kgco2e == split.improved_kgco2e == 100
    assert [(s.saving_kgco2e, s.share) for s in split.levers] == [(0, 0.0)] * 4


def test_a_lever_saving_reads_as_its_name_saving_and_share():
    saving = levers.LeverSaving(name=REGION, saving_kgco2e=12.5, share=0.25)

    assert saving.as_dict() == {"name": REGION, "saving_kgco2e": 12.5, "share": 0.25}


def test_every_factor_and_lever_has_a_translated_label():
    assert set(labels.FACTOR_LABELS) == set(calc.FACTOR_NAMES)
    assert set(labels.LEVER_LABELS) == set(levers.LEVERS)
