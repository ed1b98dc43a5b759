"""The week's most important event: which message a channel digest's headline quotes.

A digest opens with one sentence, quoted from one message of the period and linked to it. Readers who missed
the week want its news there: an announcement (a new channel, a session starting, a poll, a deadline), a
release, or the outcome of its main discussion ("A patch for this was sent to the R-devel mailing list"). The
busiest thread is a weak guide: on the labelled weeks of ``evals/digests/headlines.jsonl`` its point was the
labelled main event in 5 of 30 (``tune``) and 9 of 30 (``check``), the headline of this module in 16 and 19.

Each person's message of the period that holds a sentence a headline can quote (:func:`headline_sentence`; not
context from before the period) is scored (:func:`event_score`) from what the workspace shows about it and what it
says:

* a top-level message (an announcement is posted to the channel, not inside a thread): ``+TOP``;
* reactions, people × emoji (:attr:`bot.models.Message.reactions`): ``+REACTIONS × ln(1 + n)``;
* replies it got in the period: ``+REPLIES × ln(1 + n)``;
* it says news (:data:`NEWS`: "New channel: …", "Official minutes now up", "not a bug", "a patch was sent …"; or
  :data:`TITLED`: "R Contributor Office Hours, …") or is sent to the whole channel (:data:`ANNOUNCES`: "@everyone
  …"): ``+NEWS_WEIGHT``;
* it only asks (every sentence a question): ``−ASKS``; it asks among other things: ``−ASKS / 2``;
* it is a reminder that something starts now (:data:`ALERT`), stale by Monday, or says it is off-topic
  (:data:`OFF_TOPIC`): ``−STALE``;
* it says someone will not be there (:func:`declines`: "I won't be able to attend this event"): ``−STALE``.

The weights were chosen on the ``tune`` half of the labelled weeks (a grid of 0 / 0.5 / 1 for each); the
``check`` half only measures them (``recap eval headlines``). Ties go to the earlier message; a best score under
:data:`MIN_SCORE` means the week has no clear event.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

from bot.models import Message, Point, Summary
from bot.summaries.extractive import summarize_offline
from bot.summaries.guard import without_leading_broadcast
from bot.summaries.ranking import trim_sentence
from bot.summaries.structure import (
    Conversation,
    answer_sentence,
    answer_to,
    clip,
    content_sentences,
    is_question,
)

TOP = 0.5
REACTIONS = 0.5
REPLIES = 0.5
NEWS_WEIGHT = 1.0
ASKS = 1.0
STALE = 1.0
MIN_SCORE = 1.0
"""The least :func:`event_score` that makes a message the week's event (a post with news words, or one people
replied to or reacted to: a top-level post with two replies scores 1.05). Below it the week has no clear event and
the headline stays the summary's point from the busiest thread: in quiet weeks a chosen message was chatter more
often than news ("yup, I was alongside my wife"; judged blind on 42 fresh weeks with 4 or more messages)."""
ASKED_WORDS = 20
ANSWER_WORDS = 25
"""Words of a headline's question and of its answer, shown together (:func:`with_its_answer`)."""
LONG_THREAD = 6
"""Messages from which a headline's question is told with where its thread ended rather than with its first answer (as
a week's key points tell a thread's opening, :data:`bot.summaries.extractive._LONG_THREAD`)."""
MIN_WORDS = 6
"""A headline sentence says at least this many words, links not counted ("I am Arek." says little: the sentence
after it says what they bring; a bare link says nothing)."""

ALERT = re.compile(r"\b(?:starting|starts|begins|beginning|live) (?:now|soon|in (?:\d+|a few|five|ten|fifteen) "
                   r"(?:min|mins|minutes)\b)|\b(?:is|are|we're|we are) (?:now )?live\b|\b(?:is |are )?on now\b|"
                   r"\bin (?:\d+|a few|five|ten|fifteen) (?:minutes?|mins?)\b|\b(?:on|at the top of) the hour\b|"
                   r"\bin (?:\d+(?:[.,]\d+)?|an?|one|two|three|half an) hours?\W*$|"
                   r"\bsee you (?:all )?(?:there )?in \W*(?:\d+|an?|one|two|three|a few|half an)\W* (?:hours?|min(?:ute)?s?)\b",
                   re.IGNORECASE)
