"""Key points a reader found cut or leaning (issue 11, thirty-second round): a ternary ``a ? b : a`` is no question's
end, a sentence its message ends on one short line of code shows that code, a lead-in's code shows its call (the package
load before it aside), "something like this work?" shows what "this" is, emoji codes before a point's words are left
out, and a reply that only says it has no idea is no key point."""

from __future__ import annotations

from bot.evals.rouge_sets import rendered_text
from bot.summaries.extractive import summarize_offline
from bot.summaries.ranking import trim_sentence
from bot.summaries.sentences import split_sentences
from bot.summaries.structure import code_gist, says_no_answer
from tests.test_asker_closes import _messages


def _shown(*turns: tuple[str, str]) -> str:
    messages = _messages(*turns)
    return rendered_text(summarize_offline(messages), messages)


def test_a_ternary_in_prose_is_not_a_question_end() -> None:
    said = "Yes, a && b is equivalent to a ? b : a, and so that one doesn't require the evaluation of b. Also known as short circuiting"
    assert split_sentences(said) == ["Yes, a && b is equivalent to a ? b : a, and so that one doesn't require the evaluation of b.",
                                     "Also known as short circuiting"]
    assert split_sentences("Is it? yes : no. Really?") == ["Is it?", "yes : no.", "Really?"]  # ("?" right after a word)
    shown = _shown(("affans", "Is there any difference between `&` and `&&` in a condition like `t >= a && t <= b`?"),
                   ("jakni", said), ("affans", "Thanks, that makes sense"))
    assert "b : a, and so" not in shown.replace("a ? b : a, and so", "")  # never cut after the "?"


def test_a_sentence_before_one_short_line_of_code_shows_it() -> None:
    shown = _shown(("affans", "Does anyone know why this error pops up using a simple `if` statement? It says the condition is `Nothing`."),
                   ("affans", "The problem is the `H(...)` part. The definition of `H` is very simple\n```H(x) = x <= 0 ? 0 : 1 ```"),
                   ("affans", "so it always returns an integer, so where is the `Nothing` coming from"),
                   ("affans", "Oh nevermind, it wasn't my `if` statement, but something downstream in the ODE package."))
    assert "The definition of `H` is very simple `H(x) = x <= 0 ? 0 : 1`" in shown
    longer = _shown(("affans", "Does anyone know why this error pops up using a simple `if` statement? It says the condition is `Nothing`."),
                    ("affans", "The problem is the `H(...)` part. The definition of `H` is very simple\n```function H(x)\n    x <= 0 ? 0 : 1\nend```"),
                    ("affans", "Oh nevermind, it wasn't my `if` statement, but something downstream in the ODE package."))
    assert "very simple `function H(x)" not in longer  # a block of several lines is not one short line


def test_a_lead_in_shows_its_call_without_the_package_load() -> None:
    code = '```import pandas as pd\ndf = pd.read_json("gs://bucket/file.json.gz", lines=True)```'
    assert code_gist(code) == '`df = pd.read_json("gs://bucket/file.json.gz", lines=True)`'
    assert code_gist("```using CRC\ncrc32 = crc(CRC_32);\ncrc32(data)```") == "`crc32(data)`"  # (as before)
    shown = _shown(("sa-", f"Is anyone interested in code golf here? I'm trying to translate this python program into the "
                           f"smallest julia program possible:\n{code}"),
                   ("Sukera", "I doubt you're going to get it as short as the pandas version, simply because all that fancyness "
                              "isn't part of DataFrames itself"),
                   ("sa-", "Fair enough, thank you"))
    assert 'the smallest julia program possible: `df = pd.read_json("gs://bucket/file.json.gz", lines=True)`' in shown


def test_something_like_this_work_shows_what_this_is() -> None:
    shown = _shown(("Kipton", "What's the most idiomatic way to make something like this work?\n```f(x) = (x, x+1)\n\nn = 10\n"
                              "t1 = zeros(Float64, n)\nt2 = zeros(Float64, n)\n\n@. (t1, t2) = f(randn(n))```"),
                   ("mose", "I think a for loop, unfortunately. There is an issue about broadcast of functions returning tuples"),
                   ("Kipton", "Thanks!"))
    assert "make something like this work? `f(x) = (x, x+1)`" in shown


