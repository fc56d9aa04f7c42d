"""The installation store: slack_sdk's async SQLAlchemy store, with every token sealed.

`SealedInstallationStore` decorates `AsyncSQLAlchemyInstallationStore`: tokens (bot,
user and their refresh tokens) are sealed before a row is written and opened after it
is read, so the database never holds a token in the clear. The tables are created by
the migrations (revision 0006), never by the store.
"""

from __future__ import annotations

import copy
import logging
from dataclasses import dataclass
from typing import TypeVar

import sqlalchemy as sa
from slack_sdk.oauth.installation_store import Bot, Installation
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore

from adapters.slack.distribution.sealing import TokenSealer

log = logging.getLogger(__name__)

BOT_TOKENS = ("bot_token", "bot_refresh_token")
USER_TOKENS = ("user_token", "user_refresh_token")

Record = TypeVar("Record", Bot, Installation)


@dataclass(frozen=True)
class InstalledBot:
    """A workspace the app is installed in, with its (opened) bot token."""

    team_id: str
    bot_token: str


class SealedInstallationStore(AsyncInstallationStore):
    """An `AsyncInstallationStore` that seals tokens on save and opens them on find.

    Contract: everything the inner store receives carries sealed tokens, everything a
    caller receives carries plain ones. Deletions pass through unchanged.
    """

    def __init__(self, inner: AsyncSQLAlchemyInstallationStore, *, sealer: TokenSealer) -> None:
        self._inner = inner
        self._sealer = sealer

    @property
    def logger(self) -> logging.Logger:
        return self._inner.logger

    async def async_save(self, installation: Installation) -> None:
        # The inner store also saves installation.to_bot(): sealed here, sealed there.
        await self._inner.async_save(self._sealed(installation, BOT_TOKENS + USER_TOKENS))

    async def async_save_bot(self, bot: Bot) -> None:
        await self._inner.async_save_bot(self._sealed(bot, BOT_TOKENS))

    async def async_find_bot(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        is_enterprise_install: bool | None = False,
    ) -> Bot | None:
        bot = await self._inner.async_find_bot(
            enterprise_id=enterprise_id,
            team_id=team_id,
            is_enterprise_install=is_enterprise_install,
        )
        return None if bot is None else self._opened(bot, BOT_TOKENS)

    async def async_find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> Installation | None:
        installation = await self._inner.async_find_installation(
            enterprise_id=enterprise_id,
            team_id=team_id,
            user_id=user_id,
            is_enterprise_install=is_enterprise_install,
        )
        if installation is None:
            return None
        return self._opened(installation, BOT_TOKENS + USER_TOKENS)

    async def async_delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        await self._inner.async_delete_bot(enterprise_id=enterprise_id, team_id=team_id)

    async def async_delete_installation(
        self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None
    ) -> None:
        await self._inner.async_delete_installation(
            enterprise_id=enterprise_id, team_id=team_id, user_id=user_id
        )

    async def installed_bots(self) -> list[InstalledBot]:
        """Every workspace with a bot token, each with its latest token (aggregated in SQL)."""
        bots = self._inner.bots
        query = (
            sa.select(bots.c.enterprise_id, bots.c.team_id)
            .where(
                bots.c.client_id == self._inner.client_id,
                bots.c.team_id.is_not(None),
                bots.c.bot_token.is_not(None),
            )
            .group_by(bots.c.enterprise_id, bots.c.team_id)
        )
        async with self._inner.engine.connect() as connection:
            teams = (await connection.execute(query)).all()
        installed = []
        for enterprise_id, team_id in teams:
            bot = await self.async_find_bot(enterprise_id=enterprise_id, team_id=team_id)
            if bot is not None and bot.bot_token is not None:
                installed.append(InstalledBot(team_id=str(team_id), bot_token=bot.bot_token))
        return installed

    def _sealed(self, record: Record, fields: tuple[str, ...]) -> Record:
        sealed = copy.copy(record)
        for name in fields:
            setattr(sealed, name, self._sealer.seal(getattr(record, name)))
        return sealed

    def _opened(self, record: Record, fields: tuple[str, ...]) -> Record:
        for name in fields:
            setattr(record, name, self._sealer.open(getattr(record, name)))
        return record
