"""Forged custom ids through the real discord.py client: refused, answered, nothing stored.

The bot serves two servers. Alice answered in the first; Dave answered in the second. A
click can carry any custom id a client could send: another server's code (or one the bot
is not in), another server's survey, a score out of range, a token that is not the
clicker's, in a server channel or in the bot's DM.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.discord.client import NpsClient
from adapters.discord.people import tenant_code
from bot.domain.people import Person
from bot.runtime.services import Services
from bot.views.common import ReasonPrompt, ScorePrompt
from tests.adapters.discord.test_survey_card import open_prompt, post_card, score_button
from tests.adapters.discord.world import ALICE, BOB, DAVE, GUILD, OTHER
from tests.doubles.discord_api import DiscordDouble
from tests.doubles.discord_records import CHANNEL_MESSAGE, MODAL, UPDATE_MESSAGE
from tests.support.tables import changed_tables, snapshot

NOT_SERVED = 999_999_999_999_999_999
FUZZ = settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
REASON_ID = re.compile(r"nps:why:[0-9a-z]+:(?P<token>.+)")


@dataclass(frozen=True)
class Seeded:
    survey_id: str
    alice_token: str
    other_survey_id: str
    other_token: str


@pytest.fixture
async def seeded(two_servers: DiscordDouble, services: Services, client: NpsClient) -> Seeded:
    prompt = await open_prompt(two_servers, await post_card(two_servers))
    click = await two_servers.dispatch_interaction(
        two_servers.payloads.button_click(
            score_button(prompt, 3), user=ALICE, guild=GUILD, message=prompt.message
        )
    )
    modal = await click.callback()
    match = REASON_ID.fullmatch(modal.data["custom_id"])
    assert modal.type == MODAL and match is not None
    survey_id = score_button(prompt, 3).split(":")[3]
    dave = Person(platform="discord", tenant=str(OTHER.id), user_id=str(DAVE.id))
    asked = await services.engine.start(dave)
    assert isinstance(asked, ScorePrompt)
    answered = await services.engine.record_score(dave, survey_id=asked.survey_id, score=8)
    assert isinstance(answered, ReasonPrompt)
    return Seeded(
        survey_id=survey_id,
        alice_token=match["token"],
        other_survey_id=asked.survey_id,
        other_token=answered.token,
    )


def codes() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from([tenant_code(str(OTHER.id)), tenant_code(str(NOT_SERVED))]),
        st.integers(0, 36**13 - 1).map(lambda n: tenant_code(str(n))),
    )


def forged_ids(seeded: Seeded) -> st.SearchStrategy[str]:
    """Custom ids that must not act, whoever clicks them and wherever."""
    home = tenant_code(str(GUILD.id))
    surveys = st.sampled_from([seeded.other_survey_id, "00000000-0000-4000-8000-000000000000"])
    tokens = st.one_of(
        st.sampled_from([seeded.other_token, seeded.alice_token[::-1]]),
        st.from_regex(r"[0-9A-Za-z._\-]{1,80}", fullmatch=True),
    )
    return st.one_of(
        st.builds(
            lambda code, survey, score: f"nps:score:{code}:{survey}:{score}",
            st.one_of(codes(), st.just(home)),
            surveys,
            st.integers(0, 99),
        ),
        # Alice's own server and survey, with a score no button has.
        st.integers(11, 99).map(lambda score: f"nps:score:{home}:{seeded.survey_id}:{score}"),
        st.builds(
            lambda code, token: f"nps:why:{code}:{token}", st.one_of(codes(), st.just(home)), tokens
        ),
        codes().map(lambda code: f"nps:stop:{code}"),
        codes().map(lambda code: f"nps:later:{code}"),
        st.just(f"nps:card:{seeded.survey_id}"),
    )


def in_dm_only_when_harmless(custom_id: str) -> bool:
    """In a server channel the clicker's server wins over the custom id, so 'stop' and
    'later' there are honest clicks (they act, for the clicker, in that server)."""
    return not custom_id.startswith(("nps:stop:", "nps:later:"))


@FUZZ
@given(data=st.data())
async def test_forged_custom_ids_are_refused_with_an_answer_and_store_nothing(
    two_servers: DiscordDouble,
    services: Services,
    client: NpsClient,
    seeded: Seeded,
    data: st.DataObject,
) -> None:
    custom_id = data.draw(forged_ids(seeded), label="custom id")
    in_server = in_dm_only_when_harmless(custom_id) and data.draw(st.booleans(), label="server")
    if custom_id.startswith("nps:card:"):
        in_server = False  # in a server a card click is honest: it starts Alice's own ask
    before = await snapshot(services.database)

    record = await two_servers.dispatch_interaction(
        two_servers.payloads.button_click(custom_id, user=ALICE, guild=GUILD if in_server else None)
    )
    answer = await record.callback()
    if not answer.data.get("content") and answer.type != MODAL:
        answer_text = str((await record.followups.wait_for(0)).body.content)
    else:
        answer_text = str(answer.data.get("content"))

    assert answer.type != MODAL or custom_id.startswith("nps:why:"), custom_id
    if answer.type == MODAL:
        # Opening the reason form stores nothing; submitting it is tested below.
        assert answer.data["custom_id"].endswith(custom_id.rsplit(":", 1)[1])
    else:
        assert answer.type in {CHANNEL_MESSAGE, UPDATE_MESSAGE, 5}
        assert answer_text.strip()
    assert changed_tables(before, await snapshot(services.database)) == {}


@FUZZ
@given(data=st.data())
async def test_forged_reason_forms_are_refused_and_change_nothing(
    two_servers: DiscordDouble,
    services: Services,
    client: NpsClient,
    seeded: Seeded,
    data: st.DataObject,
) -> None:
    home = tenant_code(str(GUILD.id))
    user, code, token = data.draw(
        st.one_of(
            # Bob submits Alice's token; Alice submits Dave's (another server's) token.
            st.just((BOB, home, seeded.alice_token)),
            st.just((ALICE, home, seeded.other_token)),
            st.tuples(st.just(ALICE), codes(), st.just(seeded.alice_token)),
            st.tuples(
                st.sampled_from([ALICE, BOB]),
                st.just(home),
                st.from_regex(r"[0-9A-Za-z._\-]{1,80}", fullmatch=True),
            ),
        ),
        label="submitter, server code, token",
    )
    # Alice's own token is only foreign in a DM naming another server: in her server's
    # channel the server is hers whatever the custom id says, and her reason is honest.
    own = (user, token) == (ALICE, seeded.alice_token)
    in_server = not own and data.draw(st.booleans(), label="server")
    reason = data.draw(st.text(max_size=50), label="reason")
    before = await snapshot(services.database)

    record = await two_servers.dispatch_interaction(
        two_servers.payloads.modal_submit(
            f"nps:why:{code}:{token}",
            values={"reason": reason},
            user=user,
            guild=GUILD if in_server else None,
        )
    )
    answer = await record.callback()

    assert answer.type == CHANNEL_MESSAGE and answer.message.ephemeral
    assert str(answer.message.content).strip()
    assert changed_tables(before, await snapshot(services.database)) == {}


async def test_a_dm_click_for_a_server_the_clicker_is_not_in_is_refused(
    two_servers: DiscordDouble, services: Services, client: NpsClient, seeded: Seeded
) -> None:
    """Alice is not in the second server; its real survey id in a DM button changes nothing."""
    before = await snapshot(services.database)
    forged = f"nps:score:{tenant_code(str(OTHER.id))}:{seeded.other_survey_id}:9"

    record = await two_servers.dispatch_interaction(
        two_servers.payloads.button_click(forged, user=ALICE)
    )
    answer = await record.callback()

    t = services.catalogs.translator("en")
    assert answer.type == CHANNEL_MESSAGE and answer.message.ephemeral
    assert answer.message.content == t("safety.unknown_server")
    assert changed_tables(before, await snapshot(services.database)) == {}


async def test_a_dm_click_for_a_server_the_clicker_is_in_still_works(
    two_servers: DiscordDouble, services: Services, client: NpsClient, seeded: Seeded
) -> None:
    """Bob is in both servers: the second server's DM prompt takes his score."""
    honest = f"nps:score:{tenant_code(str(OTHER.id))}:{seeded.other_survey_id}:9"

    record = await two_servers.dispatch_interaction(
        two_servers.payloads.button_click(honest, user=BOB)
    )

    assert (await record.callback()).type == MODAL