"""A reminder that something starts now ("2nd Office Hour starting now: <zoom link>", "Starting in 5 minutes!",
"AMER office hour on now!", "the RCWG meeting is in 4.5 hours!", "See you all in *one hour* in our June Community
Call!"): true when posted, stale when the digest is read;
what the event left (minutes, slides, what was decided) is news. "The Working Group is meeting on the hour (14:00
UTC)." is one too."""
DECLINES = re.compile(r"\b(?:I|I'm|I’m|I am|I'll|I’ll|I will)(?: \w+)? (?:not|won't|won’t|can't|can’t|cannot|unable|"
                      r"afraid|have to|need to|will have to)?\s?(?:be able to |make it to )?"
                      r"(?:attend|make it|join(?: you)?|be there|miss(?: it| this| the)?)\b|"
                      r"\bI(?:'ve|’ve| have) (?:now )?(?:scheduled|got|booked) something else\b|"
                      r"\b(?:can't|can’t|cannot|won't|won’t|unable to) (?:attend|make it|join|be there)\b|"
                      r"\b(?:not|won't|won’t|can't|can’t|cannot|unable to) be able to (?:make|attend|join|come)\b",
                      re.IGNORECASE)
"""Someone will not be there ("I won't be able to attend this event", "I'm afraid that I've now scheduled something
else at those times", "can't make it", "Sorry you won't be able to make it Stijn and Beatriz"): an apology, never the
week's event, however many event words it says."""

NEWS = re.compile(
    r"\b(?:new channel|announc\w*|(?:is|are) (?:now )?(?:open|up|out|available)|"
    r"(?:has|have) (?:just )?(?:concluded|ended|started|launched)|just concluded|will (?:run|take place|be held)|"
    r"(?:has|have) (?:just )?been (?:just )?(?:added|released|merged|published|launched|created|committed|accepted)|"
    r"updates? from|notes from|summary of|recap of|"
    r"minutes|slides|video|recording|poll|deadline|registration|register|released?|"
    r"patch (?:was|has been) sent|not a bug|fixed|resolved|solved|found it|meeting|session|welcome|kick-?off|event|"
    r"we will|call for|join us|i(?: have|'ve)? (?:started|created|added|made|raised|opened|submitted)|"
    r"cancell?ed|postponed|rescheduled|"
    r"please (?:update|vote|register|fill))\b",
    re.IGNORECASE)
"""Words that say something happened or will (an announcement, an event and what it left behind, a release, an
outcome): "New channel: #jobs-opportunities …", "Official minutes now up: …", "here's my write-up showing this is
not a bug", "A patch for this was sent to the R-devel mailing list", "Catalan
language has been just added to weblate", "Updates from the R Contribution Working Group October meeting: …", "Session
8 is cancelled". ("hiring" was tried: "The Carpentries is hiring!" then headed a #random week over its main thread,
judged blind.)"""

TITLED = re.compile(r"\b(?:Office Hours?|Community Call|Working Group [Mm]eeting)\b")
"""An event's name in title case, as announcements give it ("R Contributor Office Hours, Thursday April 13"): news,
where "at the office hours" in a help question is not (it had headed R Contributors #general 2023-W15); not in a
reminder that it starts now (:data:`ALERT`: "See you all in *one hour* in our June Community Call!")."""


ANNOUNCES = re.compile(r"(?:^|\s)(?:@everyone|@channel|<!everyone(?:\|[^>]*)?>|<!channel(?:\|[^>]*)?>)(?!\w)",
                       re.IGNORECASE)
"""A message sent to the whole channel ("@everyone get excited - our July meetup is on Monday!"): an announcement
(not ``@here``: those online now), scored as news is (#general 2015-W28 of the Houston Data Vis export had been headed
by a member's child-care worry)."""


