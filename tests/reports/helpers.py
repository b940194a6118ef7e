import datetime

from estimator.models import AIModel
from usage.models import MonthlyRollup


def rollup(month: datetime.date, department, kgco2e: float, *, model: str = "gpt-4o", use_case=None, **extra):
    """A monthly rollup with a ±50 % range and energy/water proportional to emissions."""
    values = {
        "requests": 1000,
        "input_tokens": 500_000,
        "output_tokens": 400_000,
        "images": 0,
        "energy_kwh_low": kgco2e,
        "energy_kwh_central": 2 * kgco2e,
        "energy_kwh_high": 3 * kgco2e,
        "emissions_kgco2e_low": kgco2e / 2,
        "emissions_kgco2e_central": kgco2e,
        "emissions_kgco2e_high": kgco2e * 1.5,
        "usage_emissions_kgco2e_central": kgco2e * 0.8,
        "water_l_low": kgco2e,
        "water_l_central": 2 * kgco2e,
        "water_l_high": 4 * kgco2e,
        "estimator_version": "test-1",
        **extra,
    }
    return MonthlyRollup.objects.create(
        month=month,
        department=department,
        use_case=use_case,
        model=AIModel.objects.get(slug=model),
        region="us-central1",
        **values,
    )
