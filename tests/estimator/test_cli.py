import json
import os
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from estimator import services

pytestmark = pytest.mark.django_db


def estimate(*args: str) -> str:
    out = StringIO()
    call_command("estimate", *args, stdout=out)
    return out.getvalue()


def test_text_json_has_the_documented_shape():
    result = json.loads(
        estimate(
            "text",
            "--model",
            "llama-3-70b",
            "--output-tokens",
            "500",
            "--region",
            "europe-west9",
            "--format",
            "json",
        )
    )

    for key in (
        "energy_kwh",
        "emissions_kgco2e",
        "usage_emissions_kgco2e",
        "embodied_emissions_kgco2e",
        "water_l",
    ):
        assert set(result[key]) == {"low", "central", "high"}
        assert result[key]["low"] <= result[key]["central"] <= result[key]["high"]
    assert result["estimator_version"]
    assert all(set(factor) >= {"name", "value", "unit", "source", "year"} for factor in result["factors"])
    assert result["inputs"]["model"] == "llama-3-70b"
    assert result["inputs"]["location"]["code"] == "europe-west9"


def test_the_cli_gives_the_services_numbers():
    cli = json.loads(
        estimate(
            "text",
            "--model",
            "gpt-4o",
            "--output-tokens",
            "300",
            "--requests",
            "10",
            "--iterations",
            "2",
            "--country",
            "FRA",
            "--format",
            "json",
        )
    )
    assert (
        cli
        == services.estimate(
            "text", model="gpt-4o", output_tokens=300, requests=10, iterations=2, country="FRA"
        ).as_dict()
    )


def test_parameters_instead_of_a_model():
    result = json.loads(
        estimate(
            "text",
            "--active-params-b",
            "8",
            "--output-tokens",
            "100",
            "--grid-intensity",
            "50",
            "--format",
            "json",
        )
    )
    assert result["inputs"]["active_params_b"] == [8, 8]
    assert result["inputs"]["grid_gco2e_per_kwh"] == 50


def test_image_training_and_scenario_run():
    image = json.loads(
        estimate("image", "--model", "sdxl", "--images", "1000", "--pue", "1", "--format", "json")
    )
    assert image["energy_kwh"]["central"] == pytest.approx(1.64)  # AI Energy Score, the median campaign

    training = json.loads(
        estimate(
            "training",
            "--gpu-hours",
            "1300000",
            "--gpu-power-w",
            "700",
            "--pue",
            "1",
            "--grid-intensity",
            "425",
            "--no-embodied",
            "--format",
            "json",
        )
    )
    assert training["emissions_kgco2e"]["central"] / 1000 == pytest.approx(390, rel=0.05)
    assert training["embodied_emissions_kgco2e"]["central"] == 0

    scenario = json.loads(estimate("scenario", "--preset", "llama3-year", "--format", "json"))
    assert set(scenario) >= {"baseline", "improved", "ratio", "levers", "assumptions"}
    assert all(set(lever) == {"name", "saving_kgco2e", "share"} for lever in scenario["levers"])


def test_the_table_format_is_readable():
    output = estimate("text", "--model", "gpt-4o-mini", "--output-tokens", "200")
    assert "emissions (kgCO2e)" in output and "Factors:" in output and "location-based" in output


def test_models_lists_the_catalogue():
    output = estimate("models")
    assert "mistral-large-2" in output and "sdxl" in output and "44–132" in output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["text", "--model", "nope", "--output-tokens", "5"], "--model: Unknown text model nope"),
        (["text", "--model", "gpt-4o", "--output-tokens", "0"], "--output-tokens: Must be between"),
        (["text", "--model", "gpt-4o", "--output-tokens", "nan"], "--output-tokens: Must be a finite number"),
        (["text", "--model", "gpt-4o", "--output-tokens", "1e30"], "--output-tokens: Must be between"),
        (
            ["text", "--model", "gpt-4o", "--output-tokens", "5", "--region", "mars-1"],
            "--region: Unknown cloud region",
        ),
        (["image", "--model", "sdxl", "--width", "512"], "Give both width and height"),
        (["training", "--gpu-hours", "-3"], "--gpu-hours: Must be between"),
    ],
)
def test_bad_input_is_one_clear_error(args, message):
    with pytest.raises(CommandError, match=message):
        estimate(*args)


def test_from_the_shell_bad_input_exits_non_zero_with_one_line_and_no_traceback(tmp_path):
    env = {**os.environ, "DJANGO_DEBUG": "1", "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], check=True, env=env, capture_output=True)
    for args in (
        ["text", "--model", "gpt-4o", "--output-tokens", "-1"],
        ["text", "--model", "gpt-4o", "--output-tokens", "5", "--region", "europe-west9", "--country", "FRA"],
    ):
        result = subprocess.run(
            [sys.executable, "manage.py", "estimate", *args], capture_output=True, text=True, env=env
        )
        assert result.returncode != 0
        assert "Traceback" not in result.stderr
        assert result.stdout == ""