SOON = re.compile(r"\b(?:today|tonight|tomorrow|this (?:morning|afternoon|evening))\b", re.IGNORECASE)
"""A day said relative to the post ("We're running two office hours today", "Tomorrow's talk …"): wrong by the time an
org digest is read (read whole, docs/evals.md, forty-first round: "a stale 'tomorrow' talk notice"), so such an event
ranks lower there (:func:`bot.digests.build.org_news`). Not in :func:`event_score`: a channel's headline of such a
message was right more often than the message after it on the labelled weeks (``recap eval headlines``, tune half
0.90 → 0.87 acceptable with it)."""
OFF_TOPIC = re.compile(r"^\W*(?:off-?topic|slightly off-?topic|a bit off-?topic|ot)\b", re.IGNORECASE)
"""A message its author opens as off-topic ("offtopic, but it was asked in the monthly meeting if there's a way to do
batch edits …"): never its channel's news (read whole, docs/evals.md, forty-first round), scored as a stale reminder."""


def event_score(message: Message, replies: int) -> float:
    """How much ``message`` looks like the period's main event (see the module): higher is more.

    Args:
        message: a person's message of the period.
        replies: replies it got within the period (0 for a reply).
    """
    said = content_sentences(message)
    questions = [s for s in said if is_question(s)]
    asks = ASKS if said and len(questions) == len(said) else ASKS / 2 if questions else 0.0
    return (TOP * (not message.is_reply) + REACTIONS * math.log1p(max(message.reactions, 0))
            + REPLIES * math.log1p(replies)
            + NEWS_WEIGHT * bool(NEWS.search(message.text) or ANNOUNCES.search(message.text)
                                 or TITLED.search(message.text) and not ALERT.search(message.text))
            - asks - STALE * bool(ALERT.search(message.text) or OFF_TOPIC.match(message.text))
            - STALE * declines(message.text))


def declines(text: str) -> bool:
    """True when ``text`` says someone will not be there (:data:`DECLINES`: "I won't be able to attend this
    event"), not "I'll join", "I will attend" or "can you join?", nor a condition ("You are welcome to contribute even
    if you were unable to attend the session")."""
    for match in DECLINES.finditer(text):
        conditional = _CONDITION.search(text[max(0, match.start() - 40):match.start()]) is not None
        if not conditional and _NEGATIVE.search(match.group(0)):
            return True
    return False


_CONDITION = re.compile(r"\b(?:if|in case|whether|when|unless)\b[^.!?]*$", re.IGNORECASE)
"""A condition just before a decline's words ("… even if you were unable to attend"): no one declines."""
_NEGATIVE = re.compile(r"not|n't|n’t|cannot|unable|afraid|something else|miss", re.IGNORECASE)
"""What makes :data:`DECLINES`'s words a refusal ("I will attend" is none)."""


def main_event(messages: Sequence[Message]) -> Message | None:
    """The message that states the period's most important event, when one does: the highest :func:`event_score`
    among people's messages that hold a sentence a headline can quote (one that stands alone and says
    :data:`MIN_WORDS` words, links not counted: not a bare link, not "seems to be resolved now"), else among those
    with anything said (:func:`bot.summaries.structure.content_sentences`); context from before the period left
    out. None when there is none or the best scores under :data:`MIN_SCORE` (no clear event).

    Args:
        messages: the period's messages, oldest first (bots and context parents are skipped).
    """
    people = [m for m in messages if not m.is_bot and not m.context]
    scored = _scored(people, [m for m in people if _headline_sentences(m)[1]] or [m for m in people if content_sentences(m)])
    return scored[0][2] if scored and scored[0][0] >= MIN_SCORE else None


def _scored(people: Sequence[Message], candidates: Sequence[Message]) -> list[tuple[float, float, Message]]:
    """``(score, -ts, message)`` of ``candidates``, best first (ties to the earlier), each scored by
    :func:`event_score` with the replies it got from ``people`` (the period's people's messages)."""
    replies = Counter(m.thread_ts for m in people if m.is_reply)
    scored = [(event_score(m, 0 if m.is_reply else replies.get(m.ts, 0)), -float(m.ts), m) for m in candidates]
    return sorted(scored, key=lambda c: c[:2], reverse=True)


