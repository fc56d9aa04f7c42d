"""A survey's settings as an operator gives them, and the checks every one passes before
anything is written (pure: the survey use cases, :mod:`bot.usecases.surveys`, call them).

Every refusal of one request is raised together (:class:`~bot.domain.errors.SurveyErrors`),
so a form names every fault at once.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.domain.drivers import DriverError, drivers_from_json, hidden_label
from bot.domain.errors import Refusals, SurveyError, driver_refusal
from bot.domain.inputs import holds_control, shows_as_itself
from bot.domain.surveys import (
    K_HIGHEST,
    K_LOWEST,
    NAME_LIMIT,
    NameFault,
    SurveyState,
    name_fault,
)
from bot.i18n import SUPPORTED
from bot.usecases.wave_settings import check_wave_settings, is_given, setting_text

EDITABLE = frozenset(
    {
        "subject",
        "audience",
        "cadence",
        "window_days",
        "k_min",
        "cap_max_asks",
        "digest_channel",
        "digest_cadence",
        "alert_channel",
        "timezone",
        "locale",
        "reminders",
        "status",
        "drivers",
    }
)


@dataclass(frozen=True)
class SurveySpec:
    """Everything a new survey needs; defaults follow the method (twice a year, k = 5)."""

    name: str
    kind: str = "nps"
    subject: str = ""
    audience: Mapping[str, str] = field(default_factory=dict)
    cadence: str | None = None
    window_days: int = 14
    reminders: int = 2
    k_min: int = 5
    cap_max_asks: int = 2
    digest_channel: str | None = None
    timezone: str = "UTC"
    locale: str = "en"
    digest_cadence: str | None = None
    alert_channel: str | None = None
    drivers: Sequence[Mapping[str, str]] = ()
    """Optional driver questions, ``{"key", "label"}`` each (see :mod:`bot.domain.drivers`)."""


SUBJECT_LIMIT = 200
WINDOW_LIMIT = 365
"""The longest a wave stays open, in days: a year, well inside the dates a close can be
scheduled on (a window of millions of days failed the wave's opening)."""
CAP_LIMIT = 12
"""The most asks a person's cap can allow in its window: one a month over a year. More is
not a cap, and the cap's rule works through that many dates per person (a cap of a
billion exhausted memory, and one past the database's integers was a crash)."""
REMINDERS_LIMIT = 10
"""The most reminders a wave sends each person: one every working day of a two-week
wave. The forms offer fewer; this is what any path may store."""


SHOWN_TEXT = ("subject", "audience", "digest_channel", "alert_channel")
"""The free-text settings shown again or sent to a platform as typed: none holds a
control character (the cadences and the time zone have their own parse, the drivers
theirs)."""


def validate_spec(spec: SurveySpec, *, platform: str) -> None:
    """Refuse a new survey's settings, all refusals together (:class:`SurveyErrors`)."""
    validate(values_of(spec), given=None, platform=platform)


def values_of(spec: SurveySpec) -> dict[str, Any]:
    return {
        **spec.__dict__,
        "audience": dict(spec.audience),
        "drivers": [dict(driver) for driver in spec.drivers],
    }


def validate(values: Mapping[str, Any], *, given: Collection[str] | None, platform: str) -> None:
    """Check every setting of a survey of ``platform``; all refusals are raised together
    (:class:`SurveyErrors`).

    ``given`` names the settings a change sets (None: every one, a new survey). The
    upper bounds of k, the cap and the reminders hold only for a value given: a survey
    stored with a larger one before the bound existed keeps it, and can still be edited
    otherwise (lowering k could be refused for its answers).
    """
    refusals = Refusals()
    name = str(values.get("name", ""))
    with refusals.collecting():
        fault = name_fault(name)
        if fault is NameFault.LENGTH:
            raise SurveyError(
                f"a name needs 1 to {NAME_LIMIT} characters",
                key="admin.error.name",
                field="name",
                limit=NAME_LIMIT,
            )
        if fault is NameFault.CHARACTERS:
            raise SurveyError(
                "a name holds only visible characters and spaces (no line break, tab or "
                "invisible character), and no space at its start or end",
                key="admin.error.name_characters",
                field="name",
            )
    with refusals.collecting():
        if len(str(values.get("subject", ""))) > SUBJECT_LIMIT:
            raise SurveyError(
                f"the subject is longer than {SUBJECT_LIMIT} characters",
                key="admin.error.subject",
                field="subject",
                limit=SUBJECT_LIMIT,
            )
        # The subject is in every question asked: a bidi override or zero-width
        # character would reorder or hide what people are asked about.
        subject = str(values.get("subject", ""))
        if (
            is_given("subject", given)
            and not holds_control(subject)
            and not shows_as_itself(subject)
        ):
            raise SurveyError(
                "the subject holds only visible characters and spaces (no line break, tab or "
                "invisible character)",
                key="admin.error.subject_characters",
                field="subject",
            )
    for setting in SHOWN_TEXT:
        with refusals.collecting():
            if holds_control(setting_text(values.get(setting))):
                raise SurveyError(
                    f"{setting} holds a control character (a line break, a tab, NUL)",
                    key="admin.error.characters",
                    field=setting,
                )
    with refusals.collecting():
        if values.get("kind", "nps") not in {"nps", "enps"}:
            raise SurveyError("kind must be nps or enps", key="admin.error.kind", field="kind")
    with refusals.collecting():
        if int(values.get("k_min", 5)) < K_LOWEST:
            raise SurveyError(
                f"k must be at least {K_LOWEST}", key="admin.error.k_min", field="k_min"
            )
        if is_given("k_min", given) and int(values.get("k_min", 5)) > K_HIGHEST:
            raise SurveyError(
                f"k can be at most {K_HIGHEST}: a larger k hides almost every group",
                key="admin.error.k_max",
                field="k_min",
                limit=K_HIGHEST,
            )
    with refusals.collecting():
        if int(values.get("window_days", 14)) < 1:
            raise SurveyError(
                "the window must be at least one day", key="admin.error.window", field="window_days"
            )
        if int(values.get("window_days", 14)) > WINDOW_LIMIT:
            raise SurveyError(
                f"a wave can stay open at most {WINDOW_LIMIT} days",
                key="admin.error.window_long",
                field="window_days",
                limit=WINDOW_LIMIT,
            )
    with refusals.collecting():
        # The frequency cap's policy needs one ask at least: 0 would stop every ask
        # with an error instead of asking nobody.
        if int(values.get("cap_max_asks", 2)) < 1:
            raise SurveyError(
                "the cap must allow at least one ask", key="admin.error.cap", field="cap_max_asks"
            )
        if is_given("cap_max_asks", given) and int(values.get("cap_max_asks", 2)) > CAP_LIMIT:
            raise SurveyError(
                f"the cap can allow at most {CAP_LIMIT} asks a year",
                key="admin.error.cap_many",
                field="cap_max_asks",
                limit=CAP_LIMIT,
            )
    with refusals.collecting():
        if int(values.get("reminders", 2)) < 0:
            raise SurveyError(
                "reminders cannot be negative", key="admin.error.reminders", field="reminders"
            )
        if is_given("reminders", given) and int(values.get("reminders", 2)) > REMINDERS_LIMIT:
            raise SurveyError(
                f"a wave can send each person at most {REMINDERS_LIMIT} reminders",
                key="admin.error.reminders_many",
                field="reminders",
                limit=REMINDERS_LIMIT,
            )
    with refusals.collecting():
        if values.get("locale", "en") not in SUPPORTED:
            choices = ", ".join(SUPPORTED)
            raise SurveyError(
                f"locale must be one of {choices}",
                key="admin.error.locale",
                field="locale",
                choices=choices,
            )
    with refusals.collecting():
        if values.get("status", SurveyState.ACTIVE) not in set(SurveyState):
            choices = ", ".join(SurveyState)
            raise SurveyError(
                f"status must be one of {choices}", key="admin.error.status", choices=choices
            )
    check_wave_settings(values, given=given, platform=platform, refusals=refusals)
    with refusals.collecting():
        try:
            questions = drivers_from_json(values.get("drivers", []))
            if is_given("drivers", given):
                hidden_label(questions)
        except DriverError as error:
            raise driver_refusal(error) from error
    refusals.raise_any()
