"""The sealed installation store over the migrated tables, on SQLite and PostgreSQL."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import pytest
from cryptography.fernet import Fernet, InvalidToken
from slack_sdk.oauth.installation_store import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore

from adapters.slack.distribution.sealing import TokenSealer
from adapters.slack.distribution.store import InstalledBot, SealedInstallationStore
from bot.runtime.services import Services
from bot.runtime.settings import ConfigurationError
from tests.storage.test_anonymity import dump_all_text

BOT = "xoxb-1-stored-bot-token-secret-part-1234"
BOT_AGAIN = "xoxb-2-reinstalled-bot-token-secret-5678"
USER = "xoxp-1-installer-user-token-secret-9012"
REFRESH = "xoxe-1-refresh-token-secret-3456"


def store(services: Services, key: str) -> SealedInstallationStore:
    inner = AsyncSQLAlchemyInstallationStore(
        client_id="1111.2222", engine=services.database.engine, logger=logging.getLogger("t")
    )
    return SealedInstallationStore(inner, sealer=TokenSealer(key))


def installation(*, bot_token: str, at: datetime) -> Installation:
    return Installation(
        app_id="A0NPSAPP0",
        enterprise_id=None,
        team_id="T0NPS0001",
        team_name="Team A",
        bot_token=bot_token,
        bot_id="B0NPSBOT0",
        bot_user_id="U0NPSBOT0",
        bot_scopes="commands,chat:write",
        bot_refresh_token=REFRESH,
        user_id="U0INSTALL",
        user_token=USER,
        user_scopes="users:read",
        installed_at=at.timestamp(),
    )


async def test_every_token_is_sealed_at_rest_and_opened_on_find(services: Services) -> None:
    sealed = store(services, Fernet.generate_key().decode())
    await sealed.async_save(installation(bot_token=BOT, at=datetime(2026, 11, 1, tzinfo=UTC)))

    dump = await dump_all_text(services)
    for token in (BOT, USER, REFRESH):
        assert token not in dump
    found = await sealed.async_find_installation(enterprise_id=None, team_id="T0NPS0001")
    assert found is not None
    assert (found.bot_token, found.user_token, found.bot_refresh_token) == (BOT, USER, REFRESH)
    bot = await sealed.async_find_bot(enterprise_id=None, team_id="T0NPS0001")
    assert bot is not None and bot.bot_token == BOT


async def test_the_latest_token_of_each_workspace_is_listed(services: Services) -> None:
    sealed = store(services, Fernet.generate_key().decode())
    await sealed.async_save(installation(bot_token=BOT, at=datetime(2026, 11, 1, tzinfo=UTC)))
    await sealed.async_save(installation(bot_token=BOT_AGAIN, at=datetime(2026, 11, 2, tzinfo=UTC)))

    assert await sealed.installed_bots() == [InstalledBot(team_id="T0NPS0001", bot_token=BOT_AGAIN)]


async def test_tokens_sealed_under_another_key_cannot_be_read(services: Services) -> None:
    await store(services, Fernet.generate_key().decode()).async_save(
        installation(bot_token=BOT, at=datetime(2026, 11, 1, tzinfo=UTC))
    )

    with pytest.raises(InvalidToken):
        await store(services, Fernet.generate_key().decode()).async_find_bot(
            enterprise_id=None, team_id="T0NPS0001"
        )


@pytest.mark.parametrize("key", [None, "", "not-a-fernet-key", "c2hvcnQ="])
def test_a_missing_or_malformed_key_is_a_configuration_error(key: str | None) -> None:
    with pytest.raises(ConfigurationError, match="TOKEN_ENCRYPTION_KEY"):
        TokenSealer(key)
