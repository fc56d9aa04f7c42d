"""Escaping text for mrkdwn: nothing a respondent writes can ping, link or format."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from adapters.slack.escape import clip, mrkdwn
from adapters.slack.render import report_blocks
from bot.views.common import ChannelMention, ReportRow, ReportSection, ReportView

WORD_JOINER = "\u2060"


@given(st.text())
def test_escaped_text_has_no_control_characters_of_mrkdwn(text: str) -> None:
    escaped = mrkdwn(text)

    assert not set(escaped) & set("<>*_~`")
    # Every "&" left starts one of the three entities Slack decodes.
    assert escaped.count("&") == sum(escaped.count(e) for e in ("&amp;", "&lt;", "&gt;"))


@given(st.text())
def test_escaping_keeps_the_words_readable(text: str) -> None:
    decoded = (
        mrkdwn(text)
        .replace(WORD_JOINER, "")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
    )

    assert len(decoded) == len(text)
    assert all(a == b for a, b in zip(decoded, text, strict=True) if a not in "∗ˍ∼ˋ")


def test_mentions_links_and_broadcasts_are_neutralised() -> None:
    escaped = mrkdwn("<!channel> @here <@U123> <#C1> <https://evil|click> *b* _i_ ~s~ `c`")

    for dangerous in ("<!", "<@", "<#", "<http", "@here", "*b*", "_i_", "~s~", "`c`"):
        assert dangerous not in escaped
    assert "&lt;!channel&gt;" in escaped


@given(st.text(), st.integers(min_value=1, max_value=50))
def test_clip_respects_the_limit_and_keeps_short_text(text: str, limit: int) -> None:
    clipped = clip(text, limit)

    assert len(clipped) <= limit
    assert clipped == text or (len(text) > limit and clipped.endswith("…"))


def test_a_row_names_only_a_real_channel_id_as_a_mention() -> None:
    def field(channel: str) -> dict[str, object]:
        row = ReportRow("Digest", f"channel {channel}", mention=ChannelMention(channel, lead="*x*"))
        view = ReportView(title="t", headline="h", sections=(ReportSection("", rows=(row,)),))
        [block] = [b for b in report_blocks(view) if getattr(b, "fields", None)]
        return block.fields[0].to_dict()

    assert field("C0DIGEST1") == {
        "type": "mrkdwn",
        "text": "Digest\n∗x∗ <#C0DIGEST1>",
        "verbatim": True,
    }
    hostile = field("C0<!here>")
    assert hostile["type"] == "plain_text" and "<#" not in str(hostile["text"])
