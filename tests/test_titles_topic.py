"""Offline titles say what the conversation is about, in its own words (bot/titles/topic.py; docs/evals.md,
"Forty-third round"): not the request's words, not keywords in a row."""

from __future__ import annotations

import json
import re
from pathlib import Path

from bot.evals.sections import load_thread
from bot.titles.style import neutral_profile
from bot.titles.text import WORD
from bot.titles.titling import make_title
from bot.titles.topic import REQUEST_WORDS, request_subject, topic_phrase

ROOT = Path(__file__).resolve().parents[1]


def test_a_request_to_summarize_names_no_subject_and_a_question_does() -> None:
    for request in ("<@U0RECAP>", "<@U0RECAP> tl;dr please", "<@U0RECAP> what's the summary?",
                    "<@U0RECAP> can you catch me up on this?", "<@U0RECAP> what was decided?"):
        assert request_subject(request) == "", request
    assert "release freeze" in request_subject("<@U0RECAP> when does the 1.7 release freeze start?")


def test_the_phrase_is_a_run_of_the_openings_words_past_its_greeting() -> None:
    opening = ("Hi, can someone enable buildkite for "
               "<https://github.com/JuliaFolds/FoldsKernelAbstractions.jl|FoldsKernelAbstractions.jl>? (ping @maleadt)")
    assert topic_phrase(opening, words=5) == "enable buildkite for FoldsKernelAbstractions.jl"
    bare = "Hi, can someone enable buildkite for <https://github.com/JuliaFolds/FoldsKernelAbstractions.jl>?"
    assert topic_phrase(bare, words=5) == "enable buildkite for FoldsKernelAbstractions.jl"  # the repository's name
    forum = "see https://discourse.julialang.org/t/saving-plots-with-savefig/5432 for that"
    assert topic_phrase(forum, words=5) == "saving plots with savefig"
    tikz = ("Hey folks.\nI was wondering if there is a way to embed Tikz diagrams in a `Weave.jl` document. "
            "Is this working for anyone?")
    assert "Tikz diagrams" in topic_phrase(tikz, words=5)


def test_a_word_the_thread_comes_back_to_outweighs_one_said_once() -> None:
    opening = "Quick one about the staging deploy: the cache warmup looks broken after the upgrade"
    others = ["the cache warmup job times out", "I restarted the cache warmup", "cache warmup is green now"]
    assert "cache warmup" in topic_phrase(opening, words=3, others=others)
    assert "staging deploy" in topic_phrase(opening, words=3, others=["staging deploy is blocked", "deploy later"])


def test_a_mention_a_repeated_word_and_chatter_never_make_the_phrase() -> None:
    assert "@" not in topic_phrase("thanks @Ana Lopez for the Makie recipe docs update", words=5)
    assert topic_phrase("sorry wow hmm yeah ok", words=5) == ""
    phrase = topic_phrase("What is a command to run tests from a terminal when tests depend on extras", words=5)
    assert phrase.lower().count("tests") <= 1, phrase


def test_a_mention_asking_for_a_summary_is_titled_by_the_thread_not_by_the_request() -> None:
    thread = ["AMER office hour starting in 5 minutes\n• Zoom: https://us02web.zoom.us/j/8542449\n• Etherpad: https://x.org/p",
              "Sorry I missed this. I would've asked lots of questions."]
    title = make_title(["<@U0RECAP> what's the summary?", *thread], style=neutral_profile())
    assert title.startswith("AMER office hour"), title
    asked = make_title(["<@U0RECAP> when does the 1.7 release freeze start?", *thread], style=neutral_profile())
    assert asked.startswith("When does") and "release freeze start" in asked, asked  # the question is its title


def test_real_threads_are_titled_with_their_own_words_never_the_requests(shared_data: Path) -> None:
    """On 60 labelled real threads, asked "@Recap what's the summary?": every word of each title is a word of the
    thread, none is a word of the request, and most titles are a run of one message's words as written."""
    rows = [json.loads(line) for line in (ROOT / "evals" / "sections" / "threads.jsonl").read_text().splitlines()][:60]
    runs = 0
    for row in rows:
        messages = [m for m in load_thread(shared_data, row["source"], row["channel_id"], row["thread_ts"]) if not m.is_bot]
        texts = [m.text for m in messages[:20]]
        title = make_title(["<@U0RECAP> what's the summary?", *texts], style=neutral_profile())
        said = {w.lower() for t in texts for w in WORD.findall(t)}
        words = [w.lower().removesuffix("’s") for w in WORD.findall(title) if w.lower() != "introduction"]
        assert words and all(w in said for w in words), (title, row["thread_ts"])
        assert not {w for w in words if w in REQUEST_WORDS or w in ("what's", "summary")} - said, title
        flat = [" ".join(re.sub(r"[`*_]", "", t).split()).lower() for t in texts[:3]]
        runs += any(title.lower() in t for t in flat)
    assert runs >= 45, runs


def test_a_channels_summary_is_titled_by_the_channel_and_period_in_the_users_casing() -> None:
    from bot.titles.features import StyleFeatures
    from bot.titles.style import StyleProfile

    texts = ["<#C0GEN|general> this week", "Release planning for v2.4: ship the billing migration on Wednesday?"]
    view = "#general, the last 7 days"
    assert make_title(texts, style=neutral_profile(), channel_view=view) == "#general: The last 7 days"
    formal = StyleProfile("formal", StyleFeatures(casing="title", words=6), 5)
    assert make_title(texts, style=formal, channel_view=view) == "#general: The Last 7 Days"
    terse = StyleProfile("terse", StyleFeatures(casing="lower", words=2), 5)
    assert make_title(texts, style=terse, channel_view=view) == "#general"  # the period does not fit: the channel


def test_five_bare_requests_teach_no_title_style() -> None:
    from bot.titles.features import NEUTRAL_FEATURES
    from bot.titles.style import PastConversation, learn_profile

    asked = ["<@U0RECAP> summarize", "<@U0RECAP> tl;dr?", "<@U0RECAP>", "<@U0RECAP> recap pls", "<@U0RECAP> summarize"]
    profile = learn_profile([PastConversation(texts=(text,)) for text in asked])
    assert profile.features == NEUTRAL_FEATURES  # not "all lowercase, about 3 words": a command is not a title
    written = ["staging deploy is slow again", "rotate the api keys today", "ci tests flaky on main",
               "db backup cron failed overnight", "need someone to swap oncall friday"]
    learned = learn_profile([PastConversation(texts=(text,)) for text in written])
    assert learned.features.casing == "lower"  # what they wrote themselves still shows their style


def test_tagged_and_headed_styles_take_the_phrase_after_their_tag() -> None:
    from bot.titles.features import StyleFeatures
    from bot.titles.style import StyleProfile
    from bot.titles.text import MINOR

    thread = ["<@U0RECAP> summarize", "Question for everyone regarding the handling of data and best practices:",
              "I keep my data backed up on a NAS", "the data folder is synced nightly"]
    ticket = StyleProfile("ticket", StyleFeatures(casing="lower", words=4, bracket_prefix=True), 5)
    tagged = make_title(thread, style=ticket)
    assert tagged.startswith("[data] ") and "best practices" in tagged, tagged
    assert tagged.split("] ")[1].split()[0] not in MINOR, tagged  # not "[data] and best practices"
    colon = StyleProfile("colon", StyleFeatures(words=4, separator=": "), 5)
    headed = make_title(thread, style=colon)
    assert headed.startswith("Data: ") and headed.split(": ")[1].split()[0].lower() not in MINOR, headed
