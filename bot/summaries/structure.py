"""The shape of a conversation, for the extractive summarizer's sections: who asked, who answered, what ended it.

Cue words alone put answered questions under "open questions" and offers under "action items"; the
conversation's structure says more. Rules used by :mod:`bot.summaries.extractive` (an empty section
beats a wrong one, so every rule errs on leaving an item out):

* **Noise** (:func:`is_noise`): greetings, thanks and acknowledgements, code and log lines, pasted
  commands, e-mail addresses, meeting invitations, file-only and emoji-only messages never become points.
* **Open question** (:func:`open_questions`): a question no later message by someone else answers
  (noise does not answer). A reply that only acknowledges a request asked in the same message
  ("ok, I'll do it") does not answer the question beside it. When the asker has the last word in a
  thread (a statement, not a new question) and never reported success, the opening question is still open.
* **Action item** (:func:`action_items`): a commitment in the first person ("I'll send …", owner: its
  author), or a request ("please …", "could you …", "it would be good to …", owner: the ``@person``
  named, else the person the message answers). An item is dropped when it was done within the
  conversation: the owner (or, for a request, anyone but the asker) later reports it done ("sent",
  "done", "opened", "fixed", "now …"), or the owner answers a request with something other than a
  promise. A promise right after a request merges into it.
* **Decision** (:func:`is_decision`): explicit agreement ("decided", "we agreed", "settled on", "I'd
  rather keep …", "doesn't fit the scope"), in several languages.
* **Outcome** (:func:`outcome`): where the thread ended: the last message with a resolution cue
  ("works", "fixed", "resolved", "sent", "expected", "not a bug") in the second half, else the last
  message that is not noise and not a question; a short acknowledgement ("thanks, that worked") gives
  way to the answer it acknowledges.

Sources of the approach: thread structure as the unit of discourse in chat summarization (Zhou &
Hovy 2005, "Digesting virtual geek culture"; Fabbri et al. 2021, ConvoSumm); labels and scores in
``evals/sections/`` (``recap eval sections``; docs/evals.md).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.models import Message
from bot.summaries.sentences import MENTION, URL, split_sentences, word_count

# --------------------------------------------------------------------------------------------------
# Noise

_THANKS_OR_GREETING = re.compile(
    r"^\W*(?:(?:well|oh|ah|so|and),? )?(?:hi|hello|hey|hiya|good (?:morning|afternoon|evening)|welcome|thanks?|"
    r"thank you|thx|ty|cheers|great|awesome|nice|cool|wow|oh|ah|no worries|np|lol|haha|hehe|glad|congrats|"
    r"congratulations|oops|whoops|sorry|danke|gracias|merci|obrigad[oa]|谢谢|ありがとう|감사)\b",
    re.IGNORECASE,
)
_ACK = re.compile(  # a bare acknowledgement: noise only when almost nothing follows ("Agreed, the venue is Lisbon" is not)
    r"^\W*(?:ok|okay|sure|yes|yep|yup|yeah|exactly|indeed|agreed|true|same|\+1|got it|got ya|fair enough|"
    r"sounds good|makes sense|that makes sense)\b",
    re.IGNORECASE,
)
_CODE_LINE = re.compile(
    r"^\s*(?:\$ |> |#>|\[\d+\]|at [\w.$]+\(|File \"|Traceback|ERROR:|Error in |Warning message|"
    r"julia>|R>|>>>|pkg>|using [A-Z]\w*(?:,|\s*$)|import |library\(|function |def |end$)"
    r"|\w[\w./-]*\.\w+:\d+|\w+\s*(?:<-|:=|==)\s*\S|^\s*[\w.$\[\]]+\s*=\s*\S+\s*$|\bREDACTED\b",
)
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.-]+\b")
_INVITATION = re.compile(
    r"zoom\.us|meet\.google|teams\.microsoft|calendar invit|meeting (?:link|invit)|join (?:us|the call|the meeting)"
    r"|webex|you(?:'re| are) invited",
    re.IGNORECASE,
)
_EMOJI_ONLY = re.compile(r"^(?:\s|:[\w+\-]+:|[^\w\s])*$")
_FILE = re.compile(r"\[file: [^\]]*\]")
_LEADING_MENTIONS = re.compile(r"^(?:\s*@[\w.\-]+(?: [A-Z][\w.\-]*)*(?: \([^)]*\))?[,:]?)+\s*")
_DONE_WORD = re.compile(r"^\W*(?:done|sent|fixed|merged|pushed|resolved|submitted)\W*$", re.IGNORECASE)
_BANTER_END = re.compile(r"(?:\b(?:haha+|hehe+|lol|xd|:p)|:[\w+\-]+:|[😀-🙏])\W*$", re.IGNORECASE)
_CC = re.compile(r"^\W*(?:cc|copying|ping|fyi)\b", re.IGNORECASE)


def is_noise(sentence: str) -> bool:
    """True for a sentence that should never be a point: a greeting, thanks or bare acknowledgement
    (six words or fewer after the cue), a code or log line, a pasted command, an e-mail address, a
    meeting invitation, a file marker, or emoji and punctuation only."""
    text = _LEADING_MENTIONS.sub("", _FILE.sub(" ", sentence)).strip()
    if _DONE_WORD.match(text) or _COMMITMENT.search(_lower(text)):  # "Done", "Ok, I will do that": they count
        return False
    if not text or _EMOJI_ONLY.match(text) or word_count(text) < 2 or _CC.match(text):
        return True
    if _EMAIL.search(text) or _INVITATION.search(text) or _CODE_LINE.search(text):
        return True
    symbols = sum(1 for c in text if not (c.isalnum() or c.isspace() or c in ".,'’?!-:;\"()"))
    if len(text) >= 12 and symbols / len(text) > 0.2 and not URL.search(text):
        return True
    if word_count(text) <= 12 and _BANTER_END.search(text):  # "… haha", "… xD", "… :slightly_smiling_face:"
        return True
    if word_count(text) <= 6 and re.search(r"\S\s*=\s*\S", text):  # "B = 0010, decimal 2"
        return True
    if _ACK.match(text) and word_count(text) <= 3:
        return True
    return bool(_THANKS_OR_GREETING.match(text)) and word_count(text) <= 8


def content_sentences(message: Message) -> list[str]:
    """The sentences of ``message`` that are not noise, in order."""
    return [s for s in split_sentences(message.text) if not is_noise(s)]


# --------------------------------------------------------------------------------------------------
# Cues (lower-cased, straight apostrophes)

_QUESTION_END = re.compile(r"[?？]\s*(?:[:\w+\-]*:)?\s*[)\]]?\s*$|[吗嗎呢]\s*[。]?$|(?:ですか|ますか|でしょうか)[。]?$")
_WILL_VERB = (
    r"(?: (?:probably|definitely|also|then|now|just|first|soon|gladly))* "
    r"(?:check|look|post|send|share|fix|update|add|make|create|open|write|report|merge|review|ping|email|file|draft|"
    r"prepare|rename|push|have|put|do|work|set|get|ask|contact|follow|submit|test|run|upload|build|remove|change|"
    r"move|publish|announce|pr|try to|give it|go through|take care|own)\b"
)
_COMMITMENT = re.compile(
    r"\b(?:i'll|i will|i'm going to|i am going to|i'm happy to|i am happy to|i'd be happy to|i need to|i can then)"
    + _WILL_VERB + r"|(?:^|[,;:.!]\s*)will" + _WILL_VERB
    + r"|\b(?:i can take|i'll take|i'm on it|on my (?:todo|to-do|list))\b"
    r"|\b(?:ich werde|ich kümmere|me encargo|yo me|je vais|je m'en occupe|eu vou)\b"
    r"|我来|我会|我去|私が|やります|やっておきます|対応します|제가",
)
_VAGUE = re.compile(r"\b(?:i'll|i will) (?:see|be (?:around|in touch|back)|keep|try to remember|let you know)\b"
                    r"|\bif (?:i|you|we)\b")
_REQUEST = re.compile(
    r"\b(?:please|pls|can you|could you|would you|next step would be|it would be good to|would be good to|"
    r"worth opening|maybe you could|bitte|kannst du|könntest du|puedes|podrías|por favor|peux-tu|pourrais-tu|"
    r"você pode)\b|请|麻烦|お願い|부탁",
)
_DONE = re.compile(
    r"\b(?:done|sent|i have sent|i've sent|made (?:this|a|the) pr|opened|here (?:is|are|it is)|here's|confirm(?:ing|ed)|"
    r"fixed|resolved|updated|pushed|merged|submitted|uploaded|finished|completed|works now|working now|"
    r"should (?:both )?be \w+ now|try it now|is now|are now)\b",
)
_PROMISE_OR_ACK = re.compile(r"^\W*(?:ok|okay|sure|yes|yep|will do|on it|好的|好|可以|了解|はい|承知)", re.IGNORECASE)
_SUCCESS = re.compile(
    r"\b(?:works?|worked|working|fixed|solved|resolved|got it|thanks?|thank you|helpful|helps|makes sense|"
    r"explains|perfect|great|agreed|correct|fair enough|i see|understand)\b|谢谢|ありがとう",
)
_RESOLUTION = re.compile(
    r"\b(?:works|worked|working now|works now|fixed|resolved|solved|it did|done|merged|filed|opened|sent|"
    r"submitted|pushed|confirm(?:ing|ed)|decided|decision(?=:)|is expected|it is expected|not a bug|as documented|"
    r"should (?:both )?be \w+ now|the (?:reason|problem|issue) (?:is|was)|turned out|the answer is|i get it|"
    r"i see now|got it|makes sense now|that explains)\b",
)
_DECISION = re.compile(
    r"\b(?:decided|decision(?=:)|we agreed|agreed (?:on|to|that)|let'?s go with|we(?:'ll| will) go with|going forward with|"
    r"settled on|final call|the consensus|we are creating|i'd rather keep|rather keep|makes sense for me to|"
    r"(?:i|we)(?:'ll| will) merge|doesn't fit|does not fit|don't think that fits|not (?:in|within) (?:the )?scope|"
    r"should not be translated|beschlossen|entschieden|einigen uns|vereinbart|decidimos|decidido|acordamos|"
    r"acordado|vamos con|décidé|convenu|on part sur|validé|combinado|fechado)\b"
    r"|决定|确定了|就这么定|定了|决议|決定|決めました|決まり|合意|ことにします|にしましょう|결정|합의",
)


def _lower(text: str) -> str:
    return text.lower().replace("’", "'")


def is_question(sentence: str) -> bool:
    """True when ``sentence`` ends with a question mark (Latin or CJK) or a CJK question particle."""
    return bool(_QUESTION_END.search(sentence.strip()))


def is_decision(sentence: str) -> bool:
    """True for a statement of agreement or a settled choice (never a question)."""
    return not is_question(sentence) and bool(_DECISION.search(_lower(sentence)))


def is_request(sentence: str) -> bool:
    """True for a request addressed to someone else ("please …", "could you …", "@dave can you …"), not a
    conditional one ("if you …")."""
    lowered = _lower(sentence)
    return bool(_REQUEST.search(lowered)) and not _VAGUE.search(lowered)


def is_commitment(sentence: str) -> bool:
    """True for a first-person promise ("I'll send the email"), not a vague one ("I'll see", "if I …")."""
    lowered = _lower(sentence)
    return bool(_COMMITMENT.search(lowered)) and not _VAGUE.search(lowered) and not is_question(sentence)


# --------------------------------------------------------------------------------------------------
# The conversation


@dataclass(frozen=True)
class Item:
    """A structured item: the sentence shown, the messages cited (indices), and the owner's name."""

    text: str
    messages: tuple[int, ...]
    owner: str | None = None


