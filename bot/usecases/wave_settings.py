"""The survey settings a wave or a digest acts on, checked when they are given: the time
zone, the two cadences, the audience and the channels (part of
:func:`bot.usecases.survey_settings.validate`, which collects every refusal together).

Each is checked for what the wave or the digest would later do with it, so the admin
hears of a fault when typing the setting, not weeks later when it fires.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
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
from bot.domain.errors import Refusals, SurveyError
from bot.domain.inputs import holds_control

CADENCE_LIMIT = 120
"""The longest cadence, in characters, as its column holds it: a longer one failed the
insert on PostgreSQL."""
TIMEZONE_LIMIT = 64
"""The longest time zone name, as its column holds it (IANA's longest has 30)."""


def is_given(setting: str, given: Collection[str] | None) -> bool:
    """Whether a request sets ``setting`` (``given`` None: a new survey sets every one)."""
    return given is None or setting in given


def setting_text(value: object) -> str:
    """A setting's text: a mapping (the audience) by its keys and values."""
    if isinstance(value, Mapping):
        return "".join(f"{key}{item}" for key, item in value.items())
    return "" if value is None else str(value)


def check_wave_settings(
    values: Mapping[str, Any], *, given: Collection[str] | None, platform: str, refusals: Refusals
) -> None:
    """Collect into ``refusals`` the faults of a survey's time zone, cadences, audience
    and channels (a survey of ``platform``; ``given`` as for ``validate``)."""
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
                    setting, values.get(setting), timezone=timezone, given=is_given(setting, given)
                )
    if is_given("audience", given) and not holds_control(setting_text(values.get("audience"))):
        with refusals.collecting():
            _check_audience(values.get("audience") or {}, platform=platform)
    for setting in ("digest_channel", "alert_channel"):
        channel = values.get(setting)
        with refusals.collecting():
            if (
                is_given(setting, given)
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
