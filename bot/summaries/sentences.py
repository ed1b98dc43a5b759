"""Sentences of chat messages, verbatim: splitting, and the word counts budgets use.

A sentence is a verbatim slice of a message, so times, amounts, versions, ``@names`` and links are
kept exactly as written. Messages split on Latin (``. ! ? …``) and CJK (``。！？``) terminators and on
line breaks; common abbreviations, times (``7:00 p.m.``), versions (``v1.2.3``) and links are never
split, nor is text inside brackets or inline code (``?Quotes``) or a name with ``!`` inside (``useR! 2021``). Code blocks
(fenced with three backticks) and quoted lines (``> …``) are left out: they are pasted material, not
what people said. Hard-wrapped lines (e-mail style: a line that does not end a sentence followed by
one starting in lower case or with a link, or one that stops on "and", "of", "the" …) are joined with a space, and a line that is only a date or a time is joined to the line
it dates ("Next meeting of the R Contribution Working Group: Friday, March 12, 2021, 3:00 PM – 4:00 PM UTC"). Used
by the extractive summarizer (:mod:`bot.summaries.ranking`, :mod:`bot.summaries.extractive`).
"""

from __future__ import annotations

import re

from bot.lang import CJK_CHAR

_ABBREVIATIONS = {
    "e.g", "i.e", "etc", "vs", "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "approx", "cf", "al",
    "inc", "ltd", "corp", "co", "fig", "dept", "a.m", "p.m", "z.b", "bzw", "ca", "usw", "d.h", "sra", "p.ej",
    "jan", "feb", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "ch", "chap", "vol", "pp", "sec", "eq",
    "univ", "m.phil",
}
# A sentence ends after [.!?…] (plus closing quotes/brackets) followed by whitespace, or right after
# a CJK terminator (no space is used in Chinese/Japanese).
_LATIN_END = re.compile(r"(?<=[.!?…])[\"')\]»”’]*\s+|(?<=\d\x00) +(?=[A-Z][a-z]+ [a-z])")
"""Where a sentence ends: after ``. ! ? …`` (and closing quotes or brackets) and a space; or after a link followed by a
capitalised word that starts a new clause ("full stacktrace: https://pastebin.com/Eq7quYZT Anyone has an idea …?": chat
drops the full stop after a link)."""
_CJK_END = re.compile(r"(?:(?<=[。！？])|(?<=[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af][!?]))(?=[^\s。！？!?」』）)”’])")
URL = re.compile(r"<https?://[^\s>]+>|https?://[^\s<>|]*[^\s<>|.,;:!?)\]'\"”’]")
"""A link, bare or in Slack's ``<…>`` form (trailing punctuation is not part of it)."""
MENTION = re.compile(r"@[\w.\-]*\w")
"""An ``@name`` as written in message text."""
_WORD = re.compile(r"\w+", re.UNICODE)


def _protect_urls(text: str) -> tuple[str, list[str]]:
    urls: list[str] = []

    def keep(match: re.Match[str]) -> str:
        urls.append(match.group(0))
        return f"\x00{len(urls) - 1}\x00"

    return URL.sub(keep, text), urls


def _restore_urls(text: str, urls: list[str]) -> str:
    return re.sub(r"\x00(\d+)\x00", lambda m: urls[int(m.group(1))], text)


_FENCE = re.compile(r"`{3,}.*?(?:`{3,}|\Z)", re.DOTALL)
_LIST_ITEM = re.compile(r"^\s*(?:[-*•◦▪]|\d+[.)]|[a-z][.)])\s")
_SENTENCE_END = re.compile(r"[.!?…:;。！？]\s*$")
_GREETING_LINE = re.compile(
    r"^\W*(?:hi|hello|hey|hiya|dear|good (?:morning|afternoon|evening))(?:\s+[^\W\d_][\w.'-]*){0,2}\W*$", re.IGNORECASE)
"""A line that only greets ("Hello all", "Hi Mohamed,"): the line after it starts a new sentence even in lower
case ("Hello all / please inform me about …")."""


