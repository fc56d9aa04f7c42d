"""The "you said, we did" lines are shown by every adapter, and shown inert: Slack puts
them in plain text (never parsed), Discord escapes them, the console prints them."""

from __future__ import annotations

from adapters.console.render import render
from adapters.discord.escape import escape_text
from adapters.discord.render import card_embed, score_prompt_embed
from adapters.slack.render import score_prompt_blocks, survey_card_blocks
from bot.views.actions import ActionChoice, ActionField, ActionForm, ActionFormErrors, ActionInput
from bot.views.common import ScorePrompt, SurveyCard

HOSTILE = "You said: <!channel> @everyone [pay](https://x.example) <@U123>."


def prompt(follow_up: str) -> ScorePrompt:
    return ScorePrompt(
        survey_id="s",
        question="Q?",
        low_label="lo",
        high_label="hi",
        notice="N",
        not_now_label="later",
        stop_label="stop",
        input_hint="0-10",
        follow_up=follow_up,
    )


def card(follow_up: str) -> SurveyCard:
    return SurveyCard(
        survey_id="s",
        title="Card",
        question="Q?",
        notice="N",
        button_label="B",
        follow_up=follow_up,
    )


def test_slack_shows_the_lines_first_as_plain_text() -> None:
    [first, *_] = [block.to_dict() for block in score_prompt_blocks(prompt(HOSTILE))]
    assert first["block_id"] == "follow_up"
    assert first["text"] == {"type": "plain_text", "text": HOSTILE, "emoji": False}
    on_card = [block.to_dict() for block in survey_card_blocks(card(HOSTILE))]
    assert on_card[1]["text"]["type"] == "plain_text" and on_card[1]["text"]["text"] == HOSTILE
    assert next(b.to_dict()["block_id"] for b in score_prompt_blocks(prompt(""))) == "question"


def test_discord_escapes_the_lines() -> None:
    for embed in (score_prompt_embed(prompt(HOSTILE)), card_embed(card(HOSTILE))):
        assert embed.description is not None
        assert escape_text(HOSTILE) in embed.description
        assert "@everyone" not in embed.description and "](https" not in embed.description
    assert "You said" not in (score_prompt_embed(prompt("")).description or "")


def test_the_console_prints_the_lines_and_the_action_form() -> None:
    assert render(prompt("Heard.")).splitlines()[:2] == ["Heard.", "Q?"]
    assert render(card("Heard.")) == "Card\nHeard.\nQ?\n  N"
    form = ActionForm(
        title="Add an action",
        submit_label="Save",
        survey="pulse",
        inputs=(
            ActionInput(ActionField.TITLE, "What", "Buddies"),
            ActionInput(
                ActionField.STATUS, "Status", "planned", choices=(ActionChoice("planned", "p"),)
            ),
        ),
        typed="Or type: /nps actions add pulse …",
    )
    assert render(form).splitlines() == [
        "Add an action",
        "  What (--title): Buddies",
        "  Status (--status): planned",
        "      planned",
        "Or type: /nps actions add pulse …",
    ]
    refused = ActionFormErrors(errors={ActionField.DUE: "The due date has already passed."})
    assert render(refused) == "✗ --due: The due date has already passed."