class Conversation:
    """Human messages of one conversation (oldest first) with the helpers the section rules need."""

    def __init__(self, messages: Sequence[Message]) -> None:
        self.messages = list(messages)
        self.content = [content_sentences(m) for m in self.messages]
        names = sorted({m.user_name for m in self.messages if m.user_name}, key=len, reverse=True)
        self._names = re.compile("|".join(f"@{re.escape(n)}" for n in names)) if names else None

    def noise(self, i: int) -> bool:
        """True when message ``i`` has no sentence that is not noise."""
        return not self.content[i]

    def author(self, i: int) -> str:
        return self.messages[i].user_name

    def mentioned(self, text: str) -> str | None:
        """The first person ``@named`` in ``text``: a participant's full name when it is one, else the ``@word``."""
        if self._names is not None:
            match = self._names.search(text)
            if match:
                return match.group(0)[1:]
        match = MENTION.search(text)
        return match.group(0)[1:] if match else None

    def addressee(self, i: int) -> str | None:
        """Whom message ``i`` answers: the author of the message just before when it named this author,
        else the thread's first author when that is someone else; None for the opening message."""
        if i == 0:
            return None
        me = self.author(i)
        before = self.messages[i - 1]
        if before.user_name != me and self._names is not None and f"@{me}" in before.text:
            return before.user_name
        first = self.author(0)
        if first != me:
            return first
        others = [self.author(j) for j in range(i - 1, -1, -1) if self.author(j) != me]
        return others[0] if others else None

    def later_by_others(self, i: int) -> list[int]:
        """Messages after ``i`` by someone else that are not noise."""
        me = self.author(i)
        return [j for j in range(i + 1, len(self.messages)) if self.author(j) != me and not self.noise(j)]


