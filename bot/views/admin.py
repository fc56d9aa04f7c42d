"""What the survey administration use cases show, independent of any platform.

Like :mod:`bot.views.common`, every string is already in the admin's language. Lists and
statuses are plain :class:`bot.views.common.ReportView` values; these are the few shapes only
administration needs: the survey form, a form's refusals, and a delete confirmation.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from bot.views.actions import ActionForm, ActionFormErrors
from bot.views.common import View


class Setting(StrEnum):
    """The settings a survey form asks for; adapters name their inputs after these."""

    NAME = "name"
    KIND = "kind"
    SUBJECT = "subject"
    AUDIENCE = "audience"
    AUDIENCE_TARGET = "audience_target"
    CADENCE = "cadence"
    WINDOW_DAYS = "window_days"
    REMINDERS = "reminders"
    DIGEST_CHANNEL = "digest_channel"
    DIGEST_CADENCE = "digest_cadence"
    ALERT_CHANNEL = "alert_channel"
    K_MIN = "k_min"
    TIMEZONE = "timezone"
    LOCALE = "locale"
    DRIVERS = "drivers"


class Audience(StrEnum):
    """Who a survey's waves invite: everyone, a channel's members, a user group or a role."""

    EVERYONE = "everyone"
    CHANNEL = "channel"
    USERGROUP = "usergroup"
    ROLE = "role"


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class FormField:
    """One input of the survey form.

    ``value`` is the current setting as text (empty for a new survey's blank inputs);
    ``choices`` is non-empty for a pick-one input; ``low``/``high`` bound a number.
    """

    setting: Setting
    label: str
    value: str = ""
    hint: str = ""
    optional: bool = False
    choices: tuple[Choice, ...] = ()
    low: int | None = None
    high: int | None = None


@dataclass(frozen=True)
class SurveyForm:
    """The create/edit form. ``editing`` names the survey being edited (None: a new one);
    an edit form has no name or kind input, as neither can change.

    ``typed`` says how to give the settings as ``/nps survey …`` text instead, for
    platforms that show no forms.
    """

    title: str
    submit_label: str
    fields: tuple[FormField, ...]
    editing: str | None = None
    typed: str = ""

    def field(self, setting: Setting) -> FormField | None:
        return next((item for item in self.fields if item.setting is setting), None)


@dataclass(frozen=True)
class FormErrors:
    """A form refused: the reason for each setting at fault; nothing was stored.

    ``text`` says the same in one message, for platforms that cannot show a reason
    next to its input.
    """

    errors: Mapping[Setting, str] = field(default_factory=dict)
    text: str = ""

    def typed(self) -> tuple[str, ...]:
        """Each reason after the option it is about (``--k_min: …``), as a typed command
        names it, for a refusal of typed settings; ``text`` when no setting is named."""
        return tuple(f"--{setting.value}: {text}" for setting, text in self.errors.items()) or (
            self.text,
        )


@dataclass(frozen=True)
class DeleteConfirmation:
    """Ask before deleting ``survey``: the answer buttons carry its name back.

    ``typed`` says how to confirm by typing instead, for platforms without buttons.
    """

    survey: str
    title: str
    question: str
    confirm_label: str
    cancel_label: str
    typed: str = ""


AdminView = View | SurveyForm | FormErrors | DeleteConfirmation | ActionForm | ActionFormErrors
