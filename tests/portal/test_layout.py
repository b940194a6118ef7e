"""Layout shared by every page: tables that scroll sideways are named, focusable regions."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template, TemplateSyntaxError
from django.urls import reverse

REGION = re.compile(r'<div class="table-scroll" role="region" aria-label="([^"]+)" tabindex="0">\s*<table')


def test_a_scroll_region_is_a_named_focusable_region_around_its_table():
    template = Template(
        "{% load layout %}{% scrollregion label %}<table><tr><td>1</td></tr></table>{% endscrollregion %}"
    )

    html = template.render(Context({"label": 'Costs "by" <model>'}))

    assert html == (
        '<div class="table-scroll" role="region" aria-label="Costs &quot;by&quot; &lt;model&gt;" tabindex="0">'
        "<table><tr><td>1</td></tr></table></div>"
    )


def test_a_scroll_region_needs_its_label():
    with pytest.raises(TemplateSyntaxError, match="one argument"):
        Template("{% load layout %}{% scrollregion %}<table></table>{% endscrollregion %}")


def test_no_template_writes_a_scrolling_table_by_hand():
    # Every scrolling table goes through {% scrollregion %}, so none lacks its name or keyboard access;
    # the print stylesheet only styles the class.
    hand_written = [
        str(path)
        for path in Path(settings.BASE_DIR).glob("*/templates/**/*.html")
        if 'class="table-scroll"' in path.read_text()
    ]
    assert hand_written == []


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_estimators_tables_are_named_regions_in_both_languages(client, alice, language):
    client.force_login(alice)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    html = client.get(reverse("estimator:estimate")).content.decode()

    labels = REGION.findall(html)
    expected = {
        "en": ["Compare with published figures", "The factors used, with their sources"],
        "fr": ["Comparer avec les chiffres publiés", "Les facteurs utilisés, avec leurs sources"],
    }[language]
    assert sorted(labels) == sorted(expected)
    assert html.count('class="table-scroll"') == len(labels)


@pytest.mark.django_db
def test_the_dashboards_tables_are_named_after_their_section(client, root):
    client.force_login(root)

    html = client.get(reverse("usage:dashboard")).content.decode()

    labels = REGION.findall(html)
    assert html.count('class="table-scroll"') == len(labels)
    assert {
        "By department",
        "By model",
        "By region",
        "By use case",
        "Estimated (approved use cases) vs actual",
    } <= set(labels)
