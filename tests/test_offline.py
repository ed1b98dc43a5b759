"""The offline extractive summarizer and language detection."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from bot.lang import CJK_CHAR, detect_language, is_cjk, language_label, script_language
from bot.models import Message, Summary
from bot.summaries.extractive import (
    rank_sentences,
    split_sentences,
    summarize_offline,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "llm"


def load_thread(name: str) -> list[Message]:
    data = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
    return [Message(channel_id=data["channel_id"], **m) for m in data["messages"]]


def source_text(messages: list[Message]) -> str:
    return "\n".join(m.text for m in messages if not m.is_bot)


def assert_cited_and_verbatim(summary: Summary, messages: list[Message]) -> None:
    by_ts = {m.ts: m for m in messages}
    assert summary.all_points(), "no points at all"
    for point in summary.all_points():
        assert point.source_ts, point
        # extractive: a slice of one message it cites (the outcome may cite an answer and the reply confirming it, or
        # end on the last word it cites: "… — bob: Should we also notify …?", each part a slice of its own message)
        said, _, last_word = point.text.partition(" — ")
        assert any(said in by_ts[ts].text for ts in point.source_ts), point
        assert not last_word or last_word.partition(": ")[2] in by_ts[point.source_ts[-1]].text, point
        assert point is summary.outcome or len(point.source_ts) == 1 or point.owner, point
        assert not any(by_ts[ts].is_bot for ts in point.source_ts)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We meet at 7:00 p.m. tomorrow, e.g. in room 4. Ship v1.2.3 now!",
         ["We meet at 7:00 p.m. tomorrow, e.g. in room 4.", "Ship v1.2.3 now!"]),
        ("See https://x.example.com/a.b?c=1. Ok?", ["See https://x.example.com/a.b?c=1.", "Ok?"]),
        ("Mr. J. Smith agrees.\nNext line", ["Mr. J. Smith agrees.", "Next line"]),
        ("我们决定周五发布。谁负责测试？我来！", ["我们决定周五发布。", "谁负责测试？", "我来！"]),
        ("金曜日にリリースします。担当は誰ですか？", ["金曜日にリリースします。", "担当は誰ですか？"]),
        # never cut inside brackets, after "(e.g." or at "!" inside a name; code and quotes left out
        ("See the guide (e.g. the Windows part. Or the FAQ) first. Then build.",
         ["See the guide (e.g. the Windows part. Or the FAQ) first.", "Then build."]),
        ("I met her at useR! 2021 in Zurich. Great talk!", ["I met her at useR! 2021 in Zurich.", "Great talk!"]),
        ("Fails with:\n```make: *** [all] Error 2\nexit 1```\n> quoted reply\nAny idea?", ["Fails with:", "Any idea?"]),
        # hard-wrapped e-mail lines are joined
        ("The meeting moves to\nthursday at noon, as agreed\nby the board.\nNew point.",
         ["The meeting moves to thursday at noon, as agreed by the board.", "New point."]),
        # chat drops the full stop after a link: a capitalised clause after it starts a new sentence
        ("I get `KeyError` error; full stacktrace: https://pastebin.com/Eq7quYZT Anyone has an idea what is happening?",
         ["I get `KeyError` error; full stacktrace: https://pastebin.com/Eq7quYZT", "Anyone has an idea what is happening?"]),
        ("use https://github.com/JuliaPlots/Plots.jl for that", ["use https://github.com/JuliaPlots/Plots.jl for that"]),
        ("see https://julialang.org Julia", ["see https://julialang.org Julia"]),
    ],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


@pytest.mark.parametrize(
    ("texts", "code"),
    [
        (["Hello team, we decided to ship on Friday after the review.", "ok"], "en"),
        (["我们决定周五发布新版本。", "好的"], "zh"),
        (["金曜日にリリースすることに決定しました。", "了解"], "ja"),
        (["회의는 내일 오후 세 시에 시작합니다"], "ko"),
        (["Wir haben beschlossen, die Version am Freitag zu veröffentlichen.", "ok"], "de"),
        (["Decidimos lanzar la versión el viernes por la tarde.", "vale"], "es"),
        ([], "en"),
        (["ok", ":+1:", "https://example.com"], "en"),
    ],
)
def test_detect_language(texts: list[str], code: str) -> None:
    assert detect_language(texts) == code


def test_detect_language_is_weighted_by_length() -> None:
    texts = ["ok", "thanks", "+1", "Wir haben nach langer Diskussion beschlossen, die neue Version am Freitag "
             "zu veröffentlichen und die alte Kasse hinter einem Schalter zu behalten."]
    assert detect_language(texts) == "de"


def test_an_announcement_in_three_languages_does_not_turn_an_english_thread_spanish() -> None:
    announcement = (
        "Hi everyone! The regional conference will host a translation sprint for Portuguese and Spanish on Saturday "
        "morning, sign up below.\n\n--\n\nOlá pessoal! A conferência regional vai ter uma maratona de tradução para "
        "português e espanhol no sábado de manhã, inscrevam-se abaixo.\n\n--\n\n¡Hola a todos! La conferencia "
        "regional tendrá una maratón de traducción al portugués y al español el sábado por la mañana, inscríbanse abajo.")
    reply = "Awesome, I just registered, it is quite early for me on a Saturday but I will be there!"
    assert detect_language([announcement, reply]) == "en"  # each paragraph votes for its own language
    assert detect_language([announcement.replace("Hi everyone! The regional", "Hi! The"), "¡Genial, me apunto!",
                            "Me parece muy buena idea, allí estaré el sábado por la mañana con mi portátil."]) == "es"


def test_a_real_english_channel_week_with_a_trilingual_announcement_has_english_headings(shared_data: Path) -> None:
    """#core-translation, 2022-W40 of the R Contributors export: a hackathon announced in English, Portuguese and
    Spanish, and English replies. Its digest had said "Cómo terminó" and "Puntos clave" between English lines."""
    from bot.digests.cli import build_channel
    from bot.periods import iso_week
    from bot.slack.export import ExportReader

    digest, _, _ = build_channel(ExportReader(shared_data / "slack-export-rcontrib"), None, "core-translation",
                                 iso_week("2022-W40"))
    assert digest.summary is not None and digest.summary.language == "en"


def test_english_thread_sections_and_citations() -> None:
    messages = load_thread("release_thread")
    summary = summarize_offline(messages)
    assert (summary.provider, summary.model, summary.offline, summary.language) == ("offline", "extractive", True, "en")
    assert summary.message_count == 7  # the bot message is ignored
    assert_cited_and_verbatim(summary, messages)

    [decision] = summary.decisions
    assert "decided to ship v2.4.0 on Friday" in decision.text
    assert decision.source_ts == ["1714557720.000300"]

    owners = {p.owner for p in summary.action_items}
    assert owners == {"@dave"}  # asked by @alice, then "I'll …" by dave himself
    assert any("release notes" in p.text for p in summary.action_items)

    [question] = summary.open_questions
    assert "notify the support team" in question.text
    assert question.source_ts == ["1714557900.000600"]

    key_text = " ".join(p.text for p in summary.key_points)
    assert "7:00 PM UTC" in key_text and "$1,250.00" in key_text  # facts verbatim
    assert summary.overview and len(summary.overview.split()) <= 31


def test_no_invented_url_or_name_and_bot_ignored() -> None:
    messages = load_thread("release_thread")
    summary = summarize_offline(messages)
    everything = " ".join([summary.overview, *(p.text for p in summary.all_points())])
    source = source_text(messages)
    for url in re.findall(r"https?://\S+", everything):
        assert url.rstrip(".") in source
    for name in re.findall(r"@\w+", everything + " " + " ".join(p.owner or "" for p in summary.all_points())):
        assert name[1:] in source or name[1:] in {m.user_name for m in messages if not m.is_bot}
    assert "evil.example.net" not in everything and "@mallory" not in everything


def test_answered_question_is_not_open() -> None:
    messages = [
        Message("C1", "1.0", "U1", "ann", "Which region should host the new database cluster?"),
        Message("C1", "2.0", "U2", "ben", "Yes, eu-west-1 is the region, the database cluster goes there."),
        Message("C1", "3.0", "U1", "ann", "Who is going to review the Terraform changes for the cluster?"),
    ]
    summary = summarize_offline(messages)
    assert [p.source_ts for p in summary.open_questions] == [["3.0"]]


def test_chinese_thread() -> None:
    messages = load_thread("zh_thread")
    summary = summarize_offline(messages)
    assert summary.language == "zh"
    assert_cited_and_verbatim(summary, messages)
    assert any("决定周五发布2.4.0版本" in p.text for p in summary.decisions)
    assert any(p.owner == "@wang" for p in summary.action_items)
    assert [p.text for p in summary.open_questions] == ["客服团队需要提前通知吗？"]
    # Sentences were split at 。！？, so no point spans two sentences.
    assert all(p.text.count("。") <= 1 for p in summary.all_points())
    assert re.search(r"[\u4e00-\u9fff]", summary.overview)


def test_japanese_thread() -> None:
    messages = load_thread("ja_thread")
    summary = summarize_offline(messages)
    assert summary.language == "ja"
    assert_cited_and_verbatim(summary, messages)
    assert any("決定しました" in p.text for p in summary.decisions)
    assert any(p.owner == "@suzuki" for p in summary.action_items)
    assert any("誰がしますか" in p.text for p in summary.open_questions)
    assert "午後7時" in " ".join(p.text for p in summary.key_points)


def test_question_answering_cites_the_answer() -> None:
    messages = load_thread("release_thread")
    summary = summarize_offline(messages, question="When is the launch scheduled?")
    assert summary.answer and "Friday at 7:00 PM UTC" in summary.answer
    assert "1714557600.000100" in {ts for p in summary.key_points for ts in p.source_ts}
    assert_cited_and_verbatim(summary, messages)


def test_question_without_answer_says_so() -> None:
    messages = load_thread("release_thread")
    summary = summarize_offline(messages, question="xylophone zebra quokka")
    assert summary.answer == "No message in this conversation seems to answer that."
    assert summary.key_points == []


def test_max_points_and_max_words() -> None:
    messages = load_thread("release_thread")
    assert all(len(getattr(summarize_offline(messages, max_points=1), s)) <= 1
               for s in ("key_points", "decisions", "action_items", "open_questions"))
    short = summarize_offline(messages, max_words=25)
    words = sum(len(p.text.split()) for p in short.all_points())
    assert 0 < words <= 25 + 20  # the best point is kept whole even when it alone passes the budget


def test_empty_and_bot_only() -> None:
    summary = summarize_offline([Message("C1", "1.0", "B1", "bot", "build passed", is_bot=True)])
    assert summary.message_count == 0 and summary.all_points() == [] and summary.overview


def test_ranking_is_deterministic() -> None:
    messages = load_thread("release_thread")
    assert [s.text for s in rank_sentences(messages)] == [s.text for s in rank_sentences(messages)]


def test_cjk_ranges_and_language_helpers() -> None:
    assert all(is_cjk(ch) for ch in "汉字かなカナ한국ㅋ") and not any(is_cjk(ch) for ch in "aé1 ,。")
    assert CJK_CHAR.sub("", "Launch 发布 ローンチ 출시") == "Launch   "
    assert [script_language(t) for t in ("周五发布", "金曜日にリリース", "금요일 출시", "ship it")] == ["zh", "ja", "ko", None]
    assert language_label("zh") == "Chinese (zh)" and language_label("xx") == "xx"
    assert detect_language([]) == detect_language(["", "ok", None]) == "en"  # type: ignore[list-item]


def test_a_few_words_keep_the_default_language() -> None:
    # a one-line thread's few Latin letters say too little ("Profile test failure" was detected as French, and its
    # summary labelled "Sujet"); a sentence more is enough, and a script still tells on its own
    assert detect_language(["Profile test failure"]) == detect_language(["Plutonians ;)"]) == "en"
    assert detect_language(["Profile test failure", "Le test échoue depuis hier soir sur la machine de build"]) == "fr"
    assert detect_language(["Wann ist das nächste Treffen der Gruppe?"]) == "de"
    assert detect_language(["周五发布"]) == "zh"


@pytest.mark.realdata
def test_beats_lead3_on_a_dialogsum_sample(shared_data: Path) -> None:
    """A quick guard, not the eval: ROUGE-1 above Lead-3 on 20 DialogSum dialogues at equal length."""
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(["rouge1"], use_stemmer=True)
    lines = (shared_data / "dialogsum" / "dialogsum.dev.jsonl").read_text(encoding="utf-8").splitlines()[:20]
    mine = lead = 0.0
    for line in lines:
        record = json.loads(line)
        messages = []
        for i, turn in enumerate(record["dialogue"].split("\n")):
            speaker, _, text = turn.partition(": ")
            messages.append(Message("C1", f"{1000 + i}.0", None, speaker, text))
        summary = summarize_offline(messages, max_points=10, max_words=len(record["summary"].split()))
        ours = " ".join(p.text for p in summary.all_points())
        budget = len(ours.split())
        lead_words = " ".join(s for m in messages for s in split_sentences(m.text)).split()[:budget]
        mine += scorer.score(record["summary"], ours)["rouge1"].fmeasure
        lead += scorer.score(record["summary"], " ".join(lead_words))["rouge1"].fmeasure
    assert mine > lead


def test_ranking_uses_stemmed_words_and_favours_the_opening() -> None:
    messages = [
        Message("C1", "1.0", "U1", "ann", "We need to migrate the billing database to Postgres this quarter."),
        Message("C1", "2.0", "U2", "ben", "lol nice weather today everyone"),
        Message("C1", "3.0", "U3", "cat", "Migrating billing databases is risky, so plan the migration."),
        Message("C1", "4.0", "U2", "ben", "ok"),
        Message("C1", "5.0", "U1", "ann", "The billing database migration starts Monday."),
    ]
    ranked = rank_sentences(messages)
    # "migrate/migrating/migration" and "database/databases" share stems: the on-topic sentences lead.
    assert ranked[0].text.startswith("We need to migrate")
    assert {s.text for s in ranked[-2:]} == {"lol nice weather today everyone", "ok"}


def test_answered_question_can_be_a_key_point() -> None:
    messages = [
        Message("C1", "1.0", "U1", "ann", "Do you believe in UFOs and aliens from outer space?"),
        Message("C1", "2.0", "U2", "ben", "Of course, I see UFOs and aliens in my dreams every night."),
    ]
    summary = summarize_offline(messages)
    assert summary.open_questions == []
    assert [p.source_ts for p in summary.key_points] == [["1.0"]]  # the question names the topic
    assert summary.outcome is not None and summary.outcome.source_ts == ["2.0"]  # the answer is where it ended


def _thread(*turns: tuple[str, str]) -> list[Message]:
    """A thread of ``(user, text)`` turns, ``ts`` 1.0, 2.0, …"""
    return [Message("C1", f"{i + 1}.0", f"U{user}", user, text, thread_ts="1.0") for i, (user, text) in enumerate(turns)]


def test_a_question_about_how_a_thread_ended_is_answered_with_where_it_ended() -> None:
    messages = _thread(
        ("aidan", "Building R from source on my M1 mac fails: configure says the liblzma library and headers are required."),
        ("mikael", "Which liblzma did you install, and where did configure look for the liblzma headers?"),
        ("aidan", "I installed xz with brew, the liblzma error is the same whatever I try."),
        ("mikael", "Use the recipes build system to install xz into /opt/R/arm64, configure finds it there."),
        ("aidan", "Thanks, installing xz with the recipes into /opt/R/arm64 worked, configure passes now."),
    )
    summary = summarize_offline(messages, question="what fixed the liblzma error?")
    assert summary.answer == "mikael: Use the recipes build system to install xz into /opt/R/arm64, configure finds it there."
    cited = {ts for p in summary.key_points for ts in p.source_ts}
    assert {"4.0", "5.0"} <= cited  # the fix and its confirmation
    assert_cited_and_verbatim(summary, messages)


def test_an_answer_says_who_said_it() -> None:
    messages = load_thread("release_thread")
    summary = summarize_offline(messages, question="When is the launch scheduled?")
    names = {m.user_name for m in messages}
    assert summary.answer and any(summary.answer.startswith(f"{name}: ") for name in names)


def test_an_answer_given_in_several_messages_is_answered_whole() -> None:
    messages = _thread(
        ("aidan", "Building R from the GitHub mirror fails with 'not an svn checkout' on my M1 mac."),
        ("mikael", "With that mirror you can run the build-r-macos.sh script from its README instead."),
        ("mikael", "It was written for Intel Macs though, so edit the /usr/local paths to /opt/homebrew first."),
        ("aidan", "thanks! That worked, I've got everything running now."),
    )
    summary = summarize_offline(messages, question="what fixed it in the end?")
    assert summary.answer == ("mikael: With that mirror you can run the build-r-macos.sh script from its README instead. "
                              "It was written for Intel Macs though, so edit the /usr/local paths to /opt/homebrew first.")
    assert {"2.0", "3.0", "4.0"} <= {ts for p in summary.key_points for ts in p.source_ts}
    assert_cited_and_verbatim(summary, messages)


def test_a_fix_reported_over_two_messages_ends_the_thread_with_its_fullest_report() -> None:
    """One author's resolutions in a row are one report; thanks for the readers' patience thank nobody's answer."""
    messages = _thread(
        ("greg", "@mike the automated rebase of the base R repo hit a git conflict and needs a manual merge, can you look?"),
        ("mike", "Taking a look now, though I may need help finding an editor inside the docker image."),
        ("greg", "Most of the work is easier outside docker, and feel free to install any tool you need there."),
        ("mike", "I am travelling this week but can work slowly, the merge conflicts come first."),
        ("joan", "Should translators wait until the conflicts are resolved before going on?"),
        ("greg", "Yes, most components are locked until then, sorry about that."),
        ("greg", "The conflicts have been fixed and the components are unlocked again, so everyone can go on "
                 "translating -- sorry it took so long, and thanks for your patience!"),
        ("greg", "A few errors crept in during the manual merge, fixed those as well."),
        ("mike", "Thanks a ton, sorry I could not be the backup this time."),
    )
    summary = summarize_offline(messages)
    assert summary.outcome is not None
    assert summary.outcome.text.startswith("The conflicts have been fixed") and summary.outcome.source_ts == ["7.0"]
    answered = summarize_offline(messages, question="who fixed the conflicts?")
    assert answered.answer is not None and answered.answer.startswith("greg: ")
    assert "The conflicts have been fixed" in answered.answer


