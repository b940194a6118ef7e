import pytest

from courses.statistics import paired_change, t_critical_95


def test_paired_change_against_a_hand_computed_example():
    # before, after for five learners: differences -2, -2, -2, -1, -3
    pairs = [(5, 3), (4, 2), (6, 4), (3, 2), (7, 4)]
    # mean -2; sd = sqrt((0+0+0+1+1)/4) = 0.7071; se = 0.3162; t(0.975, 4) = 2.776; half-width 0.8779

    change = paired_change(pairs)

    assert change.n == 5
    assert change.mean_change == pytest.approx(-2)
    assert change.ci_low == pytest.approx(-2.8779, abs=1e-3)
    assert change.ci_high == pytest.approx(-1.1221, abs=1e-3)
    assert (change.before.mean, change.before.median) == (5, 5)
    assert (change.after.mean, change.after.median) == (3, 3)
    assert change.relative_change == pytest.approx(-0.4)


def test_no_interval_below_five_learners():
    change = paired_change([(5, 3), (4, 2), (6, 4), (3, 2)])
    assert change.n == 4 and change.mean_change == pytest.approx(-1.75)
    assert change.ci_low is None and change.ci_high is None and not change.has_interval


def test_no_learner_no_change():
    change = paired_change([])
    assert change.n == 0 and change.mean_change is None


@pytest.mark.parametrize(
    ("df", "expected"),
    [(4, 2.776), (10, 2.228), (30, 2.042), (35, 2.030), (50, 2.009), (100, 1.984), (1000, 1.962)],
)
def test_t_critical_values(df, expected):
    assert t_critical_95(df) == pytest.approx(expected, abs=0.002)
