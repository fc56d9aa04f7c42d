"""Views assembled from a survey and the person's language (no I/O)."""

from __future__ import annotations

from bot.domain.inputs import REASON_LIMIT
from bot.domain.nps import category
from bot.i18n import Translator
from bot.views.common import ReasonPrompt, ReportRow, ReportSection, ReportView, ScorePrompt
from storage.models import Survey


def question(t: Translator, survey: Survey) -> str:
    """The recommend question for this survey's kind and subject."""
    kind = "enps" if survey.kind == "enps" else "nps"
    if survey.subject:
        return t(f"score.question.{kind}_subject", subject=survey.subject)
    return t(f"score.question.{kind}")


def kind_name(t: Translator, survey: Survey) -> str:
    """The product term of the survey's kind as the catalog spells it, "eNPS" or "NPS"
    (the stored value upper-cased would read "ENPS")."""
    return t("report.score.enps" if survey.kind == "enps" else "report.score.nps")


def score_prompt(t: Translator, survey: Survey, *, follow_up: str = "") -> ScorePrompt:
    """The 0-10 question of ``survey``; ``follow_up`` is the wave's "you said, we did"."""
    return ScorePrompt(
        survey_id=str(survey.id),
        question=question(t, survey),
        low_label=t("score.low"),
        high_label=t("score.high"),
        notice=t("score.notice"),
        not_now_label=t("score.not_now"),
        stop_label=t("score.stop"),
        input_hint=t("score.input_hint"),
        follow_up=follow_up,
    )


def reason_prompt(t: Translator, *, score: int, token: str) -> ReasonPrompt:
    """The follow-up question that fits the score's category.

    The thanks (``recorded``) names neither the score nor its category: it replaces the
    question in the person's DM, which stays in the workspace's history and exports.
    """
    kind = category(score)
    return ReasonPrompt(
        score=score,
        category=kind,
        recorded=t("score.recorded"),
        title=t("reason.title"),
        prompt=t(f"reason.prompt.{kind.value}"),
        skip_hint=t("reason.skip_hint"),
        add_label=t("reason.add"),
        submit_label=t("reason.submit"),
        limit=REASON_LIMIT,
        token=token,
    )


def status_view(t: Translator, survey: Survey, *, answers: int) -> ReportView:
    """A survey's settings and how many answers it has."""
    cap = t(
        "status.cap_value",
        asks=survey.cap_max_asks,
        days=survey.cap_window_days,
        gap=survey.cap_min_gap_days,
    )
    rows = (
        ReportRow(t("status.kind"), kind_name(t, survey)),
        ReportRow(t("status.state"), t(f"status.state.{survey.status}")),
        ReportRow(t("status.answers"), str(answers)),
        ReportRow(t("status.cap"), cap),
        ReportRow(t("status.k"), str(survey.k_min)),
    )
    return ReportView(
        title=t("status.title", survey=survey.name),
        headline=question(t, survey),
        sections=(ReportSection(title="", rows=rows),),
    )
