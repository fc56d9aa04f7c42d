"""Two workspaces in one database: an admin of one never sees, exports or changes the other's.

Both workspaces have the same people (user ids are only unique per workspace) and a survey
of the same default name. Everything the second workspace's admin can run is checked for
any trace of the first: reports with every option, status, the card, home, tokens,
opt-out and forget-me.
"""

from __future__ import annotations

import dataclasses
import json

import pytest
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from bot.domain.people import Person
from bot.report.model import ReportRequest
from bot.runtime.services import Services
from bot.usecases.surveys import SurveySpec, create_survey
from bot.views.common import (
    HomeView,
    Notice,
    ReasonPrompt,
    ReportView,
    ScorePrompt,
    SurveyCard,
    View,
)
from storage.models import Contact, Tenant

ALPHA, BETA = "T0ALPHA01", "T0BETA001"
SHARED_USER = "U0SAMEID1"


def person(tenant: str, user: str, *, admin: bool = False) -> Person:
    team = "alpha-team" if tenant == ALPHA else "beta-team"
    return Person(
        platform="slack", tenant=tenant, user_id=user, segments={"team": team}, is_admin=admin
    )


async def answer(services: Services, who: Person, score: int, reason: str) -> str:
    """``who`` answers the default survey; returns the reason token."""
    asked = await services.engine.start(who)
    assert isinstance(asked, ScorePrompt)
    prompt = await services.engine.record_score(who, survey_id=asked.survey_id, score=score)
    assert isinstance(prompt, ReasonPrompt)
    await services.engine.record_reason(who, token=prompt.token, reason=reason)
    return prompt.token


def shown(view: View) -> str:
    """Every word a view shows (charts left out: they are drawn from the same figures)."""
    return json.dumps(dataclasses.asdict(view), ensure_ascii=False, default=lambda _png: "")


@pytest.fixture
async def alpha_token(services: Services) -> str:
    """Alpha: nine answers with 'alpha' reasons, and a second survey only Alpha has."""
    token = await answer(services, person(ALPHA, SHARED_USER), 10, "alpha secret reason 0")
    for number in range(1, 9):
        await answer(
            services, person(ALPHA, f"U0A{number:06d}"), 9, f"alpha secret reason {number}"
        )
    await create_survey(
        services.database,
        platform="slack",
        tenant=ALPHA,
        spec=SurveySpec(name="alpha-pulse"),
        now=services.clock(),
        default_locale="en",
    )
    # Beta: eight answers, enough for every part of a report to show.
    for number in range(8):
        await answer(services, person(BETA, f"U0B{number:06d}"), 3 + number % 2, f"beta {number}")
    return token


@pytest.mark.parametrize(
    "request_",
    [
        ReportRequest(),
        ReportRequest(by="team"),
        ReportRequest(period="quarter"),
        ReportRequest(period="month", by="team", quotes=True),
        ReportRequest(survey="default", quotes=True),
    ],
    ids=["plain", "by-team", "quarter", "month-by-team-quotes", "named"],
)
async def test_a_report_shows_only_the_admins_workspace(
    services: Services, alpha_token: str, request_: ReportRequest
) -> None:
    view = await services.engine.report(person(BETA, "U0BADMIN1", admin=True), request_)

    assert isinstance(view, ReportView)
    words = shown(view)
    assert "alpha" not in words
    assert "from 8 answers" in view.headline
    if request_.by:
        assert "beta-team" in words


async def test_another_workspaces_survey_name_is_unknown(
    services: Services, alpha_token: str
) -> None:
    view = await services.engine.report(
        person(BETA, "U0BADMIN1", admin=True), ReportRequest(survey="alpha-pulse")
    )

    assert isinstance(view, Notice)
    assert view.text == services.catalogs.translator("en")("survey.unknown")


async def test_status_card_and_home_speak_of_the_admins_workspace_only(
    services: Services, alpha_token: str
) -> None:
    beta_admin = person(BETA, "U0BADMIN1", admin=True)
    alpha_admin = person(ALPHA, "U0AADMIN1", admin=True)
    t = services.catalogs.translator("en")

    status = await services.engine.survey_status(beta_admin)
    beta_card = await services.engine.survey_card(beta_admin)
    alpha_card = await services.engine.survey_card(alpha_admin)
    home = await services.engine.home(beta_admin)

    assert isinstance(status, ReportView)
    [section] = status.sections
    assert (t("status.answers"), "8") in [(row.label, row.value) for row in section.rows]
    assert isinstance(beta_card, SurveyCard) and isinstance(alpha_card, SurveyCard)
    assert beta_card.survey_id != alpha_card.survey_id
    assert isinstance(home, HomeView) and home.admin_report is not None
    assert "alpha" not in shown(home) and "from 8 answers" in home.admin_report.headline


async def test_ids_and_tokens_of_another_workspace_do_nothing(
    services: Services, alpha_token: str
) -> None:
    t = services.catalogs.translator("en")
    alpha_card = await services.engine.survey_card(person(ALPHA, "U0AADMIN1", admin=True))
    assert isinstance(alpha_card, SurveyCard)
    # The same user id in Beta, holding Alpha's survey id and Alpha's reason token.
    twin = person(BETA, SHARED_USER)

    score = await services.engine.record_score(twin, survey_id=alpha_card.survey_id, score=0)
    reason = await services.engine.record_reason(twin, token=alpha_token, reason="overwritten")
    reopen = await services.engine.reason_prompt(twin, token=alpha_token)

    assert isinstance(score, Notice) and score.text == t("survey.unknown")
    assert isinstance(reason, Notice) and reason.text == t("reason.expired")
    assert isinstance(reopen, Notice) and reopen.text == t("reason.expired")
    alpha_view = await services.engine.report(person(ALPHA, "U0AADMIN1", admin=True))
    assert isinstance(alpha_view, ReportView) and "from 9 answers" in alpha_view.headline


async def test_opt_out_and_forget_me_stay_inside_their_workspace(
    services: Services, alpha_token: str
) -> None:
    twin = person(BETA, SHARED_USER)
    async with services.database.transaction() as session:
        alpha_asks = await _asks(session, ALPHA)

    await services.engine.opt_out(twin)
    alpha_home = await services.engine.home(person(ALPHA, SHARED_USER))
    beta_home = await services.engine.home(twin)
    await services.engine.forget_me(twin)

    assert isinstance(alpha_home, HomeView) and isinstance(beta_home, HomeView)
    assert (alpha_home.opted_out, beta_home.opted_out) == (False, True)
    async with services.database.transaction() as session:
        assert await _asks(session, ALPHA) == alpha_asks


async def _asks(session: AsyncSession, tenant: str) -> list[tuple[str, str]]:
    query = (
        select(col(Contact.respondent_key), col(Contact.asked_on))
        .join(Tenant, col(Tenant.id) == col(Contact.tenant_id))
        .where(col(Tenant.external_id) == tenant)
    )
    return sorted((key, str(day)) for key, day in (await session.execute(query)).all())