def test_emoji_codes_before_a_points_words_are_left_out() -> None:
    assert trim_sentence(":slightly_smiling_face: I twice tried to ask a question") == "I twice tried to ask a question"
    assert trim_sentence(":point_up_2::skin-tone-2:This was promoting our demo") == "This was promoting our demo"
    assert trim_sentence(":today-i-learned: that I can include a figure") == ":today-i-learned: that I can include a figure"
    assert trim_sentence(":+1:") == ":+1:"  # (nothing else to show)
    shown = _shown(("Ari", "Metahelp!? :slightly_smiling_face: I twice tried to ask a question which included copy-pasting a "
                           "piece of code. In both cases this Slack client just cleared this message box. Why?"),
                   ("fredrikekre", "Perhaps you exceeded the message length limit? Questions with longer code snippets might "
                                   "be easier to ask on discourse"),
                   ("Ari", "I believe it was just one line, unless I had made some mistake in copying."))
    assert "Ari: I twice tried to ask a question" in shown and ": :slightly_smiling_face:" not in shown


def test_a_reply_with_no_idea_is_no_key_point() -> None:
    assert says_no_answer("No idea, I was also wondering about that")
    assert says_no_answer("Sorry, I don't know either")
    assert not says_no_answer("No idea, but try `@code_warntype` on it")  # it says something after all
    assert not says_no_answer("I don't know of a package that does this, you'd write the loop yourself")  # (eleven words)
    shown = _shown(("piever", "There is a nice example of generic matmul in KernelAbstractions https://github.com/JuliaGPU/"
                              "KernelAbstractions.jl/blob/master/examples/performant_matmul.jl"),
                   ("GiggleLiu", "For 2048 x 2048 matrix multiplication, it gives a remarkable performance."),
                   ("GiggleLiu", "BTW: what is the negative sign before the `zero` in the kernel for?"),
                   ("piever", "No idea, I was also wondering about that"),
                   ("lcw", "`-0.0` is the additive identity for floating point numbers. This lets the compiler optimize "
                           "away the zero in the initial increment I guess."))
    assert "No idea, I was also wondering" not in shown and "remarkable performance" in shown


def test_a_hard_wrapped_line_that_stops_on_and_goes_on_whatever_its_case() -> None:
    said = ("@Tuan Vo Welcome.\nJulia main differential equations group morphered into SciML, but they still working hard "
            "on many ODEs and\nPDEs. You should check they materials. https://sciml.ai/")
    assert ("Julia main differential equations group morphered into SciML, but they still working hard on many ODEs and "
            "PDEs.") in split_sentences(said)
    assert split_sentences("the elegant way I was looking for\nTHNX - my Q got answered") == [
        "the elegant way I was looking for", "THNX - my Q got answered"]  # (a preposition may end a chat sentence)


def test_an_answer_that_is_only_code_is_shown_with_the_question() -> None:
    shown = _shown(("jacobusmmsmit", "is it possible to use `mergewith(+)` over an array of `Dict` ?"),
                   ("Moelf", "```julia> a\nDict{Symbol, Int64} with 2 entries:\n  :a => 3\n\njulia> reduce(mergewith(+), [a,a])\n"
                             "Dict{Symbol, Int64} with 2 entries:\n  :a => 6```"),
                   ("jacobusmmsmit", "thank you"),
                   ("jacobusmmsmit", "As a followup, sorry if this is simple but what should `init` be in this case?"),
                   ("jacobusmmsmit", "I did find an alternative solution through splatting, but it has the same problem:\n"
                                     "```mergewith(+)([a,a,a,a,a]...)```"),
                   ("jacobusmmsmit", "Solved: the problem was in the construction of the dictionaries themselves."))
    assert "over an array of `Dict` ? — Moelf: `reduce(mergewith(+), [a,a])`" in shown
    assert code_gist("```julia> a = [1 2; 3 4; 5 6]\n3×2 Array{Int64,2}:\n 1  2\n\njulia> vcat(a,[7 8])\n4×2 Array```") == "`vcat(a,[7 8])`"
    assert code_gist("```test=np.array( [[1,2], [3,4], [5,6] ])\nzz = [0,1,0]\ntest[range(len(test)), zz ]```") == (
        "`test[range(len(test)), zz ]`")  # (nested brackets are set-up data too)