def test_where_it_ended_is_never_a_bare_link() -> None:
    messages = _thread(
        ("jo", "Why does unclass() keep the matrix class on an integer vector with a dim attribute?"),
        ("mi", "There is no class attribute to remove on a matrix, the class is implicit from the dim attribute."),
        ("lu", "R 4.0.0 made matrix objects inherit from class array as well, see the NEWS file of that release."),
        ("jo", "Really odd\nhttps://cran.r-project.org/doc/manuals/r-devel/NEWS.html\n\n> `class(m) <- class(m)` no "
               "longer changes a matrix by adding a class attribute."),
    )
    summary = summarize_offline(messages)
    assert summary.outcome is not None
    assert "http" not in summary.outcome.text and "class array" in summary.outcome.text


def test_a_reaction_that_sounds_good_gives_way_to_what_it_reacts_to() -> None:
    messages = _thread(
        ("ann", "I need to stop ordering takeaway every night, it is making me feel sluggish all week."),
        ("ben", "I cook a big tray of roasted vegetables and chicken on Sundays and eat from it until Wednesday."),
        ("ann", "I guess that does sound a lot healthier."),
    )
    summary = summarize_offline(messages)
    assert summary.outcome is not None and summary.outcome.source_ts[0] == "2.0"
    assert "roasted vegetables" in summary.outcome.text