def ranked_events(messages: Sequence[Message], limit: int = 3, min_score: float = MIN_SCORE) -> list[tuple[float, Message]]:
    """The period's events, most important first: ``(score, message)`` for up to ``limit`` people's messages that
    hold a sentence a headline can quote and score at least ``min_score`` (:func:`event_score`; ties to the earlier
    message), context from before the period left out. The first is :func:`main_event` whenever that scores
    ``min_score``; an org digest ranks several channels' events against each other by these scores (its "Across the
    org"). Down to a channel's plain post (0.5) they had brought "@J. Kim @Tim Abram you'll like this too", "never
    mind it doesn't look that accurate" and "I wish you a happy new year!" into an org digest (judged blind against
    the digest before, docs/evals.md, forty-first round).

    Args:
        messages: the period's messages, oldest first (bots and context parents are skipped).
        limit: events at most.
        min_score: the least score of an event.
    """
    people = [m for m in messages if not m.is_bot and not m.context]
    scored = _scored(people, [m for m in people if _headline_sentences(m)[1]])
    return [(score, m) for score, _, m in scored if score >= min_score][:limit]


_LEANS_ON = re.compile(
    r"(?i:^\W*(?:but|and|or|so|also|then|anyway|edit|update|thanks?|thank you|sorry|oh well|yeah|yea|yes|no|ok|okay|"
    r"it(?:'s)?|this|that(?:'s)?|they|these|those|which|here|there|yup|yep|nope|sure|btw|by the way)\b)"
    r"|^\W*(?:is|are|was|were|has|have|does|do)\b"
    r"(?!\s+(?:you|we|they|there|anyone|anybody|someone|somebody|he|she|I)\b)"  # (a question's verb: "have you …?")
    r"|(?i:^\W*(?:\S+\s+){1,3}also\b)|^\s*\(")


def stands_alone(text: str) -> bool:
    """True for a sentence a reader understands as a headline, out of its thread: not one that leans on what came
    before it ("But then in the footnote exercises, …", "It's a non-breaking major version bump", "edit: … so I'll
    stick to that", "Yeah, …", "@kara will also be taking a break …", "(Statistics) from University of Pune"). Leading
    ``@names`` are skipped. A headline is read first and alone."""
    return not _LEANS_ON.match(re.sub(r"^(?:\s*@[\w.\-]+(?: [A-Z][\w.\-]*){0,3}(?: \([^)]*\))?[,:]?)+\s*", "", text))


_INTRODUCES = re.compile(r"^\W*(?:(?:[Hh]i|[Hh]ello|[Hh]ey)\W+(?:\w+\W+)?)?"
                         r"(?:[Mm]y name is|[Mm]y name's|[Ii] am|I'm|I’m)"
                         r"\s+[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?(?:\s*\([^)]{1,20}\))?"
                         r"(?:\s*[,.!]|\s+(?:and|from|here)\b|\s*$)")
"""A sentence that only gives its author's name ("I am Arek.", "My name is Dejan and I come from the UK."): the
sentence after it says what they bring."""
_TRAILS_OFF = re.compile(r"\b(?:but|and|or|so|because|though)\s*(?:\.{2,}|…)\s*$", re.IGNORECASE)
"""A sentence that trails off ("can't figure out how to add custom emoji but..."): what it leads to is missing."""
_ASKS_BACK = re.compile(r"^\W*(?:(?:please )?let (?:me|us) know (?:what you think|your thoughts|if you have any)|"
                        r"(?:any )?thoughts\??$|what do you (?:all )?think\b|"
                        r"(?:any )?(?:feedback|criticism|comments|suggestions)(?: (?:or|and) \w+)? (?:are|is) (?:very )?"
                        r"(?:welcome|appreciated)\W*$)", re.IGNORECASE)
"""A sentence that asks for the readers' reaction to what came before it ("Let me know what you think.", "Any criticism
or suggestions are welcome!"): it says nothing of its own (it had headed an org digest's #general, docs/evals.md,
forty-first round)."""
_LINK = re.compile(r"<?https?://\S+")
_LABEL = re.compile(r"^\W*(?:update|updates|news|announcement|reminder|fyi|psa|edit)\s*[:\-–—]\s*", re.IGNORECASE)
"""A label before the news ("Update: Translations chapter is open for review"): left out of the headline, as a
salutation is."""


def quotable(text: str) -> bool:
    """True when ``text`` (a point, its author's name aside: "Name: …") reads as a headline alone: it stands alone
    (:func:`stands_alone`), says :data:`MIN_WORDS` words besides links, does more than give a name
    (:data:`_INTRODUCES`), does not trail off (:data:`_TRAILS_OFF`) and is no apology (:func:`declines`)."""
    said = _unnamed(text)
    return _quotable_sentence(said) and not declines(said)


