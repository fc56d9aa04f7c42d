"""Stored actions as views, in the person's words: the list and the add/update form."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from bot.domain.actions import ActionStatus, is_overdue
from bot.domain.drivers import drivers_from_json
from bot.i18n import Translator
from bot.views.actions import ActionChoice, ActionField, ActionForm, ActionInput
from bot.views.common import ReportRow, ReportSection, ReportView
from storage.models import Survey
from storage.plan_models import ActionPlan


def about(t: Translator, action: ActionPlan) -> str:
    """What the action answers: a theme, a driver, or the survey as a whole."""
    if action.theme:
        return t("actions.about.theme", theme=action.theme)
    if action.driver:
        return t("actions.about.driver", driver=action.driver)
    return t("actions.about.survey")


def action_row(t: Translator, action: ActionPlan, *, today: date) -> ReportRow:
    """One action as a line: number and title, then owner, due date, status, subject."""
    status = t(f"actions.status.{action.status}")
    if is_overdue(ActionStatus(action.status), action.due_on, today=today):
        status = t("actions.overdue", status=status)
    value = t(
        "actions.list.row",
        owner=action.owner,
        due=t.date(action.due_on),
        status=status,
        about=about(t, action),
    )
    if action.note:
        value = f"{value}\n{action.note}"
    return ReportRow(label=f"#{action.number} {action.title}", value=value)


def action_list(
    t: Translator, survey: str, actions: Sequence[ActionPlan], *, today: date
) -> ReportView:
    """The survey's actions, each with its status (overdue ones say so)."""
    rows = tuple(action_row(t, action, today=today) for action in actions)
    return ReportView(
        title=t("actions.list.title", survey=survey),
        headline=t.plural("actions.list.count", len(rows)) if rows else t("actions.none"),
        sections=(ReportSection(title=t("actions.list.section"), rows=rows),) if rows else (),
    )


def overdue_section(t: Translator, actions: Sequence[ActionPlan], *, today: date) -> ReportSection:
    """The digest's list of open actions past their due date."""
    return ReportSection(
        title=t("actions.digest.overdue"),
        rows=tuple(action_row(t, action, today=today) for action in actions),
    )


def action_form(t: Translator, survey: Survey, current: ActionPlan | None) -> ActionForm:
    """The blank add form, or ``current``'s update form filled in. Themes are typed (a
    theme is whatever the report names); drivers are picked from the survey's own."""
    statuses = tuple(
        ActionChoice(status.value, t(f"actions.status.{status.value}")) for status in ActionStatus
    )
    drivers = tuple(
        ActionChoice(driver.key, driver.label) for driver in drivers_from_json(survey.drivers)
    )
    inputs = (
        ActionInput(ActionField.TITLE, t("actions.field.title"), _now(current, "title")),
        ActionInput(
            ActionField.OWNER,
            t("actions.field.owner"),
            _now(current, "owner"),
            hint=t("actions.hint.owner"),
        ),
        ActionInput(
            ActionField.DUE,
            t("actions.field.due"),
            current.due_on.isoformat() if current else "",
            hint=t("actions.hint.due"),
        ),
        ActionInput(
            ActionField.STATUS,
            t("actions.field.status"),
            current.status if current else ActionStatus.PLANNED.value,
            choices=statuses,
        ),
        ActionInput(
            ActionField.THEME,
            t("actions.field.theme"),
            _now(current, "theme"),
            hint=t("actions.hint.theme"),
            optional=True,
        ),
        ActionInput(
            ActionField.DRIVER,
            t("actions.field.driver"),
            _now(current, "driver"),
            optional=True,
            choices=drivers,
        ),
        ActionInput(
            ActionField.NOTE, t("actions.field.note"), _now(current, "note"), optional=True
        ),
    )
    if current is None:
        return ActionForm(
            title=t("actions.form.add"),
            submit_label=t("actions.form.submit"),
            survey=survey.name,
            inputs=inputs,
            typed=t("actions.typed.add", survey=survey.name),
        )
    return ActionForm(
        title=t("actions.form.update", number=current.number),
        submit_label=t("actions.form.submit"),
        survey=survey.name,
        inputs=inputs,
        number=current.number,
        typed=t("actions.typed.update", survey=survey.name, number=current.number),
    )


def _now(current: ActionPlan | None, name: str) -> str:
    """The current value of ``current``'s field ``name`` as text (empty when blank)."""
    value = getattr(current, name, None) if current is not None else None
    return str(value) if value else ""