def test_an_answer_that_runs_on_into_its_code_shows_it() -> None:
    shown = _shown(("Oliver", "When hacking Julia Base, how do I disable the system image so I don't have to recompile it all "
                              "the time? Or is that the wrong workflow?"),
                   ("mose", "if you don't have a huge amount of changes, I suggest doing\n```@eval Base begin\n....\nend```"),
                   ("Oliver", "Oh sure. I meant more when prepping a Julia PR, so I like to actually change the source files."),
                   ("fredrikekre", "You can use Revise"),
                   ("Oliver", "Thanks - this is for https://github.com/JuliaLang/julia/pull/40025, I constantly need to "
                              "restart Julia there (since it's about Julia startup), so Revise won't help in this special "
                              "case.\n\nIsn't there a way to run without sysimg?"))
    assert "— mose: if you don't have a huge amount of changes, I suggest doing `@eval Base begin; ....; end`" in shown


def test_code_that_answers_last_is_where_it_ended() -> None:
    ask = ("Hrishikesh", "I am using a package JuAFEM to do 2D analysis of a simple mesh. I want to use the addfaceset "
                         "function to create a faceset on the left corner but the addfaceset function does not support the "
                         "&& operator.")
    shown = _shown(ask, ("fredrikekre", '```addfaceset!(grid, "topleft", x -> (abs(x[2]) ≈ 5.0 && abs(x[1]) ≈ 0.0))```'))
    assert '— fredrikekre: `addfaceset!(grid, "topleft", x -> (abs(x[2]) ≈ 5.0 && abs(x[1]) ≈ 0.0))`' in shown
    assert "No one else has replied" not in shown
    own = _shown(ask, ("Hrishikesh", '```addfaceset!(grid, "topleft", x -> x[1] ≈ 0.0)```'))
    assert "— Hrishikesh: `addfaceset!" not in own  # (the asker's own code answers nothing)


def test_the_code_an_asker_praises_is_where_it_ended() -> None:
    shown = _shown(("Szymon", "Is there a nice way to do inverse to `readlines` ?"),
                   ("stefan", "`foreach(println, lines)`"),
                   ("crstnbr", "Maybe he means writing to a file. I wondered myself the other day whether we should have a "
                               "writelines to write lines to file."),
                   ("crstnbr", "Of course you can just open and println to the file"),
                   ("Szymon", "`foreach`  looks super nice, thanks."))
    assert "**Where it ended:** stefan: `foreach(println, lines)` — Szymon: `foreach` looks super nice, thanks." in shown


def test_the_code_an_answer_posts_right_after_it_is_shown_with_it() -> None:
    shown = _shown(("darsnack", "Silly question. How do I make a scatter point with no fill but a colored border?"),
                   ("Benoît", "Set `color` to be transparent and `strokecolor` to be wathever you want"),
                   ("Benoît", "```using Colors\n\nscatter([1, 2, 3], [4, 5, 4], color=RGBA(0, 0, 0, 0), strokecolor=:blue)```"),
                   ("darsnack", "Thank you!"))
    assert ("`strokecolor` to be wathever you want `scatter([1, 2, 3], [4, 5, 4], color=RGBA(0, 0, 0, 0), strokecolor=:blue)`"
            in shown)
    alone = _shown(("Moelf", "what if I want something like `Iterators.partition` that returns `n` pairs covering `1:N`"),
                   ("Moelf", "```chunking(N,n) = [(first(x), last(x)) for x in partition(1:N, cld(N,n))]```"))
    assert "covering `1:N` `chunking" not in alone  # (an asker's own code is no answer)


def test_a_short_answer_joins_its_questions_point() -> None:
    shown = _shown(("jakni", 'When you set\n```[compat]\nFoo = "0.1"\njulia = "1.3"```\n, does that mean you are compatible '
                             "with Julia 1.3 and up, or only 1.3?"),
                   ("fredrikekre", "1.3.0 inclusive up to 2.0.0 exclusive"),
                   ("jeffrey", 'Note that this in not the case with version numbers that begin "0". Your [compat] is not '
                               'going to try working with Foo v"0.2" until you modify the compat line.'),
                   ("jakni", "That's perfect for SemVer :) thanks"))
    assert "or only 1.3? — fredrikekre: 1.3.0 inclusive up to 2.0.0 exclusive" in shown
    assert "\n• fredrikekre:" not in shown  # (not a point of its own as well)


