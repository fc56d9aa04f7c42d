"""Respondent text shown again by the bot can never ping, format or link."""

from __future__ import annotations

import re
from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from adapters.discord.escape import escape_text
from adapters.discord.render import home_embed, report_embeds
from bot.views.common import ChannelMention, HomeView, ReportRow, ReportSection, ReportView

INVISIBLE = re.compile("[\u200b\u2060\\\\]")
PIECES = st.sampled_from(
    [
        "@everyone",
        "@here",
        "<@123>",
        "<@!12345678901234567>",
        "<@&12345678901234567>",
        "https://evil.example",
        "http://x.y/z",
        "[x](https://a.b)",
        "**",
        "__",
        "`",
        "> ",
        "#",
        " ",
        "a",
        "日本",
        "\n",
        "<#1>",
        "</nps:1>",
        "<t:1:R>",
        ":",
        "/",
    ]
)


@given(st.lists(PIECES).map("".join))
def test_escaped_text_has_no_mention_no_link_and_no_bare_markdown(text: str) -> None:
    escaped = escape_text(text)
    assert "@everyone" not in escaped and "@here" not in escaped
    assert not re.search(r"<[@#/:]", escaped)
    assert "://" not in escaped
    assert not re.search(r"(?<!\\)(\*\*|__|`)", escaped)


@given(st.text())
def test_escaping_only_adds_invisible_characters_and_backslashes(text: str) -> None:
    assert INVISIBLE.sub("", escape_text(text)) == INVISIBLE.sub("", text)


def test_the_example_from_the_issue() -> None:
    escaped = escape_text("@everyone <@123> https://evil.example")
    assert escaped == "@\u200beveryone <\u200b@123\\> https:\u2060//evil.example"


def test_a_row_names_only_a_real_channel_id_as_a_mention() -> None:
    def line(channel: str) -> str:
        row = ReportRow("Digest", f"channel {channel}", mention=ChannelMention(channel, lead="*x*"))
        view = ReportView(title="t", headline="h", sections=(ReportSection("", rows=(row,)),))
        [embed] = report_embeds(view)
        return str(embed.fields[0].value)

    assert line("123456789012345678") == "Digest: **\\*x\\* <#123456789012345678>**"
    assert "<#" not in line("12<@&1>")


def test_the_home_notice_of_replies_is_escaped_and_placed_after_the_status() -> None:
    home = HomeView(
        title="Home",
        privacy="P",
        opted_out=False,
        status_text="In",
        toggle_label="Stop",
        answer_label="Answer",
        replies_notice="New replies in survey @everyone https://evil.example",
    )
    description = str(home_embed(home).description)
    assert description.startswith("In\n\nNew replies in survey ")
    assert description.endswith("\n\nP")
    assert "@everyone" not in description and "://" not in description
    assert INVISIBLE.sub("", description).count("New replies in survey @everyone") == 1
    assert str(home_embed(replace(home, replies_notice="")).description) == "In\n\nP"
