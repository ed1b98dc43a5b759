"""What a mention asks for: a summary, an answer to a question, or help.

``classify_mention(text)`` reads the raw text of an ``app_mention`` event (``"<@U0BOT> tl;dr please"``)
and returns a :class:`Trigger`. It is deterministic: ordered rules over regular expressions, no model.

The rule, in order (first match wins):

1. Strip every user mention (``<@U…>``, ``<@U…|name>``), a leading ``@Recap``-style word, extra
   spaces and surrounding punctuation. Apply Unicode NFKC and lower case.
2. **Empty** (the mention alone, or only punctuation other than ``?``) -> ``summarize``.
3. **Help**: the whole text is a help phrase (``help``, ``what can you do``, ``how do I use you``,
   ``?`` alone, ``hilfe``, ``ayuda``, ``aide``, ``ajuda``, ``帮助``, ``ヘルプ``, ``使い方``…), or
   a bare greeting / thanks (``hi``, ``thanks``, ``谢谢``…) -> ``help``. "help me understand X" is
   not help: only short texts made of such a phrase count.
4. **Catch-up phrases** that ask for the gist of the whole conversation, with nothing more specific
   than "here" / "this thread" / a period: ``what did I miss``, ``catch me up``, ``what's going on
   (here)``, ``what is this thread about``, ``qué me perdí``, ``was habe ich verpasst``,
   ``我错过了什么``, ``何があった`` … -> ``summarize``. "What's going on *with the migration*?"
   names a topic, so it falls through to the question rule.
5. **A summary verb or noun** (``summarize``, ``summary``, ``tl;dr``, ``recap``, ``sum up``,
   ``总结``, ``要約``, ``まとめ``, ``resumen``, ``resumo``, ``zusammenfassen`` / ``fass … zusammen``,
   ``résumé``, ``riassunto``…) that is *requested* -> ``summarize``. It is requested unless the text
   is a question that opens with a question word (who / when / where / why / which / how / did /
   does / is …, ``wer``, ``quién``, ``谁``…) — "who writes the weekly summary?" is a question about
   summaries, not a request for one. "Can you summarize this?" opens with a request verb, so it is a
   summary request. When the request names a focus ("summarize the decisions about the release"),
   that focus is returned as ``question`` so the summarizer can steer; a bare object ("this", "the
   thread", "please", a period) gives ``question=None``.
6. **Anything else with content** -> ``answer`` with ``question`` set to the cleaned text (mention
   stripped, original case kept). A statement such as "release date" is treated as a question.

``period`` is the time window the text names, if any ("today", "yesterday", "this week", "last 3
days", "since monday", "past 24 hours", "今天", "hoy", "heute", "aujourd'hui", "hoje", "今週"…), in
lower case as written; parsing it into times is the caller's job. It is set for every kind.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

TriggerKind = Literal["summarize", "answer", "help"]


@dataclass(frozen=True)
class Trigger:
    """What a mention asks for.

    Attributes:
        kind: ``"summarize"``, ``"answer"`` or ``"help"``.
        question: for ``answer``, the question (mention stripped); for ``summarize``, an optional focus
            ("the decisions about the release"); None otherwise.
        period: the time window named in the text, lower case as written ("this week"), or None.
    """

    kind: TriggerKind
    question: str | None = None
    period: str | None = None


_MENTION = re.compile(r"<@[UWB][A-Z0-9]+(?:\|[^>]*)?>|<!(?:here|channel|everyone)>")
_LEADING_NAME = re.compile(r"^\s*@recap\b[\s,:]*", re.IGNORECASE)
_EDGE_PUNCT = " \t\r\n,.;:!¡¿。、，！…~-–—\"'`*_"

_HELP = re.compile(
    r"^(?:(?:hey|hi|hello|please|pls|bitte|por favor|s'il te pla[iî]t|\s)+)?"
    r"(?:help|help me|help please|need help|usage|commands|what can you do|what do you do|"
    r"what are you|who are you|how do i use (?:you|this|this bot|recap)|how does (?:this|it|recap) work|"
    r"hilfe|was kannst du|was kannst du tun|wie funktionierst du|ayuda|qué puedes hacer|que puedes hacer|"
    r"cómo funciona|como funciona|aide|à l'aide|qu'est-ce que tu sais faire|que sais-tu faire|"
    r"que peux-tu faire|comment (?:ça|ca) marche|ajuda|o que você (?:faz|pode fazer)|como usar|"
    r"帮助|帮忙|你能做什么|你会什么|怎么用|使用说明|ヘルプ|使い方|何ができる(?:の|ますか)?|"
    r"hi|hello|hey|hallo|hola|bonjour|salut|olá|ola|你好|こんにちは|"
    r"thanks|thank you|thx|ty|danke|gracias|merci|obrigad[oa]|谢谢|ありがとう(?:ございます)?)"
    r"(?:\s*(?:please|pls|bitte|por favor|!|\?|？))*$",
    re.IGNORECASE,
)

# Whole-conversation catch-up phrases: the rest of the text must be empty, "here"/"this"/a period.
_CATCH_UP = re.compile(
    r"catch me up|catch up|get me up to speed|fill me in|bring me up to speed|brief me|"
    r"what(?:'d| did) i miss|what have i missed|did i miss anything|anything i missed|"
    r"what(?:'s| is) (?:going on|happening|up)|what happened|what(?:'s| is) (?:this|the) (?:thread|channel|"
    r"discussion|conversation) about|what are (?:they|you all|people|we) (?:talking|discussing)(?: about)?|"
    r"qué me perdí|que me perdi|qué pasó|que paso|ponme al día|qué está pasando|de qué va (?:esto|este hilo)|"
    r"was habe ich verpasst|was hab ich verpasst|was ist (?:hier )?los|worum geht(?:'s| es)|"
    r"qu'est-ce que j'ai (?:manqué|raté)|qu'ai-je manqué|que se passe-t-il|de quoi (?:ça|ca) parle|"
    r"o que (?:eu )?perdi|o que aconteceu|me atualiza|do que se trata|"
    r"我错过了什么|我错过了啥|发生了什么|在讨论什么|在聊什么|讲了什么|说了什么|聊了什么|"
    r"何があった|何があったの|見逃した|何の話|どうなってる",
    re.IGNORECASE,
)

_SUMMARY_WORD = re.compile(
    r"summari[sz]\w*|summary|summaries|sum (?:it |this |that |everything )?up|tl;?\s?dr|too long,? didn'?t read|recap\w*|"
    r"rundown|digest|gist|overview|"
    r"总结|總結|摘要|概括|汇总|彙總|归纳|概要|回顾|"
    r"要約|まとめ|要点|サマリ\w*|"
    r"res[uú]m\w*|résum\w*|récap\w*|riassum\w*|riassunt\w*|riepilog\w*|"
    r"zusammenfass\w*|fass\w*\b.*\bzusammen|zusammenfassung|kurzfassung|überblick|"
    r"sumário|sintetiz\w*",
    re.IGNORECASE,
)

_QUESTION_OPENER = re.compile(
    r"^(?:who|whom|whose|when|where|why|which|how|did|does|do|is|are|was|were|should|will|has|have|"
    r"wer|wann|wo|warum|wieso|welche[rsnm]?|wie|hat|haben|ist|sind|"
    r"¿?(?:quién|quien|cuándo|cuando|dónde|donde|por qué|cuál|cual|cómo)|"
    r"qui|quand|où|pourquoi|quel(?:le)?s?|comment|est-ce que|"
    r"quem|quando|onde|por que|qual)\b|^(?:谁|什么时候|哪|为什么|为何|怎么|誰|いつ|どこ|なぜ|どうして)",
    re.IGNORECASE,
)

# Words that only frame a request; stripped from both ends of what remains, leaving the focus (if any).
_FILLER_WORD = (
    r"(?:(?:can|could|would|will) you(?: please)?|please|pls|plz|kindly|hey|quick(?:ly)?|short|brief|"
    r"(?:give|send|get|make|write|post|do) (?:me|us)|give|send|make|write|post|can i (?:get|have)|"
    r"i(?:'d| would)? (?:like|need|want)(?: to get)?|let'?s(?: get)?|"
    r"(?:this|that|the|these) (?:thread|channel|conversation|discussion|chat)|in here|in this channel|"
    r"this|that|it|everything|all of (?:this|it)|the above|above|here|so far|real quick|for me|for us|"
    r"thanks|thank you|bitte|por favor|s'il te pla[iî]t|s'il vous pla[iî]t|stp|svp|por favor|"
    r"me haces|hazme|haz|haces|tu peux faire|tu peux|fais|faire|peux|tu|an?|the|of|for|on|me|us|all|kurze?|"
    r"(?:este|esta|esse|essa|este) (?:hilo|canal|conversación|conversa|discussão)|"
    r"(?:ce|cette) (?:fil|canal|discussion|conversation)|questa discussione|questo thread|"
    r"das|dies|diesen? (?:thread|kanal)|von|un|una|um|uma|de|del|la|le|du|des|di|do|da)"
)
_FILLER_HEAD = re.compile(rf"^(?:{_FILLER_WORD})(?:\s+|$)", re.IGNORECASE)
_FILLER_TAIL = re.compile(rf"(?:^|\s+)(?:{_FILLER_WORD})$", re.IGNORECASE)
_CJK_FILLER = re.compile(
    r"一下|一下吧|一个|一份|的|議論|の|吧|请|請|帮我|幫我|给我|把|这个|這個|这|那|讨论|討論|帖子|频道|頻道|对话|內容|内容|"
    r"して(?:ください|くれ|下さい)?|してほしい|お願い(?:します)?|を|この|スレッド|チャンネル|会話|"
    r"ください|下さい|的|了|呢|吗|嗎|。|、|！|？|\?|!"
)
_FOCUS_LEAD = re.compile(r"^(?:about|on|regarding|re|of|covering|focusing on|focused on)\b\s*", re.IGNORECASE)

_PERIOD = re.compile(
    r"\b(?:today|tonight|this morning|this afternoon|yesterday|this week|last week|past week|this month|"
    r"last month|over the weekend|this weekend|"
    r"(?:in )?the (?:last|past) (?:\d+|few|couple of) (?:hours?|days?|weeks?|h|d)|"
    r"(?:last|past) (?:\d+ ?(?:hours?|days?|weeks?|h|d)|hour|day|24h)|"
    r"since (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|last \w+|\d[\w:/.-]*)|"
    r"hoy|ayer|esta semana|la semana pasada|heute|gestern|diese woche|letzte woche|seit \w+|"
    r"aujourd'hui|hier|cette semaine|la semaine dernière|depuis \w+|hoje|ontem|"
    r"nesta semana|semana passada|oggi|ieri|questa settimana|the week|la semana|la semaine|der woche)\b"
    r"|今天|昨天|本周|这周|這週|上周|最近\d*天|今日|昨日|今週|先週",
    re.IGNORECASE,
)


def strip_mentions(text: str) -> str:
    """Remove ``<@U…>`` mentions, ``<!here>``-style broadcasts and a leading ``@Recap``; trim the rest.

    Args:
        text: raw ``text`` of a Slack ``app_mention`` event.

    Returns:
        The remaining text, NFKC-normalised, whitespace collapsed, original case kept.
    """
    text = unicodedata.normalize("NFKC", text or "")
    text = _MENTION.sub(" ", text)
    text = _LEADING_NAME.sub("", text)
    return re.sub(r"\s+", " ", text).strip()


def _focus(text: str, match: re.Match[str]) -> str | None:
    """What a summary request asks to focus on: ``text`` less the matched phrase, period and framing words."""
    rest = text[: match.start()] + " " + text[match.end() :]
    rest = _SUMMARY_WORD.sub(" ", rest)
    rest = _PERIOD.sub(" ", rest)
    rest = _CJK_FILLER.sub(" ", rest)
    rest = re.sub(r"\s+", " ", rest).strip(_EDGE_PUNCT + "?？")
    previous = None
    while previous != rest:
        previous = rest
        rest = _FILLER_HEAD.sub("", rest)
        rest = _FILLER_TAIL.sub("", rest)
        rest = _FOCUS_LEAD.sub("", rest).strip(_EDGE_PUNCT + "?？")
    if len(re.sub(r"\W", "", rest)) < 2:
        return None
    return rest


def classify_mention(text: str) -> Trigger:
    """Decide what a mention of the bot asks for (see the module docstring for the rule).

    Args:
        text: raw mention text, e.g. ``"<@U0BOT> summarize the decisions this week"``.

    Returns:
        A :class:`Trigger`: ``kind``, ``question`` (for answers; optional focus for summaries) and
        ``period`` (e.g. ``"this week"``) when the text names one.
    """
    cleaned = strip_mentions(text)
    bare = cleaned.strip(_EDGE_PUNCT)
    lowered = bare.lower()
    period_match = _PERIOD.search(lowered)
    period = period_match.group(0) if period_match else None

    if not lowered:
        return Trigger(kind="summarize", period=period)
    if lowered.strip(" ?？¿") == "" or _HELP.match(lowered):
        return Trigger(kind="help")

    catch_up = _CATCH_UP.search(bare)
    if catch_up and _focus(bare, catch_up) is None:
        return Trigger(kind="summarize", period=period)

    summary = _SUMMARY_WORD.search(bare)
    if summary and not _QUESTION_OPENER.search(lowered):
        return Trigger(kind="summarize", question=_focus(bare, summary), period=period)

    return Trigger(kind="answer", question=cleaned, period=period)
