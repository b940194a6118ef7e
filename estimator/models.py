"""Reference data the estimator uses (seeded by migrations, editable in the admin) and saved estimates."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Modality(models.TextChoices):
    TEXT = "text", _("Text generation")
    IMAGE = "image", _("Image generation")


class AIModel(models.Model):
    """A generative model of the catalogue: EcoLogits' list plus our own entries."""

    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    name = models.CharField(_("name"), max_length=200)
    provider = models.CharField(_("provider"), max_length=60)
    modality = models.CharField(_("modality"), max_length=10, choices=Modality.choices, default=Modality.TEXT)
    architecture = models.CharField(
        _("architecture"),
        max_length=10,
        choices=[("dense", _("dense")), ("moe", _("mixture of experts"))],
        blank=True,
    )
    active_params_min_b = models.FloatField(_("active parameters, min (billions)"), null=True, blank=True)
    active_params_max_b = models.FloatField(_("active parameters, max (billions)"), null=True, blank=True)
    total_params_min_b = models.FloatField(_("total parameters, min (billions)"), null=True, blank=True)
    total_params_max_b = models.FloatField(_("total parameters, max (billions)"), null=True, blank=True)
    datacenter = models.ForeignKey(
        "Datacenter",
        verbose_name=_("usual data centre"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("Where the provider serves it, when the location is a country or a grid intensity."),
    )
    ecologits_name = models.CharField(
        _("EcoLogits name"), max_length=200, blank=True, help_text=_("The model's name in EcoLogits' list.")
    )
    generation_speed_tps = models.FloatField(
        _("generation speed (tokens/s)"),
        null=True,
        blank=True,
        help_text=_("Per request, as measured by EcoLogits; empty to use its latency regression."),
    )
    first_token_latency_s = models.FloatField(_("time to first token (s)"), null=True, blank=True)
    context_window_tokens = models.PositiveBigIntegerField(
        _("context window (tokens)"), null=True, blank=True
    )
    reasoning_tokens_default = models.PositiveIntegerField(
        _("default reasoning tokens"),
        default=0,
        help_text=_("Hidden thinking tokens per request, counted like output tokens (reasoning models)."),
    )
    source = models.TextField(_("source"))
    notes = models.TextField(_("notes"), blank=True, help_text=_("e.g. 'architecture not released: range'"))
    featured = models.BooleanField(_("featured"), default=False, help_text=_("Offered first in forms."))

    class Meta:
        ordering = ["-featured", "provider", "name"]
        verbose_name = _("AI model")
        verbose_name_plural = _("AI models")
        constraints = [
            models.CheckConstraint(
                name="aimodel_text_has_parameters",
                condition=Q(modality="image")
                | Q(
                    active_params_min_b__gt=0,
                    active_params_max_b__gte=F("active_params_min_b"),
                    total_params_min_b__gte=F("active_params_min_b"),
                    total_params_max_b__gte=F("total_params_min_b"),
                ),
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def params_are_range(self) -> bool:
        return self.active_params_min_b != self.active_params_max_b


class GpuType(models.Model):
    slug = models.SlugField(_("slug"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    power_w = models.FloatField(_("power (W)"))
    embodied_kgco2e = models.FloatField(_("embodied emissions (kgCO2e per GPU)"))
    lifetime_hours = models.FloatField(_("lifetime (hours)"))
    source = models.TextField(_("source"))
    year = models.PositiveSmallIntegerField(_("year"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("GPU type")
        verbose_name_plural = _("GPU types")
        constraints = [
            models.CheckConstraint(
                name="gputype_positive",
                condition=Q(power_w__gt=0, embodied_kgco2e__gte=0, lifetime_hours__gt=0),
            )
        ]

    def __str__(self) -> str:
        return self.name


class ModelTraining(models.Model):
    """What a catalogue model's training is known to have cost, for the life-cycle scope: the published
    GPU-hours and emissions where the model card or paper gives them, else only the training tokens (the
    method then derives GPU-hours from 6 × active parameters × tokens)."""

    model = models.OneToOneField(AIModel, on_delete=models.CASCADE, related_name="training")
    tokens_t = models.FloatField(_("training tokens (trillions)"), null=True, blank=True)
    gpu_hours = models.FloatField(_("GPU-hours"), null=True, blank=True)
    gpu = models.ForeignKey(GpuType, verbose_name=_("GPU"), on_delete=models.PROTECT, null=True, blank=True)
    power_w = models.FloatField(
        _("power per GPU (W)"),
        null=True,
        blank=True,
        help_text=_("As published; empty for the GPU's own."),
    )
    pue = models.FloatField(
        _("PUE"),
        null=True,
        blank=True,
        help_text=_("1 when the published power already includes the data centre's overhead (Meta)."),
    )
    location_tco2e = models.FloatField(_("published location-based emissions (tCO2e)"), null=True, blank=True)
    market_tco2e = models.FloatField(_("published market-based emissions (tCO2e)"), null=True, blank=True)
    grid_zone = models.CharField(
        _("where it was trained (ISO 3166-1 alpha-3)"),
        max_length=3,
        blank=True,
        help_text=_("Its electricity mix; empty: where its provider's data centres are."),
    )
    source = models.TextField(_("source"))
    year = models.PositiveSmallIntegerField(_("year"))

    class Meta:
        ordering = ["model"]
        verbose_name = _("model training")
        verbose_name_plural = _("model trainings")
        constraints = [
            models.CheckConstraint(
                name="modeltraining_positive",
                condition=(Q(tokens_t__isnull=True) | Q(tokens_t__gt=0))
                & (Q(gpu_hours__isnull=True) | Q(gpu_hours__gt=0, gpu__isnull=False))
                & (Q(location_tco2e__isnull=True) | Q(location_tco2e__gte=0, gpu_hours__isnull=False))
                & (Q(market_tco2e__isnull=True) | Q(market_tco2e__gte=0, gpu_hours__isnull=False))
                & (Q(tokens_t__isnull=False) | Q(gpu_hours__isnull=False)),
            )
        ]

    def __str__(self) -> str:
        return f"{self.model}: training"


class ImageMeasurement(models.Model):
    """A published energy-per-image measurement of an image model."""

    class Boundary(models.TextChoices):
        ACCELERATOR = "accelerator", _("GPU energy only")
        SERVER = "server", _("whole server")

    model = models.ForeignKey(AIModel, on_delete=models.CASCADE, related_name="measurements")
    energy_wh_per_image = models.FloatField(_("energy per image (Wh)"))
    boundary = models.CharField(_("boundary"), max_length=12, choices=Boundary.choices)
    width = models.PositiveIntegerField(_("width (px)"))
    height = models.PositiveIntegerField(_("height (px)"))
    steps = models.PositiveIntegerField(_("denoising steps"))
    gpu = models.ForeignKey(GpuType, verbose_name=_("GPU"), on_delete=models.PROTECT)
    description = models.CharField(_("description"), max_length=200)
    campaign = models.CharField(
        _("measurement campaign"),
        max_length=60,
        blank=True,
        help_text=_("Who measured it (e.g. AI Energy Score, ML.ENERGY v3): the range spans campaigns."),
    )
    source = models.TextField(_("source"))
    year = models.PositiveSmallIntegerField(_("year"))

    class Meta:
        ordering = ["model", "-year", "id"]
        verbose_name = _("image energy measurement")
        verbose_name_plural = _("image energy measurements")
        constraints = [
            models.CheckConstraint(
                name="imagemeasurement_positive",
                condition=Q(energy_wh_per_image__gt=0, width__gt=0, height__gt=0, steps__gt=0),
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.model}: {self.energy_wh_per_image:g} Wh ({self.width}×{self.height}, {self.steps} steps)"
        )


class Datacenter(models.Model):
    """Data-centre efficiency: PUE and on-site water (WUE), by provider."""

    slug = models.SlugField(_("slug"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    pue_min = models.FloatField(_("PUE, min"))
    pue_max = models.FloatField(_("PUE, max"))
    wue_min_l_per_kwh = models.FloatField(_("WUE, min (L/kWh)"))
    wue_max_l_per_kwh = models.FloatField(_("WUE, max (L/kWh)"))
    location_zone = models.CharField(
        _("location (ISO 3166-1 alpha-3)"),
        max_length=3,
        blank=True,
        help_text=_(
            "The electricity mix its models use when no place is given; empty for the world average."
        ),
    )
    market_gco2e_per_kwh = models.FloatField(
        _("market-based electricity emissions (gCO2e/kWh)"),
        null=True,
        blank=True,
        help_text=_("As the operator publishes it, after its clean-energy purchases; empty if it does not."),
    )
    market_source = models.TextField(_("market-based source"), blank=True)
    source = models.TextField(_("source"))
    year = models.PositiveSmallIntegerField(_("year"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("data centre")
        verbose_name_plural = _("data centres")
        constraints = [
            models.CheckConstraint(
                name="datacenter_ranges",
                condition=Q(pue_min__gte=1, pue_max__gte=F("pue_min"), wue_min_l_per_kwh__gte=0)
                & Q(wue_max_l_per_kwh__gte=F("wue_min_l_per_kwh")),
            )
        ]

    def __str__(self) -> str:
        return self.name


class Region(models.Model):
    """A Google Cloud region's grid carbon intensity for one year (Google region-carbon-info)."""

    name = models.CharField(_("region"), max_length=40)
    location = models.CharField(_("location"), max_length=100)
    country_iso3 = models.CharField(_("country (ISO 3166-1 alpha-3)"), max_length=3)
    year = models.PositiveSmallIntegerField(_("year"))
    grid_gco2e_per_kwh = models.FloatField(_("grid carbon intensity (gCO2e/kWh)"))
    google_cfe = models.FloatField(_("Google carbon-free energy share"), null=True, blank=True)
    source = models.TextField(_("source"))

    class Meta:
        ordering = ["name", "-year"]
        verbose_name = _("cloud region")
        verbose_name_plural = _("cloud regions")
        constraints = [
            models.UniqueConstraint(fields=["name", "year"], name="region_unique_per_year"),
            models.CheckConstraint(name="region_grid_non_negative", condition=Q(grid_gco2e_per_kwh__gte=0)),
        ]
        indexes = [models.Index(fields=["name", "year"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.location}, {self.year})"


class ElectricityMix(models.Model):
    """A country's (or the world's) average electricity: carbon intensity and water consumed."""

    zone = models.CharField(_("zone (ISO 3166-1 alpha-3)"), max_length=3, unique=True)
    grid_gco2e_per_kwh = models.FloatField(_("carbon intensity (gCO2e/kWh)"))
    water_l_per_kwh = models.FloatField(_("water consumed by generation (L/kWh)"))
    source = models.TextField(_("source"))
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["zone"]
        verbose_name = _("electricity mix")
        verbose_name_plural = _("electricity mixes")

    def __str__(self) -> str:
        return self.zone


class ReferencePoint(models.Model):
    """A published figure users can compare an estimate with, with its boundary."""

    kind = models.CharField(_("compare with"), max_length=10, choices=Modality.choices, default=Modality.TEXT)
    label = models.CharField(_("label"), max_length=200)
    label_fr = models.CharField(_("label (French)"), max_length=200)
    value = models.FloatField(_("value"))
    unit = models.CharField(_("unit"), max_length=40)
    boundary = models.TextField(_("boundary"))
    boundary_fr = models.TextField(_("boundary (French)"))
    source = models.TextField(_("source"))
    year = models.PositiveSmallIntegerField(_("year"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["kind", "order", "label"]
        verbose_name = _("reference point")
        verbose_name_plural = _("reference points")

    def __str__(self) -> str:
        return self.label

    @property
    def localized_label(self) -> str:
        return self.label_fr if get_language() == "fr" else self.label

    @property
    def localized_boundary(self) -> str:
        return self.boundary_fr if get_language() == "fr" else self.boundary


class Estimate(models.Model):
    """An estimate a user saved, with the method version and factors it used."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="estimates")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20)
    inputs = models.JSONField(_("inputs"))
    result = models.JSONField(_("result"))
    estimator_version = models.CharField(_("estimator version"), max_length=20)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("saved estimate")
        verbose_name_plural = _("saved estimates")
        indexes = [models.Index(fields=["owner", "-created_at"])]

    def __str__(self) -> str:
        return self.name