def _answered(conv: Conversation, i: int, request_beside: bool) -> bool:
    replies = conv.later_by_others(i)
    if not replies:
        return False
    if request_beside:  # "@wang please update the notes. Do we tell support?" -> "ok, I'll update them"
        return any(not (_PROMISE_OR_ACK.match(conv.messages[j].text) or any(is_commitment(s) for s in conv.content[j]))
                   for j in replies)
    return True


def open_questions(conv: Conversation) -> list[Item]:
    """Questions still open at the end (see the module docstring); each cites its message and the asker's
    follow-ups that no one answered."""
    items: list[Item] = []
    n = len(conv.messages)
    for i in range(n):
        sentences = conv.content[i]
        request_beside = any(is_request(s) for s in sentences)
        for sentence in sentences:
            if not is_question(sentence) or word_count(sentence) < 3 or is_request(sentence):
                continue
            if _answered(conv, i, request_beside):
                continue
            items.append(Item(sentence, (i,)))
            break  # one open question per message
    last_is_statement = n > 1 and not conv.noise(n - 1) and not any(is_question(s) for s in conv.content[n - 1])
    if last_is_statement and conv.author(n - 1) == conv.author(0) and not any(item.messages[0] == 0 for item in items):
        replied = [j for j in range(1, n) if conv.author(j) != conv.author(0)]
        if replied:
            asker_after = [j for j in range(replied[0], n) if conv.author(j) == conv.author(0)]
            questions = [s for s in conv.content[0] if is_question(s) and word_count(s) >= 3]
            if questions and not any(_SUCCESS.search(_lower(conv.messages[j].text)) for j in asker_after):
                items.insert(0, Item(questions[-1], (0,)))
    return items