def _quotable_sentence(sentence: str) -> bool:
    """True for a sentence a headline can quote: it stands alone (:func:`stands_alone`), says :data:`MIN_WORDS` words
    besides links, does more than give a name (:data:`_INTRODUCES`), does not trail off (:data:`_TRAILS_OFF`) and does
    not only ask for the readers' reaction (:data:`_ASKS_BACK`)."""
    return (stands_alone(sentence) and _says(sentence) >= MIN_WORDS and not _INTRODUCES.match(sentence)
            and not _TRAILS_OFF.search(sentence) and not _ASKS_BACK.match(sentence))


_SAYS_LITTLE = re.compile(r"^\W*(?:thanks?|thank you|thx|ty|also|and|but|so|yes|yeah|yea|yep|yup|no|nope|ok|okay|"
                          r"sure|lol|haha\w*)\b", re.IGNORECASE)
LITTLE_WORDS = 4
"""Words (links and ``@names`` not counted) under which an overview says too little to head a week."""


def says_little(text: str) -> bool:
    """True for an overview that says too little to head a week: thanks, a reply's "yes" or "ok", an "also …" or
    "but …" that goes on from another message (:data:`_SAYS_LITTLE`), or fewer than :data:`LITTLE_WORDS` words besides
    ``@names`` ("Fritz Khan inspiration"); never one with a link (the thing the week shared: "DATA JAM THIS! <repo>").
    Narrower than :func:`stands_alone`: "that new world map is fantastic" and "there is no search bar" head their weeks
    well (judged blind, docs/evals.md, fortieth round)."""
    said = _unnamed(text)
    if _LINK.search(said):
        return False  # what the week shared: "DATA JAM THIS! <repo>", "on election vis <comic>" (judged blind)
    return bool(_SAYS_LITTLE.match(said)) or len(re.sub(r"@[\w.\-]+", " ", said).split()) < LITTLE_WORDS


def _unnamed(text: str) -> str:
    """``text`` without the "Name: " a week's view puts before a line to say whose it is."""
    head, sep, rest = text.partition(": ")
    return rest if sep and 1 <= len(head.split()) <= 4 and not head.startswith("@") and head[:1].isupper() else text


def _says(sentence: str) -> int:
    """Words of ``sentence``, links not counted."""
    return len(_LINK.sub(" ", sentence).split())


def _headline_sentences(message: Message) -> tuple[list[str], list[str]]:
    """``(sentences, quotable)``: ``message``'s sentences as a headline would quote them (a salutation left out,
    :func:`bot.summaries.ranking.trim_sentence`, and a label, :data:`_LABEL`; a lead-in ending with ":" joined to
    the sentence after it), and those of them that stand alone (:func:`stands_alone`), say :data:`MIN_WORDS` words,
    links not counted, and do more than give a name (:data:`_INTRODUCES`) or trail off (:data:`_TRAILS_OFF`)."""
    said = [_LABEL.sub("", trim_sentence(s) or s, count=1) or s for s in content_sentences(message)]
    # "Hi folks, if you would like …" -> "if …"; "Update: Translations chapter is open …" -> "Translations …"
    said = [without_leading_broadcast(s) or s for s in said]  # "@everyone get excited - …" -> "Get excited - …"
    joined = [f"{s.rstrip()} {said[i + 1]}" if s.rstrip().endswith(":") and i + 1 < len(said) else s
              for i, s in enumerate(said)]  # "We will run two cohorts: Cohort 1 meets …"
    return joined, [s for s in joined if _quotable_sentence(s)]


def headline_sentence(message: Message) -> str:
    """The sentence of ``message`` a headline quotes: its first that stands alone (:func:`stands_alone`: not
    "But …", "It's …") and says :data:`MIN_WORDS` words besides links, else its first that stands alone, else its
    first; a lead-in that ends with ":" goes on with the sentence after it ("We will run two cohorts: Cohort 1
    meets …"); a salutation and a label ("Update:") are left out (:func:`_headline_sentences`). The first sentence
    of an announcement is where its news is ("Okay, looks like we have enough interest in running a C Book Club …";
    judged blind against the sentence closest to the whole message: preferred 60 to 18)."""
    joined, quotable = _headline_sentences(message)
    if not joined:
        return message.text
    return next(iter(quotable), next((s for s in joined if stands_alone(s)), joined[0]))


