"""The extractive summarizer: no network, no key, no model download.

It is what Recap answers with when no model is configured (:func:`bot.llm.factory.make_provider`
returns None) and when the model fails. How :func:`summarize_offline` works:

1. **Sentences.** Each human message is split into verbatim sentences
   (:func:`bot.summaries.sentences.split_sentences`), so times, amounts, versions, ``@names`` and
   links are kept exactly as written.
2. **Ranking.** LexRank centrality times a position and a length prior
   (:func:`bot.summaries.ranking.rank`).
3. **Redundancy.** Sentences are picked by Maximal Marginal Relevance (:func:`bot.summaries.ranking.mmr`).
4. **Sections.** Cue phrases in several languages sort sentences into decisions, action items
   (owner: the ``@person`` asked, or the author of "I'll …"), open questions (a question no later
   message by someone else answers) and key points (any other sentence of four words or more,
   answered questions included: "Do you believe in UFOs?" names the topic). Every point cites the
   ``ts`` of its message. With ``max_words``, the best-scored points of all sections are kept
   within the budget. Without it (a thread summary as shown), key points come from the messages the
   outcome does not already cite, spread over the conversation, one a message: a third of the messages
   (at least three, at most ``max_points``), "Where it ended" besides where the summary has room for it
   (:func:`bot.summaries.render.point_budget`; not in a shorter summary, :data:`_SHORT_POINTS`); when fewer
   messages than that have a sentence to show, a message's next sentence fills the room ("Everyone is welcome
   to … via issues on our GitHub repo: <link>" after an announcement's first sentence), never repeating what
   its first point shows.
5. **Trimming.** A point shows its sentence without what a reader skips at its start: pasted e-mail
   header residue and a salutation (:func:`bot.summaries.ranking.trim_sentence`); it stays a verbatim
   slice of its message.

Questions (``question=``) are answered from the messages that answer them (:func:`_answer`; measured by
``recap eval questions``): sentences are ranked by similarity to the question (their own and that of what they
reply to), their centrality and how late they come; when the best match asks the question, the reply to it
answers; "how did we fix X?" is answered by what resolved X; a question for a time or a number nobody gave is
declined. The answer cites the sentences it quotes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from bot.lang import CJK_CHAR
from bot.models import Message, Point, Summary
from bot.summaries.ranking import (
    RankedSentence,
    approval,
    content_words,
    conversation_language,
    first_pass,
    human_messages,
    mmr,
    rank,
    rank_sentences,
    sentences_of,
    trim_sentence,
    vectorize,
)
from bot.summaries.render import point_budget
from bot.summaries.sentences import MONTHS, URL, split_sentences, word_count
from bot.summaries.structure import (
    ASKS_FOR_HELP,
    FAILS,
    PROSE_WORD,
    REPLY_WORDS,
    Conversation,
    Item,
    action_items,
    answer_sentence,
    answer_to,
    answers_question_before,
    approved_answer,
    asks,
    clip,
    closed_by_asker,
    code_gist,
    confirmed_answers,
    content_sentences,
    decisions,
    goes_on_from,
    hedges,
    in_full,
    introduces,
    is_a_joke,
    is_commitment,
    is_courtesy,
    is_logistics,
    is_noise,
    is_praise,
    is_question,
    leads_off,
    on_conduct,
    open_questions,
    outcome,
    reply_to,
    resolution_after,
    resolves,
    runs_into_list,
    says_no_answer,
    taken_back,
    taken_up,
    with_its_date,
    with_its_error,
    without_thanks,
)

__all__ = [
    "RankedSentence",
    "rank_sentences",
    "split_sentences",
    "summarize_offline",
    "with_its_link",
]

# --------------------------------------------------------------------------------------------------
# Sections


def _at(name: str) -> str:
    name = (name or "").strip()
    return name if name.startswith("@") else f"@{name}" if name else "@someone"


def _is_question(text: str) -> bool:
    return is_question(text)


def _shorten(text: str, words: int) -> str:
    if word_count(text) <= words:
        return text
    if CJK_CHAR.search(text) and len(text.split()) <= 2:
        return text[:words].rstrip() + "…"
    return " ".join(text.split()[:words]).rstrip(",;:") + "…"


_NO_ANSWER = {
    "en": "No message in this conversation seems to answer that.",
    "zh": "对话中似乎没有消息回答这个问题。",
    "ja": "この会話には、その質問に答えるメッセージが見つかりませんでした。",
    "de": "Keine Nachricht in diesem Gespräch scheint das zu beantworten.",
    "es": "Ningún mensaje de esta conversación parece responder a eso.",
    "fr": "Aucun message de cette conversation ne semble y répondre.",
}
_MIN_RELEVANCE = 0.2  # cosine of char n-grams below which no sentence is taken to answer a question
_EMPTY = {
    "en": "No messages to summarize.",
    "zh": "没有可总结的消息。",
    "ja": "要約するメッセージがありません。",
}


def summarize_offline(
    messages: Sequence[Message],
    *,
    question: str | None = None,
    max_points: int = 5,
    max_words: int | None = None,
    window: bool = False,
) -> Summary:
    """Summarize a conversation extractively, with no network and no model.

    Args:
        messages: the conversation, oldest first. Bot messages (``is_bot``) and empty ones are ignored.
        question: when given, answer it from the conversation instead of a general summary; the
            answer is in ``Summary.answer`` and the sentences used are cited in ``key_points``.
        max_points: at most this many points per section (key points, decisions, action items,
            open questions).
        max_words: when given, the points of all sections together hold at most about this many
            words (a CJK character counts as one word); best-ranked points are kept first.
        window: a channel's period or a digest's week, not one thread: a point's message is shown whole up to
            :data:`_WINDOW_POINT_WORDS` (not :data:`_POINT_WORDS`), and an opening is shown without its ask
            (:func:`_its_ask`), so a digest's headline stays one line.

    Returns:
        A :class:`~bot.models.Summary` with ``provider="offline"``, ``model="extractive"``,
        ``offline=True``, every point verbatim from one message and citing its ``ts``.
    """
    human = human_messages(messages)
    language = conversation_language(human)
    base = Summary(overview="", language=language, provider="offline", model="extractive", offline=True,
                   message_count=len(human))
    sentences = first_pass(sentences_of(human), human, language)
    if not sentences:
        base.overview = _EMPTY.get(language, _EMPTY["en"])
        if question:
            base.answer = _NO_ANSWER.get(language, _NO_ANSWER["en"])
        return base
    similarity = rank(sentences, human, language)
    scores = np.array([s.score for s in sentences])

    if question:
        return _answer(question, human, sentences, scores, similarity, base, max_points=max_points,
                       max_words=max_words)

    # a reply's hedge or reaction ("I'm not sure if I'm following you…") gives way to what its message says (the
    # opening message's doubt is its question: "I'm not sure why …"), an example or an alternative ("E.g. you
    # can define …", "Or extend …") to the sentence before it, and a reply its author ends as a joke ("… That is the
    # Cunningham's Law! :P") to any other
    scores = np.array([s.score * (HEDGE_FACTOR if s.message_index > 0 and hedges(s.text)
                                  or k > 0 and sentences[k - 1].message_index == s.message_index
                                  and _SAYS_LESS.match(s.text) and not _is_question(s.text) else 1.0)
                       * (HEDGE_FACTOR if s.message_index > 0 and is_a_joke(human[s.message_index].text) else 1.0)
                       for k, s in enumerate(sentences)])  # "Or just the fact that …?" is an option asked about

    key_of = {(s.message_index, s.text): k for k, s in enumerate(sentences)}
    base.awaiting_reply = awaiting_reply(human, window=window)
    chosen = _sections(human, sentences, scores, similarity, key_of, max_points=max_points, spread=max_words is None,
                       window=window)
    if max_words is not None:
        chosen = _budget(chosen, sentences, scores, max_words)
    ended = chosen.pop("outcome")
    base.outcome = ended[0][1] if ended else None
    for name, picked in chosen.items():
        ordered = sorted(picked, key=lambda kp: kp[0][1:])  # conversation order reads best
        setattr(base, name, [point for _, point in ordered])
    _with_links_posted_apart(base, human)
    if window:
        _name_first_person(base, human)
    inside = np.array([0.0 if human[s.message_index].context else 1.0 for s in sentences])
    ranked = (scores * inside if inside.any() else scores) / approval(sentences, human)  # the headline comes from
    # inside the window, and from what the conversation is about: readers' reactions mark an answer, not the topic
    best_first = sorted(range(len(sentences)), key=lambda k: (-ranked[k], k))
    if len(_groups(human)) == 1:  # a thread is about what its asker says, not a reply's clarifying question ("Which
        # line does it say errors?" after a parent that is only code)
        asker = human[0].user_name
        best_first.sort(key=lambda k: _is_question(sentences[k].text) and word_count(sentences[k].text) < _CLARIFYING_WORDS
                        and human[sentences[k].message_index].user_name != asker)
    top = next((k for k in best_first if ranked[k] > 0 and not _lead_in(sentences[k].text)
                and not is_logistics(sentences[k].text)
                and not is_noise(trim_sentence(sentences[k].text) or sentences[k].text)
                and not taken_back(human, sentences[k].message_index)),
               order_best(ranked))  # a greeting, pasted code, a lead-in to it or what its author took back ("… feel free
    # to revert that PR" -> "wait, no, that's an earlier version of the PR?") is no headline when anything else is said
    asked = _unshown_opening_question(human, sentences, base) if len(_groups(human)) == 1 and max_words is None else None
    if asked is not None:
        _quote_as_overview(base, sentences[asked[0]], asked[1])
    else:
        headline = trim_sentence(sentences[top].text) or sentences[top].text
        if introduces(headline):  # "What's the difference between using a `const` and not using it …:" + its code
            gist = _code_after(human[sentences[top].message_index].text, sentences[top].text, fenced=False)
            headline = f"{headline} {gist}" if gist is not None else headline
        _quote_as_overview(base, sentences[top], headline)
    _overview_with_its_link(base, human)
    return base


_FIRST_PERSON = re.compile(r"^\W*(?i:I|I'm|I’m|I've|I’ve|I'd|I’d|I'll|I’ll|My|We|We're|We’re|We've|We’ve|We'll|We’ll|"
                           r"Our|Me|Mine|Im|Ive)\b")
"""A point that opens in the first person ("I primarily make esoteric R packages …", "I almost never create reports,
I focus on trying to close them."): in a week of many people, the reader cannot tell whose it is."""


_LINK_APART_SECONDS = 120.0
"""Seconds within which an author's message that is only a link belongs to their message just before it."""
_LINKS_ALONE = re.compile(rf"^(?:\s*(?:{URL.pattern})[\s,;]*){{1,2}}$")
_POINTS_UP = re.compile(r"^\s*\^+\s*")


def _with_links_posted_apart(summary: Summary, human: Sequence[Message], only: list[Point] | None = None) -> None:
    """Give, in place, each point the link its message holds right after the sentence it shows
    (:func:`_link_after_it`), else the link its author posted as a message of its own right after it (within
    :data:`_LINK_APART_SECONDS`, nobody in between): "have you seen this medical pathways database before?", then
    "http://www.reactome.org/". A point that points up at it ("^^ the big list of d3js examples") gets the link posted
    just before it instead, shown in place of the carets; when its author posted a link alone right before it too, the
    link after it only if that link shares a word with the line (a link, then what it is, then the next link: "igraph
    is a collection …" had been shown with rgl's link). The point cites the link's message too. Not when the point
    shows a link already, or another point cites the link's message (``only``: these points are given links, whatever
    the summary's cite; the summary's are left as they are). In the Houston Data Vis weeks read whole
    (docs/evals.md, fortieth round), readers asked for the link behind such lines more than for anything else."""
    at = {m.ts: i for i, m in enumerate(human)}
    points = summary.all_points()
    cited = {ts for p in (points if only is None else only) for ts in p.source_ts}
    for point in points if only is None else only:
        i = at.get(point.source_ts[0]) if point.source_ts else None
        if i is None or URL.search(point.text):
            continue
        inside = _link_after_it(point.text.partition(" — ")[0], human[i].text)
        if inside is not None:  # "Great article on R vs Python in terms of rapid data visualization. <link>"
            point.text = _after_words(point.text, inside)
            continue
        if URL.search(human[i].text or ""):
            continue  # its message has a link of its own: a link posted after it is another's ("http://sigmajs.org/ …
            # Sigma is a JavaScript library …", then "http://igraph.org/")
        up = bool(_POINTS_UP.match(point.text))
        j = i - 1 if up else i + 1
        if not 0 <= j < len(human) or human[j].ts in cited or human[j].user_name != human[i].user_name \
                or not _LINKS_ALONE.match(human[j].text or "") or human[j].thread_ts != human[i].thread_ts:
            continue
        if _seconds_apart(human[j], human[i]) > _LINK_APART_SECONDS:
            continue
        k = i - 1  # the author's own link just before it too: which one is this line's? ("http://igraph.org/", then
        # "igraph is a collection of …", then "http://rgl.neoscientists.org/…": the one after is the next line's)
        if not up and k >= 0 and human[k].user_name == human[i].user_name and _LINKS_ALONE.match(human[k].text or "") \
                and _seconds_apart(human[k], human[i]) <= _LINK_APART_SECONDS \
                and not _words_of(human[j].text) & _words_of(URL.sub(" ", point.text)):
            continue
        link = " ".join(human[j].text.split())
        point.text = f"{_POINTS_UP.sub('', point.text, count=1)} {link}" if up else _after_words(point.text, link)
        point.source_ts = [*point.source_ts, human[j].ts] if not up else [human[j].ts, *point.source_ts]
        cited.add(human[j].ts)


def _words_of(text: str) -> set[str]:
    """Lower-case words of four letters or more, a link's host and path split into words too ("ohouston", "employee")."""
    return {w for w in re.split(r"[^a-z]+", (text or "").lower()) if len(w) >= 4} - {"http", "https", "html", "shtml"}


def _seconds_apart(a: Message, b: Message) -> float:
    """Seconds between two messages (infinite when a ``ts`` is not a number)."""
    try:
        return abs(float(a.ts) - float(b.ts))
    except ValueError:
        return float("inf")


def _link_after_it(shown: str, text: str) -> str | None:
    """The link (or two) that follows, as a sentence of its own, the sentence ``shown`` ends with in the message
    ``text`` ("Great article on R vs Python in terms of rapid data visualization." + a link on the next line), or that
    opens the message whose second sentence ``shown`` starts with (a link, then what it is); None when there is none.
    Sentences are split as ranking sees them (a bare link is no sentence to rank): the link is added to what is shown
    only."""
    said = split_sentences(text)
    tail = " ".join(shown.split()).rstrip(" …")
    head = " ".join(shown.split())[:40]
    for k, sentence in enumerate(said):
        flat = " ".join(sentence.split())
        if not flat:
            continue
        if k + 1 < len(said) and (tail.endswith(flat) or len(tail) >= 40 and flat.endswith(tail[-40:])) \
                and _LINKS_ALONE.match(said[k + 1]):
            return " ".join(said[k + 1].split())
        if k == 1 and flat.startswith(head) and _LINKS_ALONE.match(said[0]) and len(said) > 1:
            return " ".join(said[0].split())  # "http://sigmajs.org/" + "Sigma is a JavaScript library …": what it
            # describes, posted first
    return None


def with_its_link(point: Point, messages: Sequence[Message]) -> Point:
    """``point`` (quoting its first source) shown with the link its message holds right after the sentence it shows,
    or its author posted alone right after it, as an extractive point is (:func:`_with_links_posted_apart`); ``point``
    itself when there is none or it shows a link already. A digest's headline quoting its event's sentence (not a
    point of the summary) had left out the link the week was about ("just scheduled a d3js open lab", "A survey on
    'Well-being in Open Source'."; docs/evals.md, forty-first round).

    Args:
        point: the point, citing a message of ``messages``.
        messages: people's messages of the conversation, oldest first.
    """
    probe = Point(point.text, list(point.source_ts), point.owner)
    _with_links_posted_apart(Summary(overview=""), list(messages), only=[probe])
    return point if probe.text == point.text else probe


def _overview_with_its_link(summary: Summary, human: Sequence[Message]) -> None:
    """The overview (quoting ``overview_ts``) with the link its author posted right after it, as a point gets one
    (:func:`_with_links_posted_apart`): a digest's headline is often the overview."""
    if not summary.overview or not summary.overview_ts or URL.search(summary.overview):
        return
    probe = Point(summary.overview, [summary.overview_ts])
    _with_links_posted_apart(summary, human, only=[probe])  # (a thread's render hides an overview a point says)
    if probe.text != summary.overview:
        summary.overview = probe.text


def _after_words(text: str, link: str) -> str:
    """``text`` with ``link`` after its first part ("question? — Name: answer" -> "question? <link> — Name: answer")."""
    head, sep, tail = text.partition(" — ")
    return f"{head} {link}{sep}{tail}"


def _name_first_person(summary: Summary, human: Sequence[Message]) -> None:
    """In a channel's period or a digest's week (``window``), show who speaks in a key point, decision or open
    question that opens in the first person (:data:`_FIRST_PERSON`, "i'm" too) or comes from the channel's main flow
    (no thread: who said it is all that tells one line from the next, a question shown with its answer too; readers of
    the Houston Data Vis weeks asked "name the speaker" of a flow's lines more than for anything but links,
    docs/evals.md, fortieth round) and names no one yet: "Bob Rudis: I primarily make esoteric R packages …" (not "I
    am David Gohel - …", which says it), unless one person wrote every message or the
    point's message is an action item's, which names its owner (the same sentence is then shown once). Read whole by
    subscribers (docs/evals.md, thirty-ninth round), a week's "I …" lines were graded as leaning on a thread the digest
    does not show, the author being the missing part."""
    author = {m.ts: m.user_name for m in human}
    if len(set(author.values())) < 2:
        return  # one person wrote all week: a name tells nothing and makes the line longer
    tasks = {ts for p in summary.action_items for ts in p.source_ts}  # an action item names its owner already
    parents = {m.thread_ts for m in human if m.is_reply}
    flow = {m.ts for m in human if not m.is_reply and not m.reply_count and m.ts not in parents}
    for name in ("key_points", "decisions", "open_questions"):
        named = []
        for point in getattr(summary, name):
            who = author.get(point.source_ts[0]) if point.source_ts and point.source_ts[0] not in tasks else None
            if (who and (" — " not in point.text and _FIRST_PERSON.match(point.text) or point.source_ts[0] in flow)
                    and not point.text.startswith(f"{who}: ")
                    and who.split()[0].casefold() not in point.text.partition(" — ")[0].casefold()):  # not "I am David
                # Gohel - …" (an answer shown after it may name them: "… — Micah Stubbs: @huyhoang yes the 13th …")
                point = replace(point, text=f"{who}: {point.text}")
            named.append(point)
        setattr(summary, name, named)


def awaiting_reply(human: Sequence[Message], *, window: bool = False) -> bool:
    """True when ``human`` (a conversation's messages from people, oldest first) is one thread that a person started
    and no one else wrote in, whatever bots posted (a help-desk bot's "it has been cross posted to Discourse"), and its
    starter is still waiting: none of their later messages reports a resolution or thanks someone
    (:func:`bot.summaries.structure.closed_by_asker`: "removing Gadfly did the trick", "Thanks @kmsquire!").

    False for a channel's period or a digest's week (``window``), for an empty list, and for a thread a bot started (a
    build-failure report, a message bridged from Gitter): its first reply by a person is someone answering the bot.
    Judged blind on unseen threads, the line "No one else has replied yet." misled in exactly those cases
    (docs/evals.md, thirtieth round)."""
    if window or not human or human[0].is_reply or len(_threads(list(human))) != 1:
        return False
    return len({m.user_id or m.user_name for m in human}) == 1 and not closed_by_asker(Conversation(list(human)))


_POINTS_AT_UNSHOWN = re.compile(r"\b(?:this|that|these|the following|the above) (?:error|errors|code|snippet|example|output|"
                                r"message|warning|behaviou?r|plot|image|screenshot)\b|\blike (?:this|so)\W*$")
"""A question about what its message pasted ("any ideas on what usually causes this error?", "… which would behave like
this?"): not the overview without it."""
_POINTS_AT_CODE = re.compile(r"\b(?:similar to|such as|like) this\W*$")
"""A question that points at the code after it ("Does there exist syntax similar to this?"): the overview shows that
code's gist with it (:func:`bot.summaries.structure.code_gist`)."""
_ASKED_ALONE_WORDS = 8
"""Words an opening's question needs to be shown alone as the overview ("What could be wrong?" is shown after the
sentence before it), unless it names its subject (:data:`_NAMES_ITS_SUBJECT`)."""
_NAMES_ITS_SUBJECT = re.compile(r"`[^`]+`|'[^'\s]+'|\"[^\"]+\"|\b\w+\.jl\b|\b[A-Z][a-z]+[A-Z]\w*|\b[A-Z]{2,}\b")
"""Code, a quoted term, a package, a CamelCase name or an acronym: a short question that names one ("What is the '->'
operator doing?") says what was asked on its own."""


def _unshown_opening_question(human: list[Message], sentences: list[RankedSentence], summary: Summary
                              ) -> tuple[int, str] | None:
    """``(index in sentences, text)`` of the opening message's first question (a "?" that :func:`asks`: "Is there a
    way to check if a high-resolution timestamp is contained within a low-resolution one?"), when no point of
    ``summary`` cites the opening message: a thread's summary tells what was asked, and the overview line shows it
    then. A short question (under :data:`_ASKED_ALONE_WORDS` words: "Any thoughts?") comes after the sentence before
    it in its message ("Quick question -- so why should I teach Julia instead of Python.. Any thoughts?"), and is
    not shown without one. A question that points at what its message pasted ("… behave like this?", "Does there exist
    syntax similar to this?") is shown with the gist of the code right after it, and not at all without one. None when
    the opening asks nothing, is cited already, or is context before a window."""
    if not human or human[0].context or any(human[0].ts in p.source_ts for p in summary.all_points()):
        return None
    opening = [k for k, s in enumerate(sentences) if s.message_index == 0]
    for n, k in enumerate(opening):
        text = trim_sentence(sentences[k].text) or sentences[k].text
        if not _is_question(text) or not asks(text) or is_noise(text):
            continue
        if _POINTS_AT_UNSHOWN.search(text.lower()) or _POINTS_AT_CODE.search(text.lower()):
            gist = _code_after(human[0].text, sentences[k].text, fenced=True)
            if gist is None or word_count(text) < 4:
                continue
            return k, f"{text} {gist}"  # "Does there exist syntax similar to this?" + `x = for i in 1:5; i; end`
        if word_count(text) >= _ASKED_ALONE_WORDS or word_count(text) >= 4 and _NAMES_ITS_SUBJECT.search(text):
            return k, text
        before = trim_sentence(sentences[opening[n - 1]].text) if n > 0 else ""
        if before and word_count(before) >= 6 and not is_noise(before) and not leads_off(before) and not (
                _lead_in(before) or before.rstrip().endswith(":")):  # not "This doesn't work:" without its code, nor
            # "And many more. But which is the _best_ one?"
            return k, f"{before} {text}"
        return None
    return None


def _code_after(message: str, sentence: str, *, fenced: bool) -> str | None:
    """The gist (:func:`code_gist`) of the code right after ``sentence`` in ``message``: a fenced block, or with
    ``fenced=False`` also inline code; None when no code follows it there."""
    at = message.find(sentence)
    rest = message[at + len(sentence):].lstrip() if at >= 0 else ""
    return code_gist(rest) if rest.startswith("```" if fenced else "`") else None


def _quote_as_overview(summary: Summary, sentence: RankedSentence, text: str | None = None) -> None:
    """Set ``summary``'s overview to ``text`` (default: ``sentence``'s text), shortened to 30 words, quoting
    ``sentence``'s message (``overview_ts``: shown with its author and citation, "Heather: Can you make it today?")."""
    summary.overview = _shorten(sentence.text if text is None else text, 30)
    summary.overview_ts = sentence.ts


def order_best(scores: np.ndarray) -> int:
    """Index of the best-scored sentence (ties: the earliest)."""
    return int(np.argmax(scores))


_Picked = list[tuple[tuple[str, int, int], Point]]  # ((kind, message index, sentence index), point)


SESSION_GAP_SECONDS = 3600.0
"""Silence in a channel's main flow (seconds) after which the next top-level message starts a new conversation."""


def _groups(messages: Sequence[Message]) -> list[list[int]]:
    """Message indices by thread, for the sections' structure: each thread (parent and replies) apart; the
    channel's main flow together (a question asked there may be answered there hours later)."""
    return list(_threads(messages, sessions=False).values())


def _seconds(ts: str) -> float | None:
    try:
        return float(ts)
    except ValueError:
        return None


def _threads(messages: Sequence[Message], *, sessions: bool = True) -> dict[str, list[int]]:
    """Message indices by conversation, keyed by the ``ts`` of its first message: a thread by its
    ``thread_ts``; top-level messages without replies by *session*, a run of them in which no gap is
    longer than :data:`SESSION_GAP_SECONDS` (an unparsable ``ts`` continues the run), or all together
    under ``""`` when ``sessions`` is False.

    Many channels talk in the main flow, not in threads: a year of #get_feedback is 150 top-level messages
    in 17 conversations. Taken as one conversation, its summary quoted its first busy day only and said
    "where it ended" with the year's last remark. Cutting the flow at long silences is the first cue of
    conversation disentanglement (Elsner & Charniak, "You talking to me?", ACL 2008).
    """
    by_thread: dict[str, list[int]] = {}
    parents = {m.thread_ts for m in messages if m.is_reply}
    session, last = "", None
    for i, m in enumerate(messages):
        if m.thread_ts and (m.reply_count or m.is_reply or m.ts in parents):
            by_thread.setdefault(m.thread_ts, []).append(i)
            continue
        if not sessions:
            by_thread.setdefault("", []).append(i)
            continue
        at = _seconds(m.ts)
        if not session or (at is not None and last is not None and at - last > SESSION_GAP_SECONDS):
            session = m.ts
        last = at if at is not None else last
        by_thread.setdefault(session, []).append(i)
    return by_thread


_SAME_DAY_SECONDS = 86400.0
"""Seconds up to which a late reply in a channel's flow may still be shown as an answer (:func:`_across_silence`)."""
_SAYS_YES_OR_NO = re.compile(r"^\W*(?:@\S+(?: [A-Z]\w*)*\W+)?"
                             r"(?:yes|yeah|yea|yep|yup|no|nope|nah|sure|definitely|absolutely)\b", re.IGNORECASE)
"""A reply that opens by answering yes or no, after the names it speaks to."""


def _across_silence(human: list[Message], source_ts: Sequence[str], session_of: dict[int, str]) -> bool:
    """True when a point would show two messages of the channel's main flow (the first two ``source_ts`` it cites)
    that lie in different conversations (``session_of``: message index -> its session, :func:`_threads`: an hour of
    silence or more between them) and the later does not show it answers the earlier: it names the asker
    (``@name``), is by someone the earlier names ("I can't find @Nicolas's GitHub username …" -> Nicolas: "my gh
    handle is nbenn"), opens with yes or no, shares a content word with it (:func:`bot.summaries.ranking.content_words`:
    "August works great" after "August, what about y'all?") or is a link given to a question asking where, and comes
    the same day or as the next message anyone else posted. Whether a question was answered is judged over the whole
    flow (an answer may come hours later); showing one conversation's line beside another's is not: in the Houston
    Data Vis weeks read whole (docs/evals.md, fortieth round) "U can msg me on here for an invite" was shown with a
    reaction to a conference photo posted four hours later, and "Pavan, may I use this as an example in my talk?" with
    a link posted the next day. Threads are never cut: a thread's reply answers its thread, however late."""
    at = {m.ts: i for i, m in enumerate(human)}
    pair = sorted(at[ts] for ts in source_ts[:2] if ts in at)  # (``human`` is oldest first)
    if len(pair) < 2 or session_of.get(pair[0]) == session_of.get(pair[1]) or any(
            human[i].is_reply or human[i].reply_count for i in pair):
        return False
    asked, said = human[pair[0]], human[pair[1]]
    between = any(m.user_name != asked.user_name and not m.is_reply for m in human[pair[0] + 1:pair[1]])
    late = (_seconds(said.ts) or 0.0) - (_seconds(asked.ts) or 0.0)
    if late > _SAME_DAY_SECONDS and between:
        return True  # (the next word in a quiet channel, a day later, may still be the answer: "@davidr: <link>")
    if f"@{asked.user_name}" in said.text or f"@{said.user_name}" in asked.text or _SAYS_YES_OR_NO.match(said.text):
        return False  # it speaks to the asker, or is by the person asked, or answers yes or no
    if _LINKS_ALONE.match(said.text or "") and _ASKS_WHERE.search(asked.text):
        return False  # "Where do I find the last datajam details?" -> a link
    return not content_words(asked.text) & content_words(said.text)


_ASKS_WHERE = re.compile(r"\b(?:where|link|url|find)\b", re.IGNORECASE)
"""A question a bare link answers ("Where do I find the last datajam details?")."""


def _sections(human: list[Message], sentences: list[RankedSentence], scores: np.ndarray, similarity: np.ndarray,
              key_of: dict[tuple[int, str], int], *, max_points: int, spread: bool, window: bool = False
              ) -> dict[str, _Picked]:
    """Every section's points with their sort keys, from the conversation's structure (bot.summaries.structure)."""
    out: dict[str, _Picked] = {"outcome": [], "key_points": [], "decisions": [], "action_items": [], "open_questions": []}
    still_asked: set[str] = set()  # the ts of a question a thread ended on, shown after its outcome and still open
    used: set[int] = set()
    shown = [trim_sentence(s.text) for s in sentences]  # what a point shows: no pasted header, no salutation
    groups = _groups(human)
    single = len(_threads(human)) == 1  # one thread, or one session of the channel's flow: it has an outcome
    convs: dict[int, tuple[list[int], Conversation]] = {}  # message index -> its group and that group's structure
    for group in groups:
        conv = Conversation([human[i] for i in group])
        convs.update((i, (group, conv)) for i in group)

        def add(name: str, item: Item, *, owner: bool = False, kind: str = "", group: list[int] = group) -> None:
            if all(human[group[i]].context for i in item.messages):
                return  # before the window: context only
            first = group[item.messages[0]]
            k = max((key_of.get((group[i], item.text), -1) for i in item.messages), default=-1)  # where the text is
            if k >= 0:
                used.add(k)
            ts = [human[group[i]].ts for i in item.messages]
            # (its opening, spaces aside: a sentence shown with the next one or with its code's gist is no exact slice)
            opening = " ".join(item.text.split())[:60]
            quoted = next((human[group[i]].ts for width in (60, 30) for i in item.messages
                           if opening[:width] in " ".join(human[group[i]].text.split())), None)  # (a short sentence and the
            # gist of its author's code before it, "Works for me (as you can see in the example). `module A; …`", is
            # found by its first words)
            ts = sorted(ts, key=lambda t: t != quoted)  # the message it quotes first: its author is the point's
            text = trim_sentence(item.text) or item.text
            if item.reply:  # the outcome's last word is someone's short answer to it: show it too
                text = f"{text} — {human[group[item.messages[-1]]].user_name}: {item.reply}"
            out[name].append(((kind or name, first, max(k, 0)),
                              Point(text, ts,
                                    owner=_at(item.owner or "") if owner else None)))

        for item in decisions(conv):
            add("decisions", item)
        for item in action_items(conv):
            add("action_items", item, owner=True)
        for item in open_questions(conv):
            add("open_questions", item)
        if single and spread:  # a thread summary: where it ended is its outcome, shown first
            ended = outcome(conv)
            if ended is not None:
                add("outcome", ended)
                if ended.asks:  # it ended on a question nobody answered: still open
                    still_asked.add(human[group[ended.messages[-1]]].ts)
            confirmed = confirmed_answers(conv)[-_CONFIRMED:]
            for item in confirmed:  # the fix that worked, when the thread went on
                if ended is None or not set(item.messages) & set(ended.messages):
                    add("key_points", item, kind="key")
            marked = approved_answer(conv)  # the answer its readers marked (:+1:, :100:, :heavy_check_mark:)
            if marked is not None and not any(set(marked.messages) & set(item.messages)
                                              for item in [*confirmed, *([ended] if ended else [])]):
                add("key_points", marked, kind="key")
    ended_text = " ".join(" ".join(p.text.split()) for _, p in out["outcome"])
    for name in ("decisions", "action_items", "open_questions"):
        ranked = sorted(out[name], key=lambda kp: -(scores[kp[0][2]] if kp[0][2] < len(scores) else 0.0))
        # no open question "Where it ended" shows already ("… — pfitzseb: Nope, not at the moment. Could add a setting
        # for that though -- wanna open an issue?"); an action item stays, with its owner, for whoever tracks tasks
        out[name] = [kp for kp in ranked if name != "open_questions" or not ended_text
                     or " ".join(kp[1].text.split())[:60] not in ended_text
                     or set(kp[1].source_ts) <= still_asked][:max_points]  # (a question it ended on, unanswered, is
        # still open: "… — Rojo: What are you suggesting here?")
    asked = {kp[0][2] for kp in out["open_questions"]}
    budget = max_points - len(out["key_points"])  # "Where it ended" is a section of its own (a short summary aside) …
    if max_points <= _SHORT_POINTS:
        budget -= len(out["outcome"])
    room = (point_budget(len(human)) or max_points) - sum(len(points) for points in out.values())
    if spread:  # length in proportion to the conversation: a third of its messages, capped
        third = max(3, -(-len(human) // 3)) - len(out["key_points"])
        budget = min(budget, third, max(room, third - len(out["outcome"])))  # … where the summary has room for it
    if single and human and human[0].is_bot:
        budget += 1  # a bot's post people answered (:func:`bot.summaries.ranking.bot_root`) says what the thread is
        # about without taking a person's point: judged blind, it had pushed out "FWIW, this is not #38996"
    order = sorted(range(len(sentences)), key=lambda k: (-scores[k], k))
    said = [set(content_sentences(m)) for m in human] if spread else []  # not in a signature, a forward or an invitation
    candidates = [k for k in order if k not in used and k not in asked and word_count(_prose(shown[k])) >= 4
                  and (not spread or not is_noise(shown[k]) and not _lead_in(shown[k]) and not _chit_chat(shown[k])
                       and not is_logistics(shown[k]) and not is_courtesy(shown[k]) and not _social(shown[k])
                       and not is_praise(shown[k])
                       and not says_no_answer(shown[k])
                       and not _list_fragment(sentences[k].text.strip())
                       and not (_is_question(shown[k]) and word_count(shown[k]) <= _CLARIFYING_WORDS
                                and _asked_laughing(human[sentences[k].message_index].text, sentences[k].text))
                       and sentences[k].text in said[sentences[k].message_index])
                  and not human[sentences[k].message_index].context
                  and not (spread and on_conduct(human[sentences[k].message_index].text))
                  and not (spread and taken_back(human, sentences[k].message_index))]  # "That's because it's in global
    # scope" -> "Huh, that also works, nevermind me!": taken back, no point
    above = " ".join(" ".join(p.text.split()) for _, p in out["outcome"])  # with the last word shown after it ("— Ann:
    # Yes Tullio works"), its line breaks as spaces ("Yes, LoggingExtras.jl does this\nhttps://…")
    candidates = [k for k in candidates if not any(" ".join(told.split())[:40] in above for told in (
        shown[k], without_thanks(shown[k])) if told)]  # (nor its words after a thanks the ending left off: "Thanks for
    # the explanation, I did not find it when looking for the error" below "— Axel: I did not find it when …")
    picked = mmr(candidates, scores, similarity, k=max(budget, 0) * (3 if spread else 2))
    picked = [k for k in picked if not any(similarity[k, j] > 0.85 for j in used)]
    if spread:  # key points cover the conversation: one a message, not five from its opening
        best = max((float(scores[k]) for k in picked), default=0.0)
        picked = [k for k in picked if scores[k] >= 0.1 * best]  # no filler to cover a span
        if budget > 0 and single and len(human) > _SPREAD_THREAD:  # its later spans have their best too, not only the
            # opening's runners-up: "ok can you try `pkg> registry add General`?" 45 messages in
            span = max(1, -(-len(human) // budget))
            best_of: dict[int, int] = {}
            for k in candidates:  # best first
                if scores[k] >= 0.1 * best and not any(similarity[k, j] > 0.85 for j in used):
                    best_of.setdefault(sentences[k].message_index // span, k)
            picked += [k for k in best_of.values() if k not in picked]
        index_of = {m.ts: i for i, m in enumerate(human)}
        told = {index_of[ts] for name in ("outcome", "key_points") for _, p in out[name] for ts in p.source_ts
                if ts in index_of}  # they speak for them
        picked = _cover(picked, [sentences[k].message_index for k in picked], len(human), max(budget, 0), told,
                        room=room)
        if not single:  # a channel or a week: a point from each of its busiest threads first
            threads = _by_thread(human, candidates, [sentences[k].message_index for k in candidates])
            busiest = [k for k in threads if not any(similarity[k, j] > 0.85 for j in used)][:max(budget, 0)]
            picked = busiest + [k for k in picked if k not in busiest]
    picked = picked[:max(budget, 0) * (1 if spread else 2)]  # under a word budget, the budget decides
    cited = {ts for name in ("outcome", "decisions", "key_points") for _, p in out[name] for ts in p.source_ts}
    cited |= {sentences[k].ts for k in picked}
    session_of = {i: key for key, group in _threads(human).items() for i in group}  # the flow's conversations
    shown_whole: list[str] = []
    went_on: list[tuple[int, str]] = []  # key points shown with the message they go on from, and that message's text
    elsewhere = " ".join(p.text for name in ("outcome", "decisions", "action_items", "open_questions")
                         for _, p in out[name])  # what the other sections say
    said_elsewhere = [part for part in split_sentences(elsewhere) if word_count(part) >= 6]
    for k in picked:
        text = shown[k]
        if spread:  # with what it needs of its message to be read alone ("Yup Revise state error. Restart fixes")
            group, conv = convs[sentences[k].message_index]
            if any(shown[k] in other for other in shown_whole) or shown[k] in elsewhere or (
                    conv.unmention(shown[k]).strip() or shown[k]) in elsewhere:
                continue  # already shown with another sentence of its message, or in another section (its @names off)
            local = group.index(sentences[k].message_index)
            whole = in_full(conv, local, sentences[k].text, text, words=_WINDOW_POINT_WORDS if window else _POINT_WORDS)
            if local == 0 and single:  # the opening question whole, unless that opens on an aside ("BTW, I found …")
                longer = in_full(conv, local, sentences[k].text, text, words=_OPENING_WORDS)
                whole = longer if longer.startswith(whole) or not leads_off(longer) else whole
                if not window and (ask := _its_ask(conv, whole)) is not None and ask not in elsewhere:
                    whole = f"{whole} … {ask}"  # "It's great to have a couple of volunteers … … we are looking for
                    # volunteers there, including for the first meeting!"
            first_of_opening = local == 0 and single and not window and not any(
                key[1] == sentences[k].message_index for key, _ in out["key_points"])  # its error is shown once
            full = with_its_error(conv, local, with_its_date(conv, local, whole), opening=first_of_opening)
            before = goes_on_from(conv, local)
            if before is not None and full.startswith(before) and (before in elsewhere or before in above or any(
                    j != k and (shown[j] in before or before in shown[j]) for j in picked)):
                full = full[len(before):].lstrip()  # what it goes on from is a point of its own already
            if before is not None and full.startswith(before):
                went_on.append((len(out["key_points"]), before))
            repeats = any(part in elsewhere for part in split_sentences(full) if word_count(part) >= 2) or any(
                part in full for part in said_elsewhere)  # … nor a run that holds what "Where it ended" says
            if repeats and full != text and not window:  # … else, in a thread, its own run without the sentences
                # shown elsewhere ("What's useful about that is …", where it ended, before "So that means you always
                # close the file, in contrast to `f(io); close(io)` in which case …"), when that still shows its
                # sentence whole and opens on no aside (not "it is long since I last looked at this bug, …"; a week's
                # points keep their sentences apart: its headline is one of them)
                own = " ".join(part for part in split_sentences(full) if not (word_count(part) >= 2 and part in elsewhere))
                if text in own and own != text and not any(part in own for part in said_elsewhere) and (
                        own.startswith(text) or not leads_off(own)):
                    full, repeats = own, False
            text = full if full == text or not repeats else text
            if text != full and text.rstrip().endswith(":"):
                continue  # "… if you want to remove said folder, you can:" — what it leads into is shown elsewhere
            # (a lone "…" between the opening and its ask is in any line that elides)
            shown_whole.append(text)
        mine = next((n for n, (key, _) in enumerate(out["key_points"]) if key[1] == sentences[k].message_index), None)
        if spread and mine is not None:  # a message's second point (:func:`_cover`): only what its first does not show
            key, earlier = out["key_points"][mine]
            if earlier.text in text:  # "For some reason, the … outline … is missing" + "This is the case for every legend"
                out["key_points"][mine] = (key, Point(text, earlier.source_ts))
                continue
            text = " ".join(part for part in split_sentences(text) if part not in earlier.text).strip(" …")
            if len(PROSE_WORD.findall(_prose(text))) < 5:
                continue  # "VSCode Julia extension: 1.1.34" says too little alone
        point = Point(text, [sentences[k].ts])
        if spread and before is not None and text.startswith(before):
            point = Point(text, [human[group[local - 1]].ts, sentences[k].ts])  # its author's message it goes on from
        if spread:
            alone, cited_before = point, set(cited)
            point = _with_its_answer(point, sentences[k], human, *convs[sentences[k].message_index], cited)
            opens = local > 0 and len(human) <= _SPREAD_THREAD and bool(conv.content[local]) and point.text.startswith(
                trim_sentence(conv.content[local][0]) or conv.content[local][0])
            if opens and _leans_on_unshown(conv, point.text) and not _before_is_shown(conv, local, human, group, cited):
                # "that's not where the doubling logic is implemented though": often the answer that counts, shown
                # after what it answers (in a longer thread, the message before is too often not what it answers)
                point = _after_what_it_replies_to(point, local, human, group, conv, cited, sentences[k].text,
                                                  asked_words=_ASKED_WORDS, at=_past_own_short(conv, local))
            elif opens and (asked_at := answers_question_before(conv, local)) is not None and not _before_is_shown(
                    conv, local, human, group, cited):
                # "use double quotes?" -> "Double quotes clash with the rest of the program": the answer after its question
                point = _after_what_it_replies_to(point, local, human, group, conv, cited, sentences[k].text, asked_words=2,
                                                  at=asked_at)
            if point is not alone and _across_silence(human, point.source_ts, session_of):
                point, cited = alone, cited_before | {sentences[k].ts}
        out["key_points"].append((("key", sentences[k].message_index, k), point))
    for at, before in went_on:  # said in another point once all are made (a question's answer is added to it)
        key, point = out["key_points"][at]
        if any(before in other.text for n, (_, other) in enumerate(out["key_points"]) if n != at):
            out["key_points"][at] = (key, Point(point.text[len(before):].lstrip(), point.source_ts[1:]))
    if spread:
        _join_short_answers(out["key_points"], human, convs, index_of, session_of)
    if spread and out["outcome"] and len(out["outcome"][0][1].source_ts) == 1:
        # "Where it ended" that leans on the message before it ("It prevents the heading to be numbered, see <link>"
        # after "What is the {-} for?"), which no point shows: shown after it, as a key point would be
        key, point = out["outcome"][0]
        i = index_of.get(point.source_ts[0])
        if i is not None and _leans_on_unshown(convs[i][1], point.text):
            group, conv = convs[i]
            cited = {ts for points in out.values() for _, p in points for ts in p.source_ts}
            out["outcome"][0] = (key, _after_what_it_replies_to(point, group.index(i), human, group, conv, cited,
                                                                point.text, asked_words=_ASKED_WORDS))
    return out


_SHORT_ANSWER_WORDS = 15
"""Words up to which an answer that is a key point of its own is shown after its question's point instead."""


def _tried_already(question: str, answer: str) -> bool:
    """True when ``answer`` names in inline code only what the message ``question`` already names, in code or as a
    call, and says failed (:data:`_SAYS_FAILS`: "From what I can tell, `atreplinit` and `if isinteractive()` don't work." -> "`isinteractive` is the go to
    for checking …"): shown after the question, it would read as the answer the asker said fails."""
    named = set(re.findall(r"`([^`]+)`", answer))
    return bool(named) and _SAYS_FAILS.search(question) is not None and all(
        f"`{name}`" in question or f"{name}(" in question for name in named)


_SAYS_FAILS = re.compile(r"\b(?:don't|doesn't|didn't|do not|does not|did not) (?:seem to )?work\b|\btried\b", re.IGNORECASE)
"""A question that says what it tried did not work ("`atreplinit` and `if isinteractive()` don't work.", "I tried …"). Not
any problem (:data:`bot.summaries.structure.FAILS`): "I get a segfault whenever I call `svds`" -> "`svds` alone shouldn't
cause segfault" answers it."""


def _asked_more(conv: Conversation, i: int, j: int) -> bool:
    """True when the answer ``j`` to message ``i`` may answer another question of its asker: one of several that
    message asks, or one in another message of the asker's run around it, up to ``j`` ("Is this a precompilation pass?"
    / "… is there a session id?" -> "Use `ccall(:jl_generating_output, Cint, ())`"; "is there some tool that generates
    these files?" -> "`Pkg.generate` will generate that for you")."""
    run = i
    while run > 0 and conv.author(run - 1) == conv.author(i):
        run -= 1
    return sum(is_question(x) for x in conv.content[i]) > 1 or any(
        k != i and conv.author(k) == conv.author(i) and any(is_question(x) for x in conv.content[k]) for k in range(run, j))


def _join_short_answers(points: list[tuple[tuple[str, int, int], Point]], human: list[Message],
                        convs: dict[int, tuple[list[int], Conversation]], index_of: dict[str, int],
                        session_of: dict[int, str]) -> None:
    """Join, in place, a key point that answers another key point's question in a few words (up to
    :data:`_SHORT_ANSWER_WORDS`: "1.3.0 inclusive up to 2.0.0 exclusive") to that question ("When you set … `julia =
    "1.3"`, does that mean you are compatible with Julia 1.3 and up, or only 1.3? — fredrikekre: 1.3.0 inclusive up to
    2.0.0 exclusive"), citing both: alone, the answer leans on a question shown a line above it. The answer is
    :func:`bot.summaries.structure.answer_to` the question's message; each point cites one message only. Not when it may
    answer another question of the asker (:func:`_asked_more`), another point shown between them answers first, or it
    only names what the question says did not work (:func:`_tried_already`)."""
    alone = {p.source_ts[0]: n for n, (_, p) in enumerate(points) if len(p.source_ts) == 1}
    shown_at = [index_of.get(p.source_ts[0]) for _, p in points]  # the message each point shows first
    joined: set[int] = set()
    for n, (key, point) in enumerate(points):
        i = index_of.get(point.source_ts[0])
        if len(point.source_ts) != 1 or i is None or n in joined or not any(
                asks(x) for x in split_sentences(point.text)) or " — " in point.text:
            continue
        group, conv = convs[i]
        j = answer_to(conv, group.index(i))
        m = alone.get(human[group[j]].ts) if j is not None else None
        if j is None or m is None or m == n or m in joined:
            continue
        answer = points[m][1]
        if word_count(answer.text) > _SHORT_ANSWER_WORDS or any(asks(x) for x in split_sentences(answer.text)):
            continue
        if (_asked_more(conv, group.index(i), j) or any(x is not None and i < x < group[j] for x in shown_at)
                or _tried_already(human[i].text, answer.text)
                or _across_silence(human, [*point.source_ts, *answer.source_ts], session_of)):
            continue  # (nor after another point that answers it first: the thread's order is kept)
        points[n] = (key, Point(f"{point.text} — {conv.author(j)}: {answer.text}", [*point.source_ts, *answer.source_ts]))
        joined.add(m)
    points[:] = [kp for n, kp in enumerate(points) if n not in joined]


_CALLS_FOR = re.compile(
    r"\b(?:we are|we're|i am|i'm) (?:\w+ )?(?:looking|searching|asking) for (?:\w+ )?(?:volunteers?|help|people|someone|"
    r"contributors?|presenters?|reviewers?|speakers?|mentors?|feedback|input|comments)\b"
    r"|\bif (?:you are|you're|anyone is) interested\b[^.?!]*\b(?:let (?:me|us) know|reach out|get in touch|sign up|contact)\b"
    r"|\b(?:i|we) (?:want|would like|'d like|need) to \w+"
    r"|\bit would be (?:great|good|nice|wonderful|helpful) if (?:someone|anyone|somebody|people|others?)\b"
    r"|\b(?:does|would|is) anyone (?:fancy|want|like|interested|willing|up for)\b")
"""An opening's ask when it is no question ("we are looking for volunteers there", "If you are interested in this role,
please let me know", "I want to used `M2MD` to write to a Markdown file", "It would be great if someone else could
volunteer to do this in 2022", "Does anyone fancy designing a cover?")."""
_ASK_WORDS = 30
_OPENING_ASK_WORDS = 6
"""Words from which an opening's question is added to it ("Is there an elegant way to do that?"; not "Too late?")."""


def _its_ask(conv: Conversation, shown: str) -> str | None:
    """The opening message's ask (:data:`_CALLS_FOR`, up to :data:`_ASK_WORDS` words) when its point as ``shown`` asks
    nothing and leaves it out: an announcement is read for what it asks of the reader; None otherwise."""
    said = split_sentences(shown)
    if any(asks(x) for x in said):
        return None
    calls = any(_CALLS_FOR.search(x.lower()) for x in said)  # "… we need to create a book cover." still asks no one:
    ask = next((x for x in conv.content[0] if _CALLS_FOR.search(x.lower()) and x not in shown  # "Does anyone fancy
                and (not calls or is_question(x))), None)  # designing a cover based on these ideas …?" does
    if ask is not None and word_count(ask) > _ASK_WORDS:  # "It would be great if someone else could volunteer to do
        ask = re.split(r"\s[-–—]\s", ask)[0]  # this in 2022 - ideally someone (eligible to be) on the R-Ladies Slack, …"
    if ask is None and not calls:  # a problem told at length: the question it comes to ("So if I have module A defining a struct, …
        # … Is there any way to make the struct imported from A and methods from B apply to each other appropriately?")
        ask = next((x for x in conv.content[0] if is_question(x) and x not in shown and word_count(x) >= _OPENING_ASK_WORDS
                    and word_count(shown) + word_count(x) <= _OPENING_WORDS + 15 and not leads_off(x)
                    and not ASKS_FOR_HELP.search(x.lower())), None)
    if ask is None or word_count(ask) > _ASK_WORDS or introduces(ask) or re.search(r"\[\d+\]", ask):
        return None  # not a lead-in to its code ("I want to do something like:" + a type that is not what it wants), nor
        # one with a footnote mark ("Based on CUDA's definition of `\` [0] it looks like I need to provide getrf!")
    return trim_sentence(ask) or ask


def _leans_on_unshown(conv: Conversation, text: str) -> bool:
    """True for a key point that, as shown, opens on what another message said and does not show it: a reply's
    answer or reaction ("Nope, they have a bit of separation", "Yes, it relies on `!` being parsed …", :data:`_RESPONDS`,
    :data:`_REACTS`) or a sentence that leans back or goes on (:func:`bot.summaries.structure.leads_off`: "that's
    what is preventing julia from running", "because the inner elements of your function are being …")."""
    opening = conv.unmention(text).strip() or text
    first = next(iter(split_sentences(opening)), opening)
    return not is_question(first) and " — " not in first and bool(
        leads_off(opening) or _RESPONDS.match(opening) and not opening.startswith("`")  # (not words it quotes in code)
        or _REACTS.match(opening) or _THEN_LAST.match(first)
        and 5 <= word_count(first) <= 12)  # (not "You should then.", whose point is the rest of its message)


_LATER = re.compile(r"\b(?:circle back|get back to (?:you|this|it)|be back|back in (?:about |around )?\d+|"
                    r"in (?:about |around )?\d+ (?:min|mins|minutes|hours?))\b")
"""A message that puts off its answer ("Sure thing @Ian - let me circle back in about 30 minutes"): no context for
what comes after it."""
_ASKED_WORDS = 8
"""Words a question needs to be shown before a reply that leans on it: "you see what I mean?" and "Can you post a MWE?"
say nothing the reply answers."""


_OWN_SHORT_WORDS = 12
"""Words up to which a replier's own message right before their reply is passed over for the message they reply to."""


def _past_own_short(conv: Conversation, i: int) -> int | None:
    """The message a reply ``i`` leans on when its author's own message right before it is short (a clarifying question
    or a first word, :data:`_OWN_SHORT_WORDS` or fewer: "Im assuming the function `dQ` missing an `end` is just a
    typo?" -> "It should work, provided they're both loaded in the same file."): the nearest before that by someone
    else that is not noise. None otherwise (the nearest message before is what it leans on)."""
    j = next((m for m in range(i - 1, -1, -1) if not conv.noise(m)), None)
    if j is None or conv.author(j) != conv.author(i) or sum(word_count(x) for x in conv.content[j]) > _OWN_SHORT_WORDS:
        return None
    return next((m for m in range(j - 1, -1, -1) if not conv.noise(m) and conv.author(m) != conv.author(i)), None)


def _before_is_shown(conv: Conversation, i: int, human: list[Message], group: list[int], cited: set[str]) -> bool:
    """True when the message a reply ``i`` (of ``group``, indices into ``human``) leans on, the nearest before it by
    someone else that is not noise, is cited by another point (``cited``: ``ts`` values): shown in conversation order,
    the reply reads after it."""
    j = next((m for m in range(i - 1, -1, -1) if not conv.noise(m) and conv.author(m) != conv.author(i)), None)
    return j is not None and human[group[j]].ts in cited


_POINT_WORDS = 60
"""Words of prose up to which a thread summary's key point's message is shown whole
(:func:`bot.summaries.structure.in_full`); 30 until round 22 and 40 until round 26, where readers found lines cut
before what mattered far more often than lines too long (docs/evals.md; 60 judged blind against 40: preferred in 34
threads of 54, 40 in 14)."""
_WINDOW_POINT_WORDS = 30
"""The same in a channel's period or a digest's week, whose points and headline are one line each."""
_OPENING_WORDS = 60
"""The same for a thread summary's opening message: the question or problem a reader needs whole ("What is happening
under the hood when you run `] add <package_name>`? Why does it always take minutes to run, …"); at least
:data:`_POINT_WORDS` (45 until round 26; 60 judged blind against 45: preferred in 22 threads of 35, 45 in 2). A
week's view keeps :data:`_WINDOW_POINT_WORDS` for every thread: its points and headline are one line each."""


def _with_its_answer(point: Point, sentence: RankedSentence, human: list[Message], group: list[int],
                     conv: Conversation, cited: set[str]) -> Point:
    """A key point that asks a question someone answered, with that answer (``"… ? — Name: answer"``, citing both):
    a question shown alone reads as open. ``group`` is the sentence's conversation (message indices) and ``conv`` its
    structure. Unchanged when nothing answers it (:func:`bot.summaries.structure.answer_to`) or when the answer's
    message is already cited by another point. The opening question or problem of a long thread is told with where
    the thread ended instead (:func:`_with_where_it_ended`), a problem with what fixed it (:func:`_with_its_fix`), and
    a reply that opens by answering with the question it answers (:func:`_with_what_it_answers`), and one that reacts
    to the statement before it with that statement (:func:`_with_what_it_reacts_to`)."""
    # the opening message is shown with its question ("I have a function that takes two arguments. … Which argument
    # order makes more sense?"): it is asked, whichever of its sentences was picked
    asked = sentence.text if asks(sentence.text) else next(
        (x for x in split_sentences(point.text) if asks(x)), None) if sentence.message_index == group[0] else None
    if (asked or FAILS.search(sentence.text)) and sentence.message_index == group[0] \
            and len(group) >= _LONG_THREAD:
        ended = _with_where_it_ended(point, human, group, conv, cited)
        if ended is not point:
            return ended
    if asked is None:  # … else a reaction with what it reacts to ("ok, that's what i suspected")
        fixed = _with_its_fix(point, sentence, human, group, conv, cited)
        return fixed if fixed is not point else _with_what_it_reacts_to(point, sentence, human, group, conv, cited)
    j = answer_to(conv, group.index(sentence.message_index))
    if j is None or human[group[j]].ts in cited or taken_back(human, group[j]):
        return point  # … nor with an answer its author took back ("It can deal with redefining structs" -> "Whoah you
        # are right @Simeon Schaub, Revise can't handle …")
    # a reply answers the last of several questions ("is there a database of sysimages? Also, are they composable?
    # Can I … load several of them?" -> "You can only load one of them"): shown with it
    questions = [x for x in conv.content[group.index(sentence.message_index)] if is_question(x)]
    last = questions[-1] if len(questions) > 1 and asked in questions and questions[-1] not in point.text else None
    best = answer_sentence(conv, j, last or asked)
    if best is None or _tried_already(human[sentence.message_index].text, best):
        return point
    text = f"{point.text} … {last}" if last is not None else point.text
    said = trim_sentence(best) or best
    at = human[group[j]].text.find(best)
    coded = at >= 0 and human[group[j]].text[at + len(best):].lstrip().startswith("```")  # ("I suggest doing" + its
    # block: in_full shows the code a sentence runs on into)
    if leads_off(best) or coded:  # "It has an option for always flushing" with what it names: "Use a `FileLogger` form `LoggingExtras`."
        full = in_full(conv, j, best, said, words=_ANSWER_WORDS)
        if word_count(full) <= _ANSWER_WORDS:  # (else its own words, whole: "Then I'd just need to know which colour …")
            said = full
    said = with_its_error(conv, j, said)  # "No, any usage of record results in the above error" + the error it means
    if said.endswith(best) and (listed := runs_into_list(conv.messages[j].text, best)) is not None:
        said = f"{said[:-len(best)]}{listed}"  # "…, I am basically trying to do" + the steps it lists
    cited.add(human[group[j]].ts)
    return Point(f"{text} — {conv.author(j)}: {clip(said, _ANSWER_WORDS)}",
                 [*point.source_ts, human[group[j]].ts])


_ANSWER_WORDS = 40
"""Words of the answer shown after a key point's question (25 until round 26, which cut answers mid-sentence; 40 judged
blind against 25: preferred in 16 threads of 21, 25 in 1)."""
_LONG_THREAD = 6
"""Messages from which a thread's opening question or problem, shown in a week's view, is told with where the thread
ended rather than with its first answer."""


def _with_where_it_ended(point: Point, human: list[Message], group: list[int], conv: Conversation,
                         cited: set[str]) -> Point:
    """The opening question or problem of a long thread (:data:`_LONG_THREAD` messages or more) with where the thread
    ended (:func:`bot.summaries.structure.outcome`; "Does anyone here have any idea why is this happening? — Ivan
    Krylov: … — Lambda Moses: IT WORKED!!!!"), citing both; unchanged when it has no outcome past its opening, or
    the outcome's message is already cited (a thread's own summary shows it as "Where it ended")."""
    ended = outcome(conv)
    if ended is None or ended.messages[0] == 0 or any(human[group[i]].ts in cited for i in ended.messages):
        return point
    cited.update(human[group[i]].ts for i in ended.messages)
    text = f"{point.text} — {conv.author(ended.messages[0])}: {clip(trim_sentence(ended.text) or ended.text, _ANSWER_WORDS)}"
    if ended.reply:
        text += f" — {conv.author(ended.messages[-1])}: {clip(ended.reply, REPLY_WORDS)}"
    return Point(text, [*point.source_ts, *(human[group[i]].ts for i in ended.messages)])


def _with_its_fix(point: Point, sentence: RankedSentence, human: list[Message], group: list[int],
                  conv: Conversation, cited: set[str]) -> Point:
    """A key point that reports a problem, with what resolved it later (``"… — Name: It works now!"``, citing both:
    :func:`bot.summaries.structure.resolution_after`): a problem shown alone reads as unsolved. Unchanged when
    nothing after it resolves it or the resolving message is already cited; a point that reports no problem goes on
    to :func:`_with_what_it_answers`."""
    if not FAILS.search(sentence.text):
        return _with_what_it_answers(point, sentence, human, group, conv, cited)
    j = resolution_after(conv, group.index(sentence.message_index))
    if j is None or human[group[j]].ts in cited:
        return point
    said = [x for x in conv.content[j] if not is_question(x)]
    fix = next((x for x in said if resolves(x)), said[0] if said else None)
    if fix is None:
        return point
    cited.add(human[group[j]].ts)
    fix = conv.unmention(fix).strip() or fix
    return Point(f"{point.text} — {conv.author(j)}: {clip(trim_sentence(fix) or fix, _ANSWER_WORDS)}",
                 [*point.source_ts, human[group[j]].ts])


_RESPONDS = re.compile(r"^\W*(?:yes|yeah|yea|ya|yep|yup|no|nope|nah|right|exactly|correct|indeed|sure|or rather|not really|"
                       r"it depends|depends|in that (?:sense|case)|(?:good|great) idea|definitely|absolutely|"
                       r"(?:imo|imho|in my opinion),? (?:yes|no)|the (?:latter|former)(?!\s+(?:half|part|parts)\b)|i mean|"
                       r"(?:that|this|it|those|these)(?:'s|’s| is| was| has| had| will| would| should| "
                       r"only| does| doesn't| won't| can| can't| works?| worked| seems?| looks?| means?))\b", re.IGNORECASE)
"""A reply's opening that answers the message before it ("yes, but you're going to redownload a lot of stuff", "that
has been fixed in the latest versions of the 2.4 and 2.6 branches", "Yea... the `size(A)` is wrong", "In that sense,
this MWE is really helpful to post there", "good idea, I guess that should not be set", "the latter defines a
one-argument function …")."""
_THEN_LAST = re.compile(r"^[^.?!]{0,80}\bthen\W*$", re.IGNORECASE)
"""A short sentence that ends on "then" ("you'll have to differentiate Array and String then"): it draws on what the
message before it said."""


def _with_what_it_answers(point: Point, sentence: RankedSentence, human: list[Message], group: list[int],
                          conv: Conversation, cited: set[str]) -> Point:
    """A key point that opens its message by answering the one before ("yes, but you're going to redownload a lot of
    stuff"), shown after the question it answers (``"Should I delete ~/.julia? — mose: yes, but …"``, citing both):
    alone it answers nothing a reader can see. Unchanged when the sentence does not open its message that way, or
    the message before it (by someone else, the nearest that is not noise) asks nothing, asks someone else by name,
    or is already cited."""
    i = group.index(sentence.message_index)
    if i == 0 or not conv.content[i] or conv.content[i][0] != sentence.text or not _RESPONDS.match(
            conv.unmention(sentence.text)):
        return point
    j = next((m for m in range(i - 1, -1, -1) if not conv.noise(m)), None)
    if j is None or conv.author(j) == conv.author(i) or human[group[j]].ts in cited:
        return point
    asked = next((x for x in reversed(conv.content[j]) if asks(x)), None)
    if asked is None or conv.speaks_to_another(i, conv.author(j)) or any(
            name != conv.author(i) for name in conv.all_mentioned(asked)):
        return point  # "@simon what is the key combo?" is simon's to answer, whoever speaks next
    cited.add(human[group[j]].ts)
    asked = conv.unmention(asked).strip() or asked
    return Point(f"{clip(trim_sentence(asked) or asked, _ANSWER_WORDS)} — {conv.author(i)}: {point.text}",
                 [human[group[j]].ts, *point.source_ts])


_REACTS = re.compile(r"^\W*(?:(?:ok|okay|ah+|oh+|hmm+|yeah|well)\W+)*(?:i see|gotcha|got it|good point|fair point|"
                     r"fair enough|(?:that )?makes sense|that's what i (?:suspected|thought|feared|figured)|that explains|"
                     r"i didn't know|didn't know|til\b|i thought|i understand|now i (?:see|understand|get it)|good to know|"
                     r"that's (?:a bummer|unfortunate|too bad|good to know|interesting)|of course\b|i thought so\b|"
                     r"i don't think so\b|i do not think so\b|not really\b|that just means\b|more seriously\b|"
                     r"(?:yeah|yes|yep|ok|okay|sure|right|true|well),? but\b|if (?:that's|that is|this is|so) (?:the case|true|right)\b|"
                     r"if so\b)"
                     r"|^\W*(?:ok|okay|ah+|oh+)\W+(?:that|this|so|right|interesting)\b", re.IGNORECASE)
"""A reply's opening that reacts to the statement or question before it ("ok, that's what i suspected, given that …",
"good point.. however if you have reorderings …", "I see, that's a bummer", "gotcha, I thought it got nuked", "of
course, I was just wondering …", "I thought so, and I'm pretty sure it used to …", "yeah, but the whole point of
DataFramesMeta is …", "that just means the tests haven't been updated", "If that's the case it must be hanging for me")."""


def _with_what_it_reacts_to(point: Point, sentence: RankedSentence, human: list[Message], group: list[int],
                            conv: Conversation, cited: set[str]) -> Point:
    """A key point that opens its message by reacting to the statement before it (:data:`_REACTS`), shown after
    that statement (``"Micket: It only stores a reference, … — Thomas: ok, that's what i suspected …"``, citing
    both): alone, a reader cannot tell what was suspected or what the good point was. A reply to a question is shown
    after the question ("directly pasting should preserve the formatting? — dpsanders: I thought so, …"). Unchanged
    when the sentence does not open its message that way, or the message before it (by someone else, the nearest that
    is not noise) says nothing of eight words or more (a question: five), speaks to someone else, or is already
    cited."""
    i = group.index(sentence.message_index)
    if i == 0 or not conv.content[i] or conv.content[i][0] != sentence.text or not _REACTS.match(
            conv.unmention(sentence.text)):
        return point
    return _after_what_it_replies_to(point, i, human, group, conv, cited, sentence.text)


def _after_what_it_replies_to(point: Point, i: int, human: list[Message], group: list[int], conv: Conversation,
                              cited: set[str], sentence: str, *, asked_words: int = 5, at: int | None = None) -> Point:
    """``point`` (``sentence`` opening message ``i`` of ``group``) shown after the message it replies to, the nearest
    before it that is not noise, when that is by someone else, speaks to no one else, is not cited yet and says
    something of eight words or more (a question: ``asked_words``): ``"<its best sentence> — <author>: <point>"``,
    citing both; a message of code with :data:`_LEAD_IN_WORDS` words of prose or fewer is shown as those words and the
    code's gist (:func:`bot.summaries.structure.code_gist`). ``at``: the message it replies to, when known
    (:func:`bot.summaries.structure.answers_question_before`). Unchanged otherwise."""
    j = at if at is not None else next((m for m in range(i - 1, -1, -1) if not conv.noise(m)), None)
    if j is None or j == 0 or conv.author(j) == conv.author(i) or human[group[j]].ts in cited or (
            (to := conv.opens_to(j)) is not None and to != conv.author(i)) or (
            (back := conv.opens_to(i)) is not None and back != conv.author(j)):
        return point  # … nor when the reply opens by naming someone else ("@Philip agreed, …" after "did you tag the right Eric?")
    said = [x for x in conv.content[j] if not is_question(x) and word_count(x) >= 8]
    asked = [x for x in conv.content[j] if is_question(x) and word_count(x) >= asked_words]
    short_lead = sum(word_count(x) for x in conv.content[j]) <= _LEAD_IN_WORDS
    if not said and not asked or short_lead and not asked and "```" in conv.messages[j].text:
        # (also a lead-in of eight words or more: "It could! But maybe instead, you should just have it be" + the code)
        gist = code_gist(conv.messages[j].text)
        if gist is None or not short_lead:
            return point
        # "Yeah, haha, the other obvious answer is" + ```trues = filter(…); falses = filter(…)``` -> "that evaluates
        # predicate on every element twice though": the code it speaks of, with the few words that lead into it
        lead = " ".join(conv.unmention(x).strip() for x in conv.content[j])
        cited.add(human[group[j]].ts)
        return Point(f"{clip(f'{lead} {gist}'.strip(), _ANSWER_WORDS)} — {conv.author(i)}: {point.text}",
                     [human[group[j]].ts, *point.source_ts])
    best = answer_sentence(conv, j, sentence) if said and (at is None or not asked) else conv.unmention(asked[-1]).strip()
    if best is None or word_count(best) < (8 if said else asked_words):  # "directly pasting should preserve the formatting?"
        return point
    if is_logistics(best) or is_commitment(best) or _LATER.search(best.lower()) or hedges(best):
        return point  # "Sure thing @Ian - let me circle back in about 30 minutes", "I have the same feeling, but can't
        # tell for sure": says nothing it answers
    cited.add(human[group[j]].ts)
    return Point(f"{clip(trim_sentence(best) or best, _ANSWER_WORDS)} — {conv.author(i)}: {point.text}",
                 [human[group[j]].ts, *point.source_ts])


_LEAD_IN_WORDS = 12
"""Words of prose up to which a message of code is shown, with them, before a reply that leans on it."""
_NOT_PROSE = re.compile(r"<?https?://\S+|:[a-z0-9_+-]+:")


def _prose(text: str) -> str:
    """``text`` without its links and ``:emoji:`` codes: what it says in words ("http://jkunst.com/r/pokemon"
    says nothing as a key point)."""
    return _NOT_PROSE.sub(" ", text)


_SPECIFIC = re.compile(r"\d|`|https?://|@\w|(?<=\w )[A-Z][\w.]*[A-Za-z]")


_MENTION = re.compile(r"@\w[\w.'-]*(?: [A-Z][\w.'-]*)*")


_SOCIAL = re.compile(r"^\W*(?:(?:ah+|oh+|ok|okay|no|yeah|haha+|:[\w+-]+:)\W+)*(?:sorry|apologies|forgive me|no worries|"
                     r"(?:double |warm )?welcome\b|nice to (?:see|have|meet)|(?:i'm|i am) (?:so |very |really )?"
                     r"(?:excited|happy to be|glad to be)\b|happy to be\b|funny enough|just to make sure i understand)",
                     re.IGNORECASE)


def _social(text: str) -> bool:
    """True for a social sentence (:data:`_SOCIAL`: "Sorry for the confusion, I thought you didn't find pi.", "Double
    welcome! Nice to see more bio folks …", "I am very excited for a conda-free world.", "Happy to be the guinea pig")
    that asks nothing, turns to nothing ("Sorry to piggyback on this but would it be possible …?") and shows no link
    or code: never a key point of its own."""
    return bool(_SOCIAL.match(text)) and "?" not in text and not re.search(r"\bbut\b|https?://|`", text)


def _chit_chat(text: str) -> bool:
    """True for a short sentence that names nothing specific ("Running to read right now", "I would've asked
    lots of questions.", "yeah @Colin Nelson, exactly"): fewer than eight words besides the people it
    addresses (``@Full Name``), and no number, code, link or capitalized name after the first word."""
    said = _MENTION.sub(" ", text)
    return word_count(said) < 8 and not _SPECIFIC.search(said)


_LIST_MARK = re.compile(r"^\s*(?:[-*•◦▪‣]|\(?\d{1,2}[.)]|\([a-z]\))\s")


_GOES_ON = re.compile(r"^(?:and|but|or|so|also|plus)\b")


def _asked_laughing(text: str, sentence: str) -> bool:
    """True when message ``text`` ends laughing or tongue in cheek (:func:`is_a_joke`) right after ``sentence``, with
    nothing said between ("??? Are *you* personally responsible for the changes in LLVM?
    :rolling_on_the_floor_laughing:"): a quip, no key point. Not a question followed by more ("… through page 28,
    right? I'm getting confused between the chapters and levels haha")."""
    at = text.find(sentence)
    if at < 0 or not is_a_joke(text):
        return False
    after = _LAUGHS.sub(" ", text[at + len(sentence):])
    return re.search(r"\w{2,}", after) is None


_LAUGHS = re.compile(r":[\w+\-]+:|\b(?:haha+|hehe+|lol|lmao|rofl|xd)\b|[:;]-?[pPD)]")
"""Emoji codes, laughs and emoticons: what a message may end with after a quip (:func:`_asked_laughing`)."""


def _list_fragment(text: str) -> bool:
    """True for a list item (numbered or bulleted) that is short ("2. the docs", "◦ R OpenSci's draft of
    translation guidelines": fewer than twelve words, links not counted) or goes on from its list's lead-in in
    lower case ("(3) for git (I think also outside docker with the PO merge tool installed)"), and for a short
    sentence that goes on from the one before it ("and you can't access the file view."): out of its context it
    says little."""
    mark, words = _LIST_MARK.match(text), word_count(_prose(text))
    if mark is None:
        return bool(_GOES_ON.match(text)) and words < 12
    return words < 12 or text[mark.end():][:1].islower()


_ANNOUNCES_A_QUESTION = re.compile(
    r"^\W*(?:(?:hi|hello|hey|so|also|and|ok),? )*(?:i (?:also )?(?:wanted|want|would like|'d like|have|had) (?:to ask|"
    r"(?:a|another|one more) (?:quick |small |related )?question)|(?:a |another |one more )?(?:quick |small |related )?"
    r"question)\b", re.IGNORECASE)


_PASTES = re.compile(r"\b(?:past(?:e|es|ed|ing)|below|following|here(?:'s| is| are)|as follows|returns?|output|"
                     r"prints?|shows?|says?|errors?|logs?|lines?|links?|traceback)\b", re.IGNORECASE)


_ASKS_HOW = re.compile(r"\b(?:is it possible|is there|how (?:do|can|could|would|should)|any way|can i|could i|should i)\b",
                       re.IGNORECASE)
_THE_FOLLOWING = re.compile(r"(?:\b(?:is|are|was|were|as|like) (?:the )?follow(?:s|ing)|\bsuch as|\blike this|\bas follows|"
                            r"(?<!\bi )(?<!\byou )(?<!\bwe )(?<!\bthey )(?<!\bwould )(?<!'d )\blike)\W*$", re.IGNORECASE)
"""A sentence that ends by announcing what follows ("… the task I am trying to accomplish is the following,")."""


def _lead_in(text: str) -> bool:
    """True for a sentence that only introduces what follows: in twelve words or fewer, pasted material ("I am
    getting another error now:", "`svn info` returns:") or a question to come ("I also wanted to ask regarding
    the tuples.", "Quick question about Pkg"); at any length, one that ends in ":" and says it pastes ("A `.FAIL`
    file is generated and I am pasting the last few lines from that:") or that ends announcing what follows ("… the
    task I am trying to accomplish is the following,")."""
    colon = text.rstrip().endswith(":")
    if colon and _PASTES.search(text) or _THE_FOLLOWING.search(text) and not _ASKS_HOW.search(text):
        return True  # "… is it possible to get the loop index without doing something like this:" asks
    short = word_count(text) <= 12
    return short and (colon or bool(_ANNOUNCES_A_QUESTION.match(text)) and not is_question(text))


def _by_thread(human: Sequence[Message], candidates: list[int], message_of: list[int]) -> list[int]:
    """One candidate a thread, busiest thread first: threads ordered by their messages inside the window, then
    by how many people wrote them (a top-level message without replies is a thread of one); ``candidates``
    are sentence keys best first, ``message_of`` each one's message index. A thread's candidate is the best
    of its parent when the parent is inside the window (it states what the thread is about), else its best.
    Threads of one message (a top-level message nobody replied to) come in only when there is no other.

    A channel's week is told by what people talked about most (the digest's "Main threads" use the same
    order); the conversation-wide ranking alone favours many short messages on one theme ("on my way",
    "my flight is late") over the one long thread where the work happened.
    """
    keyed = _threads(human)
    threads = list(keyed.values())
    parents = {i for key, group in keyed.items() for i in group if human[i].ts == key}  # a session: its opening
    thread_of = {i: t for t, group in enumerate(threads) for i in group}

    def activity(t: int) -> tuple[int, int]:
        inside = [i for i in threads[t] if not human[i].context]
        return len(inside), len({human[i].user_name for i in inside})

    opening = {t: group[0] for t, group in enumerate(threads) if group[0] in parents and not human[group[0]].context}
    best: dict[int, int] = {}
    for k, i in zip(candidates, message_of, strict=True):
        if i == opening.get(thread_of[i]):
            best.setdefault(thread_of[i], k)
    for k, i in zip(candidates, message_of, strict=True):
        best.setdefault(thread_of[i], k)
    order = sorted(best, key=lambda t: (-activity(t)[0], -activity(t)[1], t))
    return [best[t] for t in order if activity(t)[0] > 1 or len(order) <= 1] or [best[t] for t in order]


def _cover(picked: list[int], message_of: list[int], messages: int, budget: int,
           covered: frozenset[int] | set[int] = frozenset(), room: int = 0) -> list[int]:
    """At most ``budget`` of ``picked`` (best first) that cover the conversation: one a message, and the
    messages cut into ``budget`` equal spans, the best of each span first, then the best of the rest.
    Messages in ``covered`` (the one the outcome cites, shown above the key points) come last: a key point
    from another message says more than a second sentence of the one already quoted. When fewer messages than
    ``budget`` have a sentence picked, a message's next-best sentence fills the rest, up to ``room`` points in
    all: an announcement's call to action ("Everyone is welcome to … via issues on our GitHub repo: <link>")
    rather than its first sentence alone.

    Args:
        picked: sentence keys, best first. message_of: each one's message index. messages: how many messages.
        budget: how many to keep.
        covered: message indices already cited above the key points.
        room: how many points the summary can still show (:func:`bot.summaries.render.point_budget` less
            the other sections' points); a message's second sentence is added only within it.

    Returns:
        The kept keys, in the order they were picked (spans first).
    """
    seen: set[int] = set()
    once = []
    for k, i in zip(picked, message_of, strict=True):
        if i not in seen:
            seen.add(i)
            once.append((k, i))
    if budget <= 0:
        return []
    fresh = [(k, i) for k, i in once if i not in covered]
    span = max(1, -(-messages // budget))
    first: dict[int, int] = {}
    for k, i in fresh:
        first.setdefault(i // span, k)
    chosen = list(first.values())[:budget]
    rest = [k for k, _ in fresh if k not in chosen] + [k for k, i in once if i in covered]
    kept = chosen + rest[: budget - len(chosen)]
    if len(kept) < min(budget, room):  # fewer messages than points: a message's next sentence, not an empty line
        firsts = {k for k, _ in once}
        kept += [k for k, i in zip(picked, message_of, strict=True) if k not in firsts and i not in covered][
            : min(budget, room) - len(kept)]
    return kept


def _budget(chosen: dict[str, _Picked], sentences: list[RankedSentence], scores: np.ndarray,
            max_words: int) -> dict[str, _Picked]:
    """Keep the best-scored points of all sections within ``max_words``."""
    def score(kp: tuple[tuple[str, int, int], Point]) -> float:
        return float(scores[kp[0][2]]) if kp[0][2] < len(scores) else 0.0

    flat = sorted(((kp, name) for name, kps in chosen.items() for kp in kps), key=lambda x: (-score(x[0]), x[0][0][2]))
    kept: dict[str, _Picked] = {name: [] for name in chosen}
    total = 0
    for kp, name in flat:
        words = word_count(kp[1].text)
        if total + words > max_words and total > 0:
            continue
        kept[name].append(kp)
        total += words
        if total >= max_words:
            break
    return kept


def _budget_keys(picked: list[int], sentences: list[RankedSentence], scores: np.ndarray, max_words: int) -> list[int]:
    """The best-scored of ``picked`` sentence indices within ``max_words``."""
    kept: list[int] = []
    total = 0
    for k in sorted(picked, key=lambda k: (-scores[k], k)):
        words = word_count(sentences[k].text)
        if total + words > max_words and total > 0:
            continue
        kept.append(k)
        total += words
        if total >= max_words:
            break
    return kept


_ASKS_OUTCOME = re.compile(
    r"\b(?:what|how|which|where|who|did|was|were|has|have|is|are)\b.*"
    r"\b(?:fix(?:ed|es)?|solv(?:ed|es)?|solution|resolv(?:ed|es)?|"
    r"work(?:ed|s)?|decid(?:ed|e)|decision|conclu(?:ded|sion)|end(?:ed)? up|outcome|land(?:ed)?|settle(?:d)?|agree(?:d)?)\b",
    re.IGNORECASE)
"""A question about where a thread ended ("what fixed the liblzma error?", "what did we decide?", "where did we
land?"): the thread's outcome answers it, not the sentences that share its words (those state the problem)."""


def _said_by(human: Sequence[Message], sentences: list[RankedSentence], keys: Sequence[int],
             texts: dict[int, str] | None = None) -> str:
    """The sentences ``keys`` in conversation order after their author's name, once for consecutive sentences by
    the same person ("Joan: I volunteer … Gergely: thanks for leading …"); ``texts`` gives a sentence shown otherwise
    (with the code it introduces)."""
    parts: list[str] = []
    previous = None
    for k in sorted(keys):
        author = human[sentences[k].message_index].user_name
        text = (texts or {}).get(k, sentences[k].text)
        parts.append(text if author == previous else f"{author}: {text}")
        previous = author
    return " ".join(parts)


_SAYS_LESS = re.compile(r"^\W*(?:e\.g\.|eg\b|for example|for instance|or\b)", re.IGNORECASE)
"""A sentence that only illustrates or offers another option after one of its own message: it says less."""
_SPREAD_THREAD = 40
"""Messages above which a thread's key points are drawn from each span of it, not from the best-ranked alone: the
position prior keeps a long thread's points in its first minutes (judged blind on 27 long threads, 17 for spreading, 8
against; on 27 threads of 6–40 replies, 15 for, 10 against, so shorter threads keep the ranking as it is)."""
_SHORT_POINTS = 2
"""At this many points a section or fewer (the "Shorter" redo), "Where it ended" takes a key point's place."""
_CONFIRMED = 1
"""Answers the asker said worked shown as key points besides the outcome (the last ones)."""
HEDGE_FACTOR = 0.5
"""What a reply's hedging sentence keeps of its rank (:func:`bot.summaries.structure.hedges`), and a reply its author
ends as a joke (:func:`bot.summaries.structure.is_a_joke`)."""
_CLARIFYING_WORDS = 10
"""Words under which another person's question in a thread only asks for detail ("Which line does it say errors?"):
never the thread's headline. A longer one may say what the thread turned on ("Are you sure you are implementing
`PkgTemplates.posthook`, or …?")."""
_INTRODUCED = 3
"""Lines of a list or links that an answer ending in ":" shows after it (:func:`_with_what_it_introduces`)."""


def _with_what_it_introduces(sentences: list[RankedSentence], keys: Sequence[int]) -> list[int]:
    """``keys`` with, after each sentence that introduces what follows it ("Here are the links to the materials
    from Session 01, Feb 22:"), up to :data:`_INTRODUCED` sentences of the same message that follow it (the list of
    links it introduces): an answer that ends in ":" answers nothing."""
    out = list(keys)
    for k in keys:
        if not introduces(sentences[k].text):
            continue
        following = [j for j in range(k + 1, len(sentences)) if sentences[j].message_index == sentences[k].message_index
                     and re.search(r"[^\W\d_]", sentences[j].text)]  # not a list's bare "2."
        out.extend(j for j in following[:_INTRODUCED] if j not in out)
    return out



def _how_it_ended(human: list[Message], sentences: list[RankedSentence], scores: np.ndarray, base: Summary,
                  ended: Item, *, max_points: int) -> Summary | None:
    """``base`` answering "how did it end?" with the thread's outcome ``ended``
    (:func:`bot.summaries.structure.outcome`), or None when no statement of it is left. The answer quotes the best
    statement of each message of the answering author's last run (up to three messages in a row: an answer often
    takes several), ending with the outcome's own sentence; the key points cite those and the confirmation's best
    sentence."""
    answered = ended.messages[0]
    run = [answered]
    while run[0] > 0 and human[run[0] - 1].user_name == human[answered].user_name and not human[run[0] - 1].context:
        run.insert(0, run[0] - 1)

    def best_of(i: int, *, statements: bool = True, prefer: str = "") -> int:
        keys = [k for k, s in enumerate(sentences) if s.message_index == i and not is_noise(s.text)
                and not (statements and is_question(s.text))]
        return max(keys, key=lambda k: (sentences[k].text == prefer, scores[k]), default=-1)

    stated = [best_of(i, prefer=ended.text if i == answered else "") for i in run[-3:]]
    keys = [k for k in dict.fromkeys(stated) if k >= 0]
    if not keys:
        return None
    confirmed = [best_of(i, statements=False, prefer=ended.text) for i in ended.messages[1:]]
    base.answer = _said_by(human, sentences, sorted(keys)[-2:])
    _quote_as_overview(base, sentences[sorted(keys)[-2:][0]])
    cited = sorted(dict.fromkeys([*keys, *(k for k in confirmed if k >= 0)]))
    base.key_points = [Point(sentences[k].text, [sentences[k].ts]) for k in cited][:max_points]
    return base


_ASKS_FOR = {
    "duration": re.compile(r"^\W*(?:and |so )?how long\b", re.IGNORECASE),
    "time": re.compile(r"^\W*(?:and |so )?(?:when|what time|what date|which day|how soon|until when|since when)\b"
                       r"|\bby when\b", re.IGNORECASE),
    "number": re.compile(r"^\W*(?:and |so )?how (?:many|much|often|big|large|fast|old)\b", re.IGNORECASE),
}
"""Questions that ask for a kind of thing an answer must hold (answer typing, as in factoid question answering:
Hovy et al., "Toward Semantics-Based Answer Pinpointing", HLT 2001): a duration ("how long is the train ride?":
a price is no answer), a time, or a number."""
_NEEDS = {
    "duration": re.compile(
        r"\b(?:\d+(?:[.,]\d+)?\s*(?:s|secs?|seconds?|mins?|minutes?|h|hrs?|hours?|days?|weeks?|months?|years?)|"
        r"seconds?|minutes?|hours?|days?|weeks?|months?|years?|overnight|instant\w*|forever|quick\w*|long)\b",
        re.IGNORECASE),
    "time": re.compile(
        r"\d|\b(?:" + MONTHS + r"|monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|wed|thu|fri|sat|sun|"
        r"today|tonight|tomorrow|yesterday|morning|afternoon|evening|noon|midnight|weekend|(?:minute|hour|day|week|"
        r"month|year)s?|soon|later|next|last|ago|spring|summer|autumn|fall|winter|christmas|eod|asap)\b",
        re.IGNORECASE),
    "number": re.compile(
        r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundred|"
        r"thousand|million|dozens?|a few|several|half|double|twice|once|minutes?|hours?|days?|weeks?|months?|years?|"
        r"seconds?|all|none|no one|nobody|most|many|much|little|lot)\b", re.IGNORECASE),
}
"""What an answer of each kind holds: a length of time (a number with its unit, or a unit: "about 1.5 hours",
"a few days"), a time expression, or a number or amount."""
_TYPED_AMONG = 3
"""A question for a time or a number is declined when none of its ``_TYPED_AMONG`` most relevant sentences holds one
(on ``tune``: 8 of 18 unanswerable questions declined, 1 of 70 answerable; among the top 5, 5 and 0)."""


_OWN_RELEVANCE = 0.7
_LATEST = 1.0
"""How an answer is ranked (:func:`_answer`): a sentence's relevance to the question is ``_OWN_RELEVANCE`` its
own plus the rest from what it replies to (:func:`_inherited`), and the last message weighs ``1 + _LATEST`` times
the first. Chosen on the ``tune`` half of ``evals/questions`` (own weight 0.5 / 0.7 / 1.0 × latest 0 / 0.5 / 1 /
1.5: answer recall of 70 answerable questions from 0.53 at 1.0 / 0 to 0.76 here, the best on the first 42 too)."""
_ASKS_WHO = re.compile(r"^\W*(?:and |so )?who(?:'s|se| is| will| did| does| has| can| should| would)?\b", re.IGNORECASE)
_OWN_WORK = re.compile(r"\b(?:i|we)(?:'ve| have)? (?:just |now |already )?(?:made|opened|filed|created|submitted|sent|"
                       r"fixed|merged|pushed|added|updated|wrote|emailed|posted|started)\b")
"""A report of one's own work ("I have started a new channel", "I emailed Simon"): it names who did it."""
_VOLUNTEERS = re.compile(r"\b(?:i(?:'m| am) (?:happy|glad|willing) to|i(?:'d| would) be (?:happy|glad) to|count me in|"
                         r"i volunteer|i can (?:help|do it|take (?:it|this|that|care))|i(?:'d| would) love to (?:help|join))\b")
"""Someone offering themselves ("I'm happy to help", "count me in"): it names who will do it."""


_GENERIC = frozenset(
    "what how which where who whom whose when why did does do was were has have had is are the a an of to in on for "
    "with we they it i you he she this that these those our your their my finally eventually end ended up get got "
    "fix fixed fixes solve solved solves solution resolve resolved resolves work worked works decide decided "
    "decision conclude concluded conclusion outcome land landed settle settled agree agreed about on".split())


def _about(question: str) -> set[str]:
    """The words of ``question`` that name its subject (not question words, not "fix"/"decide"): "how do I fix the
    Quartz errors?" -> {"quartz", "errors"}."""
    return {w for w in re.findall(r"[^\W\d_]{3,}", question.lower()) if w not in _GENERIC}


def _resolved(conv: Conversation, sentences: list[RankedSentence], relevance: np.ndarray, *,
              max_points: int) -> list[int]:
    """For a question about how a named problem was solved: the sentences of the first message that reports a
    resolution after the sentence most relevant to the question (:func:`bot.summaries.structure.resolution_after`),
    the resolving sentence first; none when nothing after it resolves."""
    problem = int(np.argmax(relevance))
    j = resolution_after(conv, sentences[problem].message_index)
    return _statements(conv, sentences, j)[:max_points] if j is not None else []


def _statements(conv: Conversation, sentences: list[RankedSentence], j: int) -> list[int]:
    """The keys of message ``j``'s sentences that it says (not noise, not a quote, not a signature) and that do not
    ask, in order."""
    said = set(conv.content[j])
    return [k for k, s in enumerate(sentences) if s.message_index == j and s.text in said and not is_question(s.text)]


def _inherited(human: list[Message], sentences: list[RankedSentence], relevance: np.ndarray, alpha: float) -> np.ndarray:
    """Relevance to the question mixed with that of what each sentence replies to: ``alpha`` × its own + (1 −
    ``alpha``) × the best of the nearest earlier message by someone else (a reply to the message that states the
    problem answers it)."""
    best: dict[int, float] = {}
    for k, s in enumerate(sentences):
        best[s.message_index] = max(best.get(s.message_index, 0.0), float(relevance[k]))
    prompt: dict[int, float] = {}
    for i in range(len(human)):
        for j in range(i - 1, -1, -1):
            if human[j].user_name != human[i].user_name and j in best:
                prompt[i] = best[j]
                break
    return np.array([alpha * relevance[k] + (1 - alpha) * prompt.get(s.message_index, 0.0)
                     for k, s in enumerate(sentences)])


def _replied(conv: Conversation, sentences: list[RankedSentence], asked: int, blended: np.ndarray) -> list[int]:
    """When sentence ``asked`` asks (:func:`bot.summaries.structure.asks`), the sentences of the message that
    answers it (:func:`bot.summaries.structure.reply_to`): its two most relevant, in order; else none."""
    if not asks(sentences[asked].text):
        return []
    j = reply_to(conv, sentences[asked].message_index)
    if j is None:
        return []
    return sorted(sorted(_statements(conv, sentences, j), key=lambda k: -blended[k])[:2])


def _declined(base: Summary) -> Summary:
    """``base`` saying that no message answers the question (in its language), with nothing cited."""
    base.answer = _NO_ANSWER.get(base.language, _NO_ANSWER["en"])
    base.overview = base.answer
    return base


def _answer(question: str, human: list[Message], sentences: list[RankedSentence], scores: np.ndarray,
            similarity: np.ndarray, base: Summary, *, max_points: int, max_words: int | None) -> Summary:
    """``base`` answering ``question``, with the sentences it rests on as key points (see :func:`_answer_in`).

    In a channel's window of several conversations (:func:`_threads`), the question is then answered again
    within the conversation that holds its most relevant sentence (a thread, with its parent from before the
    window), where the thread rules apply (the reply to the message that asks, what resolved the problem named,
    where it ended); the window's answer stands when it declines (a decline is never undone) or when the
    conversation's answer would decline."""
    matrix, qmatrix = vectorize([s.text for s in sentences], [question])
    relevance = (matrix @ qmatrix.T).toarray()[:, 0]  # each sentence's cosine with the question
    whole = _answer_in(question, human, sentences, scores, similarity, relevance, base, max_points=max_points,
                       max_words=max_words)
    threads = list(_threads(human).values())
    if len(threads) < 2 or not any(p.source_ts for p in whole.key_points):
        return whole
    best: dict[int, float] = {}
    for k, s in enumerate(sentences):
        if not human[s.message_index].context:
            best[s.message_index] = max(best.get(s.message_index, 0.0), float(relevance[k]))
    about_it = max(threads, key=lambda group: max((best.get(i, 0.0) for i in group), default=0.0))
    if len(about_it) < 2:
        return whole
    narrowed = summarize_offline([human[i] for i in about_it], question=question, max_points=max_points,
                                 max_words=max_words)
    if not any(p.source_ts for p in narrowed.key_points):
        return whole
    narrowed.message_count, narrowed.language = whole.message_count, whole.language
    return narrowed


def _asked_here(question: str, human: list[Message], sentences: list[RankedSentence], conv: Conversation,
                relevance: np.ndarray) -> tuple[int, list[str]] | None:
    """When the question Recap is asked is the one the thread asked (its most relevant sentence asks, directly or
    not), the reply that answered it there (:func:`bot.summaries.structure.answer_to`) when it is code alone or its
    asker took it up (:func:`bot.summaries.structure.taken_up`: thanked it, or said it worked, right after it), as
    ``(message index, [sentence, …])``: code's gist (:func:`bot.summaries.structure.answer_sentence`:
    ``ENV["LANG"]``), or the answering sentence with the message's next most relevant statement. None otherwise.
    Code is never one of the sentences an answer is ranked from, so "how do you get the system's language setting in
    Julia?" was answered with the thread's own question restated; and a later remark on the question's topic ("best
    to ask in #makie about why it's slow") outranked the "no, that shouldn't influence it" its asker thanked.

    Readers of the forty-second round graded the offline answers to 88 questions on unlabelled threads 14 right, 36
    partly, 38 wrong. Answering every question the thread asked with the first reply to it, taken up or not, was
    preferred on 15 fresh questions 11 to 4, but 8 to 9 (2 the same) on the labelled ``check`` half's 19 changed
    answers, whose labelled answers it cited 5 fewer times of 105: not kept (docs/evals.md, forty-second round)."""
    asking = [k for k, s in enumerate(sentences) if asks(s.text) and not human[s.message_index].context]
    if not asking:
        return None
    k = max(asking, key=lambda k: relevance[k])
    if relevance[k] < max(relevance.max(), _MIN_RELEVANCE):
        return None
    j = answer_to(conv, sentences[k].message_index)
    if j is None or not conv.noise(j) and not taken_up(conv, sentences[k].message_index, j):
        return None
    text = answer_sentence(conv, j, question)
    if text is None:
        return None
    said = _statements(conv, sentences, j)
    found = next((s for s in said if text in sentences[s].text), None)
    if found is None:
        return j, [text]  # code alone, or "Yes. …": as answer_sentence gives it
    other = max((s for s in said if s != found and relevance[s] > 0), key=lambda s: relevance[s], default=None)
    return j, [sentences[s].text for s in sorted({found, *([] if other is None else [other])})]


def _answer_in(question: str, human: list[Message], sentences: list[RankedSentence], scores: np.ndarray,
               similarity: np.ndarray, relevance: np.ndarray, base: Summary, *, max_points: int,
               max_words: int | None) -> Summary:
    """``base`` answering ``question`` from ``human``'s sentences (``relevance``: each one's character n-gram
    cosine with the question): the rules below, in order."""
    about = _about(question)
    conv = Conversation(human)  # who said what to whom: built once for the structure rules below
    if _ASKS_OUTCOME.search(question) and len(_groups(human)) == 1:
        ended = outcome(conv)
        at_outcome = max((relevance[k] for k, s in enumerate(sentences) if ended and s.message_index in ended.messages),
                         default=0.0)
        fixed = [] if not about else _resolved(conv, sentences, relevance, max_points=max_points)
        if ended is not None and (not about or at_outcome >= 0.5 * relevance.max()
                                  or any(sentences[k].message_index in ended.messages for k in fixed)):
            answered = _how_it_ended(human, sentences, scores, base, ended, max_points=max_points)  # "what did we decide?"
            if answered is not None:
                return answered
        elif fixed:  # "how do I fix the Quartz errors?": what resolved the problem the question names
            base.answer = _said_by(human, sentences, fixed[:2])
            _quote_as_overview(base, sentences[fixed[0]])
            base.key_points = [Point(sentences[k].text, [sentences[k].ts]) for k in sorted(fixed)]
            return base
    here = _asked_here(question, human, sentences, conv, relevance) if len(_groups(human)) == 1 else None
    named = about and any(about <= set(re.findall(r"[^\W\d_]{3,}", s.text.lower())) for s in sentences)
    if relevance.max() < _MIN_RELEVANCE and not named:  # a long sentence that names the subject still may answer
        return _declined(base)
    centrality = scores / (scores.max() or 1.0)
    # A question is rarely its own answer: prefer statements.
    statement = np.array([0.5 if _is_question(s.text) else 1.0 for s in sentences])
    relevance = _inherited(human, sentences, relevance, _OWN_RELEVANCE)
    blended = (0.8 * relevance / relevance.max() + 0.2 * centrality) * statement
    # an answer comes after what it answers, and the latest word on a subject is where it stands: "did the PR get
    # merged?" (the weight of the last message is 1 + _LATEST times that of the first)
    blended = blended * np.array([1.0 + _LATEST * s.message_index / max(len(human) - 1, 1) for s in sentences])
    who = bool(_ASKS_WHO.match(question))
    if who:  # "who will make the patch?": a promise or a report of one's own work names the person
        blended = blended * np.array([2.0 if is_commitment(s.text) or _OWN_WORK.search(s.text.lower())
                                      or _VOLUNTEERS.search(s.text.lower().replace("’", "'")) else 1.0
                                      for s in sentences])
    candidates = [k for k in range(len(sentences)) if relevance[k] > 0 and not human[sentences[k].message_index].context
                  and not is_noise(trim_sentence(sentences[k].text) or sentences[k].text)]  # context only informs
    if not candidates:
        return _declined(base)
    picked = mmr(candidates, blended, similarity, k=max_points)
    needs = _NEEDS.get(next((kind for kind, ask in _ASKS_FOR.items() if ask.search(question)), ""))
    if here is not None and (needs is None or any(needs.search(text) for text in here[1])):
        j, replied_with = here  # the thread's own question was asked, and the reply its asker took up answered it
        base.answer = f"{human[j].user_name}: {' '.join(replied_with)}"
        base.overview, base.overview_ts = _shorten(replied_with[0], 30), human[j].ts
        others = [Point(sentences[k].text, [sentences[k].ts]) for k in sorted(picked)
                  if sentences[k].message_index != j][:max(max_points - len(replied_with), 0)]
        base.key_points = sorted([*(Point(text, [human[j].ts]) for text in replied_with), *others],
                                 key=lambda p: float(p.source_ts[0]))
        return base
    if needs is not None and not any(needs.search(sentences[k].text) for k in picked[:_TYPED_AMONG]):
        return _declined(base)  # "when is the next meeting?": no date said
    replied = [] if who else _replied(conv, sentences, picked[0], blended)
    if replied:  # the best match asks the question: its reply answers it ("Definitely 4.1.3")
        picked = [*replied, *(k for k in picked if k not in replied)][:max_points]
    if max_words is not None:
        picked = _budget_keys(picked, sentences, blended, max_words)
    typed = [k for k in picked if needs is not None and needs.search(sentences[k].text)]
    best = [k for k in replied if k in picked] or (typed + [k for k in picked if k not in typed])[:2]
    best = [k for k in best if not taken_back(human, sentences[k].message_index)] or best
    shown = _with_what_it_introduces(sentences, best)
    texts = {k: _with_its_code(human, sentences, k, shown) for k in {*shown, *picked}}
    base.answer = _said_by(human, sentences, shown, texts)
    _quote_as_overview(base, sentences[picked[0]])
    base.key_points = [Point(texts[k], [sentences[k].ts]) for k in sorted(picked)]
    return base


def _with_its_code(human: list[Message], sentences: list[RankedSentence], k: int, shown: Sequence[int]) -> str:
    """Sentence ``k`` as an answer shows it: when it introduces code ("You can use `Base.@kwdef`, like so:", "one
    option is:") and no sentence of its message after it is shown, with the gist of that code
    (:func:`_code_after`, :func:`bot.summaries.structure.code_gist`); readers of the forty-second round found answers
    ending on the colon with the code left out ("Mason's quoted lead-in ends before his code")."""
    text = sentences[k].text
    index = sentences[k].message_index
    if not introduces(text) or any(j > k and sentences[j].message_index == index for j in shown):
        return text
    gist = _code_after(human[index].text, text, fenced=False)
    return f"{text} {gist}" if gist else text
