"""The Bolt app of distribution mode: Slack's OAuth install flow and a client per workspace.

``/slack/install`` redirects to Slack's authorize page with a state (kept in the
database by slack_sdk's async SQLAlchemy state store, and in a browser cookie);
``/slack/oauth_redirect`` exchanges the code with ``oauth.v2.access`` and saves the
installation through `SealedInstallationStore`. Bolt's authorize step then finds each
request's bot token by its team, and listeners answer through that workspace's
platform. Uninstalling the app, or revoking its bot token, removes the workspace's
tokens and its reach; with ``SLACK_UNINSTALL_DATA=delete`` an uninstall also deletes the
workspace's survey data.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.oauth.async_callback_options import (
    AsyncCallbackOptions,
    AsyncFailureArgs,
    AsyncSuccessArgs,
)
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_bolt.response import BoltResponse
from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import AsyncSQLAlchemyOAuthStateStore

from adapters.slack.app import APP_NAME, register_listeners
from adapters.slack.client import build_client
from adapters.slack.deps import Deps
from adapters.slack.distribution.sealing import TokenSealer
from adapters.slack.distribution.store import SealedInstallationStore
from adapters.slack.people import PLATFORM
from adapters.slack.scopes import BOT_SCOPES
from adapters.slack.settings import SlackSettings
from adapters.slack.startup import bolt_logger
from adapters.slack.workspaces import InstalledWorkspaces
from bot.ports.reach import Reach
from bot.runtime.context import ConfigurationError, Paces, Reaches, Services

log = logging.getLogger(__name__)

# The bot scopes of adapters/slack/manifest.yml, asked for at install.
DEFAULT_SCOPES = BOT_SCOPES
BOLT_LOGGER = "adapters.slack.bolt"
# How long a browser may take from /slack/install back to /slack/oauth_redirect.
STATE_SECONDS = 600


@dataclass(frozen=True)
class Installs:
    """What follows an installation or a removal: the workspace's platform and reach."""

    workspaces: InstalledWorkspaces
    reaches: Reaches | None
    per_second: float
    paces: Paces

    async def connected(self, *, team_id: str, bot_token: str) -> None:
        platform = self.workspaces.connect(team_id=team_id, bot_token=bot_token)
        if self.reaches is not None:
            pace = self.paces.of(platform="slack", tenant=team_id, per_second=self.per_second)
            await self.reaches.connected(
                Reach(platform=platform, tenant=team_id, per_second=self.per_second, pace=pace)
            )

    async def removed(self, team_id: str) -> None:
        self.workspaces.forget(team_id)
        if self.reaches is not None:
            await self.reaches.disconnected(team_id)


@dataclass(frozen=True)
class Distribution:
    """The app, its installation store, and what follows installs and removals."""

    app: AsyncApp
    store: SealedInstallationStore
    installs: Installs

    async def connect_installed(self) -> int:
        """Announce a reach for every installed workspace; returns how many."""
        installed = await self.store.installed_bots()
        for bot in installed:
            await self.installs.connected(team_id=bot.team_id, bot_token=bot.bot_token)
        return len(installed)


def sealed_store(services: Services, settings: SlackSettings) -> SealedInstallationStore:
    """The installation store of this app's client id on the services' database; raises
    `ConfigurationError` for a missing client id or a missing or invalid encryption key."""
    if settings.client_id is None:
        raise ConfigurationError("SLACK_CLIENT_ID is not set")
    key = settings.token_encryption_key
    return SealedInstallationStore(
        AsyncSQLAlchemyInstallationStore(
            client_id=settings.client_id,
            engine=services.database.engine,
            logger=bolt_logger(BOLT_LOGGER),
        ),
        sealer=TokenSealer(key.get_secret_value() if key is not None else None),
    )


