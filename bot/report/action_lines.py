"""The report's "Actions" section: each action, its status, and whether its theme or
driver moved between the last two waves, worded only as far as the test supports."""

from __future__ import annotations

from bot.i18n import Translator
from bot.report.actions import ActionMovement, TrackedAction
from bot.report.model import SurveyReport
from bot.stats.structure import Direction
from bot.views.common import ReportRow, ReportSection


def actions_section(report: SurveyReport, t: Translator) -> ReportSection | None:
    """The section, or None for a survey without actions."""
    if not report.actions:
        return None
    rows = tuple(_row(action, t) for action in report.actions)
    notes = tuple(
        _tracking(action, t) for action in report.actions if action.theme or action.driver
    )
    return ReportSection(title=t("report.actions"), rows=rows, notes=notes)


def _row(action: TrackedAction, t: Translator) -> ReportRow:
    status = t(f"actions.status.{action.status}")
    if action.overdue:
        status = t("actions.overdue", status=status)
    return ReportRow(
        label=f"#{action.number} {action.title}",
        value=t("report.action.row", status=status, due=t.date(action.due)),
    )


def _tracking(action: TrackedAction, t: Translator) -> str:
    if action.movement is None:
        return t(f"report.action.withheld.{action.withheld or 'waves'}", number=action.number)
    return _moved(action, action.movement, t)


def _moved(action: TrackedAction, moved: ActionMovement, t: Translator) -> str:
    before, now = moved.movement.previous, moved.movement.current
    shown: dict[str, str]
    if moved.measure == "theme_share":
        shown = {
            "previous": _percent(before.value),
            "previous_low": _percent(before.low),
            "previous_high": _percent(before.high),
            "current": _percent(now.value),
            "current_low": _percent(now.low),
            "current_high": _percent(now.high),
        }
        key, subject = "report.action.theme", action.theme
    else:
        shown = {
            "previous": f"{before.value:.1f}",
            "previous_low": f"{before.low:.1f}",
            "previous_high": f"{before.high:.1f}",
            "current": f"{now.value:.1f}",
            "current_low": f"{now.low:.1f}",
            "current_high": f"{now.high:.1f}",
        }
        key, subject = "report.action.driver", action.driver
    p_value = moved.movement.p_value
    verdict = _verdict(moved, t) if p_value is not None else t("report.action.flat_untested")
    return t(
        key,
        number=action.number,
        subject=subject,
        previous_wave=moved.previous_wave,
        current_wave=moved.current_wave,
        verdict=verdict,
        **shown,
    )


def _verdict(moved: ActionMovement, t: Translator) -> str:
    p = f"{moved.movement.p_value:.3f}"
    direction = moved.movement.direction
    if direction is Direction.FLAT:
        return t("report.action.flat", p=p)
    kind = "theme" if moved.measure == "theme_share" else "driver"
    return t(f"report.action.{kind}_{direction.value}", p=p)


def _percent(share: float) -> str:
    return str(round(share * 100))
