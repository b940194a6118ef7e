"""The model × region table: every cell's range readable without a mouse, and the chosen cell marked."""

import re

import pytest
from django.urls import reverse

from estimator.templatetags.footprint import sig

pytestmark = pytest.mark.django_db


def test_each_cell_shows_its_range_and_the_chosen_model_and_region_is_marked(client, alice):
    client.force_login(alice)

    response = client.get(
        reverse("estimator:compare"),
        {"model": "llama-3-70b", "output_tokens": "400", "region": "europe-west9"},
    )

    html = response.content.decode()
    table = response.context["table"]
    models = [model.slug for model in table["models"]]
    regions = [region.name for region in table["regions"]]
    chosen = table["rows"][models.index("llama-3-70b")][2][regions.index("europe-west9")]
    # The range is in the cell's text, not only in a tooltip (title=), so keyboard and touch users read it.
    body = html.split('<table class="compare">', 1)[1].split("</table>", 1)[0]
    assert "title=" not in body
    for _, _, cells in table["rows"]:
        for cell in cells:
            assert f'<span class="range below">{sig(cell.low_g)} – {sig(cell.high_g)}</span>' in body
    # Exactly one cell is the task's own, marked for sight (class) and for screen readers (aria-current).
    marked = re.findall(r'<td class="num[^"]*\bchosen\b[^"]*" aria-current="true">([^<]+)', body)
    assert marked == [f"{sig(chosen.central_g)} "]
    assert sum(cell.chosen for _, _, cells in table["rows"] for cell in cells) == 1