def test_thanks_early_in_a_long_thread_is_not_where_it_ended() -> None:
    turns = [("duban", "How do I mutate one field of a struct stored in a vector without copying the whole struct?"),
             ("sukera", "Structs are immutable, so you either use a mutable struct or rebuild the element with Setfield."),
             ("duban", "Thanks for your help!")]
    for n in range(40):  # the thread goes on: other ways, benchmarks, compilers
        turns.append(("chris" if n % 2 else "duban",
                      f"Benchmark {n}: the pointer version with simd runs {n + 2} times faster than the Setfield one here."))
    turns.append(("duban", "In the end unsafe_store! through a pointer to the field works, and it vectorizes with ivdep."))
    summary = summarize_offline(_thread(*turns))
    assert summary.outcome is not None and f"{len(turns)}.0" in summary.outcome.source_ts
    assert summary.outcome.text.startswith("In the end unsafe_store! through a pointer")  # a Julia name, no cut


def test_a_short_resolution_that_ends_its_authors_explanation_gives_way_to_the_explanation() -> None:
    messages = _thread(
        ("ayman", "Why does `co.row >= 3 & co.hole >= 3` give a different answer than the same test with `&&`?"),
        ("brian", "That's weird"),
        ("sukera", "check `Meta.@dump` of both expressions to see how they parse"),
        ("sukera", "`&` is bitwise and, which is a well defined operation on integers and binds tighter than `>=`"),
        ("sukera", "the precedence here is expected"),
    )
    summary = summarize_offline(messages)
    assert summary.outcome is not None and summary.outcome.source_ts[0] == "4.0"
    assert summary.outcome.text.startswith("`&` is bitwise and")
