"""Telling discord.py's wait for an open prompt to expire from work in flight.

discord.py keeps one task per view or modal it holds (an ephemeral prompt is held for
15 minutes, the reason form for ``MODAL_MEMORY_SECONDS``) that only sleeps until the view
expires. It is no interaction in progress, so a graceful stop must not wait for it. The
task has no name and discord.py offers no hook to tell it apart, so it is recognised by
the code object of its coroutine: a private method of discord.py's ``BaseView``. A test
checks that the method is found, so an upgrade that renames it fails loudly rather than
making every stop wait out the grace period again.
"""

from __future__ import annotations

from collections.abc import Coroutine
from types import CodeType
from typing import Any

from discord.ui.view import BaseView


def _expiry_code() -> CodeType | None:
    method = getattr(BaseView, "_BaseView__timeout_task_impl", None)
    code = getattr(method, "__code__", None)
    return code if isinstance(code, CodeType) else None


VIEW_EXPIRY_CODE = _expiry_code()
"""The code of discord.py's wait for a view to expire (None if discord.py changed it)."""


def waits_for_a_view_to_expire(coro: Coroutine[Any, Any, Any]) -> bool:
    """True for the coroutine of discord.py's wait for an open view or modal to expire."""
    return VIEW_EXPIRY_CODE is not None and getattr(coro, "cr_code", None) is VIEW_EXPIRY_CODE
