"""Short threads read line by line (issue 11, thirty-seventh round: 60 seen JuliaLang threads of one to five replies and
10 R Contributors threads): the answer a short thread ends on is shown even when it is only code (a run of code
blocks and links, the asker's own code credited to whoever gave it), a prose answer that starts with a tool's name is
no pasted command, a verdict posted alone is shown with the reason after it, and "There was a solution to this: …"
closes its asker's question (docs/evals.md, thirty-seventh round)."""

from __future__ import annotations

from pathlib import Path

from bot.evals.rouge_sets import rendered_text
from bot.evals.sections import load_thread
from bot.summaries.structure import is_noise, open_questions, outcome
from bot.summaries.summarize import summarize
from tests.test_thread_endings import _conv


def test_a_run_of_links_and_code_blocks_answers_as_its_first_code() -> None:
    conv = _conv(
        ("Andrew", "Hi everyone\nHow can i go about converting a string time into a time format ,the format is this way "
                   "`11:54AM`\ntried this but does not work `convert.(Time,myCol)` but definitely not correct."),
        ("Paulito", "https://docs.julialang.org/en/v1/stdlib/Dates/"),
        ("Paulito", "https://github.com/JuliaLang/julia/pull/32308"),
        ("Paulito", '```Time("11:54AM",dateformat"I:MMp")```'),
        ("Paulito", '``` Time("11:54PM",dateformat"I:MMp")```'),
    )
    ended = outcome(conv)
    assert ended is not None and ended.messages == (0, 3)
    assert ended.text.startswith("How can i go about converting") and ended.reply == '`Time("11:54AM",dateformat"I:MMp")`'


def test_a_run_that_says_something_in_words_is_not_a_code_answer() -> None:
    conv = _conv(
        ("Andrew", "How can i go about converting a string time into a time format?"),
        ("Paulito", "You want a dateformat with the AM/PM letter, the docs have an example of it"),
        ("Paulito", '```Time("11:54AM",dateformat"I:MMp")```'),
        ("Paulito", '```Time("11:54PM",dateformat"I:MMp")```'),
    )
    ended = outcome(conv)
    assert ended is not None and ended.reply != '`Time("11:54AM",dateformat"I:MMp")`'


def test_the_askers_code_credited_to_someone_is_the_answer_and_closes_the_question() -> None:
    conv = _conv(
        ("Nick", "is there a version of `repeat` for specifying the length of output you want? e.g. some function `foo` "
                 "with behaviour like `foo(1:3, length=5) == [1, 2, 3, 1, 2]` ?\nI feel like `Iterators.cycle` and "
                 "`randcycle` are related functionality but also don't quite provide this :slightly_smiling_face:"),
        ("Nick", "`collect(Iterators.take(Iterators.cycle(1:3), 5))`\n(thanks, @oxinabox!)"),
    )
    ended = outcome(conv)
    assert ended is not None and ended.messages == (0, 1)
    assert ended.text == "is there a version of `repeat` for specifying the length of output you want?"
    assert ended.reply == "`collect(Iterators.take(Iterators.cycle(1:3), 5))` (thanks, @oxinabox!)"
    assert open_questions(conv) == []


def test_more_code_without_a_credit_is_not_an_answer() -> None:
    conv = _conv(
        ("Peter J", "Implemented a simple agent based SIR model, any low hanging fruit I am missing?"
                    "\n```function agents_step!(u_next,u)\n    u_next .= u\nend```"),
        ("Peter J", "here is the rest:\n```using LightGraphs\nfunction get_graph()\n    return LightGraphs.grid([5,5])\nend```"),
    )
    assert [item.text for item in open_questions(conv)] == ["Implemented a simple agent based SIR model, any low hanging "
                                                            "fruit I am missing?"]


def test_prose_that_opens_on_a_tools_name_is_no_pasted_command() -> None:
    assert not is_noise("make the destination `AsTable` i.e. `:Antigen => tst_done => AsTable`")
    assert not is_noise("Make it a state and set it's value directly, i.e. equality or derivative = 0")
    assert is_noise("make install prefix=/opt/R")
    assert is_noise("git checkout -b fix/typo")


def test_a_verdict_posted_alone_is_shown_with_its_reason() -> None:
    conv = _conv(
        ("gregorykimmel", "I want users to set compartments with sizes <1 to 0. Is it safe to do this within the function "
                          "`myModel(du,u,pars,t)`?"),
        ("chrisrackauckas", "that is definitely not safe."),
        ("chrisrackauckas", "A callback is probably required to handle it properly, as otherwise this introduces "
                            "discontinuities into the dynamics which are irreversible."),
        ("gregorykimmel", "Ok. That is what I figured. Thanks."),
    )
    ended = outcome(conv)
    assert ended is not None and ended.text.startswith("that is definitely not safe. A callback is probably required")
    assert ended.messages[:2] == (1, 2)


def test_a_bare_name_before_another_option_is_no_verdict() -> None:
    conv = _conv(
        ("George", "Is there a way to have colored axis labels?"),
        ("Julius", "xlabelcolor and ylabelcolor"),
        ("Julius", "A callback on the axis would also work if you want them to change later on in the plot"),
    )
    ended = outcome(conv)
    assert ended is not None and not ended.text.startswith("xlabelcolor")


def test_there_was_a_solution_closes_the_askers_question() -> None:
    conv = _conv(
        ("mschauer", "What are ways the mousepad controls 3d scenes? I can zoom in-out and I have a way of rotating, "
                     "but this seems to miss a degree of freedom"),
        ("mschauer", "There was a solution to this: To `center=true` so the cat rotates around a point in it’s center"),
    )
    assert open_questions(conv) == []
    ended = outcome(conv)
    assert ended is not None and ended.text.startswith("There was a solution to this")


def test_the_real_short_threads_end_on_their_answers(shared_data: Path) -> None:
    cases = {  # (channel_id, thread_ts): what "Where it ended" shows of the answer
        ("C674VR0HH", "1614427948.096100"): 'Paulito: `Time("11:54AM",dateformat"I:MMp")`',
        ("C6A044SQH", "1610463092.373500"): "Nick: `collect(Iterators.take(Iterators.cycle(1:3), 5))` (thanks, @oxinabox!)",
        ("C674VR0HH", "1611369869.033900"): "make the destination `AsTable`",
    }
    for (channel_id, thread_ts), answer in cases.items():
        messages = load_thread(shared_data, "julialang", channel_id, thread_ts)
        [ended] = [line for line in rendered_text(summarize(messages, provider=None, max_points=5), messages).splitlines()
                   if line.startswith("**Where it ended:**")]
        assert answer in ended, (thread_ts, ended)