_STOP = frozenset("this that with from have will would could should about there their them they then than what when "
                  "which your just also into some more like been were here it's that's i'll".split())


def _stems(text: str) -> set[str]:
    """Content words of ``text`` (four letters or more, not a stop word), cut to five letters."""
    return {w[:5] for w in re.findall(r"[a-z][a-z0-9'-]{3,}", _lower(text)) if w not in _STOP}


def _done(conv: Conversation, i: int, owner: str | None, *, request: bool, sentence: str) -> bool:
    """True when the item of message ``i`` was done (or, for a request, answered) later in the conversation.

    A report counts when it says done ("sent", "opened", "fixed", "now …") and is about the item: it shares
    a content word with it, or the item is too short to say more than "it" ("will check on it tomorrow").
    """
    text = _lower(conv.messages[i].text)
    at = text.find(_lower(sentence)[:40])
    if at >= 0 and _DONE.search(text[at + len(sentence):]):  # "I'll send it. edit: I've sent it"
        return True
    topic = _stems(sentence)
    first_reply = True
    for j in range(i + 1, min(len(conv.messages), i + 200)):
        if conv.noise(j):
            continue
        author, later = conv.author(j), _lower(conv.messages[j].text)
        by_owner = owner is not None and author.casefold() == owner.casefold()
        about = len(topic) < 3 or bool(topic & _stems(later))
        if (by_owner or request and author != conv.author(i)) and _DONE.search(later) and about:
            return True
        if request and by_owner and first_reply:
            first_reply = False
            promise = _PROMISE_OR_ACK.match(conv.messages[j].text) or any(is_commitment(s) for s in conv.content[j])
            if not promise and not all(is_question(s) for s in conv.content[j]):
                return True  # "can you explain …?" -> the owner explained
    return False