def test_an_answer_is_not_joined_to_a_question_it_may_not_answer() -> None:
    tried = _shown(("Ann", "Is it possible in startup.jl to detect if it's an interactive session or just running a script? "
                           "From what I can tell, `atreplinit` and `if isinteractive()` don't work."),
                   ("Sukera", "`isinteractive` is the go to for checking whether the context truly is interactive"),
                   ("Ann", "When I put `@info isinteractive()` in my startup.jl and run `julia`, it shows false."),
                   ("Sukera", "I don't think there's a way to detect startup.jl specifically"))
    assert "don't work. — Sukera" not in tried  # it names only what the question said fails
    later = _shown(("neo", "How should I organise my GH repo with a module so I can add it by `] add github.com/me/MyModule`? "
                           "Does the file with `module...end` have to be named in any specific manner?"),
                   ("neo", "is there some tool that generates these files?"),
                   ("Simeon", "`Pkg.generate` will generate that for you"),
                   ("neo", "ok, I will try that, thanks"))
    assert "specific manner? — Simeon" not in later  # the asker asked again before it was answered


def test_the_askers_perfect_and_a_yes_to_the_askers_own_answer_are_shown() -> None:
    shown = _shown(("Tim", "I'm not familiar enough with DataFrames.jl: how do I reshape my long table into one column per "
                           "replicate?"),
                   ("Sebastian", "I think you want `unstack(df, :step, :replicate, :nutrients)`"),
                   ("Sebastian", "ah, you can fix the naming by using `unstack(df, :step, :replicate, :nutrients, renamecols = "
                                 "x -> Symbol(:nutrients_, x))`"),
                   ("Tim", "Perfect!! Thanks!"))
    assert "Symbol(:nutrients_, x))` — Tim: Perfect!! Thanks!" in shown
    own = _shown(("I Mas", "I am new to Julia and going through the DifferentialEquations.jl tutorial. How can ODEProblem "
                           "know only from f if u is modified inplace or not?"),
                 ("I Mas", "..a ok... the signature of the function is different. The inplace version has du as additional "
                           "parameter"),
                 ("chrisrackauckas", "yes"))
    assert "has du as additional parameter — chrisrackauckas: yes" in own
    thanks = _shown(("Tim", "How do I reshape my long table into one column per replicate?"),
                    ("Sebastian", "I think you want `unstack(df, :step, :replicate, :nutrients)`"), ("Tim", "Thanks!"))
    assert "— Tim: Thanks!" not in thanks  # (thanks alone are no verdict)


def test_a_short_answer_stays_apart_when_its_asker_asked_twice_or_another_answer_came_first() -> None:
    twice = _shown(("peter", "Is there a way to tell whether the currently running julia session is a precompilation pass or a "
                             "regular julia session?"),
                   ("peter", "For my purposes, a unique session id would help. Does julia have a reliably random salt which "
                             "varies from run to run?"),
                   ("Chris", "Use `ccall(:jl_generating_output, Cint, ())`"),
                   ("peter", "Thanks, that works for the precompilation check."))
    assert "varies from run to run? — Chris" not in twice
    order = _shown(("mmiller", "If `Threads.@threads` is called on a thread that is not the primary thread, it only uses the "
                               "thread it is currently on. Why is it designed this way?"),
                   ("Moelf", "if the function you're calling implicitly does threading, and a user calls that function in a "
                             "threaded for loop, you don't want to over spawn"),
                   ("oxinabox", "`@thread` is designed for highly balanced workloads. Where as `@spawn` is not."),
                   ("mmiller", "I see, I will use `@spawn` then, thanks both"))
    assert "this way? — oxinabox" not in order  # (Moelf answered first; the thread's order is kept)


def test_a_statement_typed_without_code_marks_answers_as_code() -> None:
    assert code_gist("ax.yreversed = true") == "`ax.yreversed = true`"
    assert code_gist("hello world") is None and code_gist("x = 5") is None  # (a plain assignment may be prose: "x = 5")
    shown = _shown(("Simeon", "Is there a way to flip the y-axis for a 2d heatmap in CairoMakie?"),
                   ("Julius", "ax.yreversed = true"), ("Simeon", "Ah, cool. Thanks!"))
    assert "in CairoMakie? — Julius: `ax.yreversed = true`" in shown