def create_distribution_app(
    services: Services,
    settings: SlackSettings,
    *,
    signing_secret: str,
    reaches: Reaches | None,
    per_second: float,
) -> Distribution:
    """The distribution-mode app; raises `ConfigurationError` for a missing or invalid
    ``TOKEN_ENCRYPTION_KEY`` or missing client credentials."""
    if settings.client_id is None or settings.client_secret is None:
        raise ConfigurationError("SLACK_CLIENT_ID and SLACK_CLIENT_SECRET are both required")
    engine = services.database.engine
    bolt_log = bolt_logger(BOLT_LOGGER)
    store = sealed_store(services, settings)
    workspaces = InstalledWorkspaces(
        base_url=settings.api_base_url,
        admin_ids=settings.admin_user_ids,
        labels=settings.label_rules(),
    )
    installs = Installs(
        workspaces=workspaces, reaches=reaches, per_second=per_second, paces=services.paces
    )

    async def installed(args: AsyncSuccessArgs) -> BoltResponse:
        installation = args.installation
        if installation.team_id is not None and installation.bot_token is not None:
            try:
                await installs.connected(
                    team_id=installation.team_id, bot_token=installation.bot_token
                )
            except Exception:
                # The installation is saved: the workspace is reached from the next start.
                log.exception("could not schedule the waves of a new installation")
        return await args.default.success(args)

    async def refused(args: AsyncFailureArgs) -> BoltResponse:
        log.warning("refused a Slack installation: %s", args.reason)
        return await args.default.failure(args)

    oauth = AsyncOAuthSettings(
        client_id=settings.client_id,
        client_secret=settings.client_secret.get_secret_value(),
        scopes=list(settings.scopes or DEFAULT_SCOPES),
        user_scopes=[],
        redirect_uri=settings.redirect_uri,
        install_page_rendering_enabled=False,
        installation_store=store,
        installation_store_bot_only=True,
        state_store=AsyncSQLAlchemyOAuthStateStore(
            expiration_seconds=STATE_SECONDS, engine=engine, logger=bolt_log
        ),
        state_expiration_seconds=STATE_SECONDS,
        callback_options=AsyncCallbackOptions(success=installed, failure=refused),
    )
    app = AsyncApp(
        name=APP_NAME,
        client=build_client(token=None, base_url=settings.api_base_url),
        signing_secret=signing_secret,
        oauth_settings=oauth,
        # Said to someone whose workspace has no installation (uninstalled, revoked).
        user_facing_authorize_error_message=services.catalogs.translator(
            services.settings.default_locale
        )("oauth.not_installed"),
        logger=bolt_log,
    )
    register_listeners(
        app,
        Deps(
            engine=services.engine,
            workspaces=workspaces,
            admin=services.admin,
            commands=services.commands,
            paces=services.paces,
            per_second=per_second,
        ),
    )
    delete_data = settings.uninstall_data == "delete"
    _register_removals(app, services, store, installs, delete_data=delete_data)
    return Distribution(app=app, store=store, installs=installs)


def _register_removals(
    app: AsyncApp,
    services: Services,
    store: SealedInstallationStore,
    installs: Installs,
    *,
    delete_data: bool,
) -> None:
    """``tokens_revoked`` and ``app_uninstalled``: Bolt's own listeners delete the tokens
    from the store; then the workspace's platform and reach go, and its data if
    ``delete_data`` (``SLACK_UNINSTALL_DATA=delete``)."""
    revoke_tokens = app.default_tokens_revoked_event_listener()
    uninstall = app.default_app_uninstalled_event_listener()

    @app.event("tokens_revoked")
    async def tokens_revoked(event: dict[str, Any], context: AsyncBoltContext) -> None:
        await revoke_tokens(event=event, context=context)
        team_id = context.team_id
        if team_id is not None and event.get("tokens", {}).get("bot"):
            # Bolt removes the bot rows only; the installation rows carry a copy of the
            # bot token, and this app uses no other token: the workspace's rows all go.
            await store.async_delete_all(enterprise_id=context.enterprise_id, team_id=team_id)
            # Without a bot token nothing more can be sent there; the data stays until
            # the app is uninstalled (Slack sends app_uninstalled then).
            await installs.removed(team_id)

    @app.event("app_uninstalled")
    async def app_uninstalled(context: AsyncBoltContext) -> None:
        await uninstall(context=context)
        team_id = context.team_id
        if team_id is None:
            return
        await installs.removed(team_id)
        if delete_data:
            await services.removal.delete(platform=PLATFORM, tenant=team_id)