def action_items(conv: Conversation) -> list[Item]:
    """Open action items with their owners (see the module docstring), in conversation order."""
    items: list[Item] = []
    for i, sentences in enumerate(conv.content):
        for sentence in sentences:
            request = is_request(sentence)
            if request and not is_commitment(sentence):
                owner = conv.mentioned(sentence) or conv.addressee(i)
                if owner is None or owner == conv.author(i):
                    continue
            elif is_commitment(sentence):
                request, owner = False, conv.author(i)
                previous = items[-1] if items else None
                if (previous is not None and previous.owner == owner and i - previous.messages[-1] <= 2
                        and previous.messages[-1] != i):
                    break  # "ok, I'll do it" answers the request just before: one item
            else:
                continue
            if is_question(sentence) and not request:
                continue
            if _done(conv, i, owner, request=request, sentence=sentence):
                break
            items.append(Item(sentence, (i,), owner))
            break  # one item per message
    return items


def decisions(conv: Conversation) -> list[Item]:
    """Sentences stating a decision or agreement, one per message."""
    items: list[Item] = []
    for i, sentences in enumerate(conv.content):
        for sentence in sentences:
            if is_decision(sentence) and word_count(sentence) >= 3:
                items.append(Item(sentence, (i,)))
                break
    return items


def outcome(conv: Conversation) -> Item | None:
    """Where the conversation ended (see the module docstring), or None when every message is noise.

    The sentence shown is the longest content sentence of the cited message(s), the acknowledged answer first.
    """
    n = len(conv.messages)
    candidates = [i for i in range(n) if not conv.noise(i) and not all(is_question(s) for s in conv.content[i])]
    if not candidates:
        return None
    if n > 1:
        candidates = [i for i in candidates if i > 0] or candidates
    resolved = [i for i in candidates if i >= n // 2
                and any(_RESOLUTION.search(_lower(s)) and not is_question(s) and not _VAGUE.search(_lower(s))
                        for s in conv.content[i])]
    chosen = resolved[-1] if resolved else candidates[-1]
    lowered = _lower(conv.messages[chosen].text)
    acknowledges = bool(re.search(r"\b(?:thanks?|thank you|worked|works|that did it|got it|perfect)\b", lowered))
    said = [s for s in conv.content[chosen] if not is_question(s)]
    if acknowledges and not resolved and sum(word_count(s) for s in said) < 12:  # "Thanks, that worked!": the answer is the outcome
        earlier = [j for j in range(chosen - 1, 0, -1) if conv.author(j) != conv.author(chosen) and not conv.noise(j)]
        if earlier:
            chosen = earlier[0]
            said = [s for s in conv.content[chosen] if not is_question(s)]
    sentences = said or conv.content[chosen]
    text = max(sentences, key=lambda s: (min(word_count(s), 40), -sentences.index(s)))
    return Item(text, (chosen,))
