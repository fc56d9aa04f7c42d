"""A survey's settings as an operator gives them, and the checks every one passes before
anything is written (pure: the survey use cases, :mod:`bot.usecases.surveys`, call them).

Every refusal of one request is raised together (:class:`~bot.domain.errors.SurveyErrors`),
so a form names every fault at once.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.domain.audiences import (
    EVERYONE,
    ID_LIMIT,
    KINDS,
    USERS_LIMIT,
    AudienceFault,
    audience_fault,
    is_platform_id,
)
from bot.domain.cadence import CadenceFault, cadence_fault, survey_trigger
from bot.domain.drivers import DriverError, drivers_from_json
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


def _text_of(value: object) -> str:
    """A setting's text: a mapping (the audience) by its keys and values."""
    if isinstance(value, Mapping):
        return "".join(f"{key}{item}" for key, item in value.items())
    return "" if value is None else str(value)


CADENCE_LIMIT = 120
"""The longest cadence, in characters, as its column holds it: a longer one failed the
insert on PostgreSQL."""
TIMEZONE_LIMIT = 64
"""The longest time zone name, as its column holds it (IANA's longest has 30)."""


def validate_spec(spec: SurveySpec, *, platform: str) -> None:
    """Refuse a new survey's settings, all refusals together (:class:`SurveyErrors`)."""
    validate(values_of(spec), given=None, platform=platform)


def values_of(spec: SurveySpec) -> dict[str, Any]:
    return {
        **spec.__dict__,
        "audience": dict(spec.audience),
        "drivers": [dict(driver) for driver in spec.drivers],
    }


def _given(setting: str, given: Collection[str] | None) -> bool:
    return given is None or setting in given


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
        if _given("subject", given) and not holds_control(subject) and not shows_as_itself(subject):
            raise SurveyError(
                "the subject holds only visible characters and spaces (no line break, tab or "
                "invisible character)",
                key="admin.error.subject_characters",
                field="subject",
            )
    for setting in SHOWN_TEXT:
        with refusals.collecting():
            if holds_control(_text_of(values.get(setting))):
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
        if _given("k_min", given) and int(values.get("k_min", 5)) > K_HIGHEST:
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
        if _given("cap_max_asks", given) and int(values.get("cap_max_asks", 2)) > CAP_LIMIT:
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
        if _given("reminders", given) and int(values.get("reminders", 2)) > REMINDERS_LIMIT:
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
    timezone = str(values.get("timezone", "UTC"))
    with refusals.collecting():
        if len(timezone) > TIMEZONE_LIMIT:  # no zone's name is that long: not echoed back
            raise SurveyError(
                f"a time zone name has at most {TIMEZONE_LIMIT} characters",
                key="admin.error.timezone_long",
                field="timezone",
                limit=TIMEZONE_LIMIT,
            )
        try:
            survey_trigger(None, timezone)
        except (ValueError, KeyError) as error:
            raise SurveyError(
                f"invalid cadence or time zone: {error}",
                key="admin.error.timezone",
                field="timezone",
                timezone=timezone,
            ) from error
    # Cadences are read in the time zone: checked in a refused one, they say nothing new.
    if not any(error.field == "timezone" for error in refusals.errors):
        for setting in ("cadence", "digest_cadence"):
            with refusals.collecting():
                _check_cadence(
                    setting, values.get(setting), timezone=timezone, given=_given(setting, given)
                )
    if _given("audience", given) and not holds_control(_text_of(values.get("audience"))):
        with refusals.collecting():
            _check_audience(values.get("audience") or {}, platform=platform)
    for setting in ("digest_channel", "alert_channel"):
        channel = values.get(setting)
        with refusals.collecting():
            if (
                _given(setting, given)
                and channel
                and not holds_control(str(channel))  # refused above for that
                and not is_platform_id(str(channel))
            ):
                raise SurveyError(
                    f"the {setting.replace('_', ' ')} must be a channel's id (letters and "
                    f"digits, no spaces, at most {ID_LIMIT} characters)",
                    key="admin.error.channel_id",
                    field=setting,
                    limit=ID_LIMIT,
                )
    with refusals.collecting():
        try:
            drivers_from_json(values.get("drivers", []))
        except DriverError as error:
            raise driver_refusal(error) from error
    refusals.raise_any()


_CADENCE_NOUNS = {"cadence": "cadence", "digest_cadence": "digest cadence"}
_CADENCE_FAULTS = {
    CadenceFault.NEVER: ("matches no date", "never"),
    CadenceFault.TOO_OFTEN: ("fires more than once a day: give one time of day", "often"),
}
"""Each fault's English reason, and the end of its catalog key."""


def _check_cadence(setting: str, cadence: object, *, timezone: str, given: bool) -> None:
    """Refuse ``cadence`` (the setting ``setting``) when it is no crontab line, or, when
    it is ``given``, when it matches no date or fires more than once on a day. A digest
    without a cadence is none; a survey without one has the default."""
    if setting == "digest_cadence" and not cadence:
        return
    text = str(cadence) if cadence else None
    noun = _CADENCE_NOUNS[setting]
    if text is not None and len(text) > CADENCE_LIMIT:
        raise SurveyError(
            f"a {noun} has at most {CADENCE_LIMIT} characters",
            key=f"admin.error.{setting}_long",
            field=setting,
            limit=CADENCE_LIMIT,
        )
    try:
        trigger = survey_trigger(text, timezone)
    except (ValueError, KeyError) as error:
        reason = "invalid cadence or time zone" if setting == "cadence" else f"invalid {noun}"
        raise SurveyError(
            f"{reason}: {error}", key=f"admin.error.{setting}", field=setting, cadence=text
        ) from error
    fault = cadence_fault(trigger) if given and text else None
    if fault is not None:
        reason, suffix = _CADENCE_FAULTS[fault]
        raise SurveyError(
            f"the {noun} {text!r} {reason}",
            key=f"admin.error.{setting}_{suffix}",
            field=setting,
            cadence=text,
        )


_AUDIENCE_REASONS = {
    AudienceFault.SHAPE: "an audience is one KIND=TARGET, e.g. everyone=yes or channel=C0123",
    AudienceFault.KIND: "a {platform} survey can invite: {choices}",
    AudienceFault.EVERYONE: "an audience of everyone is written everyone=yes",
    AudienceFault.TARGET: (
        "the audience's {kind} must be given by its id (letters and digits, no spaces, "
        "at most {limit} characters)"
    ),
    AudienceFault.NUMBER: "the audience's {kind} must be given by its numeric id",
    AudienceFault.USERS: "an audience of users can name at most {users} people; use a role",
}


def _check_audience(audience: Mapping[str, str], *, platform: str) -> None:
    """Refuse an audience the survey's platform could not resolve when a wave opens."""
    spec = {str(kind): str(target) for kind, target in audience.items()} or {EVERYONE: "yes"}
    fault = audience_fault(spec, platform=platform)
    if fault is None:
        return
    params: dict[str, object] = {
        "platform": platform,
        "choices": ", ".join(sorted(KINDS.get(platform, ()))),
        "kind": next(iter(spec)),
        "limit": ID_LIMIT,
        "users": USERS_LIMIT,
    }
    raise SurveyError(
        _AUDIENCE_REASONS[fault].format(**params),
        key=f"admin.error.audience_{fault.value}",
        field="audience",
        **params,
    )
