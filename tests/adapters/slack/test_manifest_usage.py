"""The manifest's usage hint, which Slack shows while ``/nps`` is typed, names every word
of the one grammar: a verb missing there is one a Slack user never learns of."""

from __future__ import annotations

import re

from bot.domain.commands import ActionsVerb, ShareAction, SurveyAction, Verb
from tests.doubles.slack_scopes import MANIFEST


def usage_words() -> set[str]:
    (hint,) = re.findall(r'usage_hint: "(.*)"', MANIFEST.read_text())
    return set(re.findall(r"[a-z][a-z-]*", hint))


def test_the_usage_hint_names_every_verb_and_subcommand() -> None:
    words = usage_words()
    grammar = {verb.value for verb in Verb if verb is not Verb.UNKNOWN}
    grammar |= {action.value for action in SurveyAction}
    grammar |= {action.value for action in ShareAction}
    grammar |= {verb.value for verb in ActionsVerb}

    assert grammar - words == set()
