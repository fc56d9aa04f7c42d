"""The survey form: its inputs in the admin's language, and typed values from what was
entered. Pure: no I/O.

Platforms differ only in who an audience can be (a Slack channel or user group, a
Discord role); everything else is the same form on every platform.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.domain.drivers import DriverError, drivers_from_json, format_drivers, parse_drivers
from bot.domain.errors import Refusals, SurveyError, driver_refusal
from bot.domain.surveys import K_HIGHEST, K_LOWEST
from bot.i18n import SUPPORTED, Translator
from bot.views.admin import Audience, Choice, FormField, Setting, SurveyForm
from storage.models import Survey

KINDS = ("enps", "nps")
DEFAULT_AUDIENCE = {"everyone": "yes"}
AUDIENCES: Mapping[str, tuple[Audience, ...]] = {
    "slack": (Audience.EVERYONE, Audience.CHANNEL, Audience.USERGROUP),
    "discord": (Audience.ROLE,),
}
BOUNDS: Mapping[Setting, tuple[int, int]] = {
    Setting.WINDOW_DAYS: (1, 60),
    Setting.REMINDERS: (0, 5),
    Setting.K_MIN: (K_LOWEST, K_HIGHEST),
}
"""What a form accepts for each number; the stored limits (k ≥ 3, …) are inside these."""
OPTIONAL_TEXT = frozenset(
    {Setting.CADENCE, Setting.DIGEST_CHANNEL, Setting.DIGEST_CADENCE, Setting.ALERT_CHANNEL}
)
"""Settings stored as None when left blank (no cadence of its own, no channel)."""

_DEFAULTS: Mapping[Setting, str] = {
    Setting.KIND: "enps",
    Setting.AUDIENCE: Audience.EVERYONE.value,
    Setting.WINDOW_DAYS: "7",
    Setting.REMINDERS: "2",
    Setting.K_MIN: "5",
    Setting.TIMEZONE: "UTC",
}


def audiences(platform: str) -> tuple[Audience, ...]:
    return AUDIENCES.get(platform, (Audience.EVERYONE,))


def survey_form(
    t: Translator, *, platform: str, survey: Survey | None = None, locale: str = "en"
) -> SurveyForm:
    """The form for a new survey, or prefilled with ``survey``'s settings to edit it."""
    current = _current(survey) if survey is not None else {**_DEFAULTS, Setting.LOCALE: locale}

    def number(setting: Setting) -> FormField:
        low, high = BOUNDS[setting]
        return FormField(
            setting,
            t(f"admin.field.{setting.value}"),
            value=current.get(setting, ""),
            hint=t(f"admin.hint.{setting.value}", low=low, high=high),
            low=low,
            high=high,
        )

    def text(setting: Setting, *, optional: bool = False) -> FormField:
        return FormField(
            setting,
            t(f"admin.field.{setting.value}"),
            value=current.get(setting, ""),
            hint=t(f"admin.hint.{setting.value}"),
            optional=optional,
        )

    def pick(setting: Setting, values: tuple[str, ...]) -> FormField:
        choices = tuple(
            Choice(value, t(f"admin.choice.{setting.value}.{value}")) for value in values
        )
        return FormField(
            setting,
            t(f"admin.field.{setting.value}"),
            value=current.get(setting, ""),
            choices=choices,
        )

    fields: tuple[FormField, ...] = (
        text(Setting.NAME),
        pick(Setting.KIND, KINDS),
        text(Setting.SUBJECT, optional=True),
        pick(Setting.AUDIENCE, tuple(kind.value for kind in audiences(platform))),
        text(Setting.AUDIENCE_TARGET, optional=True),
        text(Setting.CADENCE, optional=True),
        number(Setting.WINDOW_DAYS),
        number(Setting.REMINDERS),
        text(Setting.DIGEST_CHANNEL, optional=True),
        text(Setting.DIGEST_CADENCE, optional=True),
        text(Setting.ALERT_CHANNEL, optional=True),
        number(Setting.K_MIN),
        text(Setting.TIMEZONE),
        pick(Setting.LOCALE, SUPPORTED),
        text(Setting.DRIVERS, optional=True),
    )
    if survey is not None:
        # Neither the name nor the kind can change: answers were given to that question.
        fields = tuple(f for f in fields if f.setting not in {Setting.NAME, Setting.KIND})
    return SurveyForm(
        title=t("admin.form.edit_title" if survey else "admin.form.create_title"),
        submit_label=t("admin.form.submit"),
        fields=fields,
        editing=survey.name if survey is not None else None,
        typed=(
            t("admin.form.typed_edit", name=survey.name)
            if survey is not None
            else t("admin.form.typed_create")
        ),
    )