MONTHS = (r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|"
          r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?")
"""English month names and their abbreviations, as a regex alternation (lower case)."""
_MONTH = rf"(?:{MONTHS})\.?"
_DAY_NAME = r"(?:mon(?:day)?|tue(?:s|sday)?|wed(?:nesday)?|thu(?:r|rs|rsday)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?)\.?"
_DATE = (rf"(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}"
         rf"(?:,?\s+\d{{4}})?|\d{{4}}-\d{{2}}-\d{{2}})")
_TIME = r"(?:\d{1,2}(?::\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.|h)?)"
_ZONE = r"(?:utc|gmt|cet|cest|est|edt|pst|pdt|bst|ist|jst)(?:\s*[+-]\s*\d{1,2})?"
_DATE_LINE = re.compile(
    rf"^\W*(?:{_DAY_NAME},?\s*)?(?:(?P<date>{_DATE})\W*?)?"
    rf"(?:,?\s*(?:at|from)?\s*(?P<time>{_TIME}(?:\s*(?:[-–—]|to)\s*{_TIME})?\s*(?:{_ZONE})?))?\W*$",
    re.IGNORECASE,
)


def _date_line(line: str) -> bool:
    """True for a line that is only a date and/or a time ("Friday, March 12, 2021", "3:00 PM – 4:00 PM UTC"): it
    says when the line above it happens, it is no sentence of its own."""
    match = _DATE_LINE.match(line)
    return match is not None and bool(match.group("date") or match.group("time")
                                      and re.search(r":|[ap]\.?m\b|[a-z]{3}", match.group("time"), re.IGNORECASE))


_QUOTED_LINE = re.compile(r"^(?:>|&gt;)+\s?")
_FORWARD_WORDS = 12  # at most this many words of one's own before the quote, ending in ":", make a message a forward
_FORWARDED_WORDS = 5  # … when the quote holds at least this many


def _forwarded(raw_lines: list[str]) -> bool:
    """True when the quoted lines are what the message shares: its own words are only a short lead-in that
    ends with a colon ("From the RSE Slack - a survey on testing scientific software:"), then the quote, of five
    words or more (not a few words quoted back: "… but since they asked explicitly:" + "> built-in way")."""
    own = [line.strip() for line in raw_lines if line.strip() and not _QUOTED_LINE.match(line.strip())]
    quoted = sum(len(_WORD.findall(line)) for line in raw_lines if _QUOTED_LINE.match(line.strip()))
    return (quoted >= _FORWARDED_WORDS and bool(own) and own[-1].endswith(":")
            and sum(len(_WORD.findall(line)) for line in own) <= _FORWARD_WORDS)


_OUTPUT = re.compile(r"^(?:error|warning|stacktrace|caused by|info|\[[\w\s]+\]|julia>|\$ |>)", re.IGNORECASE)
"""A code block that is pasted output or a prompt (``ERROR: …``, ``WARNING: …``, ``[e9467ef8] GLMakie v0.1.25``)."""
_ONE_LINE_FENCE = re.compile(r"[ \t]*\n?[ \t]*```([^`\n]{1,90})```[ \t]*\n?[ \t]*")


def _inline_fences(text: str) -> str:
    """``text`` with each one-line code block that sits inside a sentence written as inline code: the words before it
    do not end a sentence and the words after it go on in lower case ("is it bad for type inference if I have"
    + ```check_something() || throw(ArgumentError("my error"))``` + "in my function?" is one question; so is "The
    variables I log when using e.g." + ```@info "my message" var1``` + "are not in message field"). Other code
    blocks are left as they are (and dropped from the sentences)."""
    def inline(match: re.Match[str]) -> str:
        before, after = text[:match.start()], text[match.end():]
        inner = match.group(1).strip()
        ended = _SENTENCE_END.search(before) and not _ends_with_abbreviation(before)  # (not "when using e.g.")
        if (not inner or not before or ended or not after[:1].islower() or before.endswith("```")
                or _OUTPUT.match(inner)):  # "Mine is" + ```ERROR: LoadError: …``` is pasted output, not code
            return match.group(0)
        return f" `{inner}` "
    return _ONE_LINE_FENCE.sub(inline, text) if "```" in text else text


_STRUCK_LEAD = re.compile(r"^(?:~[^~\s](?:[^~\n]*[^~\s])?~(?![\w~])\s*)+")
"""Text struck through at a line's start (Slack's ``~strike~``). Four words or fewer are a slip its author took back,
which no sentence says ("~@U01B4PFMH62 woops~ :sweat_smile:, @Rasmus Henningsson this is really helpful!"); what
follows stays a verbatim slice of the message. A longer struck sentence stays: it is what the message is about, struck
once settled ("~Is there a setting to make Julia 1.6 not precompile …?~ Found it: …")."""


def _unstruck(line: str) -> str:
    """``line`` without a slip struck through at its start (:data:`_STRUCK_LEAD`, four words or fewer)."""
    struck = _STRUCK_LEAD.match(line)
    return line[struck.end():] if struck and len(struck.group(0).split()) <= 4 else line


def _lines(text: str) -> list[str]:
    """Lines of ``text`` without code blocks and quoted lines (kept, unmarked, when the message forwards
    them: :func:`_forwarded`); hard-wrapped lines joined; a one-line code block inside a sentence is kept as inline
    code (:func:`_inline_fences`)."""
    lines: list[str] = []
    raw_lines = _FENCE.sub("\n", _inline_fences(text)).splitlines()
    forward = _forwarded(raw_lines)
    dated = False  # the last line already took a date or time line
    for k, raw in enumerate(raw_lines):
        line = raw.strip()
        if forward and _QUOTED_LINE.match(line):
            line = _QUOTED_LINE.sub("", line, count=1).strip()
        if not line or _QUOTED_LINE.match(line):
            if not line:
                lines.append("")  # a blank line ends a paragraph: never join across it
            continue
        line = _unstruck(line)  # "~@U01B4PFMH62 woops~ :sweat_smile:, @Rasmus this is really helpful!"
        if not line:
            continue
        if _date_line(line):  # "Next meeting of the R Contribution Working Group" / "Friday, March 12, 2021"
            above = len(lines) - 1 - (1 if lines and lines[-1] == "" else 0)  # across one blank line
            if above >= 0 and lines[above] and (not _SENTENCE_END.search(lines[above]) or dated):
                lines[above] = f"{lines[above]}{', ' if dated else ': '}{line}"
                del lines[above + 1:]
                dated = True
                continue
        dated = False
        previous = lines[-1] if lines else ""
        # … and a line of inline code that goes on with it ("I have an array of shape" / "`(nx,ny,nc,nb)`")
        completes = _completes(previous, line, raw_lines, k) if previous else False
        if (previous and (line[0].islower() or line.startswith("\x00") or completes or _DANGLING.search(previous))
                and (not _SENTENCE_END.search(previous) or completes and previous.endswith(":"))
                and not _LIST_ITEM.match(line) and not _GREETING_LINE.match(previous)):
            lines[-1] = f"{previous} {line}"
        else:
            lines.append(line)
    return [line for line in lines if line]


_DANGLING = re.compile(r"\s(?:and|or|of|the|a|an|than|my|your|their|our)$", re.IGNORECASE)
"""A line that stops on a word no sentence ends with ("… still working hard on many ODEs and" / "PDEs. You should …"):
the next line goes on with it, whatever its first letter. (Not a preposition: chat ends sentences on them, "the
elegant way I was looking for" / "THNX - my Q got answered".)"""


_CODE_LINE_SPAN = re.compile(r"`[^`]{1,60}`[.,;:!?]?")
"""A line that is one short inline code span ("`(nx,ny,nc,nb)`")."""


def _completes(previous: str, line: str, raw_lines: list[str], k: int) -> bool:
    """True when ``line`` (``raw_lines[k]``, stripped) is one short inline code span (:data:`_CODE_LINE_SPAN`) that
    completes the prose line before it ("I have an array of shape" / "`(nx,ny,nc,nb)`" / "and I want …", "… to solve
    this equation:" / "`f(x,y) = x^2 + y^3 == 31`"): that line ends on a word or a colon and is no code itself, the
    span is no REPL input, and the next line is no code span either (a listing of one span a line — "`julia> 10`" /
    "`2`" — is code, not a sentence)."""
    if not _CODE_LINE_SPAN.fullmatch(line) or "julia>" in line or previous.startswith("`") or not (
            previous[-1:].isalpha() or previous.endswith(":")):
        return False
    after = next((x.strip() for x in raw_lines[k + 1:] if x.strip()), "")
    return not after.startswith("`")


def _inside_brackets(text: str) -> bool:
    """True when ``text`` opens more ``(``/``[`` than it closes, or leaves an inline code span open (an odd
    number of backticks: "see `?Quotes`"): a cut there would split a bracket or code."""
    return text.count("(") > text.count(")") or text.count("[") > text.count("]") or text.count("`") % 2 == 1


def _name_bang(piece: str, rest: str) -> bool:
    """True at a ``!`` that belongs to a name (``useR! 2021``, ``Yahoo! Mail``, Julia's ``unsafe_store!``): the
    word has an inner capital right before ``!``, or a number follows, or it is an identifier with ``_`` or comes
    after "this", "call", "use" … (:data:`_NAMES_NEXT`) and the text goes on in lower case."""
    if not piece.rstrip().endswith("!"):
        return False
    word = piece.rstrip().split()[-1].rstrip("!")
    inner_capital = len(word) > 1 and word[-1].isupper() and any(c.islower() for c in word)
    identifier = "_" in word and rest[:1].islower()  # Julia's "unsafe_store! through a pointer"
    words = piece.rstrip().split()
    named = len(words) > 1 and words[-2].lower() in _NAMES_NEXT and rest[:1].islower()  # "this copyrec! is supposed to"
    subject = (word.isalpha() and word.islower() and len(word) >= 3 and word not in _EXCLAIMED and not word.endswith(("s", "ed", "ing"))
               and (rest.split() or [""])[0] in _VERB_NEXT)  # "so push! is amortized constant time"
    opening = (len(words) == 1 and piece == piece.lstrip() and word.isalnum() and word.islower() and len(word) >= 3
               and word not in _EXCLAIMED and not word.endswith(("s", "ed", "ing")) and rest[:1].islower())
    # … or it opens the text: "vgrid! now after the MakieLayout automatic export" (not "worked! at least, …")
    return inner_capital or identifier or named or subject or opening or bool(rest[:1]) and rest[0].isdigit()


_VERB_NEXT = frozenset("is isn't was wasn't does doesn't did returns mutates modifies works takes will won't should "
                       "can can't has needs calls".split())
"""Verbs that make the ``word!`` before them their subject: a function's name ("push! is amortized")."""
_EXCLAIMED = frozenset("thanks thank thx cool nice great wow yes yay yep yeah done oops sorry hey hello hi welcome "
                       "awesome amazing perfect excellent congrats congratulations sure okay indeed agreed maybe lol "
                       "haha damn ugh yup nope true right exactly good fine ahh ooh hmm".split())
"""Words that end an exclamation even before a verb ("thanks! is there a way …")."""


_NAMES_NEXT = frozenset("this that the a an my your our its use call calls calling using with of to".split())
"""Words after which ``word!`` followed by lower-case text is a name (Julia's mutating ``copyrec!``), not an exclamation."""


def _cjk_chunks(line: str) -> list[str]:
    """``line`` cut right after each ``。！？`` (:data:`_CJK_END`) that is not inside brackets or an inline code
    span: "`'anova.glm'による不正な引数%sを除去しました。` sounds fine to me!" is one sentence."""
    chunks, start = [], 0
    for match in _CJK_END.finditer(line):
        if match.start() > start and not _inside_brackets(line[start : match.start()]):
            chunks.append(line[start : match.start()])
            start = match.start()
    chunks.append(line[start:])
    return chunks


def _list_number(piece: str) -> bool:
    """True at a list number right after a colon ("Several questions: 1. the “r” in your call was a typo?"): one or
    two digits and a dot; the first item goes on after it. (A number opening a sentence stays a sentence of its own,
    noise, as before.)"""
    words = piece.rstrip().split()
    return len(words) > 1 and re.fullmatch(r"\(?\d{1,2}\.", words[-1]) is not None and words[-2].endswith(":")


_EXTENSION = re.compile(r"^(?:md|txt|jl|py|rmd|qmd|csv|toml|json|ya?ml|html|pdf|png|jpe?g|svg|cpp|rs|js)\b(?!')")


def _file_extension(piece: str, rest: str) -> bool:
    """True at a dot typed with a space before a file extension ("the readme. md file"): a file name, not a sentence's
    end."""
    return piece.rstrip().endswith(".") and not piece.rstrip().endswith("..") and bool(_EXTENSION.match(rest))


def _pause(piece: str, rest: str) -> bool:
    """True at dots that pause rather than end ("and just checked my GNU Screen .. and seems like …",
    "I tried... it failed", "gave labels 1, ... 8 of those texts"): two dots or more, or ``…``, and the text goes on
    in lower case or with a number."""
    return piece.rstrip().endswith(("..", "…")) and (rest[:1].islower() or rest[:1].isdigit())


_TERNARY_REST = re.compile(r"^[^\s:?]+ : ")


def _ternary(piece: str, rest: str) -> bool:
    """True at the ``?`` of a ternary operator written in prose ("a && b is equivalent to a ? b : a, and so …"): a
    ``?`` typed with a space before it, then one word and a spaced ``:``; no question ends there."""
    return piece.endswith(" ?") and _TERNARY_REST.match(rest) is not None


_ALTERNATIVE = re.compile(r"^(?:or|and|vs\.?|versus)\b")


def _alternative(piece: str, rest: str) -> bool:
    """True at a ``?`` followed by a lower-case "or"/"and"/"vs": the question goes on with its alternative ("is it an
    improved algorithm? or maybe the "official" version is doing more …?"); the part after it alone is a fragment."""
    return piece.endswith("?") and _ALTERNATIVE.match(rest) is not None


def _ends_with_abbreviation(piece: str) -> bool:
    words = piece.rstrip().split()
    if not words:
        return False
    if not words[-1].rstrip("\"')]»”’").endswith("."):  # "etc.)" ends with an abbreviation too
        return False
    last = words[-1].lstrip("([{\"'«“‘@").rstrip(".!?…\"')]»”’").rsplit("/", 1)[-1]  # "goals/philosophy/etc."
    # Known abbreviations, and initials such as "J." in "J. Smith" (or "@J. Kim": the mention of a name with an initial)
    return last.lower() in _ABBREVIATIONS or (len(last) == 1 and last.isalpha() and last.isupper())


def split_sentences(text: str) -> list[str]:
    """Split one message into sentences, verbatim.

    Splits on line breaks, on ``. ! ? …`` followed by a space, and right after ``。！？``. Links are
    never cut, nor are abbreviations such as "e.g." or "p.m.", text inside brackets, a name with
    ``!`` inside, a file name typed with a space ("the readme. md file"), a ternary ``a ? b : c``, a question that
    goes on with a lower-case alternative ("is it X? or maybe Y?"), or a pause (``..``, ``...`` or ``…`` followed by a
    lower-case word or a number). Code blocks and quoted lines are dropped (unless the message forwards the quote: a
    short lead-in ending with ":", then the quoted text), and so is a slip struck through at a line's start (``~…~``,
    four words or fewer: taken back); hard-wrapped lines are joined with a space.

    Args:
        text: a message's text.

    Returns:
        Non-empty, stripped sentences in order: verbatim slices of ``text``, except that the line
        break between two hard-wrapped lines becomes one space (and a forwarded line loses its ``>``).
    """
    protected, urls = _protect_urls(text)
    sentences: list[str] = []
    for line in _lines(protected):
        pieces: list[str] = []
        for chunk in _cjk_chunks(line):
            start = 0
            for match in _LATIN_END.finditer(chunk):
                piece = chunk[start : match.start()] + chunk[match.start() : match.end()].rstrip()
                if (_ends_with_abbreviation(piece) or _inside_brackets(chunk[start : match.start()])
                        or _name_bang(piece, chunk[match.end():]) or _pause(piece, chunk[match.end():])
                        or _list_number(piece) or _file_extension(piece, chunk[match.end():])
                        or _ternary(piece, chunk[match.end():]) or _alternative(piece, chunk[match.end():])):
                    continue
                pieces.append(piece)
                start = match.end()
            pieces.append(chunk[start:])
        for piece in pieces:
            piece = piece.strip()
            if piece:
                sentences.append(_restore_urls(piece, urls))
    return sentences



QUOTE_MARK = re.compile(r"(?:^|\s)(?:>|&gt;)+")
"""An e-mail quote marker where a line began: ``>`` or ``&gt;`` (Slack's escaping), one or more, after a space
or at the start ("wrote: >At 12:14 …", ">>Despite …"; "a->b" is not one)."""


_WRAPPED_QUOTE = re.compile(r"[a-z,;] (?:>|&gt;)+ [a-z]")
"""A quote marker where a quoted line wrapped inside a sentence ("It does not say it will default > to black")."""


def is_quotation(sentence: str) -> bool:
    """True when ``sentence`` is (mostly) quoted text: it starts with a quote marker, carries two or more
    (:data:`QUOTE_MARK`), or one where a quoted line wrapped mid-sentence, between two lower-case words
    (:data:`_WRAPPED_QUOTE`). Text whose line breaks were lost (an e-mail flattened to one line) keeps its
    markers inside sentences; the words after them are someone else's, not the author's."""
    stripped = sentence.lstrip()
    return (stripped.startswith((">", "&gt;")) or len(QUOTE_MARK.findall(sentence)) >= 2
            or _WRAPPED_QUOTE.search(sentence) is not None)


def word_count(text: str) -> int:
    """Words for budgets: Latin-script words plus one per CJK character (:data:`bot.lang.CJK_CHAR`)."""
    cjk = len(CJK_CHAR.findall(text))
    return cjk + len(_WORD.findall(CJK_CHAR.sub(" ", text)))
