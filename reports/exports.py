"""The CSRD / GHG Protocol export: per period, one line per (scope, department, provider, model).

Numbers come from the monthly rollups, as on the dashboard, so the export's totals equal the dashboard's
for the same period and scope. Each line carries its GHG Protocol scope and category, energy (ESRS E1-5)
and water, the location-based emissions with the estimator's low–high range, the market-based column
(empty with a note: the estimator has no market-based basis yet), the data-quality tier inferred from the
records' sources, and the estimator version. A methodology note goes with it (the XLSX's second sheet,
the PDF's annex).
"""

from __future__ import annotations

import datetime
import io
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from estimator import services as estimator
from estimator.calculations import ESTIMATOR_VERSION
from portal.exports import csv_writer, xlsx_append
from portal.models import Department, User
from reports.services import report_settings
from usage.dashboard import rollups_in_scope
from usage.models import Connection, MonthlyRollup, UsageRecord

# Data-quality tiers, best first. A line takes the lowest tier among the sources of its records.
PROVIDER, GATEWAY, PROFILE = 1, 2, 3
PROVIDER_SOURCES = ("openai", "anthropic", "mistral", "azure", "bedrock", "vertex", "google", "provider")
GATEWAY_SOURCES = (
    "litellm",
    "gateway",
    "otel",
    "otlp",
    "opentelemetry",
    "trace",
    "langfuse",
    "helicone",
    "portkey",
)


def quality_tier(source: str, connection_kinds: dict[str, str] | None = None) -> int:
    """Provider-reported tokens (a provider's usage API), tokens from a gateway or traces, or estimated
    from a use case's profile. A usage connection's records (source `connection-<id>`) take the tier of
    the connection's kind. A source recognised as none of these (a hand-made CSV, demo data) is put in
    the lowest tier: nothing vouches for its tokens."""
    name = (connection_kinds or {}).get(source, source).lower()
    if name.startswith(PROVIDER_SOURCES):
        return PROVIDER
    if name.startswith(GATEWAY_SOURCES):
        return GATEWAY
    return PROFILE


def tier_label(tier: int) -> str:
    return {
        PROVIDER: _("1 · provider-reported tokens"),
        GATEWAY: _("2 · tokens from a gateway or traces"),
        PROFILE: _("3 · estimated from a use case's profile or a declared source"),
    }[tier]


SCOPE_3_CAT_1 = "3.1"
SCOPE_2 = "2"
SCOPE_3_CAT_2 = "3.2"


def scope_label(scope: str) -> str:
    return {
        SCOPE_3_CAT_1: _("Scope 3, category 1 (purchased goods and services: AI services)"),
        SCOPE_2: _("Scope 2 (purchased electricity: self-hosted models)"),
        SCOPE_3_CAT_2: _("Scope 3, category 2 (capital goods: hardware of self-hosted models)"),
    }[scope]


BOUNDS = ("low", "central", "high")
MEASURES = ("requests", "input_tokens", "output_tokens", "images")


@dataclass
class Line:
    scope: str
    department: str
    provider: str
    model: str
    requests: float = 0
    input_tokens: float = 0
    output_tokens: float = 0
    images: float = 0
    emissions_kgco2e: list[float] = field(default_factory=lambda: [0.0, 0.0, 0.0])
    energy_kwh: list[float] = field(default_factory=lambda: [0.0, 0.0, 0.0])
    water_l: list[float] = field(default_factory=lambda: [0.0, 0.0, 0.0])
    tier: int = PROVIDER
    sources: set[str] = field(default_factory=set)
    versions: set[str] = field(default_factory=set)
    regions: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Export:
    start: datetime.date
    end: datetime.date  # the last month, inclusive
    scope_label: str
    lines: list[Line]
    generated_at: datetime.datetime

    def total(self, name: str, index: int = 1) -> float:
        """One bound (0 low, 1 central, 2 high) of a ranged measure, summed over the lines."""
        ranges: list[list[float]] = [getattr(line, name) for line in self.lines]
        return sum(bounds[index] for bounds in ranges)