def _current(survey: Survey) -> dict[Setting, str]:
    audience = {str(key): str(value) for key, value in survey.audience.items()}
    kind, target = next(iter(audience.items()), (Audience.EVERYONE.value, ""))
    return {
        Setting.NAME: survey.name,
        Setting.KIND: survey.kind,
        Setting.SUBJECT: survey.subject,
        Setting.AUDIENCE: kind,
        Setting.AUDIENCE_TARGET: "" if kind == Audience.EVERYONE else target,
        Setting.CADENCE: survey.cadence or "",
        Setting.WINDOW_DAYS: str(survey.window_days),
        Setting.REMINDERS: str(survey.reminders),
        Setting.DIGEST_CHANNEL: survey.digest_channel or "",
        Setting.K_MIN: str(survey.k_min),
        Setting.TIMEZONE: survey.timezone,
        Setting.LOCALE: survey.locale,
        Setting.DIGEST_CADENCE: survey.digest_cadence or "",
        Setting.ALERT_CHANNEL: survey.alert_channel or "",
        Setting.DRIVERS: format_drivers(drivers_from_json(survey.drivers or [])),
    }


def settings_from(values: Mapping[Setting, object], *, platform: str) -> dict[str, Any]:
    """Typed survey settings (``Survey`` field names) from what a form carried.

    Only the settings present are returned, so an edit changes only what was given.
    Blank optional text becomes None; drivers (``key=Label, …``) become the stored list,
    blank meaning none. Raises :class:`SurveyError` naming the setting at fault for a
    number that is not a whole number in its bounds, invalid drivers, or an audience
    this platform cannot reach or that lacks its channel, group or role; every setting
    at fault is named at once (:class:`SurveyErrors` when there are several).
    """
    found, refused = read_settings(values, platform=platform)
    refusals = Refusals()
    refusals.errors.extend(refused)
    refusals.raise_any()
    return found


def read_settings(
    values: Mapping[Setting, object], *, platform: str
) -> tuple[dict[str, Any], list[SurveyError]]:
    """The settings :func:`settings_from` reads, and the refusals of the others."""
    found: dict[str, Any] = {}
    refusals = Refusals()
    for setting, raw in values.items():
        if setting in {Setting.AUDIENCE, Setting.AUDIENCE_TARGET}:
            continue
        with refusals.collecting():
            found[setting.value] = _setting(setting, raw)
    if Setting.AUDIENCE in values:
        with refusals.collecting():
            found["audience"] = _audience(values, platform=platform)
    return found, refusals.errors


def _setting(setting: Setting, raw: object) -> Any:
    if setting in BOUNDS:
        return _number(setting, raw)
    if setting in OPTIONAL_TEXT:
        return (str(raw).strip() or None) if raw is not None else None
    if setting is Setting.DRIVERS:
        return _drivers(raw)
    return str(raw if raw is not None else "").strip()


def _drivers(raw: object) -> list[dict[str, str]]:
    try:
        questions = parse_drivers(str(raw if raw is not None else ""))
    except DriverError as error:
        raise driver_refusal(error) from error
    return [question.to_json() for question in questions]


def _number(setting: Setting, raw: object) -> int:
    low, high = BOUNDS[setting]
    try:
        number = int(str(raw).strip())
    except ValueError as error:
        raise SurveyError(
            f"{setting.value} must be a whole number",
            key="admin.error.number",
            field=setting.value,
        ) from error
    if not low <= number <= high:
        raise SurveyError(
            f"{setting.value} must be between {low} and {high}",
            key="admin.error.range",
            field=setting.value,
            low=low,
            high=high,
        )
    return number


def _audience(values: Mapping[Setting, object], *, platform: str) -> dict[str, str]:
    kind = str(values.get(Setting.AUDIENCE) or Audience.EVERYONE.value)
    target = str(values.get(Setting.AUDIENCE_TARGET) or "").strip()
    allowed = {audience.value for audience in audiences(platform)}
    if kind not in allowed:
        raise SurveyError(
            f"the audience must be one of {', '.join(sorted(allowed))}",
            key="admin.error.audience",
            field=Setting.AUDIENCE.value,
        )
    if kind == Audience.EVERYONE:
        return dict(DEFAULT_AUDIENCE)
    if not target:
        raise SurveyError(
            f"a {kind} audience needs the {kind} to invite",
            key=f"admin.error.audience_{kind}",
            field=Setting.AUDIENCE_TARGET.value,
        )
    return {kind: target}