def headline_for(message: Message, summary: Summary) -> Point:
    """The headline point for the event ``message`` (:func:`main_event`): the summary's own point that quotes its
    headline sentence (:func:`headline_sentence`), so the digest says it once and keeps what the point carries
    (a question's answer: "… are there documents targeted to Linux users? — Heather Turner: …") unless that point
    holds more of the message and opens leaning on what came before ("Okay, let's aim for 14:00 IST. …"); else a
    point quoting that sentence and citing the message."""
    sentence = headline_sentence(message)
    said = " ".join(sentence.split())
    for point in summary.all_points():
        text = " ".join(point.text.split())
        if point.source_ts[:1] == [message.ts] and (said[:60] in text or said.startswith(text)):
            if (text.startswith(said[:60]) or stands_alone(point.text)) and not _LEAD_IN.search(text):
                return point  # not a longer point that opens leaning on what came before ("Okay, let's aim for …")
            break
    return Point(sentence, [message.ts])


_LEAD_IN = re.compile(r"\b(?:to|and|or|of|for|with|the|a|an|by|from|like|as|such as|including)\s*$",
                      re.IGNORECASE)
"""A point that stops on the words leading into the list its message goes on with ("R Contributor Office Hours, Thursday
March 9 Join an online Office Hour to", the list items left out): the headline quotes its own sentence alone. A point
that goes on into the list keeps it ("… We'll discuss progress on current issues, including AsiaR translation
hackathon, Office hours …": judged blind, the agenda was what a reader wanted)."""


def with_its_answer(point: Point, message: Message, replies: Sequence[Message]) -> Point:
    """The headline ``point`` of the event ``message`` with its answer, when the headline only asks: "Anyone here that
    uses renv with Docker? — Ralf: That path looks like HOME is not set inside the container, …". Read whole by
    subscribers (docs/evals.md, thirty-ninth round), a week headed by a bare question was graded "give the outcome,
    not the bare question" more than any other headline fault.

    The answer is found as a week's key point finds one (:func:`bot.summaries.structure.answer_to`, the reply the asker
    took up, and its sentence that answers, :func:`bot.summaries.structure.answer_sentence`); a thread of
    :data:`LONG_THREAD` messages or more, or one with no such reply, is told with where it ended instead (its own
    summary's outcome, :func:`bot.summaries.extractive.summarize_offline`). The answer is cut to :data:`ANSWER_WORDS`
    words, the question to :data:`ASKED_WORDS`; the point cites both. ``point`` unchanged when it does not ask (its
    headline sentence, :func:`headline_sentence`, is no question), already shows a reply ("… — Name: …"), or nobody
    who replied answered or ended the thread. With an answer, the question is its headline sentence alone, not the
    rest of its point.

    Args:
        point: the headline point (:func:`headline_for`).
        message: the event, a top-level message.
        replies: its thread's replies of the period by people, oldest first.
    """
    asked = headline_sentence(message)
    if not replies or " — " in point.text or not is_question(asked):
        return point
    thread = [message, *replies]
    author = {m.ts: m.user_name for m in replies}
    said, cited = None, []
    if len(thread) < LONG_THREAD:
        conv = Conversation(thread)
        j = answer_to(conv, 0)
        best = answer_sentence(conv, j, asked) if j is not None and thread[j].ts in author else None
        if j is not None and best:
            said, cited = f"{author[thread[j].ts]}: {clip(best, ANSWER_WORDS)}", [thread[j].ts]
    if said is None:
        ended = summarize_offline(thread).outcome
        if ended is None or not ended.source_ts or ended.source_ts[0] not in author or not ended.text.strip():
            return point
        said, cited = f"{author[ended.source_ts[0]]}: {clip(ended.text, ANSWER_WORDS)}", list(ended.source_ts)
    return Point(f"{clip(asked, ASKED_WORDS)} — {said}",
                 [*point.source_ts, *(ts for ts in cited if ts not in point.source_ts)])


__all__ = ["SOON", "TITLED", "declines", "event_score", "headline_for", "headline_sentence", "main_event", "quotable",
           "ranked_events", "says_little", "stands_alone", "with_its_answer"]