def _next_month(month: datetime.date) -> datetime.date:
    return (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def export_build(
    user: User, *, start: datetime.date, end: datetime.date, department: Department | None = None
) -> Export:
    """The export's lines for the months from `start` to `end` (inclusive) in the user's scope."""
    rollups = rollups_in_scope(user).filter(month__gte=start, month__lte=end)
    records = UsageRecord.objects.filter(date__gte=start, date__lt=_next_month(end))
    if department is not None:
        rollups = rollups.filter(department=department)
        records = records.filter(department=department)
    elif not user.is_org_admin:
        records = records.filter(department__in=user.managed_departments.all())
    sources: dict[tuple[int, int], set[str]] = defaultdict(set)
    for department_id, model_id, source in (
        records.values_list("department_id", "model_id", "source").distinct().order_by()
    ):
        sources[(department_id, model_id)].add(source)
    connection_kinds = {f"connection-{pk}": kind for pk, kind in Connection.objects.values_list("pk", "kind")}
    self_hosted = set(report_settings().self_hosted_models.values_list("pk", flat=True))
    ref = estimator.reference_data()
    lines: dict[tuple[str, str, str], Line] = {}
    # Rows keyed by the measures' names, built above: read as a mapping, not the rollup's own fields.
    rows: QuerySet[MonthlyRollup, Mapping[str, Any]] = (
        rollups.values("department_id", "department__name", "model_id", "model__slug", "region", "estimator_version")
        .annotate(
            **{name: Sum(name) for name in MEASURES},
            **{f"{name}_{bound}": Sum(f"{name}_{bound}") for name in ("energy_kwh", "emissions_kgco2e", "water_l") for bound in BOUNDS},
            usage_central=Sum("usage_emissions_kgco2e_central"),
        )
        .order_by()
    )  # fmt: skip
    for row in rows:
        model = ref.models[row["model__slug"]]
        parts = [(SCOPE_3_CAT_1, 1.0)]
        if row["model_id"] in self_hosted:
            # Own servers: their electricity is Scope 2, their manufacturing (embodied) Scope 3.2.
            central = row["emissions_kgco2e_central"]
            electricity = row["usage_central"] / central if central else 1.0
            parts = [(SCOPE_2, electricity), (SCOPE_3_CAT_2, 1.0 - electricity)]
        for scope, share in parts:
            key = (scope, row["department__name"], model.name)
            line = lines.get(key) or lines.setdefault(
                key,
                Line(
                    scope=scope, department=row["department__name"], provider=model.provider, model=model.name
                ),
            )
            if scope != SCOPE_3_CAT_2:  # activity data once per group
                for name in MEASURES:
                    setattr(line, name, getattr(line, name) + row[name])
                for index, bound in enumerate(BOUNDS):
                    line.energy_kwh[index] += row[f"energy_kwh_{bound}"]
                    line.water_l[index] += row[f"water_l_{bound}"]
            for index, bound in enumerate(BOUNDS):
                line.emissions_kgco2e[index] += row[f"emissions_kgco2e_{bound}"] * share
            line_sources = sources.get((row["department_id"], row["model_id"]), set())
            line.sources |= line_sources
            line.tier = max([line.tier, *(quality_tier(source, connection_kinds) for source in line_sources)])
            line.versions.add(row["estimator_version"])
            line.regions.add(row["region"])
    ordered = sorted(
        lines.values(), key=lambda line: (line.scope, line.department, -line.emissions_kgco2e[1])
    )
    if department is not None:
        label = department.name
    elif user.is_org_admin:
        label = _("The whole organisation")
    else:
        label = ", ".join(user.managed_departments.values_list("name", flat=True))
    return Export(start=start, end=end, scope_label=label, lines=ordered, generated_at=timezone.now())


def market_based_note() -> str:
    return _(
        "Not available: the usage rollups are computed on the location basis only (grid average intensity); "
        "the estimator's market basis is not applied to usage yet."
    )


def headers() -> list[str]:
    return [
        _("Period start"),
        _("Period end"),
        _("GHG Protocol scope"),
        _("Department"),
        _("Provider"),
        _("Model"),
        _("Regions"),
        _("Requests"),
        _("Input tokens"),
        _("Output tokens"),
        _("Images"),
        _("Emissions, location-based (kgCO2e)"),
        _("Emissions, low (kgCO2e)"),
        _("Emissions, high (kgCO2e)"),
        _("Emissions, market-based (kgCO2e)"),
        _("Energy (kWh, ESRS E1-5)"),
        _("Energy, low (kWh)"),
        _("Energy, high (kWh)"),
        _("Water (L)"),
        _("Water, low (L)"),
        _("Water, high (L)"),
        _("Data-quality tier"),
        _("Sources"),
        _("Estimator version"),
    ]


def line_values(export: Export, line: Line) -> list[Any]:
    last_day = _next_month(export.end) - datetime.timedelta(days=1)
    return [
        export.start.isoformat(),
        last_day.isoformat(),
        scope_label(line.scope),
        line.department,
        line.provider,
        line.model,
        " ".join(sorted(line.regions)),
        line.requests,
        line.input_tokens,
        line.output_tokens,
        line.images,
        round(line.emissions_kgco2e[1], 6),
        round(line.emissions_kgco2e[0], 6),
        round(line.emissions_kgco2e[2], 6),
        _("not available (see methodology)"),
        round(line.energy_kwh[1], 6),
        round(line.energy_kwh[0], 6),
        round(line.energy_kwh[2], 6),
        round(line.water_l[1], 6),
        round(line.water_l[0], 6),
        round(line.water_l[2], 6),
        tier_label(line.tier),
        " ".join(sorted(line.sources)) or _("none recorded"),
        " ".join(sorted(line.versions)),
    ]


def methodology(export: Export) -> list[tuple[str, str]]:
    """The export's methodology note: (topic, text) rows, in the active language."""
    return methodology_note(
        scope_label=export.scope_label,
        start=export.start,
        end=export.end,
        model_names={line.model for line in export.lines},
        regions=set().union(*(line.regions for line in export.lines)) if export.lines else set(),
        totals=(export.total("emissions_kgco2e"), export.total("energy_kwh"), export.total("water_l")),
        generated_at=export.generated_at,
    )


def methodology_note(
    *,
    scope_label: str,
    start: datetime.date,
    end: datetime.date,
    model_names: set[str],
    regions: set[str],
    totals: tuple[float, float, float],
    generated_at: datetime.datetime,
) -> list[tuple[str, str]]:
    """Boundary, scopes, bases, tiers, estimator and the sources of the factors used: (topic, text) rows."""
    ref = estimator.reference_data()
    model_sources = sorted({model.source for model in ref.models.values() if model.name in model_names})
    grid_sources = set()
    for region in regions:
        row = ref.latest_region(region)
        source = row.source if row else (ref.mixes[region].source if region in ref.mixes else "")
        if source:
            grid_sources.add(source)
    return [
        (_("Scope of the report"), scope_label),
        (_("Period"), f"{start:%Y-%m} – {end:%Y-%m}"),
        (
            _("Boundary"),
            _(
                "The inference of generative-AI services the organisation used, as recorded in its usage "
                "records: electricity of the serving hardware (accelerators, host servers, idle capacity, "
                "data-centre overhead through the PUE) and the manufacturing of that hardware allocated to "
                "the usage time (embodied emissions). Model training, end-user devices and networks are "
                "outside the boundary."
            ),
        ),
        (
            _("GHG Protocol scopes"),
            _(
                "Purchased AI services are Scope 3, category 1 (purchased goods and services). Usage of "
                "models the organisation declares as self-hosted (report settings) is split: electricity "
                "as Scope 2, hardware manufacturing as Scope 3, category 2 (capital goods)."
            ),
        ),
        (
            _("Location-based emissions"),
            _(
                "Electricity × the average carbon intensity of the grid where the model runs, plus the "
                "embodied share; the estimator's central value with its low–high range."
            ),
        ),
        (_("Market-based emissions"), market_based_note()),
        (
            _("Energy (ESRS E1-5)"),
            _("Electricity used to serve the requests, data-centre overhead included, in kWh."),
        ),
        (
            _("Water"),
            _(
                "Water consumed: on-site cooling (the data centre's WUE × IT energy) plus the water "
                "consumed to generate the electricity (the grid's water factor × energy), in litres."
            ),
        ),
        (
            _("Data-quality tiers"),
            _(
                "1: tokens reported by the provider's usage API; 2: tokens measured by a gateway or traces; "
                "3: estimated from a use case's profile, or a source neither (hand-made CSV, demo data). A "
                "line mixing sources takes the lowest tier."
            ),
        ),
        (
            _("Estimator"),
            _(
                "Frugal AI Portal estimator %(version)s on EcoLogits; versions used by each line are in its column."
            )
            % {"version": ESTIMATOR_VERSION},
        ),
        (_("Model sources"), " | ".join(model_sources) or "—"),
        (_("Grid intensity sources"), " | ".join(sorted(grid_sources)) or "—"),
        (
            _("Totals"),
            _("%(emissions)s kgCO2e (location-based, central); %(energy)s kWh; %(water)s L.")
            % {
                "emissions": f"{totals[0]:.3f}",
                "energy": f"{totals[1]:.3f}",
                "water": f"{totals[2]:.3f}",
            },
        ),
        (_("Generated"), f"{generated_at:%Y-%m-%d %H:%M} UTC"),
    ]


def export_csv(export: Export) -> bytes:
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    writer.writerow(headers())
    for line in export.lines:
        writer.writerow(line_values(export, line))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # the BOM lets spreadsheets read UTF-8


def export_xlsx(export: Export) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Emissions")[:31]
    xlsx_append(sheet, headers())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for line in export.lines:
        xlsx_append(sheet, line_values(export, line))
    sheet.freeze_panes = "A2"
    notes = workbook.create_sheet(_("Methodology")[:31])
    notes.append([_("Topic"), _("Note")])
    for cell in notes[1]:
        cell.font = Font(bold=True)
    for topic, text in methodology(export):
        xlsx_append(notes, [topic, text])
    notes.column_dimensions["A"].width = 28
    notes.column_dimensions["B"].width = 110
    for row in notes.iter_rows(min_row=2):
        row[1].alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
