"""What a conversation is about, as a short phrase of its own words: the offline title's draft.

Keywords sorted by where they first occur read as word salad on real threads ("What's office minutes sorry
missed" for a thread that opens "AMER office hour starting in 5 minutes"): the request's own words ("what's
the summary?") outrank the thread's, chit-chat words that occur once score as high as the subject, and the
words chosen are far apart. A person titles a thread by what its opening message asks or announces, in
that message's words. So the draft is the best *contiguous* run of words of the opening's first content
sentences ("size of the R community", "enable buildkite for FoldsKernelAbstractions.jl"): it starts and
ends on a content word, stays inside one clause, is about the user's title length (each word past it costs),
and weighs each content word by whether the conversation comes back to it and whether it is a name (a
capitalised word inside a sentence, an acronym, an identifier such as ``JULIA_NUM_THREADS`` or ``vscode-julia``).
A newcomer's introduction is titled by whose it is (:func:`introduction`).

The request is the subject when it says one ("@Recap what did we decide about the release date?"); a
request to summarize ("@Recap tl;dr please") says nothing of the conversation and is left out.

Pure functions over strings; the sentence splitter and the noise test are the summarizer's
(:mod:`bot.summaries.sentences`, :func:`bot.summaries.structure.is_noise`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from bot.summaries.sentences import split_sentences
from bot.summaries.structure import is_noise
from bot.titles.keywords import stop_words
from bot.titles.text import WORD, clean_text, count_words

REQUEST_WORDS = frozenset(
    """summarize summarise summarizing summary summaries recap tldr tl dr catch caught miss missed happened
    happening going gist rundown overview explain digest brief briefly short quick main points key
    discussed discussion conversation convo pls please bot decided decide conclusion""".split()
)
"""Words of a request that ask for a summary and say nothing of the conversation's subject."""

_CHATTER = frozenset(
    """sorry wow hmm hm uh um umm damn oh ah ugh lol yeah yea yeas ok okay oops welcome cheers bet anyway
    guess hope honestly basically literally totally kinda sorta awhile wonder wondering curious trying
    tried seem seems seemed able unable happy glad ping wanted ago
    cc hours minutes say says said ne""".split()
)
"""Chat words that are content words to a stop list but never a thread's subject."""

_GENERIC = frozenset(
    """work works worked working fine seem missing obvious pick suggest add added adding help helps problem problems
    issue issues fix fixed fixing run running way thing stuff case cases example sure wrong better best simple easy
    hard different same possible trouble error having""".split()
)
"""Words that take part in a subject but never make one ("works fine", "missing something obvious"): half weight,
as adverbs in -ly are."""

_CLAUSE = re.compile(r"\s*(?:[,;:()\[\]{}—–|•]|\s-\s|-{2,}|\.{2,}|…|[?!](?=\S)|\.\s+(?=[A-Z]))\s*")
_NAME_LIKE = re.compile(r"[A-Z].*[A-Z]|\d|\w[._/+#\-]\w")
_INLINE_CODE = re.compile(r"`([^`\n]{1,40})`")
_FILE_MARK = re.compile(r"\[file: [^\]]*\]|Screen ?[Ss]hot \d{4}-\d\d-\d\d at [\d.]+(?: ?[AP]M)?")
_QUOTES = re.compile(r"[\"“”«»„]|(?<!\w)['‘’]|['‘’](?!\w)")
_CONTRACTION = re.compile(r"['’](?:s|ll|ve|re|d|m|t)$")
_ABBREVIATION = frozenset("e.g eg i.e ie etc cf vs viz".split())
_EDGE = "\"'“”‘’«»*_~!?.,;:"

SENTENCES_READ = 4
"""Sentences of the opening message a phrase may come from (later ones weigh less)."""
_DECAY = (1.0, 0.7, 0.55, 0.45)
ENOUGH = 2.0
"""The least worth of a run that may be a title: two content words (a greeting ranks lower, but counts); a
run also needs two different content words, so a name alone ("Federica") is no title."""
LONG_COST = 0.4
"""What each word past the user's title length costs a run: a seventh word must say something."""
NOISE_FACTOR = 0.7
"""What a sentence the summarizer counts as noise weighs (a greeting has no phrase anyway; a meeting
invitation's first line is its subject: "AMER office hour starting in 5 minutes")."""


def request_subject(request: str) -> str:
    """The request's text when it names a subject, else ``""``.

    A request names one when at least two of its words are neither stop words nor words asking for a
    summary (:data:`REQUEST_WORDS`): "@Recap when does the 1.7 release freeze start?" does, "@Recap
    summarize this thread please" and "what was decided?" do not.
    """
    text = clean_text(request).strip()
    stop = stop_words()
    content = [w for w in WORD.findall(text) if w.lower() not in stop and w.lower() not in REQUEST_WORDS]
    return text if len(content) >= 2 else ""


def _core(token: str) -> str:
    return token.strip(_EDGE)


def _weight(token: str, position: int, recurring: Counter[str], stop: frozenset[str]) -> float:
    """A token's worth in a title: 0 for stop words, chat words, contracted stop words and punctuation; 0.5 for
    a number; 1 for a content word (0.5 for a generic one or an adverb in -ly), +0.5 for each other message that
    comes back to it (at most +1), +0.5 when it is a name or an identifier."""
    core = _core(token)
    key = core.lower()
    if (not core or not WORD.search(core) or key in stop or key in _CHATTER or key in REQUEST_WORDS
            or key in _ABBREVIATION):
        return 0.0
    if len(core) < 2 and not core.isupper():
        return 0.0
    if _CONTRACTION.sub("", key) in stop:
        return 0.0  # "what's", "you'll", "we've": a stop word contracted
    if not any(c.isalpha() for c in core):
        return 0.5  # a number or a date: part of a subject at most
    weight = 0.5 if key in _GENERIC or (key.endswith("ly") and len(key) > 4) else 1.0  # "generally", "easily"
    weight += min(1.0, 0.5 * recurring[key])
    if _NAME_LIKE.search(core) or core.isupper() or (position > 0 and core[:1].isupper()):
        weight += 0.5
    return weight


