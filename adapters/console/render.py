"""Plain-text rendering of engine and survey administration views for a terminal."""

from __future__ import annotations

from bot.views.actions import ActionForm, ActionFormErrors
from bot.views.admin import AdminView, DeleteConfirmation, FormErrors, SurveyForm
from bot.views.common import (
    DriverPrompt,
    HomeView,
    Notice,
    ReasonPrompt,
    ReportView,
    ScorePrompt,
    SurveyCard,
    Tone,
)
from bot.views.replies import RepliesView

_MARKS = {Tone.INFO: "", Tone.SUCCESS: "✓ ", Tone.WARNING: "! ", Tone.ERROR: "✗ "}


def render(view: AdminView | RepliesView) -> str:
    """The text a terminal shows for ``view``."""
    if isinstance(view, RepliesView):
        return _render_replies(view)
    if isinstance(view, SurveyForm):
        return _render_form(view)
    if isinstance(view, DeleteConfirmation):
        return "\n".join([_MARKS[Tone.WARNING] + view.question, f"  {view.typed}"])
    if isinstance(view, ActionForm):
        return _render_action_form(view)
    if isinstance(view, FormErrors | ActionFormErrors):
        # Each reason after the option it is about, as the admin typed it.
        return "\n".join(_MARKS[Tone.ERROR] + reason for reason in view.typed())
    if isinstance(view, ScorePrompt):
        scale = " ".join(str(score) for score in view.scale)
        return "\n".join(
            [
                *([view.follow_up] if view.follow_up else []),
                view.question,
                f"  [{scale}]   {view.low_label} · {view.high_label}",
                f"  {view.notice}",
                view.input_hint,
            ]
        )
    if isinstance(view, ReasonPrompt):
        return "\n".join([view.recorded, view.prompt, f"  {view.skip_hint}"])
    if isinstance(view, DriverPrompt):
        return _render_drivers(view)
    if isinstance(view, Notice):
        return _MARKS[view.tone] + view.text
    if isinstance(view, SurveyCard):
        heard = [view.follow_up] if view.follow_up else []
        return "\n".join([view.title, *heard, view.question, f"  {view.notice}"])
    if isinstance(view, HomeView):
        parts = [view.title, view.status_text, *filter(None, [view.replies_notice]), view.privacy]
        if view.admin_report is not None:
            parts += ["", _render_report(view.admin_report)]
        return "\n".join(parts)
    return _render_report(view)


def _render_drivers(view: DriverPrompt) -> str:
    """What was saved, the intro (the first time), then the next driver, or the thanks
    once no driver is left."""
    lines = [view.recorded] if view.recorded else []
    if view.intro:
        lines.append(f"{view.intro}  ({view.low_label} · {view.high_label})")
    if view.drivers:
        lines.append(f"  {view.drivers[0].label} ({view.input_hint})")
    else:
        lines.append(view.finished)
    return "\n".join(lines)


def _render_replies(view: RepliesView) -> str:
    """The thread, each message after who wrote it, its further lines indented so that
    no text can pass for another message (the text is inert already: no control
    characters); then how to answer or close while it is open."""
    lines = [view.title, view.intro]
    lines.extend(f"  {line.who}: " + line.text.replace("\n", "\n      ") for line in view.lines)
    if view.open and view.typed_hint:
        lines.append(view.typed_hint)
    return "\n".join(lines)


def _render_form(form: SurveyForm) -> str:
    """Each setting as ``label (--name): value``, its choices and hint, then how to save
    by typing."""
    lines = [form.title]
    for item in form.fields:
        lines.append(f"  {item.label} (--{item.setting.value}): {item.value}".rstrip())
        if item.choices:
            lines.append("      " + " | ".join(choice.value for choice in item.choices))
        if item.hint:
            lines.append(f"      {item.hint}")
    lines.append(form.typed)
    return "\n".join(lines)


def _render_action_form(form: ActionForm) -> str:
    """Each field as ``label (--name): value`` with its choices, then how to type it."""
    lines = [form.title]
    for item in form.inputs:
        lines.append(f"  {item.label} (--{item.field.value}): {item.value}".rstrip())
        if item.choices:
            lines.append("      " + " | ".join(choice.value for choice in item.choices))
    lines.append(form.typed)
    return "\n".join(lines)


def _render_report(view: ReportView) -> str:
    lines = [view.title, view.headline]
    for section in view.sections:
        lines.append("")
        lines.append(section.title)
        width = max((len(row.label) for row in section.rows), default=0)
        lines.extend(f"  {row.label.ljust(width)}  {row.value}" for row in section.rows)
        lines.extend(f"  {note}" for note in section.notes)
    return "\n".join(lines)