_LINK = re.compile(r"<(https?://[^>|\s]+)>|(?<![<|\w])(https?://[^\s<>|]*[^\s<>|.,;:!?)\]'\"”’])")
_REPOSITORY = re.compile(r"^https?://(?:www\.)?(?:github|gitlab)\.com/[\w.-]+/([\w.-]+)", re.I)
_TOPIC_SLUG = re.compile(r"/t/([a-z0-9]+(?:-[a-z0-9]+)+)(?:/|$)", re.I)


def _link_name(match: re.Match[str]) -> str:
    """A bare link's name where its address says one: a repository's ("…/JuliaGPU/CUDA.jl/pull/662" →
    "CUDA.jl"), a forum topic's slug ("…/t/how-to-save-a-plot/123" → "how to save a plot"); else nothing
    (the link's words are not the message's)."""
    url = match.group(1) or match.group(2)
    repository = _REPOSITORY.match(url)
    if repository:
        return f" {repository.group(1).removesuffix('.git')} "
    slug = _TOPIC_SLUG.search(url)
    return f" {slug.group(1).replace('-', ' ')} " if slug else " "


def topic_phrase(text: str, *, words: int, others: Sequence[str] = ()) -> str:
    """The best run of ``text``'s words, from its first content sentences, for a title of about ``words`` words;
    or ``""``.

    A run starts and ends on a content word and stays inside one clause; its worth is the sum of its words'
    (:func:`_weight`, each word once), less :data:`LONG_COST` for each word past ``words`` (it may run one
    past, two past a title of five words or more: :func:`bot.titles.titling.finish_title` allows two),
    times the sentence's rank (:data:`_DECAY`).

    Args:
        text: the message the conversation opens with (Slack mrkdwn; short inline code is kept as words,
            a link as its text, or as its repository's or forum topic's name (:func:`_link_name`), mentions
            are dropped).
        words: the user's title length, in words.
        others: the conversation's other messages; a word they come back to weighs more.

    Returns:
        The phrase as written (casing and punctuation are the title's finishing step), or ``""`` when no
        run holds two content words' worth (a greeting, a link, code only).
    """
    stop = stop_words()
    recurring = Counter(w for t in others for w in {w.lower() for w in WORD.findall(clean_text(t))})
    best, best_score = "", 0.0
    k = 0  # content sentences before this one: a greeting ahead of the subject does not count
    named = _LINK.sub(_link_name, _FILE_MARK.sub(" ", text))
    for sentence in split_sentences(named):  # split first: "`cam2d!` and" is no sentence end
        if k >= SENTENCES_READ:
            break
        noise = is_noise(sentence)
        factor = _DECAY[k] * (NOISE_FACTOR if noise else 1.0)  # an invitation still names its subject
        k += 0 if noise else 1
        unwrapped = _INLINE_CODE.sub(lambda m: m.group(1) if " " not in m.group(1).strip() else " ", sentence)
        for clause in _CLAUSE.split(_QUOTES.sub(" ", clean_text(unwrapped))):
            tokens = [t.strip("*_~") for t in clause.split()]
            weights = [_weight(t, i, recurring, stop) for i, t in enumerate(tokens)]
            for i, start in enumerate(weights):
                if not start:
                    continue
                total, seen, content = 0.0, set(), 0
                for j in range(i, len(tokens)):
                    length = count_words(" ".join(tokens[i : j + 1]))
                    if tokens[j].startswith("@") or length > words + (2 if words >= 5 else 1):
                        break  # a mention is whom the message is for, never part of its subject
                    key = _core(tokens[j]).lower()
                    total += 0.0 if key in seen else weights[j]  # a word said twice says no more
                    content += bool(weights[j]) and key not in seen
                    seen.add(key)
                    worth = total - LONG_COST * max(0, length - words)
                    if weights[j] and content >= 2 and worth >= ENOUGH and worth * factor > best_score + 1e-9:
                        best_score, best = worth * factor, " ".join(tokens[i : j + 1])
    return best.strip(_EDGE)


_INTRODUCING = re.compile(
    r"\b(?:my name is|i am|i'm|i’m|this is)\s+([A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?)(?=\s*(?:[,.!(]|and\b|from\b|"
    r"here\b|a\b|an\b|$))", re.I)
_GREETING = re.compile(r"^\W*(?:hello|hi|hey|greetings|good (?:morning|afternoon|evening))\b", re.I)


def introduction(text: str) -> str:
    """``"<Name>'s introduction"`` when ``text`` is someone introducing themselves, else ``""``.

    A community's threads often open with a newcomer's introduction ("Hello everyone, my name is Vinayak
    Gavariya and I'm an undergrad from India…"); any phrase of it ("Contributing to Microsoft Tech Community
    Blogs") misleads, and what a reader looks for later is whose introduction it was. It counts when the
    message says "my name is <Name>", or greets and then says "I am <Name>" / "I'm <Name>" (a capitalised
    name followed by a comma, "and", "from", "here" or the sentence's end). English only.
    """
    flat = " ".join(clean_text(text).split())[:400]
    match = _INTRODUCING.search(flat)
    if not match or not match.group(1)[:1].isupper():
        return ""
    said = match.group(0).lower()
    if not (said.startswith("my name is") or _GREETING.match(flat)):
        return ""
    name = match.group(1)
    if name.split()[-1].lower() in stop_words():
        name = name.split()[0]
    return f"{name}’s introduction"
