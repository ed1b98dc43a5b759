"""The shape of a conversation, for the extractive summarizer's sections: who asked, who answered, what ended it.

Cue words alone put answered questions under "open questions" and offers under "action items"; the
conversation's structure says more. Rules used by :mod:`bot.summaries.extractive` (an empty section
beats a wrong one, so every rule errs on leaving an item out):

* **Noise** (:func:`is_noise`): greetings, thanks and acknowledgements, code and log lines, pasted
  commands and bare calls, error lines, e-mail addresses, meeting invitations (the whole message, links and
  agenda included), banter and apologies, asides in brackets, file-only and emoji-only messages never
  become points.
* **Open question** (:func:`open_questions`): a question no later message by someone else answers. A
  bare "Yes", a link, code or "Ah right, you mean …" answers; thanks, greetings, emoji and "I don't know" do
  not; a question ``@naming`` a participant who replies later is answered only by them, one that copies in
  someone absent ("CC @X for confirming") by no one else; a reply that opens by quoting another message
  answers that one only. Tag questions ("…, right?"), calls for opinions
  ("WDYT?"), courtesy checks ("Did that help?"), suggestions and guesses put as questions ("Maybe
  `Iterators.peel`?", "Have you tried …?") and questions the asker answers themself ("never mind, found
  it", "scratch that", "I got it") are not open. A reply that only acknowledges or promises a request asked
  in the same message ("ok, I'll do it") does not answer the question beside it; "Yes, this works on 1.6" does. When the asker has the last word, says it still fails and never reported success, the opening
  question is still open.
* **Action item** (:func:`action_items`): a commitment in the first person ("I'll send …", owner: its
  author), or a request ("please …", "could you …", "it would be good to …", owner: the ``@person``
  named, full name kept, else the person the message answers). Not items: conditionals ("… if this is
  confirmed"), vague or hedged intentions ("I'll have to …", "maybe I'll …", "when I find some time",
  "I don't know if I'll …"), offers ("I'm happy to …"), sign-offs, questions for information ("could you
  elaborate?", "please explain …", "what would you expect?"), polite formulas and rules ("please note …",
  "please don't …") and asks to nobody in particular ("can someone …"). An item is dropped
  when it was done within the conversation: the owner (or, for a request, anyone but the asker) later
  reports it done ("sent", "done", "opened", "fixed", "now …"), the owner answers a request with something
  other than a promise or a refusal ("I don't have the access" keeps it open), or answers a "please
  confirm" at all. A promise right after a request merges into it.
* **Decision** (:func:`is_decision`): explicit agreement ("decided", "we agreed", "settled on", "let's do
  that", "I'd rather keep …", "out of scope", "seems the cleanest solution"), in several languages; not a
  status update.
* **Outcome** (:func:`outcome`): where the thread ended: the answer the opening author last said worked
  ("thanks, that worked", "IT WORKED!"); else the last message with a resolution cue ("works", "fixed",
  "resolved", "sent", "expected", "not a bug") in the second half (in a thread of up to 40 messages, in its
  last 12: :data:`_RECENT`), else the last message that is not
  noise and not a question. An acknowledgement, agreement or praise ("Yup, …", "I agree, …", "That explains
  it, thanks", "looks very well written") or a short closing remark (under eight words) gives way to the
  message it acknowledges; both are cited, and the acknowledgement's own report is shown after it when it says
  one (:func:`_last_word`: "— Aidan: That worked, I've got everything running now."). The opening author's
  "that's what I was looking for" or "thanks for your help" confirms an answer like "that worked" does.
* **Answer to a question** (:func:`answer_to`, :func:`answer_sentence`), shown after a question that is a key
  point: the reply its asker accepted (not one they turned down, the one their thanks echoes), in the sentence
  that answers (not a qualifier, a hedge or a lead-in to code), after its bare "Yes" or "No".
* **Code** (:func:`code_gist`): a code block is shown by the statement that answers, on one line; a reply that is
  only code, thanked for or confirmed right after, is an answer and can be where a thread ended; a sentence that
  runs into its code, points ahead to it ("e.g.") or ends a lead-in shows it, and a few words around one block read
  as one line with the code in its place (:func:`in_full`).

Sources of the approach: thread structure as the unit of discourse in chat summarization (Zhou &
Hovy 2005, "Digesting virtual geek culture"; Fabbri et al. 2021, ConvoSumm); labels and scores in
``evals/sections/`` (``recap eval sections``; docs/evals.md).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from bot.models import Message
from bot.summaries.links import BROADCASTS
from bot.summaries.ranking import content_words, trim_sentence, vectorize
from bot.summaries.sentences import MONTHS, URL, is_quotation, split_sentences, word_count

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
    r"sounds good|makes sense|that makes sense|good point|fair point|good idea|great idea|good catch)\b",
    re.IGNORECASE,
)
_CODE_LINE = re.compile(
    r"^\s*(?:\$ |> |#>|\[\d+\]|\[[0-9a-f]{8}\] |at [\w.$]+\(|File \"|Traceback|ERROR:|Error in |Warning message|"
    r"julia>|R>|>>>|pkg>|using [A-Z]\w*(?:,|\s*$)|import |library\(|function |def |end$)"
    r"|\w[\w./-]*\.[^\W\d_]\w*:\d+|\w+\s*(?:<-|:=|==)\s*\S|^\s*[\w.$\[\]]+\s*=\s*\S+\s*$|\bREDACTED\b"
    r"|\[(?:Info|Error|Warn|Warning|Debug|Trace)\s*-\s*\d{1,2}:\d{2}",  # a log line: "[Info - 15:18:56] Connection …"
)
_COMMAND = re.compile(
    r"^(?!(?-i:[A-Z][a-z]+ [a-z]{3,}\b))\W{0,2}(?:sudo |\$ )?(?:make|git|r cmd|rscript|rterm|pip3?|npm|pacman|apt(?:-get)?|brew|conda|docker|kubectl|cd|ls|"
    r"cat|svn|svnversion|julia|curl|wget|export|gcc|clang|cmake|ssh|scp|chmod|chown|chgrp|mkdir|rm|mv|cp|ln|sed|grep|tar|"
    r"python3?|systemctl|yum|dnf)\s+"
    r"(?!(?:the|a|an|sure|it|its|this|that|these|those|your|my|our|their|use|of|is|are|was|were|can|could|will|would|"
    r"should|has|have|had|to|and|or|you|i|we|me|sense|so|as|in|on|for|with|also|just|does|doesn't|did|isn't)\b)"
    r"(?=[^\n]*?(?:(?<![\w-])-{1,2}[a-z]|/|\\|=|\.[a-z]\w{0,3}\b))",
    re.IGNORECASE,
)
"""A pasted shell command: a tool's name, then arguments with a flag, a path, ``=`` or a file name ("pacman -Syu svn",
"julia script.jl"); not a sentence about the tool ("Julia supports `finally`: https://…"), nor a line whose only dot is
in a number ("Python 0.86 seconds", "julia 1.6 is out now"), nor prose whose tool name is a verb or a subject ("make the
destination `AsTable` i.e. `:Antigen => tst_done => AsTable`", "cat is …")."""
_CALL = r"[\w.:$@]+\([^()]*(?:\([^()]*\)[^()]*)*\)"
_CALL_ONLY = re.compile(r"^\W{0,2}" + _CALL + r"(?:\s*[;,]?\s*" + _CALL + r")*\W{0,3}$"
                        r"|^\s*(?:error|warning|exception|traceback)\b\s*:", re.IGNORECASE)
"""Bare function calls (``install.packages("renv")``, or several pasted one a line and joined) or an error or
warning line."""
_INLINE_CODE = re.compile(r"`[^`\n]+`")
"""An inline code span."""
_INLINE_CODE_ONLY = re.compile(r"^[^\w`]{0,2}`[^`]+`[^\w`]{0,3}$")
"""A sentence that is one inline code span and nothing else (``sudo chown -R $USER /opt/R``): pasted code. (Not
"`&` is bitwise and, … tighter than `>=`": the backticks around its words belong to two spans.)"""
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.-]+\b")
_SIGNATURE = re.compile(r"^\s*(?:--|—)(?:\s+\S|\s*$)")
"""An e-mail signature's start, the ``-- `` delimiter (RFC 3676, section 4.3) on its own line or before a sign-off, a
name or a link."""
_LONG_RULE = re.compile(r"[*=_~-]{10,}")
"""A rule line of ten or more ``*``, ``=``, ``_``, ``~`` or ``-``: what follows it in an e-mail is a signature block
("***** Dr. Daniel Austin, Sr. Technical Architect …") or a forwarded or quoted message."""
_INVITATION = re.compile(
    r"zoom\.us(?!/recording)|meet\.google|teams\.microsoft|calendar invit|meeting (?:link|invit)|\bzoom (?:meeting|call) (?:details|link)\b"
    r"|\bjoin from a sip\b|\bone tap mobile\b|\bdial by your location\b"
    r"|(?<!unable to )(?<!not )(?<!n't )(?<!cannot )(?<!able to )\bjoin (?:us|the call|the meeting)"
    r"|webex|you(?:'re| are) invited|\b(?:office hours?|meeting|call|session|meetup)\b[^.?!]{0,20}\b(?:starting|starts|begins)\b",
    re.IGNORECASE,
)
_LOGISTICS = re.compile(
    r"^\W*(?:friendly |quick )?reminder\b|\b(?:an?|one|half an|\d+) hours?(?:'s)? (?:from now|time)\b"
    r"|\b(?:office hours?|meeting|call|session|meetup|sync|standup)\b[^.?!]{0,30}\bin (?:an?|one|half an|\d+) "
    r"(?:hours?|minutes?|mins?)\b"
    r"|^\W*(?:i'?m |we'?re |i am |we are )?(?:leaving|heading (?:out|over)|on (?:my|our) way)\b[^.?!]{0,40}\b(?:in a few|"
    r"in (?:an?|\d+) (?:min|mins|minutes?)|now|soon)\b|^\W*(?:i'?m|we'?re|i am|we are) (?:at|in) [^.?!]{1,30}, let (?:me|us) know\b",
    re.IGNORECASE,
)


def is_logistics(sentence: str) -> bool:
    """True for a meeting's logistics in time relative to now: a reminder ("Reminder: RCWG meeting in 1 hour!"),
    "I've set the time at one hour from now", "we have agreed to come back in an hour's time". Out of date by the
    time anyone reads a summary, so never a key point, a decision or a headline; it may still answer a question
    ("when was the meeting?"), so it is not noise."""
    return bool(_LOGISTICS.search(sentence))


_IT_WORKED = re.compile(r"^\W*(?:it|that|this) (?:worked|works)\W*$", re.IGNORECASE)
"""A report that it worked, however loud ("It worked!!!!!!!"): a result, not banter."""
_PACKAGE_ONLY = re.compile(r"^\W{0,2}[A-Za-z][\w-]*\.jl\W{0,3}$")
"""A sentence that is one Julia package's name ("AutomaticDocstrings.jl", "`Glob.jl`?"): an answer, however short."""
_EMOJI_ONLY = re.compile(r"^(?:\s|:[\w+\-]+:|[^\w\s])*$")
_FILE = re.compile(r"\[(?:end of )?file: [^\]]*\]")
_LEADING_MENTIONS = re.compile(r"^(?:\s*@[\w.\-]+(?: [A-Z][a-z][\w.\-]*){0,3}(?: \([^)]*\))?[,:]?)+\s*")
_SENTENCE_WORDS = ("As|The|I|If|Is|It|In|On|At|We|You|Can|Could|Would|Will|Please|Thanks|Thank|Do|Does|Did|Are|Was|"
                   "What|When|Where|Why|How|Which|Who|Hi|Hey|Hello|Yes|No|So|And|But|Or|This|That|These|Those|There|"
                   "Here|Just|Also|FYI|Let|Sorry|Sure|Ok|OK|Okay|Great|Good|Any|My|Your|Our|Not|For|To|Re")
_FULL_MENTION = re.compile(rf"@[\w.\-]*\w(?: (?!(?:{_SENTENCE_WORDS})\b)[A-Z][\w.\-]*\w){{0,2}}(?: \([^)@]{{1,30}}\))?")
"""An ``@name`` with the capitalized words that follow it ("@Michael Chirico (he/him)"), for people who did not write;
a word that starts the sentence after the name is not part of it ("@Michael Lawrence As the patch files …")."""
_DONE_WORD = re.compile(r"^\W*(?:(?:ok|okay|and|all),? )?(?:done|sent|fixed|merged|pushed|resolved|submitted)\W*$",
                        re.IGNORECASE)
_BANTER_END = re.compile(r"(?:\b(?:haha+|hehe+|lol|xd)|[:;]-?p\b|:[\w+\-]+:|[😀-🙏]|\^\^|[:;]-?[)D])\W*$", re.IGNORECASE)
FAILS = re.compile(r"\b(?:fail(?:s|ed|ing)?|errors?|broken|unsuccessful|crash(?:es|ed|ing)?|segfaults?|"
                   r"(?:doesn't|does not|didn't|did not|won't|can't) (?:work|build|compile|install|load|run))\b", re.IGNORECASE)
"""A report of a problem ("the render book action is failing on GitHub"): a key point told with its fix, and no banter
however it ends (:data:`_TROUBLE`)."""
_TROUBLE = re.compile(FAILS.pattern + r"|\b(?:(?:doesn't|does not|didn't|did not|won't|can't|cannot|isn't|not) (?:\w+ )?"
                      r"(?:work|working|help|compile|load|run|build|install|find|start|update|show)|hangs?|hanging|stuck|"
                      r"freez(?:es|ing)|nan|out of memory|sits there|(?:still|same) (?:problem|issue)|"
                      r"takes? (?:over |about |around )?(?:a |\d+ )?(?:minutes?|hours?))\b", re.IGNORECASE)
"""A problem told (:data:`FAILS`, or "… just sits there for over a minute :thinking_face:", "but somehow `Expr(xor` does
not work :confused:"): a report, not banter, whatever face ends it (unless a laughing or winking one: a joke)."""
_BANTER_START = re.compile(r"^\W*(?:oh man|oh my|aha+|wow+|yay+|woo+|omg|lol|haha+|yikes|whoa|w?oops)\b", re.IGNORECASE)
_JOKE_END = re.compile(r"(?:(?<![\w:]):-?p|;-?p|:(?:stuck_out_tongue(?:_winking_eye|_closed_eyes)?|wink|drum_with_drumsticks):|[😜😛😝😉🥁])\W*$",
                       re.IGNORECASE)
"""A message its author ends tongue in cheek ("… That is the Cunningham's Law! :P", a pun and its rimshot: "I’ve always heard
it’s better to be proactive. :drum_with_drumsticks:"): its sentences rank as a hedge's do."""
_LAUGH_END = re.compile(r"(?:\b(?:haha+|hehe+|lol|lmao|rofl|xd)|:(?:joy|rolling_on_the_floor_laughing|laughing|sweat_smile|"
                        r"upside_down_face):|[😂🤣😆😅])\W*$", re.IGNORECASE)
"""A message that ends laughing ("… hard at work in the middle of the night :joy:"): a joke when it names no code; with
code it often says something ("… so for `methodswith` you want the type of the type … a little bit confusing. XD")."""


_LAUGHS = re.compile(r"(?:\b(?:haha+|hehe+|lol|lmao|rofl)|:(?:joy|rolling_on_the_floor_laughing|laughing):|[😂🤣😆])\W*$",
                     re.IGNORECASE)
"""A message that ends laughing out loud (not a sheepish ":sweat_smile:")."""


def is_a_joke(text: str) -> bool:
    """True for a message its author ends as a joke: tongue in cheek (:data:`_JOKE_END`: "… That is the Cunningham's
    Law! :P"), or laughing with no code in it (:data:`_LAUGH_END`)."""
    return bool(_JOKE_END.search(text) or _LAUGH_END.search(text) and "`" not in text)


_CC = re.compile(r"^\W*(?:cc|copying|ping|fyi)\b[^\w@<]*", re.IGNORECASE)
CC_WORDS = 4
"""Words after "fyi" under which a sentence only copies someone in ("fyi @kara", "ping me"): "FYI weblate is locked due
going through merging SVN trunk …" says news (the org digest of R Contributors 2023-W14 had left it out)."""


def _copies_in(text: str) -> bool:
    """True for a sentence that only copies someone in: "cc @Michael Lawrence", "ping @Heather for visibility",
    "fyi" and fewer than :data:`CC_WORDS` words more; not "FYI weblate is locked due going through merging …"."""
    match = _CC.match(text)
    if match is None:
        return False
    rest = text[match.end():]
    return rest.startswith(("@", "<@")) or word_count(rest) < CC_WORDS
_COURTESY = re.compile(
    r"^\W*(?:happy to help|glad (?:to help|i could help|to hear|it helped|it helps|it works|that helped)|good luck|"
    r"congrat(?:ulation)?s|shout ?-?outs?|kudos|props to|"
    r"(?:i )?hope (?:this|that|it) helps|i hope you (?:find|get|manage|enjoy)|you're welcome|you are welcome|"
    r"no problem|any ?time|have fun|enjoy|hope to see you (?:around|there|soon)|"
    r"(?:i )?(?:really |truly )?(?:liked|loved|enjoyed) (?:reading )?your(?: \w+){0,3} (?:post|intro|introduction|story|message|talk))\b",
    re.IGNORECASE)
"""A closing courtesy or a compliment to the person ("Happy to help", "I hope you find a good solution!", "Good luck",
"I really liked reading your honest and humble post", "shoutout to @Elio for presenting twice!", "props to @Michael for
providing 24 hour translation support"): noise when short."""


_ONLY_FEELINGS = re.compile(r"\bfor (?:the|your|all the|all your)(?: \w+)? (?:help|answers?|explanation|info|tips?|"
                            r"pointers?|suggestions?|replies|response)\b(?: (?:on|with) (?:this|that|it))?\W*(?:$|(?:,|and) i (?:was|am|'m|have been) "
                            r"(?:a bit |a little |so |really |quite |very )?(?:puzzled|confused|stuck|lost|struggling))")
"""Thanks for the help, then how the speaker felt ("…, I was a bit puzzled how to get this to work"): no content."""


_THANKS_FOR = re.compile(r"^\W*(?:thanks|thank you|many thanks)\W*(?:(?:so much|very much|a lot|again|everyone|everybody|all|"
                         r"all of you|folks|guys|y'all|both|both of you|team)\W+)*for\b(?:(?!\s[-–—]\s)[^,;:!?\d`])*[.!]*\s*$",
                         re.IGNORECASE)
"""Thanks for what someone did, one clause and nothing more ("Thank you for testing and for explaining it", "Thanks
everyone for voting on the poll and to @Howard Baek for suggesting a more Pacific-friendly time.")."""


_ATTRIBUTION = re.compile(r"^\W*(?:source|sources|via|h/t|hat tip|credit|credits|from)\b(?: \w+){0,3}\W*(?:<?https?://\S+\s*)+$",
                          re.IGNORECASE)
"""Where a link came from ("Source from this tweet: https://twitter.com/…"): no point of its own."""


_BUMP = re.compile(r"^\W*(?:bump(?:ing)?|friendly bump|re-?bump)(?: (?:for visibility|for attention|this|again))?\W*$",
                   re.IGNORECASE)
"""A bump ("Bump for visibility…"): it asks for attention again, it says nothing new."""


_ETIQUETTE = re.compile(
    r"^\W*(?:sorry,? )?(?:that|this|it) (?:was|is) (?:supposed|meant) to (?:be|say|read)\b|\b(?:i'm|i am) new here\b"
    r"|\bdon'?t know the (?:rules|etiquette)\b|\b(?:i )?(?:can|will|could) (?:remove|delete) (?:this|my|the) (?:post|message|"
    r"question|thread)\b|\bnext time i(?:'ll| will) keep (?:it|that|this) in mind\b|^\W*(?:please )?(?:ignore|disregard) "
    r"(?:my|the|that) (?:last|previous|above) (?:message|post|comment)\b|^\W*(?:sorry,? )?(?:wrong|meant to post in the) "
    r"(?:channel|thread)\b"
    r"|\b(?:better|easier|best) to (?:paste|post|share|copy) (?:the |your )?(?:code|text|error|output)s? (?:as text )?"
    r"(?:instead of|rather than|than|not as) (?:an? |the )?(?:images?|screenshots?|pictures?|photos?)\b"
    r"|^\W*(?:(?:ok|okay|so|also|fyi|edit)\W+)?(?:i(?:'ve| have)? )?(?:just |now |also )?(?:edited|updated|simplified|"
    r"clarified|reworded|shortened|expanded|amended|cleaned up) (?:the |my )?(?:\w+ )?(?:mwe|mre|example|code|original "
    r"(?:question|post|message)|question|post|first (?:post|message)|op|top (?:post|message))(?: \w+){0,2} (?:in|of|above|"
    r"at the top)\b"
    r"|\b(?:post|share|copy|put|add)(?: (?:the|your|this|an?|that))? (?:solution|answer|fix|findings?)"
    r"(?: (?:back )?(?:on|to|in) (?:the )?(?:discourse|discord|forum|stack ?overflow|so)\b| for posterity\b)"
    r"|\bcross[- ]?post\b",
    re.IGNORECASE)
"""Chat etiquette and corrections of one's own post ("(sorry, that was supposed to be @ t i m e above", "I'm new here so
I don't know the rules", "I can remove this post if it is clogging up the feed", "I've simplified the MWE slightly in
the original question", "please post the solution on discord for posterity!"): no point of the conversation."""


_NEW_HERE = re.compile(r"^\W*(?:(?:hey|hi|hello)\b[^.!?]*[.!?]\s*)?(?:so,? )?(?:i am|i'm|im) (?:\w+ )?(?:new|a newbie|"
                       r"a beginner|a noob) (?:to|at|with|in)\b", re.IGNORECASE)
_PREAMBLE = re.compile(
    r"\b(?:sorry|apologies) (?:if|in case) (?:this|it) (?:is|was|sounds) (?:a )?(?:dumb|stupid|silly|noob|naive|basic|"
    r"trivial|obvious)|\bthis (?:is|might be|may be) (?:a )?(?:dumb|stupid|silly|noob|naive|basic) question\b"
    r"|\bi (?:looked|searched|checked) (?:in )?(?:the )?(?:docs|documentation|manual|internet|web|google)\b[^.!?]*"
    r"\b(?:couldn't|could not|can't|cannot|didn't|did not) find\b"
    r"|\b(?:if|whether) (?:that's|that is|this is|it's|it is) (?:a )?(?:dumb|stupid|silly|noob|naive|basic) question\b"
    r"|\b(?:betraying|showing|revealing|exposing) my (?:ignorance|lack of knowledge|noobness)\b"
    r"|^\W*(?:random|quick|silly|dumb|stupid|noob|newbie|basic|naive|general|odd|weird|strange) (?:conversation|question|"
    r"thought|idea)\W*$", re.IGNORECASE)
"""A preamble before a question ("I am pretty new to Julia and I looked in the docs but could not find the answer",
"Sorry if this is a dumb question", "I don't know if that's a dumb question or not", "I'm betraying my ignorance,
here...", "Random conversation."): said before the question, no point of the conversation. Being new alone is one
only in a few words ("I'm new to Julia."): "I'm new to the team and will take over the release process" says more."""
_LEAVING = re.compile(r"\b(?:signing off|logging off|heading off|off to bed|gotta (?:go|run)|got to (?:go|run)|"
                      r"have (?:a )?(?:good|nice|great|lovely) (?:day|night|evening|weekend)|good ?night)\b", re.IGNORECASE)
"""Someone leaving the conversation ("....okay, signing off now, good day"): a sign-off, not where it ended."""


_AWAY = re.compile(r"\b(?:afk|on (?:my|a) phone|away from (?:my |the |a )?(?:keyboard|computer|desk|laptop)|not at (?:my|a) "
                   r"(?:computer|desk|laptop)|(?:can't|cannot|can not) (?:check|test|try) (?:it |that |this )?(?:right )?now|"
                   r"(?:chat|thread|conversation|replies|answers?) (?:might|may|will|could) be (?:a bit |quite |rather )?"
                   r"(?:spread out|slow|delayed|patchy)|(?:i'll|i will) (?:try to )?check (?:back|in) (?:later|tomorrow|tonight|"
                   r"in a (?:bit|while|few))\b)",
                   re.IGNORECASE)
"""Someone saying they cannot look right now, or only later ("I am AFK and can't check", "N.B. this chat might be a bit
spread out as I do other things, but I will try to check back tomorrow!"): no point of the conversation, and not
where it ended."""
_BEAT_ME = re.compile(r"\b(?:beat me to it|jinx|you were faster|(?:was|were) faster than me|ninja'?d)\b", re.IGNORECASE)
"""A remark that someone else answered first ("Oscar beat me to it"): banter, no answer."""
_ONLY_A_NAME = re.compile(r"^\W*(?i:(?:hi|hello|hey)\W+)?(?i:i'm|i am|im|my name is) [A-Z][\w'-]*\W*$")
"""A name and nothing more ("I'm Michał."): the author line says it already."""


_NUMBER_TOKEN = re.compile(r"[\[({]*[-+]?(?:\d[\d_]*(?:\.\d*)?|\.\d+)(?:e[-+]?\d+)?[\])},;:]*", re.IGNORECASE)
"""A number as pasted in data or output ("[1.0,", "10.0],)", "-3e-5;")."""


_POINTS_TO = re.compile(r"^\W*(?:(?:you|u) (?:should|could|might|may|can) (?:also |definitely )?(?:want to )?|maybe |perhaps )?"
                        r"(?:check out|look at|have a look at|take a look at|join|ask in|talk to|reach out to)\b")
"""A pointer to somewhere or someone ("You should check out Zapata Computing", "maybe join #turing")."""


_CONFIRMS = re.compile(r"^\W*(?:yes|yep|yup|no|nope|correct|right)\b[,.!]?\s+"
                       r"(?:the|it|it's|it is|that's|that is|we|you)\b")
"""A reply that opens by answering yes or no and goes on to say what ("yes the 13th of July is correct :-)"): an answer,
whatever smiley it ends on."""


def is_noise(sentence: str) -> bool:
    """True for a sentence that should never be a point: a greeting, thanks or bare acknowledgement
    (six words or fewer after the cue), a code or log line, a pasted command, an e-mail address, a
    meeting invitation, a file marker, emoji and punctuation only, a short e-mail signature (``-- Name``),
    pasted e-mail headers only, or a quotation (:func:`bot.summaries.ranking.trim_sentence` leaves nothing); never a
    package's name alone (:data:`_PACKAGE_ONLY`)."""
    text = _LEADING_MENTIONS.sub("", _FILE.sub(" ", sentence)).strip()
    if _DONE_WORD.match(text) or _COMMITMENT.search(_lower(text)) or _REPORTED.search(_lower(text)) or _FIXED_NOW.search(
            _lower(text)):
        return False  # "Done", "Ok, I will do that", "I opened a PR from my fork :slightly_smiling_face:", "Thanks for
        # report, fixed now": they count
    if _PACKAGE_ONLY.match(text):
        return False  # "AutomaticDocstrings.jl" after "Is there a snippet to generate documentation …?": the answer
    if (not text or _EMOJI_ONLY.match(text) or word_count(text) < 2 or _copies_in(text) or _ATTRIBUTION.match(text)
            or _BUMP.match(text)):
        return True
    if _SIGNATURE.match(text) and word_count(text) <= 15 or not trim_sentence(text):
        return True  # "-- Kindest Regards, Sean", "In-reply-to: Your message of …", a quotation
    if (_EMAIL.search(text) or _INVITATION.search(text) or _CODE_LINE.search(text) or _COMMAND.match(text)
            or _CALL_ONLY.match(text) or _INLINE_CODE_ONLY.match(text)):
        return True
    tokens = URL.sub(" ", text).split()
    if len(tokens) >= 5 and sum(bool(_NUMBER_TOKEN.fullmatch(t)) for t in tokens) >= 0.75 * len(tokens):
        return True  # pasted data or output: "[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0],) at index [2]"
    prose = _INLINE_CODE.sub("code", text)  # "so `x=@__MODULE__` seems to be what I want?" is prose with code in it
    symbols = sum(1 for c in prose if not (c.isalnum() or c.isspace() or c in ".,'’?!-:;\"()"))
    if len(prose) >= 12 and symbols / len(prose) > 0.2 and not URL.search(text):
        return True
    if _BANTER_START.match(text) and word_count(URL.sub(" ", text)) <= 16 + 8 * bool(_BANTER_END.search(text)):
        return True  # "oh man, can't wait for …", "aha, I signed up just to report this, but …"
    if word_count(text) <= 12 and (_BANTER_END.search(text) or text.endswith("!!") and not _IT_WORKED.match(text)) and not (
            word_count(text) >= 8 and is_suggestion(text) and re.search(r"`|\b[A-Z][a-z]+[A-Z]\w*|\w\.jl\b", text)) and not (
            word_count(text) >= 8 and _POINTS_TO.match(_lower(text)) and re.search(r"(?<=\w )[A-Z]\w+|#\w|https?://|`", text)
    ) and not (
            word_count(text) >= 4 and _YOU_CAN_JUST.match(_lower(text))  # "You can just overlay scenes ;)": an answer
    ) and not (
            word_count(text) >= 5 and _CONFIRMS.match(_lower(text))  # "yes the 13th of July is correct :-)": the answer
    ) and not (
            word_count(text) >= 5 and _TROUBLE.search(_lower(text))
            and not (_LAUGH_END.search(text) or _JOKE_END.search(text) or re.search(r"[:;]-?[)D]\W*$", text))):
        return True  # "… haha", "… :slightly_smiling_face:", "oh man, can't wait …", "I ran my first C file!!"; not
        # "You could also ping the package authors of KernelDensity, maybe they know :)", nor a pointer to a name ("You
        # should check out Zapata Computing - they are looking for interns :slightly_smiling_face:"), nor a problem told
        # with a face ("Adding a package just sits there for over a minute :thinking_face:")
    if word_count(text) <= 8 and re.search(r"\bsorry\b", text, re.IGNORECASE):  # "(I'm really late, sorry....)"
        return True
    if word_count(text) <= 10 and re.search(r"\blearn(?:ed|t)? (?:something|a thing|sth) new every ?day\b", text, re.IGNORECASE):
        return True  # "Julia slack: I learn something new every day"
    if word_count(text) <= 8 and re.search(r"\b(?:just kidding|jk|j/k|playing dumb|only joking)\W*$", text, re.IGNORECASE):
        return True  # ":point_up: playing dumb"
    if word_count(text) <= 25 and _ETIQUETTE.search(text):  # "I'm new here so I don't know the rules."
        return True
    if word_count(text) <= 30 and (_PREAMBLE.search(text) or _NEW_HERE.search(text) and word_count(text) <= 8) and not (
            _QUESTION_END.search(text)):
        return True  # "I am pretty new to Julia and I looked in the docs but could not find the answer (…)."
    if word_count(text) <= 8 and _BEAT_ME.search(text):  # "Oscar beat me to it", "jinx"
        return True
    if word_count(text) <= 10 and _LEAVING.search(text):  # "....okay, signing off now, good day"
        return True
    if word_count(text) <= 10 and _AWAY.search(text):  # "I am AFK and can't check"
        return True
    if _ONLY_A_NAME.match(text):  # "I'm Michał."
        return True
    if word_count(text) <= 6 and re.search(r"\S\s*=\s*\S", text):  # "B = 0010, decimal 2"
        return True
    if _ACK.match(text) and word_count(text) <= 3 or re.match(r"^\W*i see\W*$", text, re.IGNORECASE):
        return True
    if re.fullmatch(r"\((?!https?:)[^()]*\)\W*", text) and word_count(text) <= 12:
        return True  # an aside in brackets ("(I may have misunderstood your question)")
    if _COURTESY.match(text) and word_count(_FULL_MENTION.sub("", text)) <= 12:
        return True  # "Happy to help 🙂", "I hope you find a good solution!", "Good luck!"
    thanks = re.match(r"^\W*(?:thanks|thank you|many thanks|thx)\b", text, re.IGNORECASE) or (
        None if URL.search(text) else re.match(r"^\W*(?:ah|oh)\W+(?:thanks|thank you) for\b", text, re.IGNORECASE))
    # ("Ah, thanks for the heads up, and the answer!"; not "Ah, thanks, this package seems nice: <link>")
    if thanks and word_count(_FULL_MENTION.sub("", text)) <= 12:
        return not re.search(r"\d|`", URL.sub(" ", text))  # "Thanks Heather for the explanation, that makes sense to
        # me.", "Thank you *Lluís Revilla Sancho (https://app.slack.com/team/U01KXU8UNRX)*"
    if thanks and word_count(_FULL_MENTION.sub("", text)) <= 20 and _ONLY_FEELINGS.search(_lower(text)):
        return True  # "Thanks for the quick help on this, I was a bit puzzled how to get this to work."
    if thanks and word_count(_FULL_MENTION.sub("", text)) <= 20 and _THANKS_FOR.match(_FULL_MENTION.sub("", text)):
        return True  # "Thank you @Shun Wang for testing and @Heather Turner for explaining it much better than I did."
    # "oh and you need `julia --project=.`" says its code: not a greeting
    return bool(_THANKS_OR_GREETING.match(text)) and word_count(text) <= 8 and not (
        _lower(text).startswith(("oh", "ah")) and "`" in text)


def content_sentences(message: Message) -> list[str]:
    """The sentences of ``message`` that are not noise nor its author signing it, in order; none for a meeting
    invitation (its first sentence invites: the links and agenda lines after it are part of the invitation), and
    none from an e-mail signature on (a sentence after the first that starts with the ``-- `` delimiter, or a long
    rule line: :data:`_LONG_RULE`)."""
    sentences = split_sentences(message.text)
    if sentences and _INVITATION.search(sentences[0]):
        return []
    signature = next((k for k, s in enumerate(sentences) if k and _SIGNATURE.match(s)), len(sentences))
    sentences = sentences[:signature]  # nothing after "-- Name": the signature
    ruled = next((k for k, s in enumerate(sentences) if _LONG_RULE.search(s)), None)
    if ruled is not None:  # nor after a long rule line: a signature block, or a forwarded or quoted message
        head = _LONG_RULE.split(sentences[ruled], maxsplit=1)[0].rstrip()
        sentences = sentences[:ruled] + ([head] if head else [])
    return [s for s in sentences if not is_noise(s) and not _signs_off(s, message.user_name)]


# --------------------------------------------------------------------------------------------------
# Cues (lower-cased, straight apostrophes)

_QUESTION_END = re.compile(r"[?？][_*~]*\s*(?:[:\w+\-]*:)?\s*[)\]]?\s*$|[吗嗎呢]\s*[。]?$|(?:ですか|ますか|でしょうか)[。]?$")
_WILL_VERB = (
    r"(?: (?:probably|definitely|also|then|now|just|first|soon|gladly))* "
    r"(?:check|look|post|send|share|fix|update|add|make|create|open|write|report|merge|review|ping|email|file|draft|"
    r"prepare|rename|push|have|put|do|work|set|ask|contact|follow|submit|test|run|upload|build|remove|change|"
    r"get(?! (?:an? |the |my |some |no |any |this |that |these |those )?(?:\w+ )?(?:errors?|warnings?|segfaults?|exceptions?|"
    r"nothing|stuck|lost|confused|wrong|same|crash(?:es)?)\b)|"  # (not "… or I'll get an error": a prediction)
    r"move|publish|announce|pr|try to|give it|go through|take care|own)\b"
)
_COMMITMENT = re.compile(
    r"\b(?:i'll|i will|i'm going to|i am going to|i can then)"
    + _WILL_VERB + r"|(?:^|[,;:.!\-–—]\s*)will" + _WILL_VERB
    + r"|\b(?:i can take|i'll take(?! (?:it|that|this) as\b)(?![^.?!]{0,40}\bback\b)|i'm on it|on my (?:todo|to-do|list))\b"
    r"|\b(?:ich werde|ich kümmere|me encargo|yo me|je vais|je m'en occupe|eu vou)\b"
    r"|我来|我会|我去|私が|やります|やっておきます|対応します|제가",
)
_JOB_DONE = re.compile(r"\b(?:get|gets|getting|got|have|has) (?:the|this|that|my|it) (?:job|work|thing|task)? ?done\b")
"""That something got the job done, not what ("Now i have two ways to get the job done.")."""
_VAGUE = re.compile(r"\b(?:i'll|i will) (?:first |then |just |also )?(?:see|be (?:around|in touch|back)|keep|try to remember|"
                    r"try to keep|let you know|"
                    r"have to|probably)\b|\b(?:i'm|i am) probably going to\b|\bkeep (?:it |that |this )?in mind\b|\bsoon as i (?:can|have|get|find)\b"
                    r"|^\W*(?:\w+,? )?(?:maybe|perhaps)\b|\bsometime\b|\bwhen i (?:can )?(?:find|get|have) (?:some |the )?time\b"
                    r"|\b(?:don't|do not) know (?:if|whether)\b|\bnot sure (?:if|whether)\b|\bthis way\b"
                    r"|(?<!confirm )(?<!check )(?<!see )(?<!know )(?<!ask )(?<!wonder )(?<!wondering )(?<!sure )\bif\b"
                    r"|\bunless\b|\bin case\b|\bas i (?:have|get|think of|come up with) (?:them|it|more)\b"
                    r"|\botherwise,? (?:i|we)(?:'ll| will|'m| am|'re| are) (?:going to )?(?:have|get|end up|run into|hit|see)\b"  # "I do want to end
                    # up at the end, otherwise I'm going to have some overlap": a consequence, not a promise
                    r"|\b(?:the idea|the plan|the point|the goal) is (?:that )?(?:i|we)(?:'ll| will)\b"
                    r"|\b(?:i'll|i will) (?:do|try) my best\b|\b(?:i'll|i will) follow (?:your|the|their) (?:advice|direction|lead|"
                    r"suggestions?|steps)\b|\bcheck back\b|\beventually\b|\bget around to\b|\bhave a (?:poke|play|look around)\b"
                    r"|\bsee how it (?:works|goes)\b|\btry to (?:understand|wrap my head|get my head)\b"
                    r"|\bmake sure (?:i|to) (?:keep|note|remember|understand)\b|\bin my notes\b")
"""A vague promise ("I will follow your direction to become a value-adding community member", "I'll get around to
that sort of thing eventually", "I'll have a poke and see how it works", "I will make sure I keep this point in my
notes"), or a conditional
("if …", "unless …"; "confirm if you'd like" asks whether, it is not one)."""
_ASK_INFO = re.compile(
    r"\b(?:can|could|would) you (?:please |at least |maybe |also |just |kindly )*(?:elaborate|explain|clarify|tells?|say|describe|"
    r"share (?:your|some) thoughts|share (?:which|what|how|where|when|whether)|give (?:me|us) (?:a |the )?(?:link|pointer)|"
    r"remind|point|show (?:me|us|what|how)|expound|expand (?:a bit |a little |more )?on|say more|go into|"
    r"help me(?: out)? with|give (?:me |us )?(?:a few |some |a bit more |more )?details)\b"  # "Could you give more details?"
    r"|\bany chance\b|\bcan (?:you|i|one) [^.?!]{0,80}\bor (?:do|must|should) (?:you|i|one) (?:have to|need to)\b|\b(?:please|pls) (?:explain|elaborate|clarify|describe)\b"
    r"|^\W*(?:\w+,? )?(?:what|why|how|where|when|which|who)\b[^.!]*\?"
    r"|\b(?:how|what|which|where|why) (?:would|could|can|do|should) you\b[^.!]*\?\W*$"
    r"|^\W*(?:@[\w.\-]+,?\s+)*(?:(?:also|and|so|but|ok|okay),? )?(?:what|why|how|where|when|which|who) "
    r"(?:would|could|should|do|does|did) you\b"
    r"|\b(?:can|could) you (?:please )?(?:verify|confirm) (?:that|whether|if)\b[^!?]*\?\W*$",
)
"""A request for information: a question, not a task ("a bit of a random request but how would you translate
the above message to Japanese?", "can you please share which svn revision you meant above?", "Could you at least tell
us what a similar struct in C looks like?", "Can you give me a link to a documenter markdown file so I can see how you do
it?")."""
_REQUEST = re.compile(
    r"\b(?:please|pls|can you|could you|would you|next step would be|it would be good to|would be good to|"
    r"worth opening|maybe you could|will you (?=\w+ (?:the|a|an|it|this|that|your)\b)|bitte|kannst du|könntest du|puedes|podrías|por favor|peux-tu|pourrais-tu|"
    r"você pode)\b|请|麻烦|お願い|부탁",
)
_DONE = re.compile(
    r"\b(?:done|sent|i have sent|i've sent|made (?:this|a|the) pr|opened|here (?:is|are|it is)|here's|confirm(?:ing|ed)|"
    r"fixed|resolved|updated|pushed|merged|submitted|uploaded|finished|completed|works now|working now|"
    r"should (?:both )?be \w+ now|try it now|is now|are now|"
    r"(?:i|we)(?:'ve| have) (?:just |now |already |also )?(?:\w+ed|made|sent|written|done|set up|built|put)|"
    r"got to the bottom of|got rid of|figured (?:it |this |that )?out|worked (?:it |this |that )?out|"
    r"(?:i|we) (?:basically |just |already |finally |actually )?(?:did (?:your|that|it|what you|so)|went with)|got it(?=\s*:\s*```))\b",
)
"""A report that something was done ("sent", "merged", "I've scheduled 3 more dates", "I basically did your first one",
"Got it:" + what they found)."""
_GOT_IT_CODE = re.compile(r"^\W*got it\s*:\s*```")
"""Its owner's "Got it:" and the code that does what they set out to do (``REPL.find_hist_file()``): done."""
_CONFIRM = re.compile(r"\b(?:confirm|let (?:me|us) know|approve|agree)\b")
"""A request any answer by the person asked completes ("please confirm …" -> "Sure")."""
_BLOCKED = re.compile(r"\b(?:can't|cannot|can not|couldn't|unable|not able|no access|(?:don't|do not) (?:think i )?have (?:the )?"
                      r"(?:access|rights|permission))\b")
_PROMISE_OR_ACK = re.compile(r"^\W*(?:ok|okay|sure|yes|yep|will do|on it|no problems?|np|of course|absolutely|can do|"
                             r"happy to|好的|好|可以|了解|はい|承知)", re.IGNORECASE)
_SUCCESS = re.compile(
    r"\b(?:works?|worked|working|fixed|solved|resolved|got it|thanks?|thank you|helpful|helps|makes sense|"
    r"explains|perfect|great|agreed|correct|fair enough|i see|understand)\b|谢谢|ありがとう",
)
_RESOLUTION = re.compile(
    r"\b(?:works|(?<!\bi )(?<!\bwe )(?<!\bthey )(?<!\bhe )(?<!\bshe )(?<!\bi've )(?<!\bi have )worked|"
    r"worked around|working now|works now|fixed|resolved|solved(?! (?:similar|such|these|those|this kind|that kind|"
    r"this sort|that sort|the same kind)\b)|it did|(?<!should have )(?<!could have )(?<!would have )"
    r"(?<!might have )(?<!must have )(?<!\bhad )(?<!what's )(?<!what is )done|merged|filed|opened|sent|"
    r"submitted|pushed|confirm(?:ing|ed)|decided|decision(?=:)|is expected|it is expected|not a bug|as documented|"
    r"should (?:both )?be \w+ now|the (?:reason|problem|issue) (?:is|was)(?! not\b)|turned out|the answer is|i get it|"
    r"i see now|got it|makes sense now|that explains|figured (?:it )?out|i found (?:the|a) (?:solution|fix|answer|problem)|"
    r"(?:i've|i have|we've|we have|just) (?:tagged|released|registered|published)|i'm going with|i am going with|"
    r"i(?:'ll| will|ll) go (?:with|for)|i went (?:with|for)|ended up (?:going with|using)|"
    r"(?:i|we)(?:'ve| have)? (?:just )?(?:rebooted|restarted|redeployed|rolled back|reverted|cleared|flushed) (?:it|the|them|that|this)\b)\b",
)
_HOW_IT_WORKS = re.compile(r"\bhow (?:[\w.`'-]+ ){1,3}works?\b")
"""How something works ("now I see how LegibleLambdas works"): an explanation understood, not a fix."""
_REPORTED = re.compile(r"\b(?:i|we)(?:'ve| have)? (?:just |now )?(?:made|opened|filed|created|submitted|raised|reported) "
                       r"(?:an? |the |this as an? )?(?:(?:new|github|upstream) )?(?:issue|pr|pull request|bug report|ticket)\b"
                       r"|\b(?:i|we)(?:'ve| have)? (?:just |now )?(?:created|opened|started|posted|made) (?:an? |the )?(?:new )?"
                       r"(?:one|thread|topic|post|discussion|question) (?:on|in|at) (?:the )?(?:discourse|forum|zulip|github)\b"
                       r"|^\W*(?:(?:ok|okay|so|and|anyway|anyways),? )?(?:just )?(?:opened|filed|made|created|submitted|raised) "
                       r"(?:an? |the |this )?"
                       r"(?:(?:new|github|upstream) )?(?:issue|pr|pull request|bug report|ticket)\b"
                       r"|\b(?:i|we)(?:'ve| have)? (?:just |now )?(?:created|made|set up|started|registered) (?:an? |the )?"
                       r"(?:(?:new|empty) )?(?:[\w.-]+ )?(?:repository|repo|github org|organi[sz]ation)\b"
                       r"|^\W*(?:i )?(?:gave it a (?:go|try|shot)|had a go at it|took a stab at it)\b[^.?!]*https?://\S*(?:pull|issues)/\d+"
                       r"|\bi (?:got|have|made|wrote|reduced it to) an? (?:mwe|mre|repro|reproducer|minimal (?:working )?example)"
                       r"\b[^.?!]*https?://\S*(?:issues|pull)/\d+")
"""A report that the conversation's next step was taken ("ok, I made an issue now", "I created a new one on
Discourse", "opened an issue https://…", "Anyway, opened this issue https://…", "I have just created an empty EFTBase.jl
repository", "BTW I got a MWE here https://github.com/JuliaLang/julia/issues/40177"): where it ended, not an
acknowledgement of what came before."""


_FIXED_NOW = re.compile(r"\b(?:(?:fixed|done|updated|corrected|merged|deployed|changed|added)"
                        r"(?: it| that| this| them| in| it in)? now|"
                        r"(?:it's|it is|that's|that is|this is|should be|now) (?:now )?(?:fixed|corrected|updated|released|"
                        r"merged|published|deployed))\b")
"""A report that the fix was made ("Thanks for report, fixed now", "Okay, _now_ it's released :smile:"): where it ended,
not thanks for what came before."""
_NOT_YET = re.compile(r"\b(?:once|when|after|until|before|if) (?:[\w'-]+ ){0,3}(?:done|fixed|merged|resolved|works?|working)\b")
"""A resolution cue inside a clause of time or condition ("once I am done _playing_ with my functions"): not a report."""


_WORKS_BUT = re.compile(r"\b(?:still )?works?(?: (?:fine|ok|okay|well))?,? but\b"
                        r"|\b(?:worked|used to work|was working)(?: (?:fine|well|ok|okay))? (?:the )?(?:last time|before|"
                        r"previously|earlier|in the past)\b")
""""It still works fine but I want to get those values": what works is not what was asked; nor is what worked before
("It worked last time I tried julia")."""


def _resolves(sentence: str) -> bool:
    """True when ``sentence`` (lower-cased) carries a resolution cue (:data:`_RESOLUTION`, :data:`_REPORTED`),
    not counting how something works, what happens once it is done, or what works but falls short
    (:data:`_WORKS_BUT`)."""
    stated = _NOT_DONE.sub(" ", _DOUBTED.sub(" ", _NOT_YET.sub(" ", _HOW_IT_WORKS.sub(" ", _WORKS_BUT.sub(" ", sentence)))))
    return bool(_RESOLUTION.search(stated) or _REPORTED.search(stated) or _SELF_FOUND.search(stated))


def closed_by_asker(conv: Conversation) -> bool:
    """True when a later message of the person who started ``conv`` reports a resolution or that something worked
    ("removing Gadfly did the trick", "Seems like this works"), that they found it (:data:`_FOUND`: "In case anyone needs
    it: I can center and change the size of the image with: …"), gives their own way with its code (:data:`_CAN_JUST_DO`)
    or thanks someone ("Thanks @kmsquire!"), or when the opening message itself says they found it ("Found it: …"):
    they are not waiting for a reply."""
    if conv.messages and any(_FOUND_IT.match(_lower(x)) for x in split_sentences(conv.messages[0].text)[1:]):
        return True  # "~Is there a setting to make Julia 1.6 not precompile …?~ Found it: `JULIA_PKG_PRECOMPILE_AUTO=0`"
    own = [j for j in range(1, len(conv.messages)) if conv.author(j) == conv.author(0)]
    if own and _found_themselves(conv, own[-1]):
        return True
    return any(conv.author(j) == conv.author(0) and (
        _worked(conv, j) or _THANKS.search(_lower(conv.messages[j].text)) or any(
            _resolves(_lower(x)) or "`" in x and _CAN_JUST_DO.search(_lower(x)) and not is_question(x) for x in conv.content[j])
        or any(_reports_success(_lower(x)) and not is_question(x) for x in split_sentences(_FENCED.sub(" ", conv.messages[j].text))))
        for j in range(1, len(conv.messages)))  # ("This" + its code + "seems to work.": the sentence around the code)


def _found_themselves(conv: Conversation, i: int) -> bool:
    """True when message ``i`` says its author found the answer (:data:`_FOUND`: "Sorry, I figured it out. …", "Oh, they
    are pinned here!", "In case anyone needs it: …") and does not go on asking or failing (not "never mind found
    solution" -> "Update, the above doesn't work", nor "I found a similar kind of issue … Any help or alternatives")."""
    text = _lower(conv.messages[i].text)
    return bool(_FOUND.search(text)) and not _STILL_FAILING.search(text) and not ASKS_FOR_HELP.search(text) and not any(
        is_question(x) for x in conv.content[i])


_CAN_JUST_DO = re.compile(r"\b(?:i|you|one) can (?:of course |also |simply )?(?:just )?(?:do|use|call|write)\b")
"""The asker's own way found, with its code ("Ah! I can of course just do `on(s->push!(s, selected), menu.selection)`")."""


def resolves(sentence: str) -> bool:
    """True when ``sentence`` reports a resolution ("It works now!", "I resolved it by …"; see :func:`_resolves`)."""
    return _resolves(_lower(sentence))


_NOT_DONE = re.compile(r"(?:\bnot|n't|\bnever)(?: (?:yet|been|quite|really|actually))* (?:done|fixed|merged|resolved|solved|"
                       r"sent|submitted|pushed|opened|filed|decided|confirmed)\b")
"""A cue negated ("haven't done so yet", "not fixed"): nothing was resolved."""
_DOUBTED = re.compile(r"\b(?:(?:don't|do not|didn't|did not) (?:think|know)|not sure|i doubt|hopefully)\b[^.?!;]*")
"""A cue under doubt ("I don't think the problem is with the speed", "I actually don't know the answer, hopefully the
answer is yes"): the rest of its clause reports nothing."""


_DECISION = re.compile(
    r"\b(?:(?<!someone )(?<!somebody )(?<!someone has )(?<!somebody has )(?<!someone had )(?<!somebody had )decided|decision(?=:)|we agreed|agreed (?:on|to|that)|let'?s go with|we(?:'ll| will) go with|going forward with|"
    r"settled on|final call|the consensus|(?:i|we)(?:'ll| will) stick (?:with|to)|"
    r"(?:there is|there's|we have|reached|reach) (?:a |general |broad |clear )?consensus|let'?s do (?:that|it|this)|"
    r"(?<!leak )(?<!leaks )(?<!escape )(?<!escapes )(?<!go )(?<!goes )(?<!went )out of (?:the )?scope|"
    r"(?:seems|sounds)(?: like)? the (?:cleanest|best|simplest) (?:solution|option|approach|way)|"
    r"we are creating|i'd rather keep|rather keep|makes sense for me to|"
    r"(?:i|we)(?:'ll| will) merge|don't think that fits|"
    r"(?:doesn't|does not) fit (?:(?:the|our|this|in|into|within|with) )*"
    r"(?:scope|remit|purpose|goals?|aims?|project|channel|guide)|not (?:in|within) (?:the )?scope|"
    r"should not be translated|(?:i|we)(?:'ve| have)? (?:just |also |now )?(?:updated|changed|set|configured|enabled|"
    r"disabled|switched|started|created|set up) [^.?!]{0,80}\bso (?:that|we|you|people|everyone|folks)\b|(?:seems|sounds|looks) (?:fine|good|ok|okay) to me|fine by me|lgtm|"
    r"(?:is|it's|that's) fine (?:for now|by me|with me)|i'd be fine with|(?:should|would) be fine to (?:merge|release|go ahead)|"
    r"i(?:'ve| have)? (?:just )?(?:merged|released|tagged|added you as|made you an?)|beschlossen|entschieden|einigen uns|vereinbart|decidimos|decidido|acordamos|"
    r"acordado|vamos con|décidé|convenu|on part sur|validé|combinado|fechado)\b"
    r"|决定|确定了|就这么定|定了|决议|決定|決めました|決まり|合意|ことにします|にしましょう|결정|합의",
)


def _lower(text: str) -> str:
    return text.lower().replace("’", "'")


_GOES_ON_SECONDS = 60.0
"""Seconds within which an author's next message goes on from their last (the same reply, sent in two)."""


def _seconds_between(earlier: str, later: str) -> float:
    """``later - earlier`` in seconds (``ts`` strings); infinite when either is no number."""
    try:
        return float(later) - float(earlier)
    except ValueError:
        return float("inf")


def is_question(sentence: str) -> bool:
    """True when ``sentence`` ends with a question mark (Latin or CJK) or a CJK question particle."""
    return bool(_QUESTION_END.search(sentence.strip()))


_THOUGHT_DECIDED = re.compile(r"\bi (?:thought|assumed|believed|was under the impression)\b[^.?!]{0,30}\b(?:decided|agreed)\b"
                              r"|\bi (?:maintain|would argue|'d argue)\b|\bin my (?:humble )?opinion\b|\bimh?o\b"
                              r"|\b(?:iirc|if i (?:recall|remember)(?: correctly)?|as far as i (?:recall|remember))\b"
                              r"|\byou (?:already |have |had |just )?decided\b")
"""A decision its speaker only remembers, to question it ("I thought it was decided that the intermediaries created by
`mapreduce` … are the problem :thinking_face:", "IIRC the consensus was that TCE would be useful"), or one they put to
the person they speak to ("But you already decided for them in a negative way for you"), or a position argued ("I
maintain that … is out of scope for any point on complexity"): no decision of this thread."""


def is_decision(sentence: str) -> bool:
    """True for a statement of agreement or a settled choice (never a question, nor one only remembered:
    :data:`_THOUGHT_DECIDED`)."""
    lowered = _lower(sentence)
    return (not is_question(sentence) and bool(_DECISION.search(lowered)) and not _THOUGHT_DECIDED.search(lowered)
            and not re.match(r"^\W*(?:otherwise|if only)\b", lowered) and not _HEDGED_FINE.search(lowered))  # ("Otherwise,
    # we are creating the expectation of work from them": what would follow, not what was decided; "if only hardware
    # makers hadn't decided to …": a lament)


_HEDGED_FINE = re.compile(r"\bfine (?:for now|by me|with me)(?: too)?\b[^.?!]*?(?:,? but\b|\(?i think\)?)"
                          r"|\b(?:checked|tested|ran|tried)\b[^.?!]{0,60}\b(?:looks|seems) (?:fine|good|ok|okay) to me\b")
"""An agreement its speaker hedges ("Yup, that's fine for now (I think).", "That's fine with me too, but I wouldn't choose
a worse name just to avoid …") or what a check showed ("edit: checked with `@code_typed`, looks fine to me"): an opinion
or an observation, no decision (docs/evals.md, thirty-fourth round)."""


_NOT_A_TASK = re.compile(
    r"\b(?:would you like me to|do you want me to|shall i|should i)\b|"  # an offer: "Would you like me to credit you …?"
    r"\bstart an? (?:new|separate|fresh) thread\b|"  # where to talk, not a task: "could you start a new thread?"
    r"^\W*otherwise\b|\bplease (?:note|see|find|feel free|excuse|ignore|don't hesitate|bear with|take (?:my|this|that|it) \w+ (?:modulo|with)|"
    r"(?:do not|don't|avoid|refrain))|\bfeel free\b"
    r"|\b(?:can|could|would) (?:someone|anyone|somebody|anybody|everyone|people|folks)\b"
    r"|\blet (?:me|us) know if (?:you|anyone|there) (?:run into|hit|have|need|see|find|get|are|is|encounter)\b"
    r"|\b(?:would|are|is|were) (?:you|anyone|anybody|someone|people|folks)(?: all| both)? (?:be )?(?:interested|up for|keen)\b"
    r"|\bwhy (?:would|could|can|should) you\b|\b(?:can|could) you (?:even|really|actually)\b"  # a doubt: "can you even draw
    # into a scene? I am not sure?"
    r"|\b(?:it )?would be (?:good|nice|great) to have (?:an?|some|someone|somebody|more)\b"  # a wish: "It would be good to have a
    # knowledgeable eye to quickly catch those bad parts"
    r"|\bplease (?:read|see|check|check out|refer to|consult|(?:have|take) a look at|look at) (?:the|our|this|that|these)"
    r"(?: [\w-]+)? (?:guide|guidelines|docs?|documentation|faq|manual|readme|instructions|posting guide|vignette)\b"
    r"|\bplease consider using\b|\b(?:please )?let (?:me|us) know\W*(?:\)|$)"  # "(not sure these links work, please let me know.)"
    r"|\b(?:a|one|just a) (?:moment|sec|second|minute),? please\b|\bplease (?:wait|hold on)\b"  # "Yeah sure, a moment please"
    r"|\bplease (?:put|post|ask|move|take) (?:all )?(?:the |your )?(?:future|further)\b"  # "Also, please put all the
    # future usage questions on discourse": a rule for the channel; so is "please ask question in #helpdesk"
    r"|\bplease (?:ask|post) (?:your |the |such |usage )*questions? (?:in|on|at)\b",
)
"""Polite formulas ("please note …", "feel free to …"), an offer of help ("please let me know if you run into any
issues"), an invitation ("would you be interested in exploring Stratford?") and asks to nobody in particular ("can
someone …"), an argument put as a question ("why would you ever pick someone not coming right out of school?"), a
pointer to the documentation ("please read the posting guide first"), advice on tools ("Please consider using the
Chocolatey package manager"), asking for a moment ("Yeah sure, a moment please") and a rule for what comes later
("please put all the future usage questions on discourse"): no one is asked to do a task, so there is no action item
(until someone takes it)."""


_PERMISSION = re.compile(r"^\W*(?:(?:yes|sure|ok|okay|oh),? )?(?:please|pls) (?:do|go ahead|feel free)(?: it| so| that)?\W*$")
"""A bare go-ahead ("Please do.", "Sure, please go ahead!"): it answers an offer, it asks no one for a task."""


def is_request(sentence: str) -> bool:
    """True for a request addressed to someone else ("please …", "could you …", "@dave can you …"), not a
    conditional one ("if you …"), a question for information ("could you explain …?"), a polite formula
    ("please note …") or an ask to nobody in particular ("can someone …")."""
    lowered = _lower(sentence)
    if _PERMISSION.match(lowered):
        return False
    return (bool(_REQUEST.search(lowered)) and not _VAGUE.search(lowered) and not _ASK_INFO.search(lowered)
            and not _NOT_A_TASK.search(lowered))


_FOR_MYSELF = re.compile(r"\bto remind myself\b|\bfor (?:my own|future) reference\b|\bnote to self\b|\bwith (?:great )?interest\b|"
                         r"\bbe (?:a (?:lot|bit|little) )?more (?:careful|cognizant|congizant|aware|mindful|attentive)\b"
                         r"|\bmy (?:way of thinking|mindset|habits?|thinking)\b"
                         r"|\bdevelop (?:a |my )?(?:\w+ )?(?:foundation|skills?|understanding|intuition)\b|\balways\b"
                         r"|\bget (?:better|more familiar|familiar|used) (?:at|with|to)\b"
                         r"|\bjust (?:use|go with|stick (?:with|to)|switch to|(?:write|do|rewrite) (?:it|this|that|them) in)\b"
                         r"|\bbag of tricks\b|\btoolbox\b")
"""A promise its speaker makes to themself ("I am going to have to copy and paste these examples to remind myself for the
next time", "I will just have to be a lot more congizant of all this in the future", "I'll follow it with interest",
"I'm going to work on reframing my way of thinking", "I'm going to put in the time and effort to develop a strong foundation",
"I'll make sure to always add the comma then", "Think I'm going to just write it in Rust", "I'll add that to my bag of tricks"):
nothing anyone else waits for
(docs/evals.md, thirty-fourth and forty-fourth rounds)."""


_JUST_TRY = re.compile(r"\b(?:i'll|i will|will|i'm going to|gonna) (?:give (?:it|that|this) a (?:try|go|shot)|"
                       r"(?:try|test|check)(?: to use| using)? (?:it|that|this)(?: out)?)\W*$")
"""A sentence that ends on a bare promise to try what was suggested ("OK, will test that out.", "^^ That may work, I'll
give it a try", "I forgot about SetField.jl, I will try to use that."): the thread's answer being tried, nothing anyone
waits for (docs/evals.md, forty-fifth round)."""
_REASON_GIVEN = re.compile(r"\b(?:since|because) (?:i'm|i am) going to\b")
"""A plan given as the reason for something ("I have a separate grid from the figure since I'm going to have other
things in the figure too"): an explanation, not a promise ("Just commenting here as I'm going to look into making sure my
proposal works today" is one)."""


def is_commitment(sentence: str) -> bool:
    """True for a first-person promise ("I'll send the email"), not a vague one ("I'll see", "if I …"), one to
    oneself (:data:`_FOR_MYSELF`), one made in jest (:data:`_JOKE_END`), a bare try (:data:`_JUST_TRY`), a plan given as
    a reason (:data:`_REASON_GIVEN`) or one inside quotation marks (saying "no, I'll do it myself")."""
    lowered = _lower(sentence)
    promise = _COMMITMENT.search(lowered)
    if promise is None or is_question(sentence) or _FOR_MYSELF.search(lowered) or _JOKE_END.search(sentence):
        return False  # (a promise made in jest: "But I'll give it a 95% chance to just work :wink:")
    if _JUST_TRY.search(lowered) or _REASON_GIVEN.search(lowered):
        return False
    before = lowered[:promise.start()]
    if before.count('"') % 2 == 1 or before.count("\u201c") > before.count("\u201d"):
        return False  # a promise quoted as what one says: "slapping the compiler's hands and saying "no, I'll do it myself""
    vague = _VAGUE.search(lowered)
    # a condition binds the clause it ends: "I'll write a MWE and report it if it still fails" still commits to the MWE
    if vague is not None and vague.group(0) == "if" and " and " in lowered[promise.start():vague.start()]:
        return True
    # … and a "maybe" the clause it opens: "Maybe it wasn't about the split apply combine context though, then I'll
    # make an issue" commits to the issue
    if vague is None:
        return True
    hedged_before = vague.end() <= promise.start() and vague.group(0).strip(" ,").endswith(("maybe", "perhaps"))
    then_promised = re.search(r"(?:\bthen|\bso|;)\s*$", lowered[:promise.start()]) is not None
    return hedged_before and then_promised and _VAGUE.search(lowered[promise.start():]) is None


# --------------------------------------------------------------------------------------------------
# The conversation


@dataclass(frozen=True)
class Item:
    """A structured item: the sentence shown, the messages cited (indices), the owner's name, and for an outcome
    whose last word is someone's short answer, that answer (shown after the sentence: "… which version the NEWS
    line should go … — Mikael Jagan: Definitely 4.1.3"); ``asks`` when that last word is a question nobody answered
    (it stays an open question too)."""

    text: str
    messages: tuple[int, ...]
    owner: str | None = None
    reply: str | None = None
    asks: bool = False


_SIGN_OFF = re.compile(r"^\W*(?:all the best|best(?: wishes| regards)?|kind(?:est)? regards|warm regards|regards|cheers|"
                       r"(?:many )?thanks|thank you|sincerely|yours(?: truly| sincerely)?|ciao)\b\W*")


def _signs_off(sentence: str, author: str) -> bool:
    """True when ``sentence`` is only its author's name, or part of it, as an e-mail is signed ("Mike Champion",
    "-bryan", "Fred >"), after a closing formula or not ("All the best, Ashok >")."""
    words = re.findall(r"[^\W\d_]+", _SIGN_OFF.sub("", sentence.lower()))  # "All the best, Ashok >"
    name = set(re.findall(r"[^\W\d_]+", (author or "").lower()))
    return bool(words) and len(words) <= 4 and set(words) <= name


_REPEAT_WORDS = 6  # a sentence this long or longer found word for word in someone's earlier message quotes it


class _Quotes:
    """Finds whether a sentence is, word for word, in an earlier message of someone else: a quote of theirs,
    however it is marked (an Outlook rule line, a plain paste), not its author's own words.

    Every message's text (whitespace-collapsed, lower-cased) is kept in one string, ``\\x00`` between messages, so
    one search in C scans all earlier messages at once instead of one list of earlier texts a message
    (``bench/window_speed.py``, 10,001 messages: the whole offline summary 10.6 → 7.3 s)."""

    def __init__(self, messages: Sequence[Message]) -> None:
        flat = [" ".join(m.text.split()).lower().replace("\x00", " ") for m in messages]
        self._authors = [m.user_name for m in messages]
        self._starts: list[int] = []
        at = 0
        for text in flat:
            self._starts.append(at)
            at += len(text) + 1
        self._text = "\x00".join(flat)

    def repeats(self, sentence: str, i: int) -> bool:
        """True when ``sentence`` of message ``i`` (without what :func:`trim_sentence` cuts, :data:`_REPEAT_WORDS`
        words or more) is in a message before ``i`` by someone other than its author."""
        probe = " ".join((trim_sentence(sentence) or sentence).split()).lower()
        if len(probe.split()) < _REPEAT_WORDS:
            return False
        end = self._starts[i]
        found = self._text.find(probe, 0, end)
        while found >= 0:
            if self._authors[bisect_right(self._starts, found) - 1] != self._authors[i]:
                return True
            found = self._text.find(probe, found + 1, end)
        return False


_GREETED = re.compile(r"^\W*(?:hi|hey|hello|dear)\s+([^\W\d_][\w'-]*)\s*[,!.:]", re.IGNORECASE)


_BROADCAST = re.compile(rf"(?:^|\s)@(?:{'|'.join(sorted(BROADCASTS))})\b|<!(?:{'|'.join(sorted(BROADCASTS))})>")
"""A mention of the whole channel (Slack's ``<!channel>``, shown ``@channel``; :data:`bot.summaries.links.BROADCASTS`)."""
_SILENCE = 3600.0
"""Seconds of silence after which a top-level post in a channel's main flow answers no one (the session gap of
:func:`bot.summaries.extractive._threads`)."""


def _gap(messages: Sequence[Message], i: int) -> float:
    """Seconds between message ``i`` and the one before it (0 when a ``ts`` does not parse)."""
    try:
        return float(messages[i].ts) - float(messages[i - 1].ts)
    except (ValueError, IndexError):
        return 0.0


class Conversation:
    """Human messages of one conversation (oldest first) with the helpers the section rules need."""

    def __init__(self, messages: Sequence[Message]) -> None:
        self.messages = list(messages)
        quotes = _Quotes(self.messages)
        self.content = [[s for s in content_sentences(m) if not quotes.repeats(s, i)]
                        for i, m in enumerate(self.messages)]
        names = sorted({m.user_name for m in self.messages if m.user_name}, key=len, reverse=True)
        self._names = re.compile("|".join(f"@{re.escape(n)}" for n in names)) if names else None

    def noise(self, i: int) -> bool:
        """True when message ``i`` has no sentence that is not noise."""
        return not self.content[i]

    def author(self, i: int) -> str:
        return self.messages[i].user_name

    def mentioned(self, text: str) -> str | None:
        """The first person ``@named`` in ``text``: a participant's full name when it is one, else the ``@word``
        (``@channel``, ``@here`` and ``@everyone`` name no one; nor does a name in code: "`@IAMED` isn't an active github
        user")."""
        text = _BROADCAST.sub(" ", _INLINE_CODE.sub(" ", text))
        if self._names is not None:
            match = self._names.search(text)
            if match:
                return match.group(0)[1:]
        match = _FULL_MENTION.search(text)
        return match.group(0)[1:].rstrip() if match else None

    def all_mentioned(self, text: str) -> list[str]:
        """Every person ``@named`` in ``text``, in order (participants by their full name, others by the ``@word``; not
        in code)."""
        found: list[str] = []
        text = rest = _BROADCAST.sub(" ", _INLINE_CODE.sub(" ", text))
        if self._names is not None:
            found += [m.group(0)[1:] for m in self._names.finditer(text)]
            rest = self._names.sub(" ", text)
        found += [m.group(0)[1:].rstrip() for m in _FULL_MENTION.finditer(rest)]
        return found

    def greeted(self, i: int) -> str | None:
        """The participant message ``i`` opens by greeting by first name ("Hi Heather! … can I attend late?"):
        the only other participant whose name starts with that word; None when there is none or several."""
        match = _GREETED.match(self.messages[i].text)
        if not match:
            return None
        first = match.group(1).casefold()
        named = {n for n in (m.user_name for m in self.messages)
                 if n and n != self.author(i) and n.split()[0].casefold() == first}
        return named.pop() if len(named) == 1 else None

    def opens_to(self, j: int) -> str | None:
        """The participant message ``j`` opens by ``@naming`` (someone other than its author), or None."""
        match = self._names.match(self.messages[j].text.lstrip(" ,:")) if self._names is not None else None
        name = match.group(0)[1:] if match else None
        return name if name != self.author(j) else None

    def speaks_to_another(self, j: int, asker: str) -> bool:
        """True when message ``j`` opens by ``@naming`` a participant other than ``asker`` and never names
        ``asker`` ("@Michael Chirico if I recall correctly, I spent roughly 8 to 10 hours"): it answers them. A message
        that names no one and goes on, within :data:`_GOES_ON_SECONDS`, from its author's message just before speaks to
        whom that one did ("@Colin Nelson: Yes, and yes" then "Tested it the other day": still Colin's answer, not the
        answer to Micah's question asked a minute before)."""
        named = self.opens_to(j)
        k = j
        while named is None and k > 0 and self.author(k - 1) == self.author(k) and _seconds_between(
                self.messages[k - 1].ts, self.messages[k].ts) <= _GOES_ON_SECONDS:
            k -= 1
            named = self.opens_to(k)
        return named is not None and named != asker and f"@{asker}" not in self.messages[j].text

    def unmention(self, text: str) -> str:
        """``text`` without the participants' ``@names`` it starts with ("@Ivan Krylov IT WORKED!" -> "IT WORKED!"), but
        for one the sentence is about ("@kwd’s solution …" -> "kwd’s solution …")."""
        previous = None
        while previous != text:
            previous = text
            text = text.lstrip(" ,:")
            match = self._names.match(text) if self._names is not None else None
            if match and text[match.end():match.end() + 2] in ("'s", "’s"):
                return text[1:]  # "@kwd’s solution … appears to solve …": the name is the sentence's, "kwd’s solution"
            if match:
                text = text[match.end():]
        return text

    def quotes(self, j: int) -> int | None:
        """The earlier message that message ``j`` opens by quoting (its first line ``> …`` is part of that
        message's text), or None: a reply that quotes "> also, Chris, would you recommend going at it through DEO"
        answers that question, not the one asked before it."""
        return self._quoted_by(j, self.messages[j].text.lstrip().split("\n", 1)[0])

    def quoted(self, j: int) -> set[int]:
        """The earlier messages that any ``> …`` line of message ``j`` quotes (:meth:`quotes` for each line): a reply
        that quotes two questions in turn ("> generally useful tips" … "> is there a specific reason you didn't use
        `@time`") answers both."""
        return {k for line in self.messages[j].text.splitlines() if (k := self._quoted_by(j, line.lstrip())) is not None}

    def _quoted_by(self, j: int, line: str) -> int | None:
        """The nearest message before ``j`` holding what ``line`` quotes (``> …``, its first 60 characters; 12 or
        more), or None."""
        if not line.startswith((">", "&gt;")):
            return None
        quoted = " ".join(line.lstrip(">&gt; ").split()).lower()[:60]
        if len(quoted) < 12:
            return None
        return next((k for k in range(j - 1, -1, -1) if quoted in " ".join(self.messages[k].text.split()).lower()), None)

    def addressee(self, i: int) -> str | None:
        """Whom message ``i`` answers: the author of the message just before when it named this author, else
        the nearest earlier author who is someone else ("as part of your wiki updates, please also extend the
        languages table" asks the one who just promised the updates, not who opened the thread); None for the
        opening message, a message to ``@channel``, and a top-level post after an hour's silence (it speaks to the
        channel, not to whoever posted last). Someone's first message right after another's "Not sure" (:data:`_NO_ANSWER`)
        speaks to the asker; a greeting or thanks with nothing else (noise: "Welcome!") is passed over."""
        if i == 0 or _BROADCAST.search(self.messages[i].text):
            return None  # "@channel - We are conducting a poll …": everyone, so no one in particular
        if not self.messages[i].is_reply and _gap(self.messages, i) > _SILENCE:
            return None  # a top-level post after an hour's silence speaks to the channel ("… is ready for review")
        me = self.author(i)
        before = self.messages[i - 1]
        if before.user_name != me and self._names is not None and f"@{me}" in before.text:
            return before.user_name
        others = [self.author(j) for j in range(i - 1, -1, -1) if self.author(j) != me and not (
            j > 0 and self.noise(j) and "`" not in self.messages[j].text and not URL.search(self.messages[j].text)
            and not _FILE.search(self.messages[j].text))]  # (not a bystander's "Welcome!" right before: "Can you
        # link the relevant section you are talking about?" asks the newcomer)
        asker = self.author(0)
        start = i  # (the first of its author's run: "Please post the stacktrace there as well" goes on from it)
        while start > 0 and self.author(start - 1) == me:
            start -= 1
        if (others and others[0] != asker != me and start >= 2 and all(self.author(j) != me for j in range(start))
                and self.mentioned(self.messages[i].text) is None and _NO_ANSWER.match(_lower(self.messages[start - 1].text))):
            return asker  # "Not sure :( Never used GPU libraries" -> a newcomer's "Might be a better question for #gpu. …
            # Maybe it has something to do with your CUDA drivers …": to the asker, not to the one who could not answer
        return others[0] if others else None

    def later_by_others(self, i: int) -> list[int]:
        """Messages after ``i`` by someone else that are not noise."""
        me = self.author(i)
        return [j for j in range(i + 1, len(self.messages)) if self.author(j) != me and not self.noise(j)]


_UNSURE_BUT_SAYS = 25
"""Words from which a reply that opens unsure ("Hmm, I'm not sure …") goes on to answer all the same."""
_NO_ANSWER = re.compile(
    r"^\W*(?:(?:sorry|unfortunately|hmm+|no),? )?(?:i )?(?:(?:don't|do not|don’t) know(?! of (?:one|any|such|anything|a way)| what you (?:want|mean|need|are after)\b.{0,20}\bbut\b)|"
    r"dunno|no idea|not sure|"
    r"i'm not sure|i am not sure|can't help|cannot help|i don't,? sorry|i don't\W*$|i can't help|"
    r"i have no (?:idea|clue))",
)
"""A reply that says it cannot answer ("I don't, sorry", "I can't help with the kube config"); "I don't know of one"
answers "is there something that …?": no."""


_STILL_FAILING = re.compile(
    r"\b(?:still|(?:doesn't|does not|didn't|did not)(?: \w+)? (?:work|help|fix|solve|change|load|run|compile|install)|"
    r"not (?:work|found|working)|no luck|same (?:error|problem|issue)|"
    r"fails?|failed|failing|error|broken)\b",
)
"""The asker's last word says the problem is not solved ("still fails", "that didn't help"; not "I didn't do much
analysis of what it does")."""
_BUT = re.compile(r",? but\b")
"""A success with a catch ("`unique(df, [:col1, :col2])` works out of the box, but finds unique to both columns")."""
_NOT_WORKING = re.compile(r"\b(?:doesn't|does not|didn't|did not|not|never)(?: \w+)? work")
"""A report that something did not work ("Tried that and it still didn't work"): "work" in it is no success."""
_TAG_QUESTION = re.compile(
    r"(?:,\s*(?:right|no|eh|isn't it|aren't they|don't you think|correct)|\bwdyt|\bthoughts)\s*\?\W*$"
    r"|^\W*(?:does|did|do) (?:that|this|it) (?:help|work|make sense)(?:\W+\w+){0,3}\W*$"
    r"|^\W*(?:any luck|makes sense|(?:is )?that ok(?:ay)?|how about you|what about you|and you|who knew|why not)\b"
    r"|^\W*i know,? right\W*$",
)
"""A tag question ("…, right?"), a call for opinions ("WDYT?") or a courtesy check ("Did that help?", "Does that
make sense to you?"), or a rhetorical agreement ("I know right?"): not a question left open. A check that goes on
asks ("Does it make sense, or are there any downsides?")."""
_SUGGESTION = re.compile(
    r"^\W*(?:(?:no|yes|oh|ah|hmm+|ok|so),? )?(?:maybe|perhaps|possibly|probably|seems like|you could|you can|could it be|"
    r"have you (?:tried|looked|considered|seen|found|checked)|did you (?:try|find|check out)|i guess|i think|i believe|"
    r"something like)\b"
    r"|^\W*(?:just )?(?:use|try|make|call|wrap|pass|switch to) (?!(?:it|this|that|them|me|you|sense)\b)\S+"
    r"|^\W*(?:does|did|do|would|will) (?:it|that|this) (?:\S+ ){0,5}if you\b"
    r"|^\W*(?:does|did|would|will|doesn't|didn't|wouldn't) `[^`]+` not (?:work|do it|help)\b"
    r"|^\W*(?:can't|cannot|couldn't) you (?:just )?(?:use|do|call|write|try)\b"
    r"|^\W*if (?:you|u) [^,?]{1,80},\s*(?:then )?(?:maybe|perhaps|you could|you can|you might|try)\b"
    r"|\b(?:perhaps|maybe)\W*$",
)
"""A suggestion or a guess phrased as a question ("Maybe `Iterators.peel`?", "Have you tried …?", "You could
perhaps …?", "Did you find #sciml-bridged and NeuralPDE.jl?", "If you want a rectangle selection without zoom, maybe
<link> would be helpful?", "Does `mypoly.(v)` not work?", "can't you just use `mypoly.(Array of Floats)`"): it offers an
answer, it does not leave one open."""


def is_suggestion(sentence: str) -> bool:
    """True for a suggestion or a guess, put as a question or not (:data:`_SUGGESTION`): "Maybe you could first
    compute it in double precision and then do a Newton step?" offers an answer."""
    return bool(_SUGGESTION.search(_lower(sentence).rstrip("? ")))


_FOUND = re.compile(r"\b(?:found it|figured (?:it )?out|never ?mind|nvm|sol?ved|note to self|fixed it|got it (?:to )?work|works now|"
                    r"spoke too soon|my (?:bad|mistake)|scratch that|ignore (?:that|me|my (?:last|previous))|no wonder|"
                    r"i(?:'ve| have)? found (?:it|the|a|an|out)\b|misunderstood|(?:it|that|this) works (?:the same|fine|now)|ok,? thanks|"
                    r"i(?:'ve| have) (?:added|written|posted|put) the answer|i guess i(?:'ll| will| should)? just (?:use|do|go with)|"
                    r"i(?:'ll| will) just (?:use|go with)|i see what you mean|now i (?:see|get it|understand)|"
                    r"(?:looks|seems) like (?:i|you|we|one) can (?:just )?(?:do|use|write|call)|"
                    r"thanks? (?:you )?(?:all |everyone |guys )?for (?:the |your )?(?:confirmation|confirming)|"
                    r"in case (?:anyone|anybody|someone|somebody|others?)(?: else)? (?:needs?|wonders?|is interested|"
                    r"runs? into|cares?|comes? across|finds? this)|for (?:future reference|posterity)|"
                    r"answered (?:on|in|over (?:on|at)) (?:the )?(?:discourse|forum|stack ?overflow|github|zulip)|"
                    r"answered my own question|for (?:anyone|anybody|those|others)(?: else)? (?:interested|curious|wondering)|"
                    r"the answer (?:on|in|from|over (?:on|at)) (?:the )?(?:discourse|forum|stack ?overflow|github|zulip) (?:was|is)|"
                    r"(?:^|\bedit\W+)found out)\b"
                    r"|^\W*(?:ok,? |ah,? |oh,? )?i got it\b"
                    r"|^\W*(?:(?:ah+|oh+|ok|okay|so)\W+)?(?:i )?found (?:some|one|them|a few)\b"  # "ah, found some in src <link>"
                    r"|\bwhat (?:finally |eventually |actually )?(?:fixed|solved) (?:it|this|that|the (?:problem|issue))(?: for me)? was\b"
                    r"|\b(?:it seems |seems |looks like )?i (?:got|had) it wrong\b"
                    r"|\bi realize now\b[^.?!]*\bmakes? (?:total |perfect )?sense\b"
                    r"|(?:^|[.!?]\s+)\W*(?:(?:ok|okay|so|ah|oh),? )?there (?:was|is) a (?:simple |easy )?(?:solution|fix|workaround) "
                    r"(?:to|for) (?:this|it|that)\b"
                    r"|(?:^|[.!?]\s+)\W*(?:(?:ok|okay|so|ah|oh|edit|update),? )?(?:this|that) (?:one )?(?:seems|looks|is) (?:much |a lot |way "
                    r"|even )?(?:better|faster|cleaner|simpler)\s*:"
                    r"|^\W*(?:(?:ok|okay|so|update|edit),? )?(?:i )?(?:got|received) (?:one|an? (?:invite|invitation|key|license|licence|"
                    r"account|copy|ticket))\b"
                    r"|^\W*(?:oh|ah|ok|okay)\W+(?:they|it|these|those)(?:'re| are| is|'s| were| was) (?:already )?(?:pinned|posted|"
                    r"linked|uploaded|up|here|there)\b")  # "Oh, they are pinned here!"
"""The asker's own answer to their question ("found it", "I've added the answer to this in wiki", "I guess I should
just use `const` instead", "Oh I see what you mean" after "could you elaborate?", "Looks like I can just do …", "There
was a solution to this: To `center=true` so the cat rotates around a point in it's center", "This seems better:
`pose.linear * ones(3, 100) .+ pose.translation`", "Got an invite. Let me know if you want", "ah, found some in src
<link>", "what finally fixed this was just going into the package directory and …", "hum, it seems I got it wrong",
"I realize now that views are also not using any sparse arithmetic so this seems to make sense";
docs/evals.md, forty-fourth round)."""


_OWN_YES_OR_NO = re.compile(r"^\W*(?:nah|nope|no|yes|yeah|yep|yup|not really|of course|probably not)\b\s*[,.!;]")
"""Its asker's own yes or no right after a question ("is it pretty? nah, but it's ok."): not "No idea."."""


def _rhetorical(sentences: Sequence[str], question: str) -> bool:
    """True for a question asked inside an explanation and answered by it: in its message, at least two
    statements come before it and at least two (25 words or more) after it ("… So that's the first part. The next
    part is, how do we actually do this? The challenge says to use a forest. …"), or its asker answers it yes or no
    in the next sentence (:data:`_OWN_YES_OR_NO`: "I managed to add class="things" and the effect is visible, is it
    pretty? nah, but it's ok.")."""
    at = sentences.index(question) if question in sentences else -1
    if 0 <= at < len(sentences) - 1 and _OWN_YES_OR_NO.match(_lower(sentences[at + 1])):
        return True
    before = [s for s in sentences[:at] if not is_question(s)] if at >= 0 else []
    after = [s for s in sentences[at + 1:] if not is_question(s)] if at >= 0 else []
    return len(before) >= 2 and len(after) >= 2 and sum(word_count(s) for s in after) >= 25


_NEGATIVE_QUESTION = re.compile(r"(?:^\W*|[-–,;:]\s*)(?:but |so )?(?:haven't|hasn't|didn't|don't|doesn't|isn't|aren't|wasn't|"
                                r"weren't|wouldn't) (?:you|we|they|it|that|this|there)\b")
"""A question put in the negative ("haven't you been adding methods to `Base` before?"): answered by the statement its
author makes right after it, it leaves nothing open (docs/evals.md, thirty-fourth round)."""


def _put_in_negative(conv: Conversation, i: int, question: str) -> bool:
    """True when ``question`` (of message ``i``) is put in the negative (:data:`_NEGATIVE_QUESTION`) and its author
    goes on with a statement in the same message ("… haven't you been adding methods to `Base` before? That's just the
    same :)"): it makes a point, it leaves nothing open."""
    if not _NEGATIVE_QUESTION.search(_lower(question)):
        return False
    said = split_sentences(conv.messages[i].text)
    at = next((k for k, x in enumerate(said) if question in x or x in question), -1)
    return at >= 0 and any(not is_question(x) and word_count(x) >= 2 for x in said[at + 1:])


_WAVES_OFF = re.compile(r"^\W*(?:(?:but|and|anyway|anyways),? )?(?:oh well|never ?mind|nvm|no matter|(?:it )?doesn't matter|"
                        r"(?:it )?does not matter|no big deal|not a big deal|(?:i'm |i am )?not (?:too |that |so |really )?"
                        r"(?:worried|bothered|fussed|concerned))\b")
"""A sentence that waves off the question right before it ("Those seem to take longer than my solution though? Oh
well, I'm not too worried about time")."""


def _waved_off(sentences: Sequence[str], question: str) -> bool:
    """True when the sentence right after ``question`` in its message waves it off (:data:`_WAVES_OFF`)."""
    at = sentences.index(question) if question in sentences else -1
    return 0 <= at < len(sentences) - 1 and bool(_WAVES_OFF.match(_lower(sentences[at + 1])))


_EXPLAINED_THERE = re.compile(
    r"\b(?:it|this|that)(?:'s| is) (?:explained|documented|answered|covered|described) (?:here|in|at)\b"
    r"|^\W*(?:a )?(?:faster|better|simpler|cleaner|shorter) (?:way|solution|version)\W*:"
    r"|^\W*managed (?:it|to do it|that) by\b|(?<!not )\b(?:is|are) what i was (?:thinking of|looking for|after)\b"
    r"|^\W*(?:ah+|oh+)\b,? (?:it(?:'s| is)|its|you (?:need|have) to|just)\b[^?]*`[^`]+`[^?]*$",
)
"""The asker pointing to the answer they found ("oh it is explained here: https://github.com/…/issues/1533") or
posting a better one of their own ("Faster way: `any(view(S,1:n,s:e),dims=2)`", "Managed it by pre-allocating two
arrays …", "Ah, its a keyword arg `reverse(b, dims=1)`", "Ah I think https://github.com/…/pull/22440 … is what I was
thinking of") (docs/evals.md, forty-fifth round)."""


def _self_answered(conv: Conversation, i: int, question: str) -> bool:
    """True when the asker of ``question`` (in message ``i``) says later, or after it in the same message (an
    edit), that they found the answer."""
    me, text = conv.author(i), _lower(conv.messages[i].text)
    at = text.find(_lower(question)[:40])
    if at >= 0 and _FOUND.search(text[at + len(question):]):
        return True
    if i + 1 < len(conv.messages) and conv.author(i + 1) == me and URL.search(conv.messages[i + 1].text) and (
            _own_words(conv, i + 1) == 0 or _own_words(conv, i + 1) <= 8 and re.search(r"\b(?:link|url)\b", _lower(question))
            and not any(is_question(x) for x in conv.content[i + 1])):
        return True  # "Number of github repositories that use R?" -> "https://github.com/search?q=language%3AR…"; "Would
        # someone have the link for me?" -> "Aaaand my google-fu came back: https://ocw.mit.edu/…"
    if _doubt_taken_back(conv, i):
        return True  # "Hm, I don't get it. How does that solve my problem?" -> "Ah, yeah it does"
    if (credited := _credited_last(conv)) is not None and credited[0] == i:
        return True  # "is there a version of `repeat` …?" -> "`collect(…)` (thanks, @oxinabox!)"
    return any(conv.author(j) == me and (_FOUND.search(_lower(conv.messages[j].text)) or _worked(conv, j)
                                          or _EXPLAINED_THERE.search(_lower(conv.messages[j].text)))
               for j in range(i + 1, len(conv.messages)))  # … or their own fix worked ("Reloaded vscode, now it's working")


_DOUBT_GONE = re.compile(r"^\W*(?:(?:ah+|oh+|ok|okay|hm+|wait|nvm|never ?mind)\W+)*(?:(?:yeah|yes|yep|yup)\W+)?"
                         r"(?:it|that|this|they) (?:actually |indeed |really )?(?:does|do|did|is|are|works?|worked)\W*(?::[\w+\-]+:\W*)*$")
"""The asker answering their own doubt a moment later ("Ah, yeah it does" after "How does that solve my problem?")."""


def _doubt_taken_back(conv: Conversation, i: int) -> bool:
    """True when message ``i`` asks something and its author's very next message answers it themselves, in a few
    words (:data:`_DOUBT_GONE`): "Hm, I don't get it. How does that solve my problem?" -> "Ah, yeah it does"."""
    return (i + 1 < len(conv.messages) and conv.author(i + 1) == conv.author(i) and any(is_question(x) for x in conv.content[i])
            and bool(_DOUBT_GONE.match(_lower(conv.unmention(conv.messages[i + 1].text)))))


def _could_answer(text: str) -> bool:
    """True unless ``text`` is only thanks, a greeting, emoji or "I don't know": a bare "Yes", a link or a code
    block do answer a question (they are noise as points, not as answers)."""
    bare = _LEADING_MENTIONS.sub("", _FILE.sub(" ", text)).strip()
    if not bare or _EMOJI_ONLY.match(bare) or _NO_ANSWER.match(_lower(bare)) and word_count(bare) < _UNSURE_BUT_SAYS:
        return False  # "I don't know" answers nothing; "Hmm, I'm not sure if that page is actively maintained. I don't
        # think it's linked from any of the main pages … check with Chel Hee Lee …" does
    if re.match(r"^\W*(?:yes|no|nope|yep)\b", bare, re.I):
        return True
    return not (_NOT_AN_ANSWER.match(bare) and word_count(bare) <= 8)


_NOT_AN_ANSWER = re.compile(
    r"^\W*(?:(?:well|oh|ah|so|and),? )?(?:hi|hello|hey|hiya|good (?:morning|afternoon|evening)|welcome|thanks?|thank you|"
    r"thx|ty|cheers|no worries|np|lol|haha|hehe|glad|congrats|congratulations|danke|gracias|merci|obrigad[oa]|谢谢|"
    r"ありがとう|감사|(?:that's |that is |what )?an? (?:great|good|interesting) question|(?:great|good|interesting) question)\b",
    re.IGNORECASE,
)
"""Thanks, greetings and laughter: a reply that opens so (in eight words or fewer) does not answer; one that
opens with "Ah, …" or "Great, …" may ("Ah right, you mean from the REPL")."""
_CC_ASKED = re.compile(r"\bcc @")


_NOT_A_FIX = re.compile(r"\b(?:(?:sounds|looks|seems) like a bug|(?:that's|that is|it's|it is|this is) (?:a|probably a|definitely a) "
                        r"bug|not what you(?:'re| are)? ask(?:ed|ing)|did you (?:ever )?(?:figure out|find|manage)|"
                        r"i ran into this)\b")
"""A reply that does not settle a question however it reads: it calls the problem a bug ("Sounds like a bug, could you
open an issue?"), says it is beside the point ("Not what you are asking, but I presume you have seen …"), or has the same
problem ("did you figure out a way of doing so without forcing to run? I filed it as an issue when I ran into this")
(docs/evals.md, forty-fifth round). A short one that opens with yes or no answers ("this should not be the case?" ->
"yes, that's a bug")."""


def _settles_nothing(conv: Conversation, j: int) -> bool:
    """True when message ``j`` is a reply that does not settle a question (:data:`_NOT_A_FIX`), unless it is a short
    yes or no (six words or fewer)."""
    text = _lower(conv.unmention(conv.messages[j].text))
    return bool(_NOT_A_FIX.search(text)) and not (re.match(r"^\W*(?:yes|yeah|yep|yup|no|nope)\b", text)
                                                  and word_count(conv.messages[j].text) <= 6)


def _answered(conv: Conversation, i: int, request_beside: bool, sentence: str = "") -> bool:
    """True when a later message by someone else answers message ``i``: not noise, not "I don't know", not a reply
    that settles nothing (:func:`_settles_nothing`), and,
    when the question ``@names`` someone other than its asker (or the message opens by greeting a participant by
    first name: :meth:`Conversation.greeted`), by that person when they wrote after it."""
    me = conv.author(i)
    replies = [j for j in range(i + 1, len(conv.messages)) if conv.author(j) != me and _could_answer(conv.messages[j].text)
               and not conv.speaks_to_another(j, me) and (conv.quotes(j) in (None, i) or i in conv.quoted(j))
               and not _settles_nothing(conv, j)]
    asked = {name for name in conv.all_mentioned(sentence) if name != conv.author(i)}
    greeted = conv.greeted(i)
    if greeted and not asked:  # "Hi Heather! … How long does this meeting last?": Heather is asked
        asked = {greeted}
    if asked:
        if any(conv.author(j) in asked for j in replies):
            replies = [j for j in replies if conv.author(j) in asked]
        elif _CC_ASKED.search(_lower(sentence)):
            return False  # "…? CC @Michael Lawrence for confirming": only they can, and they never wrote
    if not replies:
        return False
    if request_beside:  # "@wang please update the notes. Do we tell support?" -> "ok, I'll update them"
        return any(not (_PROMISE_OR_ACK.match(conv.messages[j].text) and word_count(conv.messages[j].text) <= 4
                        or any(is_commitment(s) for s in conv.content[j]))
                   for j in replies)
    return True


_WONDERS = re.compile(
    r"\b(?:i wonder|i'm wondering|i am wondering|wondering (?:if|whether|where|what|how|why|who|when)|"
    r"trying to (?:know|find out|figure out|understand|work out)|not sure (?:if|whether|where|what|how|which|why|when)|"
    r"(?:does|do) (?:anyone|anybody|someone|somebody) know|any idea|no idea (?:if|whether|where|what|how|why))\b"
    r"|^\W*how (?:to|do i|can i|should i|would i|do you) \w+"
    r"|(?:^|[,;:]\s*)(?:where|how|what|which|who|when|why) (?:would|should|could|can|do|does) (?:i|you|we|one|people) \w+",
)
"""An indirect question ("If R-patched is 4.2.3, I wonder where 4.3.0 is", "I'm trying to know for sure on which
version the NEWS line should go"), or a question without its mark ("How to check for existence of a key in the
dict", "There was a talk about web dev in Julia, where would you talk about julia webdev on slack")."""


def asks(sentence: str) -> bool:
    """True for a question, direct ("…?") or indirect ("I wonder where 4.3.0 is")."""
    return is_question(sentence) or bool(_WONDERS.search(_lower(sentence)))


_REPLY_WINDOW = 10
"""Messages after a question within which its reply, or a problem's resolution, is looked for."""


def resolution_after(conv: Conversation, i: int) -> int | None:
    """The first message after ``i`` (within :data:`_REPLY_WINDOW`) that reports a resolution ("IIRC, I resolved it
    by lowering my macOS deployment target"), not as a question nor a vague one; None when there is none."""
    for j in range(i + 1, min(len(conv.messages), i + 1 + _REPLY_WINDOW)):
        if any(_resolves(_lower(x)) and not is_question(x) and not _VAGUE.search(_lower(x)) for x in conv.content[j]):
            return j
    return None


def reply_to(conv: Conversation, i: int) -> int | None:
    """The message that answers the question in message ``i``: a bare yes or no right after a yes/no question
    ("Should one do this …?" -> "no"); else among the next :data:`_REPLY_WINDOW` messages by someone else that could
    answer (not noise, not only questions, not addressed to a third person), the first by the person message ``i``
    opens by ``@naming``, else the first that ``@names`` the asker, else the first; None when there is none.

    Example: "… I wonder where 4.3.0 is." -> "@Lambda the alpha and beta releases would be on this page …"."""
    me = conv.author(i)
    replies = [j for j in range(i + 1, min(len(conv.messages), i + 1 + _REPLY_WINDOW))
               if conv.author(j) != me and not conv.noise(j) and _could_answer(conv.messages[j].text)
               and (not all(is_question(x) for x in conv.content[j]) or _TENTATIVE.match(conv.messages[j].text.strip()))
               and not conv.speaks_to_another(j, me) and conv.quotes(j) in (None, i)
               and not (_IF_YOU_WILL.search(_lower(conv.messages[j].text)) and _own_words(conv, j) <= 12)]
    first = next((j for j in range(i + 1, min(len(conv.messages), i + 3)) if conv.author(j) != me), None)
    if first is not None and _yes_or_no(conv.messages[first].text) and any(
            is_question(x) and _YES_NO_QUESTION.match(_lower(conv.unmention(x))) for x in conv.content[i]):
        return first  # "Should one do this even if one is not experiencing issues?" -> "no"
    addressed = [j for j in replies if conv.author(j) == conv.opens_to(i)]  # "@Logan … is there a separate admin
    named = [j for j in replies if conv.opens_to(j) == me]  # channel?": Logan's reply, not mose's to an earlier question
    found = addressed or named or replies
    return found[0] if found else None


_IF_YOU_WILL = re.compile(r"\bif you will\b")
"""A reply that names what was asked for ("A `@recursive_code_warntype` if you will. I like it."): no answer."""
_TENTATIVE = re.compile(r"^(?:\S*[\d`]\S*|\S+\.jl|\S+\(\))(?: \S+){0,2}\?$"
                        r"|^(?:[Tt]he [A-Z][\w.-]*|[A-Z][a-z]+[A-Z][\w.-]*)(?: [\w.-]+){0,2}\?$")
"""A reply that answers with a guess in a question's form ("1.5?", "`collect`?", "Revise.jl?", "The Pluto ecosystem?",
"ProfileView?"): a version, code, a package or a name, not "Why?" nor "File explorer?"."""
_YES_NO_QUESTION = re.compile(r"^\W*(?:(?:so|and|but|ok|okay|also)\s*,?\s*)?(?:is|are|was|were|do|does|did|can|could|should|"
                              r"would|will|has|have|had|may|might|must|shall|isn't|aren't|doesn't|don't|didn't|won't)\b")
"""A question a bare yes or no answers ("Should one do this even if one is not experiencing issues?")."""


_REJECTS = re.compile(
    r"^\W*(?:(?:hmm+|well|sorry|but),? )?(?:no\b|nope|not really|(?:i (?:believe|think) )?(?:that's|that is|it's|it is) not\b|"
    r"(?:that |it |this )?(?:doesn't|does not|didn't|did not) (?:work|help|change|explain|answer)|still\b|"
    r"same (?:error|problem|issue)|(?:that's|that is) not (?:it|what)|"
    r"i (?:already|did) (?:tried|try)|i tried that|(?:(?:ah|ok|okay),? )?(?:i see\W+)?i (?:guess |think )?i was "
    r"(?:looking|hoping) for (?:something|a|an|one)\b)",
)
"""The asker's reply that turns an answer down ("I believe that's not the error:", "still the same error")."""


def answer_to(conv: Conversation, i: int) -> int | None:
    """The message that answers the question in message ``i``, judged by what its asker said next (within
    :data:`_REPLY_WINDOW`): when they turned the answer down ("I believe that's not the error:"), none; when they
    thanked or agreed, the reply their thanks echoes (two content words shared: "Thanks, it is statically sized so
    that should work"), else the first reply by someone else (:func:`reply_to`), unless it is short and another
    came before the thanks ("I believe so, yes", then "it will excessively allocate …", then "thx!, looks better":
    the message the thanks acknowledges, :func:`_answer_before`); with no word from the asker, the first reply
    before they speak again. After "Anyone here that uses renv with Docker?", "What's your issue?" and the asker's
    error message, "This might indicate that `HOME` is not set" answers the error, not the opening question. A reply
    that is only code answers when the asker thanks for it right after (:func:`_code_answer`). None when nothing
    answers."""
    me = conv.author(i)
    j = reply_to(conv, i)
    run = i + 1  # the asker's own run right after the question goes on with it ("okay, is it safe …?" + "`a_copy` will
    while run < len(conv.messages) and conv.author(run) == me:
        run += 1  # be a copy of `a`"): their next word comes after someone else's
    k = next((m for m in range(run, min(len(conv.messages), i + 1 + _REPLY_WINDOW)) if conv.author(m) == me), None)
    if k is not None and _acknowledges(conv, k) and not any(asks(x) for x in conv.content[k]):
        thanked = _answer_before(conv, k)
        if thanked is not None and thanked > i and _code_answer(conv, thanked):
            return thanked  # '`Symbol("addr:housenumber")`' -> "Cool, that worked": the code the asker thanked for
    if j is None:
        return None
    if k is None:
        return j
    if k > j and _REJECTS.match(_lower(conv.unmention(conv.messages[k].text))):
        return None
    if k > j and _takes_it_up(conv, k):
        replies = [m for m in range(j, k) if conv.author(m) != me and (not conv.noise(m) or _code_answer(conv, m))
                   and conv.quotes(m) in (None, i)]
        said = content_words(conv.messages[k].text)
        echoed = max(replies, key=lambda m: (len(said & content_words(conv.messages[m].text)), m), default=j)
        if len(said & content_words(conv.messages[echoed].text)) >= 2:
            return echoed  # "Thanks, it is statically sized so that should work": the answer it echoes
        thanked = _answer_before(conv, k)
        if _own_words(conv, j) < 8 and thanked is not None and thanked in replies:
            return _closest_of_run(conv, i, thanked)  # "I believe so, yes", then "it will excessively allocate …", then "thx!"
        return j
    return j if j < k else None


def _takes_it_up(conv: Conversation, k: int) -> bool:
    """True when message ``k`` acknowledges what came before it (:func:`_acknowledges`) or says it worked
    (:data:`_ASKER_SUCCESS`)."""
    return _acknowledges(conv, k) or any(_ASKER_SUCCESS.search(_lower(conv.unmention(s)))
                                         for s in split_sentences(conv.messages[k].text))


def taken_up(conv: Conversation, i: int, j: int) -> bool:
    """True when the author of the question in message ``i`` wrote next after the reply ``j`` (no one else between,
    within :data:`_REPLY_WINDOW` of the question), thanking, agreeing or saying it worked ("Thank you @Jeff!", "works
    now!", :func:`_takes_it_up`) without asking again: the asker took that reply up."""
    k = next((m for m in range(j + 1, min(len(conv.messages), i + 1 + _REPLY_WINDOW))
              if conv.author(m) != conv.author(j)), None)
    return (k is not None and conv.author(k) == conv.author(i) and not any(asks(x) for x in conv.content[k])
            and _takes_it_up(conv, k))


def _closest_of_run(conv: Conversation, i: int, j: int) -> int:
    """Of the run of messages by ``j``'s author that ends at ``j`` (consecutive, noise skipped), the one sharing the most
    content words with question ``i``; ``j`` on a tie. "`skipmissing(x)` is basically `Iterators.filter(!ismissing,
    x)`, so you can apply the same for … `isnan`" answers "Is there a similar iterable way to skip `Inf` or `NaN` as
    there is `skipmissing`?"; the remark after it ("`Iterators.filter` is lazy while `filter` is eager") does not."""
    asked = content_words(conv.messages[i].text)
    best, best_shared = j, len(asked & content_words(conv.messages[j].text))
    for m in range(j - 1, i, -1):
        if conv.noise(m):
            continue
        if conv.author(m) != conv.author(j):
            break
        shared = len(asked & content_words(conv.messages[m].text))
        if shared > best_shared:
            best, best_shared = m, shared
    return best


_QUALIFIES = re.compile(r"^\W*(?:but|however|though|although|also|and|may not|might not)\b")
"""A sentence that qualifies the one before it ("But it won't return a `SubDataFrame`.", "May not be the most
accurate though"): the answer is elsewhere in its message."""


_HEDGE = re.compile(r"^\W*(?:(?:well|hmm+|so|nope|no),? )?(?:i'?m not (?:\w+ )?sure|not sure|i'm unsure|"
                    r"there (?:might|may|could) be|i (?:don't|do not) know(?! of (?:one|any|such|anything|a way))|no idea|i have no idea|i wonder|"
                    r"i (?:can't|cannot) (?:quite )?(?:picture|see|tell|follow)|i (?:don't|do not) (?:quite )?understand|"
                    r"i'?m (?:a bit |a little )?confused|beat me to it|(?:that's|that is|how) (?:weird|odd|strange|"
                    r"interesting|funny)|(?:weird|odd|strange|interesting|huh)\W*$|\+1|same here|me too|"
                    r"i(?: would|'d) (?:really |also )?(?:like|love)|w?oops|scratch that|never ?mind|"
                    r"(?:i )?(?:haven't|have not|never) (?:really )?used)\b"
                    r"|\bi(?:'ll| will) try to (?:answer|help)\b|\b(?:can't|cannot|can not) (?:tell|say) for sure\b")
"""A sentence that hedges, is lost or only reacts instead of answering ("There might be a more Julian way to do
this.", "I can't quite picture what you're doing", "I don't understand why it would ever become …", "that's weird.",
"Beat me to it, Chris.", "I would really like that feature"), takes itself back ("oops, this won't work as well") or
only says who will answer or what they never used: never shown as the answer to a question."""


_SAYS_MORE = re.compile(r"`|https?://|\?|\b(?:but|maybe|perhaps|try|guess|think|probably|might|could)\b"
                        r"|\bnot sure\W+(?!(?:sorry|either|too|tbh)\b)\w")


def says_no_answer(sentence: str) -> bool:
    """True for a sentence that only says its author cannot answer (:data:`_NO_ANSWER`: "No idea, I was also wondering
    about that", "Sorry, I don't know either"): ten words or fewer, and no code, link, question, guess, "but" or doubt
    about something named (:data:`_SAYS_MORE`: "No idea, but try `@code_warntype`", "Not sure it's thread safe" say
    something). Never a key point."""
    lowered = _lower(sentence)
    return _NO_ANSWER.match(lowered) is not None and word_count(sentence) <= 10 and not _SAYS_MORE.search(lowered)


def hedges(sentence: str) -> bool:
    """True for a sentence that is lost, only reacts or says what it is not ("I'm not sure if I'm following you",
    "Beat me to it", "that's weird.", "It's not a reason, but it is something I've noticed"): the rest of its
    message says more. A doubt about the matter itself ("I'm not sure it's thread safe") says something."""
    lowered = _lower(sentence)
    if not _LOST.match(lowered):
        return False
    _, but, rest = lowered.partition(", but ")
    return not (but and (rest.rstrip().endswith("?") or "`" in rest))  # "I'm not sure I understand …, but can't you
    # just parse Project.toml … and run `@eval using $s`?" suggests


_LOST = re.compile(
    r"^\W*(?:(?:well|hmm+|so|ok|okay|oh|ah|sorry),? )*(?:(?:it's|it is|this is|that's|that is) not (?:a|an|the) "
    r"(?:reason|answer|solution|fix|explanation)\b|i'?m not (?:\w+ )?sure (?:if |that )?i(?:'m)? (?:follow|understand|get)|"
    r"i (?:can't|cannot) (?:quite )?(?:picture|see what|tell what|follow)|i (?:don't|do not) (?:quite )?(?:understand|follow)|"
    r"i'?m (?:a bit |a little )?(?:confused|lost)|beat me to it|(?:that's|that is|how) (?:weird|odd|strange|funny)\W*$|"
    r"(?:weird|odd|strange|huh)\W*$|\+1|same here|me too|w?oops|scratch that|never ?mind|"
    r"(?:it |that |this )?(?:really |heavily |all )?depends(?: \w+)? on (?:what|how|whether|which|your|the size)|"
    r"hopefully (?:someone|somebody|others?)(?: else)? (?:has|have|can|knows?|will))")


_ASKS_BACK = re.compile(r"^\W*(?:(?:so|and|but|ok|okay|hmm+),? )?(?:what|why|how|which|where|when) (?:are|were|do|did|is|was|"
                        r"would|should|have|had) you\b")
"""A reply that asks the asker back ("What were you expecting to happen, maybe promote isnt the best way."), even
without a question mark: it answers nothing yet."""


_FENCED = re.compile(r"`{3,}(?:[\w+-]*\n)?(.*?)(?:`{3,}|\Z)", re.DOTALL)
_PROMPT = re.compile(r"^(?:julia|R|>|\$|In \[\d+\]:)\s*>?\s*")
"""A REPL or shell prompt at the start of a pasted line ("julia> ", "$ ", "In [3]: ")."""


_BARE_NAME = re.compile(r"^[\w.]+;?$")
"""A REPL input that shows nothing of an answer: a bare name (``julia> a``)."""
_LOADS = re.compile(r"^(?:using|import|library|require|from \S+ import)\b")
_SETUP = re.compile(r"^[\w.\[\], ]+=(?!=)(?:[^;\[\]]|\[(?:[^\[\]]|\[[^\[\]]*\])*\])*;?$")
"""A line that only assigns ("crc32 = crc(CRC_32);", "xs = ys = range(-pi, pi, length=800);", a matrix's rows
"a = [1 2; 3 4; 5 6]")."""
_LOG_START = re.compile(r"^(?:error|warning|stacktrace|traceback|caused by|\[\d+\]|\W*info\b|[\w ]+:$)", re.IGNORECASE)
"""The start of pasted output, not code (``ERROR: LoadError: …``, a heading such as ``Coefficients:``)."""
_GIST_CHARS = 90
_OPENS_BLOCK = re.compile(r"=\s*(?:for|begin|let|if|while|try|quote)\b|\bdo(?:\s+\w+(?:\s*,\s*\w+)*)?\s*$")
"""An assignment that opens a block ("x = for i in 1:5", "y = map(xs) do x"): the statement, not data set up for it."""
_COMPREHENSION = re.compile(r"[\[(][^\[\]()]*(?:[\[(][^\[\]()]*[\])][^\[\]()]*)*\bfor \w+ in\b")
"""A comprehension or generator (``[ [] for _ in 1:4 ]``, ``(f(x) for x in xs)``): a computation, not data set up."""


_CHECK = re.compile(r"^[\w.\[\]:, ]+\s*(?:===|==|!==|!=|≡)\s*[\w.\[\]:, ]+;?$|^(?:@show|println|show|display|print)\(|"
                    r"^@(?:btime|time|benchmark)\b")
"""A statement that only looks at a result ("b[1] === b[2]", "println(b)", "@btime f($x)"): it shows what the statement
before it does, it is not the answer. (An inspection such as ``size(g)`` may be the point, and stays.)"""


_BARE_STATEMENT = re.compile(r"^[A-Za-z_]\w*(?:\.\w+)+(?:\[[^\]\s]*\])?\s?=\s?[\w:.\-\"']+$")
"""A message that is one statement typed without code marks: a field set to a value ("ax.yreversed = true"). (A
qualified name alone, "Iterators.flatten", is :data:`_DOTTED_NAME`'s.)"""


def code_gist(text: str) -> str | None:
    """What a code block answers with, as one inline code span of at most 90 characters.

    From the first block of ``text``, its statements: in a REPL paste, each prompt's input with its continuation
    lines (output left out: "julia> a" / "Dict{Symbol, Int64} with 2 entries …" / "julia> reduce(mergewith(+),
    [a,a])"), else the lines up to each blank one, leading package loads and assignments taken off ("using CRC",
    "crc32 = crc(CRC_32);"). Shown: the first statement that is more than a bare name, a package load or pasted
    output, a lone assignment only when nothing else is left ("xs = ys = range(-pi, pi, length=800);" gives way to
    ```contour(xs, ys, …)```). Lines are joined with "; " (```struct MyStruct; x; MyStruct(x...) = new(x); end```);
    a longer statement shows its first line and "…". A message that is one statement typed without code marks
    (:data:`_BARE_STATEMENT`) is its own gist. A REPL paste's benchmark timings, one to three (:data:`_TIMING`), follow
    the span in brackets: "`let x = Ref(16f0); @btime q3invsqrt($x[]); …; end` (1.599 ns, 1.299 ns)". None when ``text``
    has no code block or nothing of it fits."""
    match = _FENCED.search(text)
    if match is None:  # a message that is one inline code span answers with it ("`Symbol("addr:housenumber")`")
        span = _INLINE_CODE_ONLY.match(text.strip())
        inner = re.sub(r"^[^`]*`|`[^`]*$", "", span.group(0)).strip() if span else ""  # (its marks around it aside:
        # "`ndigits(x,base=2)`?")
        if not span and _BARE_STATEMENT.match(text.strip()):
            return f"`{text.strip()}`"  # one statement typed without code marks ("ax.yreversed = true")
        return f"`{inner}`" if inner and len(inner) <= _GIST_CHARS and "`" not in inner and re.search(r"[^\W_]", inner) else None
    lines = [line.rstrip() for line in match.group(1).splitlines()]
    prompted = [k for k, line in enumerate(lines) if _PROMPT.match(line) and _PROMPT.sub("", line).strip()]
    statements: list[list[str]] = []
    repl = bool(prompted) and lines[prompted[0]].startswith(("julia>", "R>", "> ", "$ ", "In ["))
    if repl:  # a REPL session: each prompt's input, with its continuation lines, is a statement
        for k in prompted:
            width = len(lines[k]) - len(_PROMPT.sub("", lines[k]))
            body = [_PROMPT.sub("", lines[k]).strip()]
            for line in lines[k + 1:]:
                if not line.strip() or _PROMPT.match(line) or len(line) - len(line.lstrip()) < min(width, 6):
                    break
                body.append(line.strip())
            statements.append(body)
    else:
        current: list[str] = []
        for line in [*lines, ""]:
            if line.strip() and not line.lstrip().startswith(("#", "//")):
                current.append(line.strip())
            elif not line.strip() and current:
                statements.append(current)
                current = []
    kept = []
    for body in statements:
        while len(body) > 1 and (_LOADS.match(body[0]) or not repl and _SETUP.match(body[0]) and not _OPENS_BLOCK.search(
                body[0]) and not all(_SETUP.match(line) for line in body[1:])):  # (a load always goes: "import pandas as
            # pd" / "df = pd.read_json(…)" shows the call)
            body = body[1:]  # "using CRC" / "crc32 = crc(CRC_32);" / "while …": the setup is not the answer
        if body and not _LOADS.match(body[0]) and not (len(body) == 1 and _BARE_NAME.match(body[0])) and not _LOG_START.match(body[0]):
            kept.append(body)
    # the data set up first ("xs = ys = range(-pi, pi, length=800);") gives way to the call it feeds ("contour(xs, …)")
    # … and a check of the result ("b[1] === b[2]", "println(b)") to the statement it checks ("b = [ [] for _ in 1:4 ]")
    # … but an assignment that builds with a comprehension is the answer ("b = [ [] for _ in 1:4 ]" before
    # "push!(b[1], 1)", which shows it works)
    # … and so is one that computes from a name set up before it ("df = DataFrame(a = rand(3))" -> "df.b =
    # invperm(sortperm(df.a))")
    assigned: set[str] = set()
    derived: set[int] = set()
    for n, body in enumerate(kept):
        target, _, value = body[0].partition("=")
        base = re.match(r"\s*([A-Za-z_]\w*)", target)
        if len(body) == 1 and _SETUP.match(body[0]) and (any(re.search(rf"\b{re.escape(name)}\b", value) for name in assigned) or (
                base is not None and base.group(1) in assigned and re.search(r"[\[.]", target[base.end():]))):
            derived.add(n)  # (… or that writes into it: "a = zeros(5)" -> "a[[1,4,5]] .= rand.()")
        assigned.update(re.findall(r"^\s*([A-Za-z_]\w*)", target) if _SETUP.match(body[0]) else [])
    order = {id(body): n for n, body in enumerate(kept)}
    kept.sort(key=lambda body: (len(body) == 1 and bool(_CHECK.match(body[0])),
                                len(body) == 1 and bool(_SETUP.match(body[0])) and not _COMPREHENSION.search(body[0])
                                and order[id(body)] not in derived))
    for body in kept:
        joined, fits = body[0], body[0]  # (fits: the first lines that fit, "struct Singleton; data::Vector{Int} …")
        for line in body[1:]:
            joined += ("" if line.startswith((")", "]", "}")) else " " if joined.endswith((":", "{", "(", "[", ",", "=", ";"))
                       else "; ") + line
            fits = joined if len(joined) <= _GIST_CHARS - 2 and "`" not in joined and not _ERROR_LINE.match(
                body[0]) else fits  # (an error's first line says it: "UndefRefError: access to undefined reference …")
        shown = joined if len(joined) <= _GIST_CHARS else fits + " …" if len(fits) <= _GIST_CHARS else ""
        if shown and "`" not in shown and re.search(r"[^\W_]", shown):
            timings = _TIMING.findall(match.group(1)) if repl else []
            return f"`{shown}`" + (f" ({', '.join(timings[:3])})" if 1 <= len(timings) <= 3 else "")
    return None


_TIMING = re.compile(r"^\s*(\d+(?:\.\d+)?\s?(?:ns|μs|µs|us|ms|s))\s+\(\d+ allocations?\b", re.MULTILINE)
"""A benchmark's time in a REPL paste ("  1.599 ns (0 allocations: 0 bytes)"): what the timed statements are shown for
(:func:`code_gist`)."""


_ERROR_LINE = re.compile(r"^[ \t]*(?:ERROR: \S.*|Error(?: in [^\n]*?)? ?: \S.*|[A-Z]\w*(?:Error|Exception|Mismatch)\b(?:: |\()\S.*)",
                         re.MULTILINE)
"""The first line of pasted error output: Julia's "ERROR: MethodError: no method matching …", R's "Error in f(x) : …",
an exception's "KeyError: 'a'"."""
_POINTS_AT_ERROR = re.compile(r"\b(?:the above|this|that|the following|the same|an?|following|these)"
                              r" (?:error|errors|stacktrace|stack trace|exception|message|error message|warning)\b"
                              r"|\b(?:error|stacktrace|stack trace|exception)\W*$")
"""A sentence about an error it does not quote ("any usage of record results in the above error", "gives me this
stacktrace:")."""


def error_gist(text: str) -> str | None:
    """The first line of pasted error output in ``text``'s code blocks, as inline code of at most 90 characters
    (``"`ERROR: DimensionMismatch("tried to assign 3×2 array to 2×3 destination")`"``); None when it pastes none."""
    for block in _FENCED.finditer(text):
        found = _ERROR_LINE.search(block.group(1))
        if found is not None:
            line = found.group(0).strip().replace("`", "'")
            return f"`{line if len(line) <= _GIST_CHARS else line[:_GIST_CHARS - 1].rstrip() + '…'}`"
    return None


def with_its_error(conv: Conversation, i: int, text: str, *, opening: bool = False) -> str:
    """``text`` (a point from message ``i``) with the error it speaks of (:data:`_POINTS_AT_ERROR`) when it does not
    quote it: the first line of the error its message pastes (:func:`error_gist`), else, for "the above error", the
    one its author pasted last (within ten messages). "No, any usage of record results in the above error" alone says
    nothing of the error. With ``opening`` (the problem a thread opens with) the error its message pastes is shown
    whatever the point says ("I am trying to re-write an R function in julia." + "`TypeError: non-boolean (Missing)
    used in boolean context`"): the error is the problem, unless its line is cut short."""
    if "`" in text and _ERROR_LINE.search(text.replace("`", "")) or not (opening or _POINTS_AT_ERROR.search(_lower(text))):
        return text
    gist = error_gist(conv.messages[i].text)
    if opening and not _POINTS_AT_ERROR.search(_lower(text)) and gist is not None and (
            gist.endswith("…`") or _RUNS_ON.search(_lower(gist.strip("`"))) or gist.strip("`").rstrip().endswith(":")):
        return text  # an error line cut short ("`ERROR: LoadError: MethodError: Cannot 'convert' an object of type`")
        # says less than the problem told in words
    if gist is None and "above" in _lower(text):  # the nearest error its author pasted, within ten messages
        gist = next((found for j in range(i - 1, max(-1, i - 11), -1) if conv.author(j) == conv.author(i)
                     and (found := error_gist(conv.messages[j].text)) is not None), None)
    return text if gist is None or gist in text else f"{text.rstrip()} {gist}"


def _code_answer(conv: Conversation, j: int) -> bool:
    """True for message ``j`` that says nothing in words and answers with a code block (:func:`code_gist`), right
    after someone else's message: code after its author's own words ("you should wrap the inputs in `Ref`s …", then
    the benchmark) illustrates them, and the words answer."""
    if not conv.noise(j) or code_gist(conv.messages[j].text) is None:
        return False
    return j == 0 or conv.author(j - 1) != conv.author(j) or conv.noise(j - 1)


_SHORT_YES = re.compile(r"^\W*(?:it|they|i|we|you|that|this|he|she) (?:is|are|was|were|do|does|did|can|will|has|have|"
                        r"isn't|aren't|wasn't|doesn't|don't|didn't|can't|won't|hasn't|haven't)\W*$")
"""A yes or no said with a pronoun and its verb ("they are", "it doesn't")."""


_ASKS_FOR_CODE = re.compile(r"^\W*(?:(?:can|could|would) you (?:please )?)?(?:show|post|share|paste|give)(?: us| me)? "
                            r"(?:the|your|some|a|an)? ?(?:code|snippet|example|mwe|mre|error|stack ?trace|output)\b")
"""A reply that asks for the code instead of answering ("Show the code!", "can you post the full error?")."""
_HOLD_ON = re.compile(r"^\W*(?:(?:ok|okay|sure+|yes|yeah|yep)\W+)*(?:gimme|give me|one|just|wait|hold on)\b(?: a)? "
                      r"(?:sec|second|moment|minute|min)s?\b")
"""A reply that asks to wait ("suree gimme a sec", "one moment"): it answers nothing yet."""


_UNSURE = re.compile(r"\b(?:but|though|although) (?:i'?m |i am )?not (?:sure|certain) (?:where|how|what|which|whether|if)\b")
"""A reply that does not know the answer it points at ("Hmm, I feel like this is somewhere in Base but I'm not sure
where"): no answer, unless it names code."""


_DO_THIS = re.compile(r"^\W*(?:(?:well|so|ok|okay),? )?(?:you (?:can|could|should|need to|want to|may)|(?:just )?try|just|use|"
                      r"i(?:'d| would) (?:do|use|try)|do)\b")
"""A lead-in that tells what to do ("You can do", "Try") before the code that does it."""


def answer_sentence(conv: Conversation, j: int, question: str) -> str | None:
    """The sentence of message ``j`` that answers ``question``: among its statements and suggestions ("Maybe you
    could first compute it in double precision and then do a Newton step?"), leading ``@names`` taken off, not
    noise, not a hedge (:data:`_HEDGE`), not a lead-in to code not shown ("the simplest is I think:"), not a
    fragment of two words without a number or code ("Something like"), and not a qualifier of another
    (:data:`_QUALIFIES`) when it has any other: the one closest to the question (character n-gram cosine,
    :func:`bot.summaries.ranking.vectorize`), after the reply's bare "Yes" or "No" when it opens with one or
    its author posted one right before it ("Yes. This prevents …"); None when it has none."""
    if _yes_or_no(conv.messages[j].text) or _TENTATIVE.match(conv.messages[j].text.strip()):
        return conv.unmention(conv.messages[j].text).strip()  # "no", "1.5?": the whole answer
    said = [conv.unmention(s).strip() for s in conv.content[j] if not is_question(s) or is_suggestion(s)]
    code = [conv.unmention(s).strip() for s in split_sentences(conv.messages[j].text)
            if _INLINE_CODE_ONLY.match(conv.unmention(s).strip()) and len(s) <= 80]
    gist = code_gist(conv.messages[j].text)
    said = [s for s in said if s and not is_noise(s)] or code or ([gist] if gist else [])
    # "`map(+, [1,1,2], [3,3,7])`", even pasted in a code block, answers "is there a … to map over 2 arrays?"
    said = [s for s in said if not _QUALIFIES.match(_lower(s))] or said
    said = [s for s in said if not _HEDGE.search(_lower(s))  # "I'm not particularly sure about this, but, isn't"
            and not _ASKS_BACK.match(_lower(s))  # "What were you expecting to happen, maybe …": asks back
            and not introduces(s)  # "the simplest is I think:" leads to code not shown
            and not _HOLD_ON.match(_lower(s))  # "suree gimme a sec" answers nothing yet
            and not is_courtesy(s)  # "Ooo, please let me know if you find that out" asks the same
            and not _ASKS_FOR_CODE.match(_lower(s))  # "Show the code!" asks back
            and not (_UNSURE.search(_lower(s)) and "`" not in s)  # "… somewhere in Base but I'm not sure where"
            and not (word_count(s) <= 4 and _RUNS_ON.search(_lower(s)) and "```" in conv.messages[j].text and s != gist)
            # "You mean like" + a code block (its gist is code: "`reduce(mergewith(+), [a,a])`" ends on no word)
            and (word_count(s) >= 3 or re.search(r"\d|`|^\W*(?:yes|no|yep|nope|(?:the )?(?:former|latter))\b", s, re.IGNORECASE)
                 or _SHORT_YES.match(_lower(s)) or _PACKAGE_ONLY.match(s))]  # "Something like" says nothing; "they are"
    # answers "Are the Ints …?", a package's name ("AutomaticDocstrings.jl") answers what it was asked for,
    # "The former" answers "Does Julia use BLAS/LAPACK …, or is it pure JITed Julia?"
    if not said and gist is not None and "```" in conv.messages[j].text and _DO_THIS.match(_lower(" ".join(conv.content[j][:1]))):
        said = [gist]  # "You can do" + ```julia --project=. -e 'using Pkg; Pkg.test()'```: the answer is the code (not
        # "You mean like" + its code: that asks back)
    if not said:
        return None
    matrix, qmatrix = vectorize(said, [question])
    best = said[int((matrix @ qmatrix.T).toarray()[:, 0].argmax())]
    first = next((conv.unmention(x).strip() for x in split_sentences(conv.messages[j].text)), "")
    if not _YES_OR_NO.match(first) and j > 0 and conv.author(j - 1) == conv.author(j):
        first = conv.unmention(conv.messages[j - 1].text).strip()  # "Yes" posted alone, then the reason
    if (_YES_OR_NO.match(first) or _SHORT_VERDICT.match(first)) and first != best:  # "Yes" + "This prevents …": the
        return f"{first.rstrip(' ,.!;:')}. {best}"  # answer is yes, then why ("In general you can't. If I define …")
    return best


def _cc_sentence(text: str, question: str) -> str:
    """The question with the sentence after it when that one only copies someone in ("…? CC @Michael Lawrence")."""
    sentences = split_sentences(text)
    if question not in sentences:
        return question
    at = sentences.index(question)
    after = sentences[at + 1] if at + 1 < len(sentences) else ""
    return f"{question} {after}" if _copies_in(after) else question


_MISSING_WHAT = re.compile(r"^\W*(?:(?:so|but|or),? )?(?:did i miss (?:something|anything)|am i missing (?:something|anything)|"
                           r"what am i missing|am i doing (?:something|anything) wrong|what am i doing wrong)\W*$")
"""A question that asks what its asker missed, and says nothing alone ("Did I miss something?"): shown with the sentence
beside it that says what they thought."""


_CLARIFYING = re.compile(r"^\W*(?:(?:so|and|but|ok|okay|sorry),? )?(?:what do you (?:mean|want)|do you mean|"
                         r"what (?:exactly )?are you trying|what(?:'s| is) your|which version|are you (?:on|using)|"
                         r"what (?:error|version|os)|how (?:did|have) you)\b")
"""A helper's question back to the person who opened the thread by asking ("what do you want to do with those `$$`?";
"Do you mean du for u0?" asked by the opener of a helper is not one, nor a question to a thread opened by a remark): it
asks for details of the opener's problem, and the problem, not the detail, is what is open (docs/evals.md, forty-fifth
round)."""


def open_questions(conv: Conversation) -> list[Item]:
    """Questions still open at the end (see the module docstring); each cites its message and the asker's
    follow-ups that no one answered."""
    items: list[Item] = []
    n = len(conv.messages)
    opener_asks = bool(conv.content) and any(asks(x) for x in conv.content[0])
    taken = _guess_taken(conv)  # a guess the asker took answers the question right before it ("Why do `Enum`'s …
    # default to Int32?" -> "… maybe that was chosen to match the size of enum values in C?" -> "Good guess, …")
    for i in range(n):
        sentences = conv.content[i]
        if taken is not None and i == taken[0] - 1:
            continue
        request_beside = any(is_request(s) for s in sentences)
        for at, sentence in enumerate(sentences):
            if is_question(sentence) and at > 0 and not is_question(sentences[at - 1]) and (word_count(sentence) < 3 or (
                    word_count(sentence) < 6 and re.search(r"\b(?:it|this|that|these|those)\b", _lower(sentence)))):
                sentence = f"{sentences[at - 1]} {sentence}"  # "I didn't find anything on … Any pointers?", "… Is it by design?"
            elif is_question(sentence) and _MISSING_WHAT.match(_lower(sentence)):
                said = [x for x in sentences if x != sentence]  # "Did I miss something? AFAIK environment is set with …":
                if not said:  # what the asker thinks they missed is what they say beside it
                    continue
                sentence = f"{said[0] if at == 0 else said[at - 1]} {sentence}"  # (the question last: it still asks)
            if at == 0 and len(sentences) == 1 and word_count(sentence) < 6 and re.search(
                    r"\b(?:that(?! (?:bad|good|much|many|big|hard|slow|fast|important|different|easy|simple)\b)|those|they|them)\b",
                    _lower(sentence)):
                continue  # "Where'd you see that?", "Are they hiring?": alone, a reader cannot tell what it asks
            unmentioned = _lower(conv.unmention(sentence))
            if opener_asks and i > 0 and conv.author(i) != conv.author(0) and _CLARIFYING.search(unmentioned):
                break  # the helper's questions back to an opener who asked: the opener's problem is what is open
            if ((not is_question(sentence) and not (i == 0 and _WONDERS.search(_lower(sentence))))
                    or word_count(URL.sub(" ", sentence)) < 3 or is_request(sentence)
                    or _TAG_QUESTION.search(_lower(sentence)) or _SUGGESTION.search(unmentioned.rstrip("? "))
                    or _REPORTED.search(_lower(sentence))):  # "I have just created an empty EFTBase.jl repository …:
                continue  # https://… perhaps we can take the discussion there?": a step taken, proposed to follow (nor a
                # link offered with a question mark: "https://github.com/SciML/DifferentialEquations.jl/issues/696 ?")
            if (_self_answered(conv, i, sentence) or _rhetorical(sentences, sentence) or _waved_off(sentences, sentence)
                    or _put_in_negative(conv, i, sentence)):
                break
            if _answered(conv, i, request_beside, _cc_sentence(conv.messages[i].text, sentence)):
                continue
            items.append(Item(sentence, (i,)))
            break  # one open question per message
    last_is_statement = n > 1 and not conv.noise(n - 1) and not any(is_question(s) for s in conv.content[n - 1])
    if last_is_statement and conv.author(n - 1) == conv.author(0) and not any(item.messages[0] == 0 for item in items):
        replied = [j for j in range(1, n) if conv.author(j) != conv.author(0)]
        if replied:
            asker_after = [j for j in range(replied[0], n) if conv.author(j) == conv.author(0)]
            questions = [s for s in conv.content[0] if is_question(s) and word_count(s) >= 3]
            # "… and ask again if it does not solve it" is a condition, not a report
            still = _STILL_FAILING.search(re.sub(r"\b(?:if|unless|in case)\b[^.,;!?]*", " ", _lower(conv.messages[n - 1].text)))
            # … unless it answers what they were asked ("what are you trying to do?" -> "the use case is …, which
            # doesn't match up with length(s)"): an explanation, not a report that it still fails
            answers_back = conv.author(n - 2) != conv.author(0) and any(is_question(s) for s in conv.content[n - 2])
            found = any(_FOUND.search(_lower(conv.messages[j].text)) for j in asker_after)  # "I've found a solution by
            # using `inset` …" -> "… the main problem with `lens!` since I've not found a way …": solved another way
            if questions and still and not answers_back and not found and not any(  # "it still didn't work" is no success
                    _SUCCESS.search(_lower(conv.messages[j].text)) and not _NOT_WORKING.search(_lower(conv.messages[j].text))
                    for j in asker_after):
                items.insert(0, Item(questions[-1], (0,)))
    return items


_STOP = frozenset("this that with from have will would could should about there their them they then than what when "
                  "which your just also into some more like been were here it's that's i'll".split())


def _stems(text: str) -> set[str]:
    """Content words of ``text`` (four letters or more, not a stop word), cut to five letters."""
    return {w[:5] for w in re.findall(r"[a-z][a-z0-9'-]{3,}", _lower(text)) if w not in _STOP}


_PULL_LINK = re.compile(r"github\.com/[\w.-]+/[\w.-]+/(?:pull|issues)/\d+|gitlab\.com/\S+/(?:merge_requests|issues)/\d+")
"""A pull request or an issue posted in a later message ("https://github.com/…/pull/32" after "I'll have a look",
"…/issues/892" after "ok, I'll open it"): the work is done when it is about the promise, like any report (one linked
in the promise's own message is older work: "see this PR (…/pull/106)")."""
_DELIVERED = re.compile(r"^\W*(?:(?:ok|okay|so|and),? )?(?:here (?:it is|is|are|you go)|here's|attached|"
                        r"(?:updated|pushed|done)\W*(?:$|[.!]\s+.*https?://\S*github\.com/\S+/pull/))")
"""The owner's later message hands the promised thing over ("Here it is the output with `verbose = TRUE` …", "updated.
Thanks for the help! https://github.com/JuliaLang/julia/pull/39463#…")."""


_IT_WORKS = re.compile(r"\b(?:it|that|this|tis|which|everything) (?:now |all )?works\b|\bworks now\b|\bworks!")
"""A report that what was tried works ("Thanks tis works!")."""
_TRY_LATER = re.compile(r"\b(?:i'll|i will|let me|i'm going to|i am going to|gonna)(?: \w+)? (?:look into|look at|"
                        r"have a look|take a look|check|try|test|follow|give (?:it|that|this|them) a (?:try|go|shot))\b")
"""A promise to try or look into something: it is done when its owner later reports trying it."""
_ASKS_TO_TRY = re.compile(r"\b(?:can|could|would) you (?:please )?(?:try|test|check|run)\b|^\W*(?:please )?(?:try|test) (?:it|this|that|the|with|without)\b")
"""A request to try something and say how it went ("can you try the loop version, but with …?"): done when its owner
reports a result."""
_REPORTS_BACK = re.compile(r"\b(?:report back|get back to (?:you|this|it)|come back (?:to you|with)|let (?:you|y'all|everyone) know|"
                           r"keep (?:you|everyone) posted|update (?:on it|you|here|this thread)(?: soon| later| shortly)?)\b")
"""A promise to report back ("… will update on it soon."): done when its owner posts again soon with something to say."""
_ASKS_AGAIN = re.compile(r"\b(?:ask|post|send|paste|write|say) (?:(?:it|that|this|them) )?(?:again|once more)\b|\bre-?(?:post|send|paste)\b")
"""A request to say something again ("can you ask again?", "could you repost it?"): done when its owner posts again."""
_SHARES = re.compile(r"\b(?:post|share|send|upload|circulate|attach)\b")
"""A promise to post something: done when its owner posts a link or a file about it."""
_POSTS_WITHIN = 6
"""Messages within which a promise to check or try is done by its owner's pasted output ("I'll check what LLVM says" ->
a code block of LLVM's remarks)."""
_AN_EXAMPLE = re.compile(r"\b(?:mwe|mre|reprex|(?:minimal |small |reproducible )?example|(?:post|share|paste|send) "
                         r"(?:\w+ )?examples|test ?case|repro|snippet|the code|a script|(?:back|stack) ?trace|"
                         r"the (?:full )?(?:error|log|output)(?: (?:message|text))?)\b")
"""A promise of an example, code or its output ("Could you send the backtrace of the error …?", "I'll post examples of
what's going on in a thread", not "I will publish a complete gallery with examples"): done when its owner posts a code
block or a file."""
_TRIED = re.compile(r"\b(?:i (?:just |now )?(?:tried|tested|checked|followed|typed|ran|found)|i(?:'m| am) (?:seeing|getting)|"
                    r"(?:still|now) (?:slow|fast|faster|slower|fails|failing|the same|broken)\b|(?:even |after )?following the|just (?:tried|tested|checked)|i (?:had|took) a look|"
                    r"i looked (?:at|into)|tried (?:it|that|this|them)|tested (?:it|that|this|them))\b")
"""The report of having tried ("Just tested binder", "I tried it, still the same error")."""


def answers_question_before(conv: Conversation, i: int) -> int | None:
    """The message a reply ``i`` answers when that is a question alone, the nearest message before it that is not
    noise, by someone else, all questions ("use double quotes?"), sharing a content word (not one of
    :data:`_ANY_TOPIC`) with the reply's first sentence ("Double quotes clash with the rest of the program"): shown alone, such a reply reads as a claim out of
    nowhere; or, when that message asks nothing, the last of its author's run (:data:`_ASKED_RUN` messages) whose last
    question shares such a word. None otherwise (the opening message, a reply that asks back, a question about something
    else)."""
    j = next((m for m in range(i - 1, -1, -1) if not conv.noise(m)), None)
    if j is None or j == 0 or conv.author(j) == conv.author(i) or not conv.content[i] or is_question(conv.content[i][0]):
        return None
    asked = conv.content[j]
    if asked and all(is_question(x) for x in asked):
        shared = _stems(" ".join(conv.unmention(x) for x in asked)) & _stems(conv.content[i][0])
        return j if shared - _ANY_TOPIC else None
    for k in range(j, max(0, j - _ASKED_RUN), -1):  # … or the question of its author's run of messages, when only a
        # remark followed it ("if it's set global in a linux environment, can I overwrite it as a user? …" -> "I'm actually
        # a bit scared to fuck things up" -> "Julia will use whatever the environment variable is … so yea you can
        # overwrite it.")
        if k == 0 or conv.author(k) != conv.author(j):
            break
        questions = [x for x in conv.content[k] if is_question(x)]
        if questions and (_stems(conv.unmention(questions[-1])) & _stems(conv.content[i][0])) - _ANY_TOPIC:
            return k
    return None


_ASKED_RUN = 2
"""Messages of one author's run, back from the reply, in which :func:`answers_question_before` looks for the question."""


_ANY_TOPIC = frozenset("look looki looke looks like thing thin think maybe sure yeah somet".split())
"""Stems (:func:`_stems`) that any question and any reply may share ("Look at the generated code?" and "… it does look
like it"): no sign that one answers the other."""


def _done(conv: Conversation, i: int, owner: str | None, *, request: bool, sentence: str) -> bool:
    """True when the item of message ``i`` was done (or, for a request, answered) later in the conversation.

    A report counts when it says done ("sent", "opened", "fixed", "now …") and is about the item: it shares
    a content word with it, or the item is too short to say more than "it" ("will check on it tomorrow") and names
    no one ("I'll email Simon" is not done by "when I opened `bin/R` …").
    """
    text = _lower(conv.messages[i].text)
    at = text.find(_lower(sentence)[:40])
    if at >= 0 and (_DONE.search(text[at + len(sentence):]) or _EDIT_WORKED.search(text[at:])):
        return True  # "I'll send it. edit: I've sent it", "I'll put the julia [compat] to 1.5 … EDIT: it worked"
    if at >= 0 and not request and _AN_EXAMPLE.search(_lower(sentence)) and "```" in text[at + len(sentence):]:
        return True  # "I'll try to make a more obvious example :slightly_smiling_face:" + the example's code block
    if not request and owner is not None and _REPORTS_BACK.search(_lower(sentence)) and any(
            conv.author(j).casefold() == owner.casefold() and _own_words(conv, j) >= 5
            for j in range(i + 1, min(len(conv.messages), i + _POSTS_WITHIN + 1))):
        return True  # "I'll report back in a moment about what is best" -> "Ok, so neither of these methods are working."
    if request and FAILS.search(text) and any(
            conv.author(j) == conv.author(i) and _IT_WORKS.search(_lower(conv.messages[j].text))
            and not _NOT_WORKING.search(_lower(conv.messages[j].text))
            for j in range(i + 1, min(len(conv.messages), i + _POSTS_WITHIN + 1))):
        return True  # "would you mind posting a code snippet? I doesn't work for me." -> "oh, it works now. My bad.": the
        # help its asker needed, no longer needed
    if request and owner is not None and _ASKS_AGAIN.search(_lower(sentence)) and any(
            conv.author(j).casefold() == owner.casefold() and not conv.noise(j) for j in range(i + 1, len(conv.messages))):
        return True  # "your message looks cut off for me after `spline,`, can you ask again?" -> the question, asked again
    if request and owner is not None and _ASKS_TO_TRY.search(_lower(sentence)) and any(
            conv.author(j).casefold() == owner.casefold() and (_TRIED.search(_lower(conv.messages[j].text)) or _IT_WORKS.search(
                _lower(conv.messages[j].text)) or _worked(conv, j)) for j in range(i + 1, min(len(conv.messages), i + _POSTS_WITHIN + 1))):
        return True  # "can you try the loop version, but with …?" -> "suree gimme a sec" … "still slow"; "Can you try to
        # install curl instead?" -> "… all parts of GLMakie are downloaded successfully …"
    if not request and owner is not None and (_TRY_LATER.search(_lower(sentence)) or _SEES_IF.search(_lower(sentence))) and any(
            conv.author(j).casefold() == owner.casefold() and (_TRIED.search(_lower(conv.messages[j].text)) or _IT_WORKS.search(
                _lower(conv.messages[j].text)) or _worked(conv, j) or j <= i + _POSTS_WITHIN and "```" in conv.messages[j].text)
            for j in range(i + 1, len(conv.messages))):
        return True  # "I will look into them" -> "Just tested binder - perfect …", "I will give it a try" -> "Thanks tis works!",
        # "I'll check what LLVM says" -> the LLVM remarks, pasted
    topic_words = {w for w in re.findall(r"[a-z]{5,}", _lower(sentence)) if w not in _STOP}
    if not request and owner is not None and topic_words and any(
            conv.author(j).casefold() == owner.casefold() and _own_words(conv, j) <= 3
            and any(w in link.lower() for link in URL.findall(conv.messages[j].text) for w in topic_words)
            for j in range(i + 1, min(len(conv.messages), i + 12))):
        return True  # "ok, I'll make a post on Discourse." -> "https://discourse.julialang.org/t/…": posted
    if request and owner is not None and _ASKS_LINK.search(_lower(sentence)) and any(
            conv.author(j).casefold() == owner.casefold() and URL.search(conv.messages[j].text)
            for j in range(i + 1, min(len(conv.messages), i + _POSTS_WITHIN + 1))):
        return True  # "sure :slightly_smiling_face: can you send me the link?" -> "https://github.com/…/pull/657"
    if owner is not None and _AN_EXAMPLE.search(_lower(sentence)) and any(
            conv.author(j).casefold() == owner.casefold() and ("```" in conv.messages[j].text or _FILE.search(conv.messages[j].text))
            for j in range(i + 1, min(len(conv.messages), i + 12))):
        return True  # "I'll try to make a MWE", "Can you post a minimal example?" -> the owner posts the code
    topic = _stems(sentence)
    codes = set(_INLINE_CODE_TEXT.findall(sentence))
    named = bool(re.search(r"(?<=\w )[A-Z][a-z]+", sentence))  # "I'll email Simon": about Simon, not about "it"
    first_reply = True
    for j in range(i + 1, min(len(conv.messages), i + 200)):
        confirm = request and bool(_CONFIRM.search(_lower(sentence)))
        if (not request and owner is not None and conv.author(j).casefold() == owner.casefold() and _SHARES.search(
                _lower(sentence)) and (URL.search(conv.messages[j].text) or _FILE.search(conv.messages[j].text))
                and bool(topic & _stems(_lower(conv.messages[j].text)))):
            return True  # "I'll post connection details in due course" -> "Zoom Meeting Details / Meeting URL: https://…"
        author, later = conv.author(j), _lower(conv.messages[j].text)
        by_owner = owner is not None and author.casefold() == owner.casefold()
        if conv.noise(j) and not confirm and not (by_owner and _GOT_IT_CODE.match(later)):
            continue  # (not "Got it:" + the code that does it, noise as a point)
        if confirm and not by_owner:
            continue  # only the person asked can confirm
        about = (len(topic) < 3 and not named or bool(topic & _stems(later))
                 or by_owner and bool(_DELIVERED.match(later))
                 or any(f"`{code}`" in conv.messages[j].text for code in codes))  # "… resolve the `Any`s" -> "ok, i got rid
        # of all the `Any`s": the code it names
        if (by_owner or request and author != conv.author(i)) and (_DONE.search(later) or _PULL_LINK.search(later)) and about:
            return True
        if request and author == conv.author(i) and _DONE.search(later) and _PULL_LINK.search(later) and about:
            return True  # "Can you make an issue on the Julia github?" -> the one who asked: "I've made an issue here: <link>"
        if request and by_owner and _CONFIRM.search(_lower(sentence)):
            return True  # "please confirm you'd like to review" -> "Sure" / "Confirmed!" / "Count me in"
        if request and by_owner and first_reply:
            first_reply = False
            ack = _PROMISE_OR_ACK.match(conv.messages[j].text)  # "Sure", "will do"; not "Yes! A=[1 2 3; 4 5 6; 7 8 9]
            # and i need to get: 3 5 7." after "Can you give a matrix whose entries are unique?", which gives it
            promise = ack and not (re.match(r"\W*(?:yes|yep|yeah|yup)\b", ack.group(0), re.IGNORECASE) and word_count(
                conv.messages[j].text[ack.end():]) >= _ACK_ONLY_WORDS) or any(is_commitment(s) for s in conv.content[j])
            # (an "Okay. Thanks. I will connect to you if I stuck somewhere" takes a suggestion on: still open)
            blocked = any(_BLOCKED.search(_lower(x)) and re.search(r"\b(?:i|we|i'm|we're|i've)\b", _lower(x))
                          for x in conv.content[j])  # "I don't think I have the access to do so": still open (not
            # "Because `2` cannot be stored in a data frame without allocating a new vector", which explains)
            if not promise and not blocked and not all(is_question(s) for s in conv.content[j]):
                return True  # "can you explain …?" -> the owner explained
    return False


_ACK_ONLY_WORDS = 6
"""Words after a yes ("Yes!", "yep,") from which a reply gives what it was asked for, not a promise."""
_ASKS_LINK = re.compile(r"\b(?:send|share|post|give|paste|drop)(?: me| us)? (?:the|a|your) (?:link|url|pr|issue)\b")
"""A request for a link ("can you send me the link?"): done once the person asked posts one."""
_INLINE_CODE_TEXT = re.compile(r"`([^`\n]{1,60})`")
"""The text of an inline code span (`` `Any` `` -> ``Any``)."""


_BARE_PROMISE = re.compile(r"^\W*(?:(?:ok|okay|sure|yes|yep|yeah|alright|thanks?|thank you)\W+)?(?:will do|i will|i'll do (?:it|that|so)|"
                           r"(?:i'll|i will) (?:fix|change|update|correct|address|handle|add) (?:it|that|this|them)|"
                           r"on it|can do)\W*(?:(?:thanks?|thank you|cheers|ty)\b\W*)?$")
"""A promise that says nothing of what it promises ("Will do, thanks!", "Sure, I'll do that", "thanks, will do!")."""


_OWN_INTENT = re.compile(r"\b(?:i|we)(?:'ll| will|'m going to| am going to)\b")
"""Its speaker's own intent, whatever the verb ("I will steal code from here: <link>"): a tip when someone thanks for it,
no task of theirs (:func:`action_items`)."""


_TAKES_IT_UP = re.compile(
    r"\b(?:i'll|i will|will|i'm going to|going to|gonna|let me)(?: \w+){0,3} (?:look (?:at|into|through)|check out|check|read|"
    r"re-?read|go through|dig into|play with|give (?:it|this|that|them) a (?:go|try|shot|spin|look|read)|try|"
    r"(?:have|take) a (?:read|look|go|play|try)(?: (?:at|of|with|through))?)(?: through)? "
    r"(?:it|this|that|them|these|those|(?:all )?the (?:\w+ ){0,2}(?:examples?|docs?|documentation|links?|package|article|"
    r"paper|post|explanations?|answers?|suggestions?|code|options?)(?: and (?:the )?(?:examples?|explanations?|docs?|links?|"
    r"answers?|suggestions?|code))?)\b(?! (?:to|and(?! hopefully\b)|so|for|in order)\b)"
    r"|\b(?:i'll|i will|will|let me)(?: \w+){0,2} (?:have|take) a (?:read|look)\W*$"
    r"|\b(?:i'll|i will|will|let me|gonna)(?: \w+){0,2} (?:check|try) (?:\S+ ){1,2}out\b"
    r"|\b(?:i'll|i will|will|let me)(?: \w+){0,2} (?:look into|look at|check out|read up on) \S+ (?:as well|too)\W*$"
    r"|\b(?:i'll|i will|will|let me)(?: \w+){0,2} give (?:it|this|that|them) a (?:go|try|shot|spin)\b"
    r"(?! (?:to|and|so|for|in order|next|tomorrow|later|tonight|this|on|when|after|once|as soon)\b)")
"""A promise to take up what someone pointed to ("will look at it", "I'll make sure to re-read through the examples",
"Thanks ! will give it a try", "cool, I'll check QuadGK out, thanks!", "I'll look into SArrays as well! Thank you
everyone!", "I'll make sure to re-read through the examples and explanations and hopefully start using them"): said
with thanks, it acknowledges the answer; no task for anyone to track."""
_THANKS = re.compile(r"\b(?:thanks?|thank you|thx|ty|danke?|merci|gracias|grazie)\b")
_BARE_TRY = re.compile(r"^\W*(?:(?:oh|ooh|ah)?,? ?(?:interesting|cool|nice|neat),? )?(?:i'll|i will|will) (?:check|try) "
                       r"(?:it|this|that) out\W*$"
                       r"|^\W*(?:ok|okay|sure|yes|yeah|alright),? (?:i'll|i will|will) give (?:it|this|that) a (?:try|go|shot)\W*$")
"""A promise to look at what was pointed to, and nothing more ("will check it out", "Ok, I'll give it a try"): no task
to track."""
_ASKERS_OWN = re.compile(r"\b(?:what you(?:'re| are)? (?:\w+ )?(?:trying|want|wanted|need|mean)|your (?:full |exact |own )?(?:code|example|"
                         r"use ?case|problem|error|stack ?trace|mwe|setup|data|output|versioninfo|script|goal|environment)"
                         r"|(?:file|open|make|create|submit) (?:an? |the )?(?:issue|bug report))\b")
"""A request for what the conversation's asker has ("can you provide an example as to what you are trying to achieve?",
"please post your versioninfo", "Please file an issue." under a crash reported): unless it names someone, it asks the
asker, not whoever spoke last (docs/evals.md, forty-fourth round)."""
_EDIT_WORKED = re.compile(r"\bedit\b\W*(?:it |that |this )?(?:worked|works)\b")
"""An edit that reports the promise kept and working ("… EDIT: it worked")."""


def action_items(conv: Conversation) -> list[Item]:
    """Open action items with their owners (see the module docstring), in conversation order."""
    items: list[Item] = []
    for i, sentences in enumerate(conv.content):
        for sentence in sentences:
            request = is_request(sentence) and not _CONDUCT.search(_lower(sentence))  # ("Please use a more respectful
            # tone." asks no task)
            if request and not is_commitment(sentence):
                opening = _LEADING_MENTIONS.match(conv.messages[i].text)  # "@Gergely, me and @Lluís are teaming up …
                owner = (conv.mentioned(sentence) or (conv.mentioned(opening.group(0)) if opening else None)
                         or (conv.author(0) if _ASKERS_OWN.search(_lower(sentence)) else None)
                         or conv.addressee(i))  # … Could you give us a hint?": Gergely is asked
                if owner is None or owner == conv.author(i):
                    continue
            elif is_commitment(sentence):
                request, owner = False, conv.author(i)
                if _TAKES_IT_UP.search(_lower(sentence)) and (_THANKS.search(_lower(conv.messages[i].text))
                                                              or _BARE_TRY.match(_lower(conv.unmention(sentence)))):
                    break  # "thanks, will look at it!", "(Interesting,) will check it out", "I'll make sure to
                    # re-read through the examples": takes the answer up
                if _TRY_IT.search(_lower(sentence)) and _GLAD_OPENING.match(_lower(conv.unmention(conv.messages[i].text))):
                    break  # "Sweet, I'll give it a try tomorrow!": so does a glad promise to try it
                previous = items[-1] if items else None
                if (previous is not None and previous.owner == owner and i - previous.messages[-1] <= 2
                        and previous.messages[-1] != i):
                    break  # "ok, I'll do it" answers the request just before: one item
                if _BARE_PROMISE.match(_lower(conv.unmention(sentence))):
                    # "Will do, thanks!" says nothing of what: the item is what it takes on ("Definitely ask there")
                    asked = _answer_before(conv, i)
                    if asked is None:
                        break
                    said = [s for s in conv.content[asked] if not is_question(s) and not is_courtesy(s)
                            and not _BARE_PROMISE.match(_lower(conv.unmention(s)))]  # (not "Let the helpdesk know if
                    # you have more questions": "Will do" takes up the advice before it)
                    if said and (is_commitment(said[-1]) or _OWN_INTENT.search(_lower(said[-1]))) and not re.search(
                            r"\byou\b", _lower(said[-1])):
                        break  # "I will steal code from here: <link>" -> "thanks, will do!": its author's own plan,
                        # taken up as a tip, is no task of the one who thanks (not "If you open an issue … I'll have a look")
                    if said and not _done(conv, i, owner, request=False, sentence=sentence):
                        items.append(Item(said[-1], (asked, i), owner))
                    break
            else:
                continue
            if is_question(sentence) and not request:
                continue
            if _done(conv, i, owner, request=request, sentence=sentence):
                break
            items.append(Item(sentence, (i,), owner))
            break  # one item per message
    return items


_BEFORE_THE_THREAD = re.compile(r"\b(?:recently|last (?:year|month|week|summer|winter|spring|autumn|fall)|"
                                r"(?:years?|months?|weeks?) ago|a while (?:ago|back)|some time ago|in the past)\b")


_TOLD_CHOICE = re.compile(r"\bi(?:'ve| have)? (?:(?:finally|eventually|then|just|also|recently|once|ultimately) )?decided\b")
"""A choice its speaker tells ("I finally decided to learn Julia after …", "Although I feel more at home with R, I've
decided to learn Julia more deeply", "… and so I decided to take a leap of faith and learn R"): in the conversation's
opening it is the asker's story (:func:`_told_choice`)."""
_TOLD_WHY = re.compile(r"\bi decided\b[^.?!;]{0,80}\bbecause\b")
"""A choice its speaker tells with its reason, anywhere ("i decided against implementing them natively because the
horizontal ones were …"): a group's "we met and decided to …" is no story, nor the asker's "So I decided to just scrap
the notebook and use the REPL" after the replies (where they ended)."""


def _told_choice(i: int, lowered: str) -> bool:
    """True when sentence ``lowered`` of message ``i`` tells its speaker's own past choice as background
    (:data:`_TOLD_CHOICE` in the opening, :data:`_TOLD_WHY` anywhere), not what this conversation settled ("I think
    I've decided the better way is …" and "we decided" still are; docs/evals.md, forty-fourth round)."""
    return bool(i == 0 and _TOLD_CHOICE.search(lowered) or _TOLD_WHY.search(lowered))


_NOT_DECIDED = re.compile(r"\b(?:not|n't|never|un)(?: yet)? ?decided\b|\bdecided yet\b|\bever decided?\b"
                          r"|\bdecided (?:that )?(?:maybe|perhaps)\b|^\W*(?:(?:and|but|so|ok|okay|also),? )?if\b"
                          r"|\bif (?:\w+ )?(?:\w+ )?(?:decided?|agreed?)\b")
"""A decision not (yet) made or only supposed ("I might consider GSoC, but I haven't decided yet", "If the user then ever
decided to modify …", "If you approve <PR> then I'll merge it.", "I decided maybe I should first make my code clear"):
none was made."""


def decisions(conv: Conversation) -> list[Item]:
    """Sentences stating a decision or agreement, one per message; not a choice told as its speaker's story
    (:func:`_told_choice`), one not made (:data:`_NOT_DECIDED`), nor an approval that answers a request for help
    (:func:`_what_it_approves`)."""
    items: list[Item] = []
    for i, sentences in enumerate(conv.content):
        for sentence in sentences:
            lowered = _lower(sentence)
            if i == 0 and _BEFORE_THE_THREAD.search(lowered):
                continue  # "Recently, I decided to pick up R again": background to the question, not a decision
            if _told_choice(i, lowered) or _NOT_DECIDED.search(lowered):
                continue
            if is_decision(sentence) and word_count(sentence) >= 3 and not is_logistics(sentence):
                item = _what_it_approves(conv, i, sentence)
                if item is not None:
                    items.append(item)
                    break
    return items


_APPROVES = re.compile(r"\b(?:fine|good|ok|okay|lgtm|agreed?|sounds|go ahead|let'?s do|works for me|\+1|approved?)\b")
_APPROVAL_WORDS = 8
"""An approval this short ("It's fine for now, @Gergely.", "LGTM") says nothing without what it approves."""


def _what_it_approves(conv: Conversation, i: int, sentence: str) -> Item | None:
    """The decision ``sentence`` of message ``i``; a short approval (fewer than :data:`_APPROVAL_WORDS` words besides
    ``@names``) is shown as the proposal it approves, the nearest earlier substantive message by someone else,
    with the approval after it ("if you decide to use the review workflow … we could also set up the Catalan
    language team — Joan: It's fine for now"), citing both. None when what it approves is the conversation's
    opening question: "I think it looks good to me" under "This pattern seems weird to me … I think there is a better
    way, maybe a while loop?", "Your mapping seems good to me" under "… Could someone help me map these out?" answer
    a request for help (a review), they settle nothing (docs/evals.md, forty-fourth round)."""
    if word_count(_FULL_MENTION.sub(" ", sentence)) >= _APPROVAL_WORDS or not _APPROVES.search(_lower(sentence)):
        return Item(sentence, (i,))
    j = _answer_before(conv, i)
    before = next((k for k in range(i - 1, -1, -1) if conv.author(k) != conv.author(i)), None)
    if conv.author(i) != conv.author(0) and any(k is not None and _opening_asks(conv, k) for k in (j, before)):
        return None
    if j is None or j == 0 and conv.author(0) == conv.author(i):
        return Item(sentence, (i,))
    proposal = max(_said(conv, j), key=lambda x: (min(word_count(x), 40), -_said(conv, j).index(x)))
    return Item(proposal, (j, i), reply=conv.unmention(sentence).strip() or sentence)


_PROPOSES = re.compile(r"\b(?:prs?|pull requests?|merge|merging|propos\w*|review|plan|agenda|vote|(?:can|could|may|should|shall) "
                       r"(?:i|we)|(?:is it|would it be) (?:ok|okay|fine|alright)|(?:ok|okay|fine|mind) if)\b")
"""An opening that puts work, a plan or a permission to the others ("Can I add the Spanish team to the wiki page?"): an
approval of it may settle it (it is not only a review)."""


def _opening_asks(conv: Conversation, j: int) -> bool:
    """True when message ``j`` is part of the conversation's opening (every message up to it by the opener) and that
    opening asks for help (:func:`asks`), not for approval of work or a plan (a PR, a proposal: :data:`_PROPOSES`)."""
    return (all(conv.author(k) == conv.author(0) for k in range(j + 1))
            and any(asks(x) for k in range(j + 1) for x in conv.content[k])
            and not any(_WORK_LINK.search(conv.messages[k].text) or _PROPOSES.search(_lower(conv.messages[k].text))
                        for k in range(j + 1)))


_OWN_FIX = re.compile(r"^\W*(?:i|we) (?:also |just )?(?:needed|had) to (?:also )?(?:do|set|add|use|call|run|install|pass|"
                      r"change|remove|unset|export|update|rebuild|restart|specify|include|load|import|define|put)\b[^.?!]*"
                      r"\b(?:also|too|as well)\W*$")
"""The opening author saying what they had to do ("I needed to do `ENV["PYTHONPATH"]=""` also!"): their own fix."""
_BARE_SOLVED = re.compile(r"^\W*(?:(?:ok|okay|ah|and|all|it's|it is|problem|issue)\W+)?(?:solved|fixed|resolved|sorted)"
                          r"(?: it)?(?: now)?\W*$")
"""A success report of one word or so ("Solved", "fixed now!"): what worked is in the message before it."""
_ASKER_SUCCESS = re.compile(
    r"\b(?:that|this)(?: (?:now|all|also|finally|actually))? (?:worked|works|does work|did work|did it|did the trick|fixed it|solved it|"
    r"solves it)\b|\b(?:works|working) now\b|\b(?:that's|that is|we have|there's) (?:a|the|our) winner\b"
    r"|^\W*(?:bingo|ding,? ding)\b"  # "DING DING", "I think that's a winner"
    r"|(?:^\W*|, |\b(?:and|but|so) )(?:(?:it's|it is|that's|that is|everything is|all) )?now "
    r"(?:(?:it's|it is|it|that's|everything is|all) )?(?:working|works)\b"  # "Reloaded vscode, now it's working"
    r"|\bthey (?:both |all )?(?:now )?(?:worked|work now)\b|\bboth (?:of them |ways |solutions )?(?:worked|work)\b"
    # "Thank you very much. They both worked now"
    r"|^\W*(?:it|its|it's) works?\W*[,.!]+\s*(?:thanks?|thank you|thx|ty)\b"  # "its works, Thanks."
    r"|\b(?:worked|works|working) like (?:a )?charm\b"  # "@crstnbr worked like charm! Thx."
    r"|\b(?:they|it|the (?:issue|problem|error|lines?|warnings?|artifacts?)) (?:(?:just|all) )?(?:went|have gone|has gone|"
    r"disappeared|vanished)(?: away)?(?: after a (?:while|bit|restart)| on (?:its|their) own| by (?:it|them)sel(?:f|ves))\b"
    # "Fair, they went away after a while without changing anything :shrug:"
    r"|^\W*(?:(?:ok|okay|so|finally|yay),? )?(?:i|we) (?:finally |eventually )?managed to "
    r"(?!reproduce|break|crash|get the same|trigger|narrow)\w+"  # "I managed to add class="things" and the effect is visible"
    r"|\bproblem solved\b|\bthat was it\b|^\W*(?:yes|yay|great|perfect|ok|okay|oh|ah|and|"
    r"cool|nice|awesome|sweet|excellent|brilliant|wonderful|amazing|hooray|woohoo),? (?:now )?it works\b"
    r"|^\W*(?:this|that|it)(?:'s| is| was) (?:just |absolutely )?perfect\b(?!\s+(?:for|if|but|except)\b)"
    # "This is perfect, thanks @Simeon Schaub"
    r"|\b(?:does|did) the trick\b|\b(?:a |an? )?(?:huge|big|massive|nice|great|real) win\b"  # "Your idea of … does the trick"
    r"|\b(?:seems|appears) to have worked\b"  # "installing gdb and code signing it … seems to have worked, yay!"
    r"|^\W*`[^`]+`\s+(?:looks|is|seems)\s+(?:(?:super|really|very|so|pretty)\s+)?(?:nice|great|perfect|neat|ideal)\b"
    # "`foreach` looks super nice, thanks.": the code it names is what it takes
    r"|^\W*so,? (?:\w+ ){1,3}(?:is|are|was|seems|looks) (?:just )?(?:perfect|ideal|exactly what i (?:need|needed|want|wanted))\b"
    # "So reshaping is perfect. Thanks all!"
    r"|\b(?:downloaded|installed|compiled|built|loaded|precompiled) successfully\b|\bsuccessfully (?:downloaded|installed|"
    r"compiled|built|loaded|precompiled)\b"  # "At least all parts of GLMakie are downloaded successfully …"
    r"|\b(?:brought|got|took|cut) (?:it|this|that|the \w+(?: \w+)?) down from \S+ (?:\w+ )?to \S+"  # "… from 65 to 4 seconds"
    r"|\b(?:good|fast|performant|quick|accurate) enough for (?:my|our) (?:needs|purposes?|use(?: ?case)?)\b"
    r"|^\W*(?:(?:it's|it is|all|everything's|everything is) )?working(?: now)?[\s!.,]*(?:(?:thanks?|thank you|thx|ty)\b[\s!.]*)?$"
    # "working, thanks!!!": the whole message
    r"|\b(?:thanks?|thank you)\b[^.?!]*\b(?:worked|works)\b|^\W*(?:it |that |this )?(?:worked|works)(?: now)?\W*$|^\W*(?:it |that |this )?(?:worked|works)(?: now)?\s*!"
    r"|\b(?:is|was) (?:exactly |just )?(?:the thing|what) i (?:was looking for|needed|need|wanted)\b|\bthat's (?:exactly )?what i (?:was looking for|needed|need)\b"
    r"|\b(?:thanks?|thank you)\b(?: \w+){0,2}(?: @[^.?!@]{1,40}?(?: and)?)* for (?:your|the|all the) (?:help|assistance)\b"
    r"|\b(?:that|this|it)(?:'s| is| was| seems to be| must be| must have been)(?: indeed| definitely| exactly)? (?:the|my) "
    r"(?:problem|issue|culprit|cause|bug)\b(?!\s*:(?:\s|$))"  # "Yup, that seems to be the problem :disappointed:", not "this is
    # the issue: …", which goes on to say what the issue is
    r"|\b(?:that|this)(?:'s| is| was| seems to be| must be)(?: indeed| definitely| exactly)? (?:what's|whats|what)(?: is| was)? "
    r"causing\b"  # "hmm this seems to be whats is causing all this pain..."
    r"|\b(?:perfect|great|ideal|just right|exactly right) for (?:my|our) (?:purposes?|needs?|use|case)\b"
    r"|\b(?:tried|tested)\b(?! (?:it )?(?:in|on|under|with)\b)[^.?!]{0,40}\b(?:works|worked|working|perfect|does the trick|"
    r"did the trick)\b"
    r"|`[^`]+`\s+(?:worked|works|did the trick|fixed it|solved it)\b"
    r"|^\W*(?:with|using) `[^`]+`\S*,? (?:it|that|everything) (?:now )?(?:works|worked)\b"  # "Using `CuTextureArray`s it works."
    r"|\b(?:se[ae]ms|looks|appears) like (?:it|that|this|everything)(?:'s| is| now)? (?:works|worked|working)\b"
    r"|(?:^\W*(?:(?:yup|yep|yes|yeah|ok|okay|ah|oh|great|nice|cool)\W+)?|\b(?:it|that|this|which) )(?:se[ae]ms|appears) to "
    r"(?:work|be working|have worked|do the (?:trick|job)|have done the (?:trick|job)|fix it|solve it)\b"  # ("yup, seems to
    # work!", "huh…that appears to fix it")
    r"|^\W*(?:(?:yes|ok|okay|so|and|finally)\W+)?i (?:finally )?(?:solved|fixed) (?:the|my) (?:problem|issue)\b(?![^.?!]*\bbut\b)"
    # "Yes, I solved the problem by …"
    r"|^\W*(?:(?:ok|okay|so|and|finally)\W+)?i (?:finally )?got rid of (?:all )?(?:the|those|these)\b"  # "ok, i got rid of all the
    # `Any`s"
    r"|\b(?:solution|suggestion|fix|trick|workaround|approach|idea)\b[^.?!]{0,60}\b(?:se[ae]ms|appears) to (?:solve|fix|have solved|"
    r"have fixed) (?:it|this|that|the|my)\b"  # "@kwd's solution with specifying the array type appears to solve the original
    # problem, btw :+1:"
    r"|^\W*(?:thanks?|thank you)(?: (?:so much|a lot))?\W+now\b"  # "Thanks, now tasks play with each other."
    r"|\b(?:it|that|this) (?:now )?(?:works|worked) (?:really well|very well|perfectly|great|nicely|beautifully|like a charm)\b"
    r"|^\W*(?:(?:neat|nice|great|cool|awesome|sweet|ok|okay|yes|yay)\W+)?(?:it|this|that)(?:'s| is)(?: now)? (?:much |way |a lot |a bit |definitely )?faster\W*(?:$|!)"
    r"|\b(?:it|this|that) (?:sped|speeds) (?:up )?(?:my|the|our) (?:code|function|program|script|loop)\b"
    # "it is faster!" + its timings, "as @kwd predicted, this sped up my code by maybe 10% lol": the asker's measured gain
    r"|^\W*(?:it|this|that|`[^`]+`) (?:clearly |easily |really |even )?outperforms (?:my|our) \w+"  # "That outperforms my
    # current routine!"
    r"|^\W*(?:neat|nice|great|cool|awesome|sweet|yay)\W+(?:the|my|this|that|your) (?:[\w`.!-]+ ){0,3}(?:is|was) (?:now )?type[- ]stable\b"
    # "Neat, the foldl version is type stable."
    r"|^\W*(?:ooh+|oh+|ah+)\W+perfect\W*(?:$|[.!,]\s*(?:thanks?|thank you|thx|ty)\b[^.?!]*\W*$)"  # "ooh, perfect. Thanks!"
    # (a bare "@Simeon perfect!" is a nod: :data:`_NODS`)
    r"|\b(?:it|that|this|everything) (?:now )?works for me now\b"  # "It works for me now!" (not "it works for me": no repro)
    r"|^\W*(?:(?:ok|okay|so|and|finally)\W+)?i (?:finally )?got (?:it|that|this|the|my) (?:[\w.-]+ )?(?:to )?work(?:ing)?\b(?![^.?!]*\b(?:but|except|still)\b)"
    # "I got that mwe working, a trip through latex stackoverflow …"
    r"|^\W*(?:(?:ok|okay|so|and)\W+)?i (?:think |believe )?(?:i )?(?:fixed|solved) it\b(?![^.?!]*\b(?:but|except|still)\b)"  # "I think I fixed it - I deleted ~/.julia"
    r"|\b(?:is|was) very (?:usable|useful|helpful) for (?:my|our) (?:case|needs|purposes?|use ?case)\b"  # "The output from
    # `?REPL` is very usable for my case. Thanks."
    r"|^\W*(?:(?:oh+|ah+|ok|okay|well|so|ugh|argh)\W+)?(?:it|that|this) was (?:all |just )?(?:because of|caused by|due to)\b"
    # "Oh, it was because of goodbyedpi was enabled: <link>": the asker found the cause
    r"|\bworked for me\b|\byour (?:solution|suggestion|answer|fix|code|idea|approach|trick|tip|advice|version|example)"
    r"\b[^.?!]{0,20}\b(?:worked|works|did the trick|fixed it|solved it)\b"  # "but your solution worked, thank you!"
    r"|(?:'s|@[\w.]+(?: [\w.]+)?) (?:solution|suggestion|fix|idea|approach|workaround) (?:also |too )?(?:works|worked)\b"
    # … "but @Matthijs Cox solution works for me too"
    r"|\b(?:was|were) able to (?:fix|solve|resolve) (?:it|this|that|the (?:issue|problem|error))\b"
    r"|\b(?:the|that)(?: \W*\w+\W*){0,2} (?:way|thing|solution|answer|function|one) i (?:was looking for|needed|wanted)\b"
    r"|\bmy (?:q|question) (?:got|was|is|has been) answered\b"  # "ah a Union - that was the "elegant" way I was looking for"
    r"|\b(?:that|this|it)(?:'s| is| was| seems to be)(?: exactly)? what i was missing\b"  # "using `zip` makes sense. That
    r"|\b(?:thanks?|thank you)(?: so much| a lot)? for finding (?:the|a|my) (?:solution|fix|answer|problem|bug)\b"  # seems to
    # be what I was missing. Thanks so much for finding the solution here."
    r"|\b(?:crazy|huge|massive|big|great|nice|significant|dramatic|amazing|awesome|impressive) (?:improvement|speed ?-?up)\b"
    r"|^\W*(?:(?:oh|ah|ok|okay|yes|yeah|nice|great),? )?(?:that|this|it)(?: does| definitely| really)? (?:benchmarks?|runs?) "
    r"(?:much |way |a lot |a bit |quite a bit )?(?:better|faster)\b"  # "that does benchmark better"
    r"|^\W*(?:(?:haha|yes|yeah|ah|oh|ok|okay)\W+)?(?!(?:it|this|that|the|my|your|which|what|everything|nothing|something|output|result)\b)[a-z][\w.]*"
    r"(?: [a-z][\w.]*)? (?:is|was) (?:right|correct|spot on)\W*$"
    r"|\bthat(?:'s| is| was) the ticket\b|\bthat(?:'s| is| was) exactly it\b|^\W*bingo\b|\byou nailed it\b"
    r"|\bi (?:guessed|was) right\b(?! (?:about|that|when|to)\b)"  # "oo nice, I guessed right!" (after a link that says so)
    r"|\bgot it (?:to )?work(?:ing|s|ed)?\b|^\W*(?:@?[\w.]+ ){1,3}to the rescue\W*$"  # "Steve Johnson to the rescue!"
    r"|" + _BARE_SOLVED.pattern  # … a bare "Solved" at the end
    + r"|" + _OWN_FIX.pattern,
)
"""The opening author reporting that something worked, in their words ("that did the trick", "I got it working",
"Steve Johnson to the rescue!", "I needed to do `ENV["PYTHONPATH"]=""` also!")."""
_NOT_SUCCESS = re.compile(r"\b(?:how|why|whether|if)\b(?:`[^`]*`|(?!\bbut\b)[^.?!,;`]){0,80}?\b(?:works?|worked|working|"
                          r"(?:does|did) the trick|(?:a |an )?\w+ win|enough for)\b"
                          r"|\b(?:maybe|perhaps|probably|possibly|might|could|i guess|i think|i wonder if)\b[^.?!;]{0,30}?"
                          r"\b(?:problem|issue|culprit|cause|bug)\b"  # "so maybe that's the problem": a guess
                          r"|\b(?:tried|tested)\b[^.?!]{0,40}\bstill (?:works?|working)\b"
                          r"|\b(?:doesn't|does not|don't|didn't|did not) (?:really )?make (?:any )?sense\b[^.?!;]{0,80}?"
                          r"\b(?:works?|worked)\b"  # "That doesn't make sense, as `git stash && make` works": a rebuttal
                          r"|\b(?:worked|used to work|was working)(?: (?:fine|well|ok|okay))? (?:the )?(?:last time|before|previously|"
                          r"earlier|in the past|on (?:\w+ )?(?:v|version )?\d[\w.]*)\b")
"""A clause that names "works" without reporting success ("I don't understand how `julia --project .` works
though", "let's see if that works", "I just tested, the zoom still works...": what should have gone did not; "It worked
last time I tried julia": how it was before): a
success cue inside it does not count (:func:`_reports_success`)."""


def _reports_success(sentence: str) -> bool:
    """True when ``sentence`` (lower-cased) reports that something worked (:data:`_ASKER_SUCCESS`) outside a clause
    that only names working (:data:`_NOT_SUCCESS`): "I think defining this solves it …, haven't tested for how it
    might work with more complicated broadcasts" reports it; "let's see if that works" does not."""
    spans = [m.span() for m in _NOT_SUCCESS.finditer(sentence)]
    return any(not any(a <= m.start() < b or a < m.end() <= b for a, b in spans) for m in _ASKER_SUCCESS.finditer(sentence))
_THANKS_FOR_HELP = re.compile(r"^\W*(?:thanks?|thank you)\b[^.?!]{0,30}\bfor (?:your|the|all the) (?:help|assistance)\b(?:\W*@[^.?!@]{1,40}?)*\W*$")
"""Thanks for the help and nothing more ("Thank you all for the help!", "Thanks for the help, @mbauman!"): a success
that says nothing of what worked."""
_SEES_NOTHING = r"(?! (?:no|nothing|a|an|the|some|any|many|several|two|three|your|his|her|their|this|that|these|those|it)\b)"
"""After "i see": not a statement of what one sees ("I see no type instability here.")."""
_AGREEMENT = re.compile(
    r"^\W*(?:yes|yup|yep|yeah|ya|i agree|agreed|agree|exactly|indeed|right|true|sounds good|makes sense|\+1|"
    r"fair enough|ok|okay|sure|i see" + _SEES_NOTHING + r"|thanks?|thank you|great|perfect|nice|cool|oh man|aha|wow|awesome|"
    r"amazing|can't wait|exciting|haha|interesting|fascinating|good to know|til|(?:ah|oh),? good)\b",
)


def _said(conv: Conversation, i: int) -> list[str]:
    """Message ``i``'s statements: its sentences that are not questions, a question its author answers yes or no right
    after read as one statement with that answer ("I managed to add class="things" and the effect is visible, is it
    pretty? nah, but it's ok.": :data:`_OWN_YES_OR_NO`); its questions when it says nothing else."""
    content = conv.content[i]
    said: list[str] = []
    for k, sentence in enumerate(content):
        if k > 0 and is_question(content[k - 1]) and said and said[-1].startswith(content[k - 1]):
            continue  # (the answer, joined to its question below)
        if is_question(sentence) and k + 1 < len(content) and _OWN_YES_OR_NO.match(_lower(content[k + 1])):
            said.append(f"{sentence} {content[k + 1]}")
        elif not is_question(sentence):
            said.append(sentence)
    return said or content


_ACKNOWLEDGES = re.compile(
    r"\b(?:(?:thanks?|thank you|thx|danke?|merci|gracias|grazie)"
    r"(?! (?:all |everyone )?for (?:your |the )?(?:patience|waiting|understanding|bearing))|"
    r"i agree|agreed|that explains|explains it|makes sense|that's fine|got it|perfect|exactly|(?:that|this|it) (?:really )?helps|"
    r"worked|works|did the trick|i see" + _SEES_NOTHING + r"|(?:looks|is|was) (?:very |really )?(?:good|great|nice|well written|excellent|helpful)|"
    r"(?:that|this|it)(?: does| do|'s| really| definitely)? sounds?|"
    r"well written|(?:great|nice|good) (?:work|job|summary|write-up|post))\b",
)
"""Words that acknowledge what someone else said ("I guess that does sound a lot healthier"); thanks for the
readers' patience ("the conflicts have been fixed …, sorry it took so long, and thanks for your patience!")
acknowledge nobody's answer."""


_CLOSER = re.compile(
    r"^\W*(?:(?:well|oh|ah|ok|okay),? )?(?:good luck|welcome to|you're welcome|no problem|happy to help|glad (?:to|it|that|i)|"
    r"feel free|any ?time|have fun|enjoy|no need to (?:be sorry|apologi[sz]e))\b|\b(?:glad to hear|happy to hear)\b"
    r"|\bi(?:'ve| have)(?: been)? (?:really )?(?:enjoying|enjoyed|loving|loved) (?:using|working with)\b",
)
"""A closing courtesy ("good luck! Feel free to ask", "well, welcome to the slack!", "glad to hear it is fixed", "No need to
be sorry! :smile: I have been really enjoying using Arrow.jl otherwise!"): it closes the conversation, it does not say
where it ended."""
_CLOSING = re.compile(_CLOSER.pattern + r"|^\W*(?:(?:ok|okay|and|o+h*|ah+|wow),? )?(?:please )?let (?:me|us|the [\w-]+|#[\w-]+) know if (?:you|anyone|there)\b"
                       r"|^\W*(?:@[\w.]+(?: [A-Z]?[\w.]+)? )?(?:(?:please|do|feel free to|just) )?(?:dm|ping|message|pm) me if you\b"
                       r"|^\W*(?:i )?hope (?:this|that|it) helps\b"
                       r"|\b(?:you may|you might|you could|you'd)(?: also)? (?:be interested in|want to (?:try|ask|post)(?: in| on)?) "
                       r"(?:the )?#[\w-]+")
"""A closing courtesy, or an offer to say more ("Let me know if you have any questions about the PR. I'm glad to help!",
"Let the helpdesk know if you have more questions.", "Let me know if you need more details (version of Julia, packages, browser etc.)"): no key point, and not where a
thread ended when it comes last."""


def is_courtesy(sentence: str) -> bool:
    """True for a closing courtesy (:data:`_CLOSING`: "Feel free to ask if you have questions", "Glad to help!"): it
    closes a conversation and says nothing of it, so it is no key point."""
    return bool(_CLOSING.search(_lower(sentence)))


_YES_NO_AND_WHY = re.compile(r"^\W*(?:yes|yep|yup|yeah|no|nope|correct|right)\b\W+(?:\w+\W+){4}")
"""A reply that opens with yes or no and says why in five words or more ("Yes, there is no rootfinding in the
PresetTimeCallback")."""


def _answers_the_asker(conv: Conversation, i: int) -> bool:
    """True when message ``i``, by someone other than the opening author, opens with yes or no and says why
    (:data:`_YES_NO_AND_WHY`) in eight words or more, and the opening author's last run of messages before it (only
    ``i``'s author between) asks something: it answers them, it does not agree with what came before."""
    asker = conv.author(0)
    if conv.author(i) == asker or _own_words(conv, i) < 8 or not _YES_NO_AND_WHY.match(
            _lower(conv.unmention(conv.messages[i].text))):
        return False  # "Yup Revise state error. Restart fixes" is short: shown whole as where it ended
    k = i - 1
    while k >= 0 and conv.author(k) == conv.author(i):
        k -= 1
    asked = False
    while k >= 0 and conv.author(k) == asker:
        asked = asked or any(is_question(s) for s in conv.content[k])
        k -= 1
    return asked


_PROGRESS = re.compile(r"^\W*(?:(?:ok|okay|so|well|update)\W+)?(?:some|good|more|made some|making some|first) progress\b")
"""A report of its author's own progress ("Some progress with a simple viewer so far."): where the thread got to, not a
thanks for someone else's answer."""


def _acknowledges(conv: Conversation, i: int) -> bool:
    """True when message ``i`` mostly acknowledges, agrees or closes ("Yup, …", "That explains it, thanks",
    "I agree, …", "Good luck!"); a message that opens with thanks to someone it ``@names`` counts up to 80 words
    ("@Nils Thank you. I'm looking forward to …")."""
    said = _said(conv, i)
    words = sum(word_count(s) for s in split_sentences(conv.messages[i].text))
    lowered = _lower(conv.messages[i].text)
    opening = _lower(conv.unmention(said[0])) if said else ""
    agrees = any(_AGREEMENT.match(_lower(conv.unmention(s))) for s in said)
    if opening and (_THANKS_FIRST.match(opening) or _GLAD_OPENING.match(opening) or _THANKS_CLOSING.search(lowered)
                    ) and _TRY_IT.search(lowered) and words < 40:
        return True  # "Thanks, that looks handy, I'll give it a go tomorrow and report back!", "Sweet, I'll give it a
        # try tomorrow!", "I'll try that next time. Thanks :+1:": takes the answer up
    if agrees and words < 25 and any(is_commitment(s) and _FOLLOWS_IT.search(_lower(s)) for s in conv.content[i]):
        return True  # "Ah, good, I'll probably ask some questions there then!": follows the advice
    if any(is_commitment(s) or _REPORTED.search(_lower(s)) or _FIXED_NOW.search(_lower(s)) or _PROGRESS.match(_lower(s))
           for s in conv.content[i]) or _SELF_FOUND.search(lowered):
        return False  # "Sure, I'll have the notes ready by Thursday", "ok, I made an issue now", "Thanks for report,
        # fixed now", "Some progress with a simple viewer so far. … thanks @ffreyer!": where it ended
    if _CLOSER.search(opening) and words < 40:
        return True
    if (but := _YES_BUT.match(opening)) is not None and word_count(opening[but.end():]) >= 6 and not any(
            is_question(x) for x in conv.content[i]):  # ("Yes, but can you set an IOContext as the default …?" takes it)
        return False  # "Right, but BLAS/LAPACK aren't the only external libraries Julia base is using": it qualifies
    if _answers_the_asker(conv, i):
        return False  # "Yes, there is no rootfinding in the PresetTimeCallback" answers "… is it true?"
    thanks_named = conv.mentioned(conv.messages[i].text[:60]) is not None and bool(re.match(r"^\W*(?:thanks?|thank you)\b", opening))
    return (words < 40 or thanks_named and words < 80) and (agrees or bool(_ACKNOWLEDGES.search(lowered)))


_GLAD_OPENING = re.compile(r"^\W*(?:(?:oh|ah|ok|okay)\W+)?(?:sweet|cool|great|awesome|nice|neat|perfect|excellent|"
                           r"brilliant|wonderful|amazing)\b")
"""A reply that opens glad of what it got ("Sweet, I'll give it a try tomorrow!")."""
_YES_BUT = re.compile(r"^\W*(?:right|true|sure|yes|yeah|yep|ok|okay|agreed|fair enough),? but\b")
"""A reply that grants a point and goes on to qualify it ("Right, but …")."""
_FOLLOWS_IT = re.compile(r"\b(?:there|then|that way|instead)\W*$")
"""A promise that ends on the advice it follows ("I'll probably ask some questions there then!")."""
_TRY_IT = re.compile(r"\b(?:i'll|i will|will|going to|gonna|let me)(?: \w+)? (?:give (?:it|this|that) a (?:go|try|shot|spin)|"
                     r"try (?:it|this|that|them|these|those)|test (?:it|this|that)|(?:take|have) a (?:look|closer look) "
                     r"(?:in|into|at) (?:it|this|that|them|these|those))\b")
"""A promise to try what was suggested ("I'll give it a go tomorrow", "will try it out", "I'll take a look into
that")."""


_FOUND_IT = re.compile(r"^\W*(?:(?:ah+|oh+|ok|okay|nvm|never ?mind|edit),?:? )?(?:i )?found (?:it|out(?!\s+about)|the (?:package|link|answer|issue|pr|docs?))\b")
"""The asker finding what they asked for themselves ("found it: https://github.com/shashi/FileTrees.jl")."""
_SELF_FOUND = re.compile(r"\bno wonder\b|\bmy (?:bad|mistake)\b|\bturns? out (?:that )?(?:i|it|the)\b|"
                         r"\bi (?:found|figured out|see) (?:my|the) (?:error|mistake|problem|bug|issue)\b|"
                         r"\bi was (?:\w+ )?(?:accidentally|mistakenly)\b")
"""The speaker says what the problem was ("I was … accidentally redefining it elsewhere … No wonder it wasn't the
right type anymore… Thank you!"): where the thread ended, even with thanks in it."""


def _owns_a_slip(conv: Conversation, i: int) -> bool:
    """True when message ``i``, by someone other than the asker, resolves only by owning its author's slip ("Ah, my
    mistake; a patch made by someone to LLVM upstream" after "I didn't make the patch"): a correction taken, not what
    settled the question (docs/evals.md, thirty-fourth round)."""
    if i == 0 or conv.author(i) == conv.author(0):
        return False
    cued = [x for x in conv.content[i] if _resolves(_lower(x))]
    return bool(cued) and all(re.search(r"\bmy (?:bad|mistake)\b", _lower(x)) and not _RESOLUTION.search(_lower(x))
                              and not _REPORTED.search(_lower(x)) for x in cued)


_EMOJI_END = re.compile(r"(?:\s*:[\w+\-]+:)+\s*$")
"""Emoji codes at the end of a sentence ("… life!:heart:"): not a lead-in's colon."""


def introduces(sentence: str) -> bool:
    """True for a sentence that ends in ":" (emoji codes at its end aside): it introduces what follows it ("Here are
    the links to the materials …, Feb 22:", "the simplest is I think:"), a list, a link or code."""
    return _EMOJI_END.sub("", sentence).rstrip().endswith(":")


_UNDERSTOOD = re.compile(r"\b(?:makes? (?:a lot of |lots of |a lot |much more |more |)sense|explains?|i see\b|"
                         r"(?:now )?i (?:get|understand)|understood)")
"""Thanks for an explanation ("Ahhh, hilarious - that makes a lot sense. Thanks!"): what it thanks for is words, not
the code someone posted beside them."""


_YOUR_THING = re.compile(r"\byour (solution|suggestion|fix|idea|approach|workaround|trick)\b")
"""A report that names what worked by its kind ("but your solution worked, thank you!")."""
_NAMED_WITHIN = 12
"""Messages back within which the answer a report names by its kind is looked for."""


_PACKAGE = re.compile(r"\b[A-Za-z]\w*\.jl\b")
"""A Julia package's name ("Glob.jl"), as a report of success names it."""


def _code_named(conv: Conversation, i: int) -> int | None:
    """The first message by someone else, within :data:`_NAMED_WITHIN` messages before ``i``, that names the code or
    package ``i``'s report of success names ("`Glob.jl` worked perfectly." -> the message with
    "https://github.com/vtjnash/Glob.jl"); None when the report names none, or no such message names it."""
    names = {n.lower() for s in _worked(conv, i) for n in [*re.findall(r"`([^`\s]{3,})`", s), *_PACKAGE.findall(s)]}
    if not names:
        return None
    return next((j for j in range(max(1, i - _NAMED_WITHIN), i) if conv.author(j) != conv.author(i)
                 and (not conv.noise(j) or code_gist(conv.messages[j].text) is not None)  # (something to show)
                 and any(name in conv.messages[j].text.lower() for name in names)), None)  # (the first to name it
    # suggested it: "`ndigits(x,base=2)`?", not the discussion after it)


_DOCS_POINTER = re.compile(r"^\W*(?:(?:you can|you could|you'll|you will|you may|one can) (?:also )?(?:see|find|read|look at|check)\b"
                           r"|(?:there's|there is|there are) (?:an? |some )?(?:examples?|more (?:info|details)|docs|documentation)\b"
                           r"|(?:see|check) (?:also )?(?:the |this )?(?:docs|documentation|manual|examples?)\b)")
"""An answer's add-on that points to where more is told ("you can see some examples of this in the parameter extraction
examples (https://…)", "there's an example in the docs https://…")."""


def _before_its_pointer(conv: Conversation, j: int) -> int:
    """Message ``j``, or the answer right before it by the same author when ``j`` only points to where more is told
    (:data:`_DOCS_POINTER`): "a method with an argument of form `::T` only depends on the type of that argument, not
    its value" -> "you can see some examples of this in the parameter extraction examples (https://…)" -> "Thank you!":
    the thanks is for the answer."""
    said = _said(conv, j)
    if j < 2 or not said or not _DOCS_POINTER.search(_lower(conv.unmention(said[0]))):
        return j
    k = j - 1
    if conv.author(k) != conv.author(j) or conv.noise(k) or _own_words(conv, k) < 8 or all(is_question(x) for x in conv.content[k]):
        return j
    return k


def _code_to_try(conv: Conversation, j: int) -> bool:
    """True when message ``j`` offers code to try: a few words around it (:func:`_around_code`), or a question with a
    code block ("If you try ```Pkg.add("pkgname"; use_libgit2_for_all_downloads=true)``` does that speed things up for
    you?")."""
    return _around_code(conv, j) is not None or bool(_FENCED.search(conv.messages[j].text)) and any(
        is_question(x) for x in conv.content[j])


_ENCOURAGES = re.compile(r"^\W*(?:(?:but|so|and) )?(?:just )?(?:try (?:it|them|things|that) out|play (?:around )?with (?:it|them|that)|"
                         r"experiment (?:a bit|with it)|have fun|good luck)\b")
"""Encouragement after an answer ("just try it out a bit to get a feel for things"): not what the asker thanks for."""


def _thanks_and_praise(conv: Conversation, i: int) -> bool:
    """True when message ``i`` opens by thanking (:data:`_THANKS_FIRST`) and says nothing more than praise or an aside
    in brackets ("Thanks! The vscode plugin and LanguageServer.jl are REALLY AWESOME! (although …)"): no code, no link,
    no question and no resolution cue."""
    text = conv.messages[i].text
    if not _THANKS_FIRST.match(_lower(conv.unmention(text))) or "`" in text or URL.search(text):
        return False
    said = [x for x in split_sentences(text) if not _THANKS_ONLY.match(_lower(x)) and not _BRACKETED.match(x.strip())]
    return all(not _resolves(_lower(x)) and (is_praise(x) or word_count(x) <= 3 and not is_question(x)) for x in said)


def is_praise(sentence: str) -> bool:
    """True for praise and nothing more, of 15 words or fewer: "Really, Really nice.", "The vscode plugin and
    LanguageServer.jl are REALLY AWESOME!" (:data:`_PRAISE_ONLY`, after what it praises); no question."""
    lowered = re.sub(r"^[^!?]*?\b(?:is|are)\b\s*", "", _lower(sentence))
    return not is_question(sentence) and word_count(sentence) <= 15 and bool(_PRAISE_END.match(lowered))


_PRAISE_WORD = (r"^\W*(?:(?:oh|ah|ooh|wow|haha),? )?(?:(?:really|very|so|super|pretty)\W+)*(?:nice|cool|neat|awesome|"
                r"amazing|beautiful|great|lovely|fantastic|impressive|wonderful|sweet)")
"""A sentence's opening word of praise, after an interjection and intensifiers ("Really, Really nice", "oh wow, cool"):
the head of :data:`_PRAISE_END` and :data:`_PRAISE_ONLY`."""
_PRAISE_END = re.compile(_PRAISE_WORD + r"\W*(?:\w+\W*){0,2}$")
"""Praise that says nothing after its word of praise but two words at most ("REALLY AWESOME!", "fantastic!", "very cool
stuff"; not "great, you don't need to specify the length of the lines")."""


def _answer_before(conv: Conversation, i: int, *, worked: bool = False) -> int | None:
    """What message ``i`` acknowledges: the last message by the person it ``@names`` before it, else the last
    substantive message (eight words or more, not a lead-in ending in ":") of the nearest earlier run of
    messages by someone else (with ``worked``, for a report that something worked, the one message of that run it
    names: :func:`_names_one_of`); None when there is none."""
    me = conv.author(i)
    named = conv.mentioned(conv.messages[i].text)
    if worked and named is not None and _THEIR_WAY.search(_lower(conv.messages[i].text)) and (theirs := next(
            (j for j in range(i - 1, -1, -1) if conv.author(j) == named and "```" in conv.messages[j].text), None)) is not None:
        return theirs  # "@kwd’s solution with specifying the array type appears to solve the original problem": the code
        # kwd gave, however far back
    run: list[int] = []
    replied = False  # ``me`` spoke between ``i`` and the run: a question of the run was answered by them already
    for j in range(i - 1, -1, -1):
        author = conv.author(j)
        if not run and author != me and _code_answer(conv, j) and not _UNDERSTOOD.search(_lower(conv.messages[i].text)):
            return j  # "```julia> struct MyStruct … MyStruct(x...) = new(x) …```" -> "nice, thanks!": the code answered
        if not run and author != me and not conv.noise(j) and all(is_question(s) for s in conv.content[j]):
            before = j - 1 if j > 0 and conv.author(j - 1) == author else None
            if replied and worked and before is not None and "`" in conv.messages[before].text and not all(
                    is_question(s) for s in conv.content[before]):
                return before  # "I think you need `using .Functions: ...`" -> "`functions.jl` is a module?" -> "my
                # module" -> "it worked": the question was answered; what worked is the code its author gave before it
            if _TRY_IT.search(_lower(conv.messages[i].text)) and _code_to_try(conv, j):
                return j  # "If you try ```Pkg.add(…)``` does that speed things up for you?" -> "I'll try that next time."
            if worked and all(is_suggestion(s) and "`" in s for s in conv.content[j]):
                return j  # "`ReentrantLock`, maybe?" -> "Yeah that seems to do the job, thanks.": what worked
            if worked and _THAT_WAS_IT.search(_lower(conv.messages[i].text)):
                return j  # "Do you have the correct version of your package installed to `docs/Project.toml`?" -> … ->
                # "that was it - thanks for the catch!": the question found the cause
            if all(is_suggestion(s) or _POINTER.match(_lower(s)) for s in conv.content[j]) and _THANKS.search(
                    _lower(conv.messages[i].text)) and conv.mentioned(conv.messages[j].text) is None:  # (not "I think @chris
                # was doing some SEM as part of pumas iirc?" -> "Thanks! I've joined both channels!")
                return j  # "Welcome! Did you find #sciml-bridged and NeuralPDE.jl?" -> "thanks :thumbsup:", "possibly
                # SnoopCompile?" -> "Ah, cool. Didn't know about that. Thanks!": a pointer or a suggestion taken
            return None  # "Can you `unsafe_load` from that pointer?" -> "Sure why not, …": it answers (:func:`_asked_before`)
        if author == me or conv.noise(j):
            if run and author == me:
                break
            replied = replied or author == me
            continue
        if not run and not named and _thanks_and_praise(conv, j):
            continue  # "Thanks! The vscode plugin and LanguageServer.jl are REALLY AWESOME!" -> "Thank you!! I'll wait for the
            # new release": another's thanks is not what the asker thanks for
        if named and author == named and _BRACKETED.match(conv.messages[j].text.strip()):
            continue  # "(but again, maybe this is going way over my head …)": their aside, not their answer
        if named and author == named:
            return _qualified_code(conv, j)
        if run and author != conv.author(run[0]):
            if not named:
                break
            continue
        run.append(j)
    named_code = _code_named(conv, i) if worked and run else None
    if named_code is not None:  # "`Glob.jl` worked perfectly." -> "You can use https://github.com/vtjnash/Glob.jl …",
        return named_code  # not "there is also `startswith`" right before it
    yours = _YOUR_THING.search(_lower(conv.messages[i].text)) if worked and run else None
    if yours is not None:  # "but your solution worked" -> "… the solution to your original question is to add this
        # constructor", not the same person's later remark
        said_it = next((j for j in range(run[0], max(0, i - _NAMED_WITHIN) - 1, -1) if conv.author(j) == conv.author(run[0])
                        and re.search(rf"\b{yours.group(1)}", _lower(conv.messages[j].text))), None)
        if said_it is not None:
            return said_it
    named_thing = _names_one_of(conv, i, run) if worked else None  # "Just tested binder - perfect": that option
    thanks = bool(_THANKS_FIRST.match(conv.unmention(conv.messages[i].text)))
    if named_thing is not None:
        return named_thing
    tries = bool(_TRY_IT.search(_lower(conv.messages[i].text)))  # "I'll try that next time."
    for j in run:
        said = _said(conv, j)
        if j != run[-1] and (_courtesy(conv, j) or _ENCOURAGES.match(_lower(conv.unmention(said[0] if said else "")))):
            continue  # "let me know if you run into any trouble", "just try it out a bit to get a feel for things"
            # after the how-to the asker thanks for
        if worked and j != run[-1] and _CAVEAT.match(_lower(conv.unmention(said[0]))):
            continue  # "keep in mind that you'll have `Array{Any}` here, …" after the answer: the answer worked
        if tries and _around_code(conv, j) is not None:
            return j  # "If you try ```Pkg.add(…)``` does that speed things up for you?": the code to try
        if (worked or thanks) and introduces(said[-1]) and code_gist(conv.messages[j].text):
            return j  # "Here is a `FlushLogger`:" and its code -> "Thanks, that looks handy": the code is shown with it
        if (sum(word_count(s) for s in said) >= 8 or any(is_commitment(s) or _REPORTED.search(_lower(s)) for s in said)
                ) and not introduces(said[-1]):
            at = run.index(j)
            if at + 1 < len(run) and run[at + 1] == j - 1 and _IN_THAT.match(_lower(said[0])) and _own_words(conv, j - 1) >= 8:
                return j - 1  # "Ah, you can get the types … from the `udt_name` column in `information_schema.columns`
                # instead." -> "in that column, `bigint[]` is `_int8` …" -> "this does exactly what I want thanks!"
            return j  # "I will manually edit the title" -> "Cool, thanks!": short, but what was thanked for
    return run[0] if run else None


_THEIR_WAY = re.compile(r"(?:'s|’s) (?:solution|suggestion|idea|approach|answer|fix|trick|workaround|code|version|method)\b")
"""A success that names whose answer it was ("@kwd’s solution … appears to solve the original problem")."""


_WRONG_PLACE = re.compile(r"\b(?:wrong|different|another|other) (?:thread|question|channel|conversation)\b")
"""A note that a message was posted in the wrong place ("I think you're responding in the wrong question")."""


def _qualified_code(conv: Conversation, j: int) -> int:
    """Message ``j``, or the answer with code its author's run began with when ``j`` only qualifies it: a few words
    (under 15) without code after it ("This could be a job for `Iterators.product`: ```…```" -> "this is assuming
    that your starting point is a vector of vectors or values" -> "Thank you @Alfredo, this is the exact solution"), or
    only a lead-in to words it quotes, whose author's code answer further up is what it speaks of: thanks that names
    its author are for the code. A note that someone posted in the wrong place (:data:`_WRONG_PLACE`) gives way to its
    author's message before it."""
    if _WRONG_PLACE.search(_lower(conv.messages[j].text)) and _own_words(conv, j) <= 15:
        # "`getproperty` and `setproperty` are what you're looking for" … "I think you're responding in the wrong
        # question" -> "Thanks @Oscar Smith": the thanks are for the answer, not for the note to someone else
        earlier = next((k for k in range(j - 1, 0, -1) if conv.author(k) == conv.author(j) and not conv.noise(k)), None)
        if earlier is not None:
            return _qualified_code(conv, earlier)
    said = _said(conv, j)
    if said and all(introduces(x) for x in said) and "`" not in conv.messages[j].text and not URL.search(conv.messages[j].text):
        # "well, I copied this idea from ProgressMeter but since they asked explicitly:" + "> built-in way": a word on its
        # author's code further up, which is what the thanks are for
        return next((k for k in range(j - 1, 0, -1) if conv.author(k) == conv.author(j) and _code_answer(conv, k)), j)
    if "`" in conv.messages[j].text or _own_words(conv, j) >= 15 or URL.search(conv.messages[j].text):
        return j  # (a link is what it is: "… thanks for the docs" after "https://dataframes.juliadata.org/…")
    k = j - 1
    while k > 0 and (conv.author(k) == conv.author(j) or conv.noise(k)):
        if conv.author(k) == conv.author(j) and "```" in conv.messages[k].text and code_gist(conv.messages[k].text):
            return k
        k -= 1
    return j


_IN_THAT = re.compile(r"^\W*(?:in|on|from|with|for|at|under) (?:that|this|those|these|the above|the same) \w+")
"""A sentence that opens on what its author's message before named ("in that column, `bigint[]` is `_int8`"): the
message before it is the answer."""
_POINTER = re.compile(r"^\W*have you joined\b")
"""A pointer to a channel asked as a question ("Have you joined #helpdesk?"); "Did you find #sciml-bridged and
NeuralPDE.jl?" is a suggestion already (:func:`is_suggestion`)."""
_CAVEAT = re.compile(r"^\W*(?:(?:but|and|also),? )?(?:keep in mind|bear in mind|note that|be aware|beware|mind you|fwiw|"
                     r"btw|by the way|though|although|just a heads up|heads up)\b")
"""A caveat after an answer ("keep in mind that you'll have `Array{Any}` here, which may lead to suboptimal
performance"): a report that something worked is about the answer before it."""
_WORD = re.compile(r"(?<![\w/.-])[a-z][a-z0-9]{4,}(?![\w-])")


def _names_one_of(conv: Conversation, i: int, run: Sequence[int]) -> int | None:
    """The one message of ``run`` (suggestions by someone else) that message ``i`` names a word of that its author
    had not used before (five letters or more, not a stop word), in its prose or inside a link: "Just tested binder -
    perfect for my purposes!" names "https://mybinder.org/" among three options; None when no message, or more
    than one, is named."""
    if len(run) < 2:
        return None
    before = " ".join(_lower(conv.messages[j].text) for j in range(i) if conv.author(j) == conv.author(i))
    names = {w for k in range(len(conv.messages)) for w in _WORD.findall(_lower(conv.author(k)))}  # "@Heather Turner"
    words = {w for w in _WORD.findall(_lower(URL.sub(" ", conv.messages[i].text)))
             if w not in _STOP and w not in _GENERIC_REPLY and w not in before and w not in names}
    if not words:
        return None
    hits = [j for j in run if _says_a_word_of(_lower(URL.sub(" ", conv.messages[j].text)), words)
            or any(w in link.lower() for link in URL.findall(conv.messages[j].text) for w in words)]
    return hits[0] if len(hits) == 1 else None


def _says_a_word_of(lowered: str, words: set[str]) -> bool:
    """True when the lower-cased ``lowered`` holds one of ``words`` as a whole word (not inside a longer one)."""
    return any(re.search(rf"(?<![a-z]){w}(?![a-z])", lowered) for w in words)


def _answers_within(conv: Conversation, i: int, within: int) -> list[int]:
    """Indices of the messages among the ``within`` before ``i`` (the opening one aside) that could be answers to the
    asker: by someone else, not noise. What :func:`_names_one_of` picks from for the asker's thanks or success."""
    return [j for j in range(max(1, i - within), i) if conv.author(j) != conv.author(0) and not conv.noise(j)]


_GENERIC_REPLY = frozenset(("thanks thank great perfect awesome works worked working tried tested purposes purpose "
                            "really think right exactly helpful cheers indeed solution answer answers option options "
                            "everyone everybody folks again appreciate appreciated looking wanted needed using syntax "
                            "approach method").split())
"""Words any report of success uses ("Thats the answer I was looking for, thanks everyone."): they name no option."""


def _asked_before(conv: Conversation, i: int) -> int | None:
    """The question message ``i`` answers: the nearest earlier message by someone else that is not noise, when it
    only asks ("Can you `unsafe_load` from that pointer?"); None otherwise."""
    for j in range(i - 1, -1, -1):
        if conv.author(j) != conv.author(i) and not conv.noise(j):
            return j if all(is_question(s) for s in conv.content[j]) else None
    return None


_SAYS_YES = re.compile(r"^\W*(?:yes|yeah|yep|yup|sure|of course|definitely|absolutely|no|nope|not really)\b")
"""A short reply that says yes or no ("Yeah I can make it"): shown after the question it answers."""
_POINTS_BACK = re.compile(r"^\W*(?:(?:ok|okay|yes|yep|great|thanks?|thank you|perfect|awesome|amazing)\W+)*"
                          r"(?:(?:seems|looks|appears) like )?(?:that|this|it)\b|^.*?\b(?:that|this|the|your) (?:solution|fix|suggestion|"
                          r"trick|answer|approach|code|one) (?:that )?(?:you|u) (?:just )?(?:provided|gave|posted|suggested|shared|sent)\b")
"""A confirmation that points back ("That worked, I've got everything running now", "Awesome, seems like it works, …", "I
had some issues with my benchmarking but that solution you just provided … works so well"): it does not say what worked."""


def _own_words(conv: Conversation, i: int) -> int:
    """Words message ``i`` says itself: its statements (or questions, when it has nothing else) without quoted
    lines and links."""
    return sum(word_count(URL.sub(" ", x)) for x in _said(conv, i) if not is_quotation(x))


PROSE_WORD = re.compile(r"\b[^\W\d_]{2,}\b")
"""A word of prose: two letters or more, no digit or underscore (what code, numbers and links are not)."""


def _explained_before(conv: Conversation, i: int, candidates: Sequence[int]) -> int | None:
    """The message of the same author's run (up to three messages right before ``i``, nobody else in between)
    that explains what the short message ``i`` concludes ("`&` is bitwise and, which is a well defined operation
    for `Int`" before "the precedence here is expected"): the nearest one among ``candidates`` with eight words
    or more of two letters or more (a pasted "New version: Kit v0.1.2 (#27530)" says little), or the opening message
    when it promised what ``i`` reports done ("… I'll now open a PR …" -> "Done!"); None when there is none."""
    for j in range(i - 1, max(i - 4, -1), -1):
        if conv.author(j) != conv.author(i):
            return None
        said = sum(len(PROSE_WORD.findall(URL.sub(" ", x))) for x in _said(conv, j) if not is_quotation(x))
        # … the opening message too, when it promised what ``i`` reports done ("… I'll now open a PR so the link's up
        # in the repository" -> "Done!")
        promised = j == 0 and _DONE.search(_lower(conv.messages[i].text)) and _COMMITMENT.search(_lower(conv.messages[0].text))
        if (j in candidates or promised) and said >= 8:
            return j
    return None


_CODEISH = re.compile(r"[\w.]+\((?:[^()]*\w[^()]*)\)|\w\[[^\]]+\]|\.\.\.\w|\w+::\w|=>|->|\b\w+\s*=\s*\w+\(")
"""Code written as text, outside backticks ("Foo(...Int32[read(io, Int32), …]...", "x => y"): never where a thread
ended when its message says anything in words."""
_CONDITION = re.compile(r"^\W*(?:(?:and|but|so),? )?(?:if|unless|in case|when|once|as long as)\b")
"""A sentence that opens with a condition: shown as where a thread ended only when its message says nothing else."""


_AGREES_WITH = re.compile(r"^\W*(?:i think so,? too|i (?:totally |fully |completely )?agree|agreed|same here|me too|"
                          r"couldn't agree more|exactly|\+1|i'm with you|that's (?:my|our) (?:view|thinking|feeling) too)\b")
"""Words that agree with what was just said ("I think so, too."), not a mere "ok" or "sure"."""


def _agreed_at_end(conv: Conversation, candidates: Sequence[int]) -> tuple[int, int] | None:
    """``(statement, agreement)`` when the last speaker's closing run (noise aside) opens agreeing
    (:data:`_AGREES_WITH`: "I think so, too.") with someone else's statement of eight words or more right before it:
    where a discussion ended; None otherwise."""
    if len(candidates) < 2:
        return None
    j = candidates[-1]
    while j - 1 in candidates and conv.author(j - 1) == conv.author(j):
        j -= 1
    said = _said(conv, j)
    before = max((k for k in candidates if k < j), default=None)
    if (before is None or before == 0 or before != j - 1 or conv.author(before) == conv.author(j) or not said
            or not _AGREES_WITH.match(_lower(conv.unmention(said[0]))) or _own_words(conv, before) < 8
            or any(is_question(x) for x in conv.content[before]) or _acknowledges(conv, before)):
        return None  # (an agreement with an agreement is about what came before: left to the acknowledgement rule)
    return before, j


_CONCLUDES = re.compile(r"^\W*(?:thus|therefore|hence|so basically|so in the end|so the (?:answer|solution|lesson|takeaway) is|"
                        r"in other words|which means|that means|(?:oh|ah),? right,? of course|(?:oh|ah),? of course)\b")
"""The asker's conclusion from the answer before it ("Thus making some extra copies is actually making code faster",
"oh right of course, I had forgotten the option to just not import it")."""


_RECENT = 12
"""Messages at the end of a thread of up to 40 within which where it ended is looked for (:func:`outcome`)."""
_WENT_ON = 30
"""Messages after the asker's "thanks, that worked" beyond which it is no longer where the thread ended (a
128-message thread had ended, by that rule, on its 21st message: "depends on the compiler")."""


_GOES_ON = re.compile(r"^\W*(?:and|but|which|plus|also)\b")
"""A message that goes on with its author's last one ("I personally mostly use CairoMakie …" / "and that works
really well"): it acknowledges nobody else."""


_PARTLY = re.compile(r"\b(?:didn't|did not|doesn't|does not) (?:entirely|fully|quite|completely) work\b|"
                     r"\bonly (?:partly|partially) work|\bworks?(?: fine| ok| okay)?,? but i (?:was hoping|had hoped|"
                     r"wanted|want|would like|need)\b")
"""A success that takes itself back ("`-mmacosx-version-min=12.0` worked. It compiled successfully. However, it
didn't entirely work, …", "this works fine, but I was hoping to combine the heatmap and colorbar into a single function
call"): the thread did not end there."""


def _introduced(conv: Conversation, i: int) -> bool:
    """True when its author's message right before ``i`` introduces it ("the code is here:" before a bare link): the
    link belongs to the explanation before them. A bare link after "I just need to implement the fix" delivers the
    fix: it is where the thread ended, not part of an explanation."""
    return i > 0 and conv.author(i - 1) == conv.author(i) and introduces(conv.messages[i - 1].text)


_THANKS_OPENING = re.compile(r"^\W*(?:(?:ah+|oh+|ok|okay|yeah|yes|great|perfect|awesome|cool|nice|i see)\W+){0,2}"
                             r"(?:thanks?|thank you|thx|ty)\b")
"""A message that opens by thanking ("ahh thanks yeah, …")."""


def _asker_thanks_last(conv: Conversation) -> tuple[int, int] | None:
    """``(answer, thanks)`` when the conversation's last word is its asker thanking or agreeing ("Awesome, thank
    you!", or a nod that is all of its message: "Ok, :thumbsup:", :data:`_NODS`) right after someone else's
    substantive message (:func:`_answer_before`; only the asker's own noise between), which a resolution cue earlier
    in the thread ("… has been merged") does not outweigh: the asker closed the thread on that answer. Someone else's
    aside after it ("Also `reduce(hcat, …)`, but …", :data:`_ADDS_ON`) is passed over; a yes to a question right
    before it is left to :func:`_settled_by_yes_or_no`."""
    last = len(conv.messages) - 1
    while last > 2 and conv.author(last) != conv.author(0) and (
            conv.noise(last) or _ADDS_ON.match(_lower(conv.unmention(conv.messages[last].text)))
            or is_a_joke(conv.messages[last].text) and _own_words(conv, last) <= 12
            or _ALSO_CONSIDER.search(_lower(conv.messages[last].text[:200]))):
        last -= 1  # "Ah, this avoids the intermediate allocation. Thanks!" -> "Also `reduce(hcat, …)`, but …": an aside;
        # "ok, I'll just trust the magic then" -> "Arthur C. Clarke was here! :joy:": a joke
    if (last > 2 and conv.author(last) == conv.author(last - 1) == conv.author(0) and _CONTINUES.match(
            _lower(conv.messages[last].text)) and _acknowledges(conv, last - 1)):
        last -= 1  # "Okay thanks. I wasn't planning to put it in the `.so` …" -> "And from Jameson's comment, I finally
        # understand …": the thanks goes on, it closed the thread
    opens_thanking_first = bool(_THANKS_OPENING.match(_lower(conv.unmention(conv.messages[last].text))))
    opens_thanking = opens_thanking_first or bool(_THANKS_CLOSING.search(_lower(conv.messages[last].text)))  # "… like the
    # one you provided. Thanks again!"
    nods = conv.noise(last) and bool(_NODS.match(_lower(conv.unmention(conv.messages[last].text))))  # "Ok, :thumbsup:"
    if last < 2 or conv.author(last) != conv.author(0) or not (nods or _acknowledges(conv, last)) or _own_words(
            conv, last) >= (25 if opens_thanking else 8):
        return None  # "ahh thanks yeah I figured it would be trickier than just putting a few bits in the right spot"
    if _yes_or_no(conv.messages[last].text) and any(
            is_question(x) for x in conv.content[last - 1]) and conv.author(last - 1) != conv.author(0):
        return None  # "Would swapping between the cohorts be okay?" -> "Yes that’s fine": a yes (:func:`_settled_by_yes_or_no`)
    # "(the pointer to project is helpful; thanks!)" names one message, "there's AbstractPlotting.project for that";
    # "Thanks, so the macOS runners stay …" repeats the words of the answer it thanks for
    named = _names_one_of(conv, last, _answers_within(conv, last, 5))
    echoed = _echoed(conv, last) if named is None else named
    if not opens_thanking_first and _own_words(conv, last) >= 8 and echoed is not None and echoed != named:
        echoed = None  # a long message that only closes thanking ("… seems nice. I was over-complicating things. Thanks!")
        # thanks the answer right before it, whatever words it shares with earlier ones
    answer = echoed if echoed is not None else _answer_before(conv, last)
    if answer is not None and answer > 1 and _SECONDS.match(_lower(conv.messages[answer].text)) and conv.author(
            answer - 1) not in (conv.author(answer), conv.author(0)) and not conv.noise(answer - 1):
        answer -= 1  # "https://github.com/JuliaArrays/EndpointRanges.jl looks like the solution …" -> "That's the one"
        seconded = answer + 1
    else:
        seconded = None
    answer = _before_its_pointer(conv, answer) if answer is not None else None
    thanked = conv.mentioned(conv.messages[last].text)  # "Thank you @Alfredo": Alfredo's run is what it thanks for
    nodded = next((k for k in range(last - 1, max(answer or 0, last - 3), -1) if conv.author(k) == conv.author(0)
                   and conv.noise(k) and conv.mentioned(conv.messages[k].text) == conv.author(answer or 0)
                   and _NODS.match(_lower(conv.unmention(conv.messages[k].text)))), None) if thanked is None else None
    # "@Simeon Schaub perfect!" -> "Thanks!": the asker named whose answer it was, whatever they had added before it
    only_one = thanked is not None and len(_FULL_MENTION.findall(conv.messages[last].text)) == 1  # "@Moelf Thanks!", not
    # "@Michael Chirico @Heather Turner thank you so much!!!!"
    if answer is None or answer == 0 or echoed is None and nodded is None and not (only_one and thanked == conv.author(answer)) and any(
            k != seconded and (conv.author(k) != conv.author(0) or not (conv.noise(k) or _doubt_taken_back(conv, k) or (
                _own_words(conv, k) <= 3 and not any(is_question(x) for x in conv.content[k]))))  # ("ohhhhhh", "that's nuts")
            and not (thanked == conv.author(answer) == conv.author(k)) for k in range(answer + 1, last)) or (
            _own_words(conv, answer) < 8 and not _code_answer(conv, answer) and answer != named
            and not _short_code_after_asker(conv, answer) and not (
                _TRY_IT.search(_lower(conv.messages[last].text)) and _code_to_try(conv, answer))):
        return None  # the answer right before, or only the asker's "Ah :disappointed: I missed that part." between
    return answer, last


def _short_code_after_asker(conv: Conversation, j: int) -> bool:
    """True for a short answer ``j`` with inline code right after the asker's own explanation (four words or more, no
    question): "… where the elements are randomly getting pushed out of the array" -> "`fill("", 5)` may be cleaner" ->
    "Perfect, thanks!": its code answers, however short."""
    return (j > 0 and _INLINE_CODE.search(conv.messages[j].text) is not None and conv.author(j - 1) == conv.author(0)
            and _own_words(conv, j - 1) >= 4 and not any(is_question(x) for x in conv.content[j - 1]))


_SECONDS = re.compile(r"^\W*(?:(?:yes|yeah|yep|yup|oh|ah)\W+)?(?:that's|that is|this is|that was) (?:the one|it|the package)\W*$"
                      r"|^\W*\+1\W*$")
"""A third person seconding the answer before it ("That's the one"): the answer is the one before."""
_ADDS_ON = re.compile(r"^\W*(?:also|i also|np|no problem|no worries|you're welcome|btw|by the way|fwiw|for what it's worth|"
                      r"alternatively|another option|you (?:can |could )?also|you also (?:can|could)|or you (?:can|could))\b")
"""A reply after the asker's thanks that adds to the answer they thanked for ("Also `reduce(hcat, …)`, but that seems
slower for some reason", "NP! I know Luke T talked about big numbers …"): the asker had closed the thread."""
_THANKS_CLOSING = re.compile(r"(?:[.!]|\s[-–—])\s+(?:thanks?|thank you|thx|ty)(?: (?:again|a lot|so much|very much|all|everyone))?"
                             r"\W*(?::[\w+\-]+:\W*)*$")
"""Thanks that close a message of its own sentence ("I just wanted an example like the one you provided. Thanks
again!", "I'll try that next time. Thanks :+1:", "that's a neat workaround - thanks!"): the message thanks, like one
that opens thanking."""
_ALSO_CONSIDER = re.compile(r"\b(?:you|one) (?:may|might|could|can) (?:also|always) (?:want to )?(?:consider|try|use|look at|check)\b")
"""An answerer's add-on after the asker's thanks, however it opens ("If `i,j` is for indexing, you may also want to
consider, ```…```"): the asker had closed the thread."""
_NODS = re.compile(r"^\W*(?:ok|okay|k|thanks?|thank you|thx|ty|got it|cool|great|nice|perfect|awesome|:\+1:|"
                   r":thumbsup:|👍)(?:\W|$)")
"""A nod that is all of its message ("Ok, :thumbsup:", "Thanks!"): the asker takes the answer before it."""


_APPROVES_BRIEFLY = re.compile(r"^\W*(?:(?:oh|ah|ok|okay|yeah|yes),? )?(?:not bad(?: at all)?|nice(?: one| work| job)?|neat|"
                               r"lgtm|looks (?:good|great|fine|right|neat)|(?:that|this) (?:looks|is) (?:good|great|fine|right|neat)|"
                               r"great|perfect|clever|elegant)\W*(?::[\w+\-]+:\W*)*$")
"""A few words approving what came before ("Not bad at all", "Nice one", "LGTM")."""
_MISREMEMBERS = re.compile(r"\b(?:misremembering|might be wrong|may be wrong|could be wrong|not sure (?:if|whether) "
                           r"(?:it|that|this) (?:applies|matters))\b")
"""An afterthought that doubts itself ("… but I might also be misremembering and/or solving a different problem")."""


def _own_solution_approved(conv: Conversation) -> tuple[int, int] | None:
    """``(solution, approval)`` when the asker's last substantive message, with code, is their own solution and the
    next message, by someone else, approves it in a few words (:data:`_APPROVES_BRIEFLY`), with at most that person's
    own afterthought after it that doubts itself ("It feels like there was some corner case `postwalk` helped me
    with, but I might also be misremembering …"): the thread ended on the asker's solution."""
    n = len(conv.messages)
    for k in range(n - 2, 0, -1):
        if conv.author(k) != conv.author(0) or conv.noise(k):
            continue
        said = conv.author(k + 1)
        if said == conv.author(0) or "`" not in conv.messages[k].text or not _APPROVES_BRIEFLY.match(
                _lower(conv.unmention(conv.messages[k + 1].text))):
            return None
        after = range(k + 2, n)
        if all(conv.noise(j) or conv.author(j) == said and _MISREMEMBERS.search(_lower(conv.messages[j].text))
               for j in after):
            return k, k + 1
        return None
    return None


_WORK_LINK = re.compile(r"github\.com/[\w.-]+/[\w.-]+/(?:pull|issues|commit)/\w+|gitlab\.com/\S+/merge_requests/\d+")
"""A link to a pull request, an issue or a commit: posted alone, it is the work the thread led to."""
_YES_OR_NO = re.compile(r"^\W*(?:yes|yep|yup|yeah|yes indeed|correct|that's (?:right|correct)|exactly|indeed|true|no|nope|not yet|sure)"
                        r"(?:\W+(?:that's|that is|it's|it is) (?:totally |perfectly |absolutely )?(?:fine|ok|okay|no problem))?"
                        r"\W*(?::[\w+\-]+:\W*)*$", re.IGNORECASE)
"""A message that is only a yes or a no ("Yep!", "Yes that’s fine :+1:", "true")."""
_SHORT_VERDICT = re.compile(r"^\W*(?:(?:in general|generally|in short|unfortunately|sadly|currently|afaik|afaict|i think|"
                            r"i believe|not really|no|nope),? )?(?:you|it|we|that|this|one) (?:can(?:'t|not)?|can not|"
                            r"is(?:n't| not)?|does(?:n't| not)?|won't|will(?: not)?|should(?:n't| not)?)(?: not)?"
                            r"(?:,? (?:really|currently|yet|afaik|unfortunately|sadly))?\W*$"
                            r"|^\W*(?:(?:that's|that is|it's|it is) )?(?:not (?:possible|supported)|impossible)(?: (?:yet|currently))?\W*$"
                            r"|^\W*(?:no,? )?not (?:really|yet|currently|that i know of|as far as i know|afaik)\W*$"
                            r"|^\W*(?:well,? )?(?:it |that )?(?:all |really )?depends(?: (?:on )?(?:how|what|which|whether|where|"
                            r"when)\b[^.?!`]{0,40})?\W*$",
                            re.IGNORECASE)
"""A reply's opening verdict in a few words ("In general you can't.", "It is not possible (yet).", "Depends how it is
used."): the answer, said before its reasons."""


def _yes_or_no(text: str) -> bool:
    """True for a message that is only a yes or a no (:data:`_YES_OR_NO`), its curly apostrophe read as a straight one
    ("Yes that’s fine :+1:")."""
    return bool(_YES_OR_NO.match(text.replace("’", "'")))


def _settled_by_yes_or_no(conv: Conversation) -> tuple[int, int] | None:
    """``(question, answer)`` when the conversation ends on a bare yes or no to a question ("If your PR is merged, will
    this issue be fixed for all arrays?" -> "Yep!"), with only pleasantries after it ("woot", "thanks again!!"), or on
    one word by someone else right after the asker's what/how question (:data:`_ONE_WORD_ANSWER`: "… what does
    "offline" mean." -> "Dead"); None otherwise."""
    n = len(conv.messages)
    if n > 2 and conv.author(n - 1) not in (conv.author(0), conv.author(n - 2)) and conv.author(n - 2) == conv.author(0) and (
            _ONE_WORD_ANSWER.match(conv.messages[n - 1].text) and not _NODS.match(_lower(conv.messages[n - 1].text))
            and not _THANKS_OR_GREETING.match(conv.messages[n - 1].text) and not _ACK.match(conv.messages[n - 1].text)
            and conv.content[n - 2] and _WHAT_IS.search(_lower(conv.content[n - 2][-1]))):
        return n - 2, n - 1  # "That status page could be more clear, what does "offline" mean." -> "Dead": a word answers it
    for j in range(n - 1, 0, -1):
        if _yes_or_no(conv.messages[j].text):
            asked = next((i for i in range(j - 1, -1, -1) if not conv.noise(i)), None)
            if asked == 0 and j == 1 and conv.author(1) != conv.author(0) and any(is_question(x) or asks(x) for x in conv.content[0]) and (
                    all(conv.author(k) != conv.author(1) for k in range(2, n))):  # (not "Yes" + its author's "(this also
                # greatly affects performance …)": the bare yes goes on, which the answer's own rules show)
                return 0, 1  # "… Does this difference matter under the hood?" -> "No" (-> "Thanks!"): the first reply says it
            if asked is None or asked == 0 or conv.author(asked) == conv.author(j) or not any(
                    is_question(x) for x in conv.content[asked]) or any(
                    _WHO_ARE_YOU.search(_lower(x)) for x in conv.content[asked] if is_question(x)):
                return None  # "Are you jw3126 on Github?" -> "Yes": small talk, not where the thread ended
            return asked, j
        if not (conv.noise(j) or _acknowledges(conv, j)):
            return None
    return None


def _yes_or_no_item(conv: Conversation, asked_at: int, said_yes: int) -> Item:
    """The question of message ``asked_at`` (its last, with the question it follows on from) and the bare yes or no of
    message ``said_yes`` as its reply (:func:`_settled_by_yes_or_no`)."""
    question = _with_question_before(conv, asked_at, next((x for x in reversed(conv.content[asked_at])
                                                           if is_question(x) or _WHAT_IS.search(_lower(x))), None)
                                     or next(x for x in reversed(conv.content[asked_at]) if asks(x)))  # ("… does that mean
    # 'I'm plotting using the GPU'" asks without a question mark)
    question = _EMOJI_END.sub("", conv.unmention(question)).strip() or question
    return Item(question, (asked_at, said_yes), reply=conv.messages[said_yes].text.strip())


_SO_THEN = re.compile(r"^\W*(?:(?:oh|ah|ok|okay|i see|right)\W+)*so,? (?!(?:thanks?|thank you|yes|yeah|no)\b)\S")
"""The asker's understanding put as a statement ("So `.=` works regardless"): a question a yes answers."""


def _restated_and_confirmed(conv: Conversation) -> tuple[str, tuple[int, int]] | None:
    """``(statement, (message, yes))`` when the conversation's last message that is not noise is someone's yes with its
    reasons (six words or more: "Yes it will work either way. But …") to the asker's understanding put as a statement
    right before it (:data:`_SO_THEN`, "Oh I see. So `.=` works regardless"); None otherwise."""
    said = [i for i in range(2, len(conv.messages)) if not conv.noise(i)]  # (the statement may read as an
    # acknowledgement, which is noise: the message right before the yes)
    if not said:
        return None
    j = said[-1]
    k = j - 1
    if conv.author(j) == conv.author(k) or conv.author(k) != conv.author(0) or _own_words(conv, j) < 6 or not re.match(
            r"^\W*(?:yes|yeah|yep|yup|indeed|correct|exactly|right)\b", _lower(conv.unmention(conv.messages[j].text))):
        return None
    restated = next((x for x in reversed(split_sentences(conv.messages[k].text)) if _SO_THEN.match(_lower(x)) and not is_question(x)
                     and word_count(x) >= 3), None)
    return None if restated is None else (re.sub(r"^\W*(?:(?:oh|ah|ok|okay|i see|right)\W+)*", "", restated).strip(), (k, j))


_WHAT_IS = re.compile(r"(?:^|[,;:] )(?:what|which|how|where|when|why) (?:does|do|did|is|are|was|were|can|should)\b[^.?!]*[.?]?\W*$")
"""A what/how question, with its mark or without ("… could be more clear, what does "offline" mean.")."""
_THAT_WAS_IT = re.compile(r"\b(?:that was it|that's it|that was the (?:problem|issue|culprit)|(?:good|nice|thanks for the) catch|"
                          r"that (?:might|must|may|could) (?:well )?be (?:it|the (?:problem|issue|culprit|cause))\b(?: at hand)?)\b")
"""A report that a question or an answer found the cause ("that was it - thanks for the catch!", "aha interesting.. that
might be the issue at hand indeed")."""
_ONE_WORD_ANSWER = re.compile(r"^\W*[A-Za-z][a-z'-]{2,}\W*$")
"""A reply that is one word ("Dead"): after the asker's own question, the answer."""
_WHO_ARE_YOU = re.compile(r"\bare you\b[^?]{0,80}\b(?:on|from|at) (?:github|gitlab|twitter|discourse|slack|zulip|"
                          r"stack ?overflow|the forum)\b|\bare you (?:the|that) (?:same|one|person|guy)\b")
"""A question about who someone is ("Are you jw3126 (https://github.com/jw3126) on Github?"): small talk."""


_CODE_GUESS = re.compile(r"(?:(?:maybe|perhaps|try|how about|what about|or)\s+)?`[^`\n]{2,200}`\s*\?+", re.IGNORECASE)
"""A reply that is only a bit of inline code put as a question ("`collect(reinterpret(UInt8, [uuid4()]))`?", "maybe
`Matrix(foo)`?"): a guess at the answer, which no sentence of it says."""


_GUESSES = re.compile(r"\b(?:maybe|perhaps|probably|possibly|might|would it be|could it be|is it this|are you (?:looking for|"
                      r"thinking of)|do you mean|did you mean)\b")
"""A reply put as a question that proposes an answer ("Not sure, but maybe that was chosen to match …?", "Would it be this
one: <link>?")."""


def _guess_taken(conv: Conversation) -> tuple[int, int, str] | None:
    """``(guess, taken, words)`` when the conversation ends on the asker's short acknowledgement (twenty words or fewer)
    right after someone's reply that is all questions and proposes an answer (:data:`_GUESSES`): the guess is where it
    ended, and ``words`` is what the asker said of it, thanks left out ("Good guess, that's probably it."); None
    otherwise. A reply put as a question is no candidate for where a thread ended, so without this the asker's
    "that's probably it" was shown alone."""
    last = max((j for j in range(len(conv.messages)) if not conv.noise(j) or _acknowledges(conv, j)), default=0)
    guess_at = last - 1
    if guess_at < 1 or conv.author(last) != conv.author(0) or conv.author(guess_at) == conv.author(0):
        return None
    if not _acknowledges(conv, last) or _own_words(conv, last) > 20 or _worked(conv, last) or not conv.content[guess_at]:
        return None
    if not all(is_question(x) for x in conv.content[guess_at]) or not any(
            _GUESSES.search(_lower(x)) and not _REDIRECTS.match(_lower(x)) for x in conv.content[guess_at]):
        return None  # (not "Maybe post in #pkg-dev ?", which sends the question elsewhere)
    said = [x for x in split_sentences(conv.unmention(conv.messages[last].text))
            if not _THANKS_ONLY.match(_lower(x)) and word_count(x) >= 2]
    return (guess_at, last, clip(" ".join(said), REPLY_WORDS)) if said else None


_THANKS_ONLY = re.compile(r"^\W*(?:(?:ok|okay|ah|oh|great|cool),? )?(?:thanks?|thank you|thx|ty)(?: (?:a lot|so much|very much|"
                          r"again|for (?:the|your) help))?\W*(?::[\w+-]+:\W*)*$")
"""A sentence that only thanks ("Thanks!", "thank you so much :smile:")."""


def _code_guess_last(conv: Conversation) -> tuple[int, int, int | None] | None:
    """``(question, answer, thanks)`` when the conversation ends on someone's reply that is only inline code put as a
    question (:data:`_CODE_GUESS`), after at most noise and the asker's thanks (``thanks``: the asker's acknowledgement, or
    None), right after the asker's run that asked a question ("Is there an easy way to turn a UUID4 object into
    `Vector{UInt8}`?" -> "`collect(reinterpret(UInt8, [uuid4()]))`?" -> "ah that's a great solution! thanks"); None
    otherwise. Such a reply holds no sentence, so no other rule can show it."""
    n = len(conv.messages)
    j = n - 1
    thanked: int | None = None
    while j > 1 and not _CODE_GUESS.fullmatch(conv.messages[j].text.strip()):
        if conv.author(j) == conv.author(0) and _acknowledges(conv, j) and _own_words(conv, j) <= 12:
            thanked = j
        elif not conv.noise(j):
            return None
        j -= 1
    if j < 1 or conv.author(j) == conv.author(0) or not _CODE_GUESS.fullmatch(conv.messages[j].text.strip()):
        return None
    k = j - 1
    while k >= 0 and conv.author(k) == conv.author(0):
        if any(is_question(x) or asks(x) for x in conv.content[k]):
            return k, j, thanked
        k -= 1
    return None


def _credited_last(conv: Conversation) -> tuple[int, str] | None:
    """``(question, shown)`` when the asker's last message is code that answers their own earlier question,
    credited to whoever gave it ("is there a version of `repeat` for specifying the length of output you want?" ->
    "`collect(Iterators.take(Iterators.cycle(1:3), 5))` (thanks, @oxinabox!)"): only code and a thanks that names
    someone, nothing else in words; ``shown`` is the code's gist and the credit. Without code, the thanks alone, when
    nobody else wrote in the thread: the help came from elsewhere ("Any JuliaIO members around to take a look at
    https://github.com/JuliaIO/ArgTools.jl/pull/21?" -> "Thanks @kmsquire! :slightly_smiling_face:"). None otherwise.
    Such a message holds no sentence, so no other rule can show it."""
    last = len(conv.messages) - 1
    if last < 1 or conv.author(last) != conv.author(0) or not conv.noise(last):
        return None
    text = conv.messages[last].text
    credit = _INLINE_CODE.sub(" ", _FENCED.sub(" ", text)).strip()
    span = _INLINE_CODE.search(text)
    gist = code_gist(text if _FENCED.search(text) or span is None else span.group(0))
    alone = all(conv.author(j) == conv.author(0) for j in range(last))
    if (gist is None and not alone or not _THANKS.search(_lower(credit)) or "@" not in credit
            or word_count(_FULL_MENTION.sub("", credit)) > 6):
        return None
    credit = " ".join(_EMOJI_END.sub("", credit).split())
    for asked in range(last - 1, -1, -1):
        if conv.author(asked) == conv.author(0) and any(asks(x) for x in conv.content[asked]):
            return asked, f"{gist} {credit}" if gist else credit
    return None


def _with_question_before(conv: Conversation, i: int, question: str) -> str:
    """``question`` (a sentence of message ``i``) with the question right before it in that message, when it is a
    follow-on of five words or fewer that says nothing without it ("Can I add baz as an infix? Say in a let block?")."""
    said = conv.content[i]
    at = said.index(question) if question in said else -1
    if at > 0 and word_count(question) <= 5 and is_question(said[at - 1]):
        return f"{said[at - 1]} {question}"
    if at > 0 and _ANYONE_KNOW.match(_lower(question)) and not is_question(said[0]):
        return f"{said[0]} {question}"  # "I seem to remember … a command to create a temporary environment." + "Does
        # anyone know what I am talking about?": what it asks about is its message's first sentence
    return question


_ANYONE_KNOW = re.compile(r"^\W*(?:(?:so|but),? )?(?:does|do|would|can) (?:anyone|anybody|someone|somebody|you(?: guys)?) "
                          r"(?:know|have (?:any )?(?:idea|clue)s?)(?: (?:what|which) (?:i'm|i am) (?:talking about|referring to|"
                          r"thinking of)| (?:of|about) (?:it|this|that|one|such a thing))?\W*$")
"""A question that asks only whether anyone knows ("Does anyone know what I am talking about?"): it says what it asks
with the sentence it follows."""


def _answered_with_code_last(conv: Conversation) -> tuple[int, int] | None:
    """``(question, answer)`` when the conversation ends on a reply that is only code (:func:`_code_answer`; a file
    posted after it, such as its plot, aside) to a question its author's run just asked ("@Julius in this example, is
    it possible to specify the color by mapping the boolean array?" + "e.g. ```map(…)```" -> ```hist(…, color =
    ifelse.(…))```), or that its author's clarifying question and the asker's reply came between ("how do I …?" -> "are
    several strings in different variables? …" -> "different variables" -> code); the answerer's last run of code blocks
    and bare links counts as one answer, shown by its first code block ("How can i go about converting a string time …?"
    -> a docs link, a pull request, ```Time("11:54AM",dateformat"I:MMp")```, its PM twin); None otherwise."""
    j = len(conv.messages) - 1
    while j > 1 and conv.noise(j) and code_gist(conv.messages[j].text) is None:
        j -= 1  # "[file: image.png]": the plot of the code before it
    if (j == 1 and len(conv.messages) > 2 and conv.author(1) != conv.author(0) and _code_answer(conv, 1)
            and any(is_question(x) for x in conv.content[0]) and all(
                conv.author(k) == conv.author(0) and _own_words(conv, k) <= 8 for k in range(2, len(conv.messages)))):
        return 0, 1  # "Is there a more concise way to achieve this? ```…```" -> ```@eval @test allunique($x)``` -> "oh neat,
        # right": the opening question, answered by code the asker took
    if j < 2 or not _code_answer(conv, j):
        return None
    first = j  # the first code block of the answerer's last run of code and links ("https://docs…" + "https://github.com/…
    # /pull/32308" + ```Time("11:54AM",dateformat"I:MMp")``` + ```Time("11:54PM",dateformat"I:MMp")```)
    k = j - 1
    while k > 0 and conv.author(k) == conv.author(j) and _own_words(conv, k) == 0 and (
            code_gist(conv.messages[k].text) is not None or URL.search(conv.messages[k].text)):
        first = k if code_gist(conv.messages[k].text) is not None else first
        k -= 1
    if k < j - 1:
        if conv.author(k) == conv.author(j):
            return None
        for asked in range(k, -1, -1):
            if conv.author(asked) != conv.author(k):
                return None
            if any(asks(x) for x in conv.content[asked]):
                return asked, first
        return None
    if (conv.author(j) != conv.author(0) and any(is_question(x) and asks(x) for x in conv.content[0]) and all(
            conv.author(k) not in (conv.author(0), conv.author(j)) and not any(is_question(x) for x in conv.content[k])
            for k in range(1, j))):
        return 0, j  # "… some sort of Julia environment command to create a temporary environment … Does anyone know …?"
        # -> "`]activate --temp`" -> a remark -> "`Pkg.activate(temp=true)`": others' replies asked nothing, the code ends it
    for k in range(j - 1, -1, -1):
        if conv.author(k) == conv.author(j):
            if k > 0 and k == j - 2 and conv.content[k] and all(is_question(x) for x in conv.content[k]) and (
                    conv.author(k - 1) == conv.author(j - 1) and any(is_question(x) for x in conv.content[k - 1])):
                return k - 1, j  # "how do I concatenate several strings with a fixed delimiter?" -> "are several strings
                # in different variables? …" -> "different variables" -> ```join(["aaa", "bb", "cc"],";;")```
            return None
        if conv.author(k) != conv.author(j - 1):
            return None  # only the run right before the code
        if k > 0 and any(is_question(x) for x in conv.content[k]):
            return k, j
    return None


_PROMISES = re.compile(r"\b(?:i'll|i will|i'm going to|i am going to)\b")
"""A promise, whatever its verb ("I will manually edit the title")."""


def _delivers_work(conv: Conversation, i: int) -> bool:
    """True for a message that is only a link to a pull request, an issue or a commit (:data:`_WORK_LINK`) after which
    only short remarks follow (twelve words or fewer each: "you'll have to change the title to `NSFW` now though",
    "I will be reporting problems in the PR"): the work the thread led to, where it ended. A link the thread went on
    discussing at length is a step, not the end."""
    return _own_words(conv, i) == 0 and bool(_WORK_LINK.search(conv.messages[i].text)) and all(
        _own_words(conv, j) <= 12 for j in range(i + 1, len(conv.messages)))


_HANDS_OVER = re.compile(r"^\W*(?:(?:ok|okay|so|and|found it),? )?(?:here (?:it is|is|are|you go)|here's|attached|"
                         r"the (?:change|commit|fix|pr|pull request|issue|link|patch|code|post|thread) (?:is|was) "
                         r"(?:this one|here|in)|(?:it's|it is|it was) this one)\b")
"""A message that hands over what was asked for, with its link ("The change is this one https://…")."""


_CODE_NAME = re.compile(r"`([A-Za-z_][\w.!]*)")


def _code_names(sentences: Sequence[str]) -> set[str]:
    """The names that open the inline code spans of ``sentences`` (```Text()``` -> ``text``), lowercased."""
    return {name.lower() for s in sentences for name in _CODE_NAME.findall(s)}


def _courtesy(conv: Conversation, i: int) -> bool:
    """True for a reply of fewer than 40 words that opens with a closing courtesy (:data:`_CLOSING`: "Let me know if
    you have any questions about the PR. I'm glad to help!"), or with a short exclamation and then one ("That would be
    exciting!  Let me know if you need help with anything")."""
    said = _said(conv, i)
    if len(said) > 1 and word_count(said[0]) <= 5 and not said[0].lstrip().startswith("`") and (
            said[0].rstrip().endswith("!") or re.match(r"^\W*(?:great|good|nice|interesting) question\W*$", _lower(said[0]))):
        said = said[1:]  # "That would be exciting!  Let me know if you need help with anything", "Great question. If you
        # have more questions, you may be interested in the #helpdesk channel."
    if i > 0 and said and conv.author(i - 1) != conv.author(i) and _THANKS.search(_lower(conv.messages[i - 1].text)) and (
            _WELCOME_END.search(_lower(said[-1]))) and sum(word_count(s) for s in said) <= 15:
        return True  # "crazy fast turnaround!  thank you!" -> "Well it was already in the works ;) but you're welcome"
    return i > 0 and bool(said) and is_courtesy(conv.unmention(said[0])) and sum(word_count(s) for s in said) < 40


_WELCOME_END = re.compile(r"\b(?:(?:you're|youre|you are) (?:very |most |so )?welcome|no problem|no worries|any ?time|my pleasure|"
                          r"(?:happy|glad) to help)\W*(?::[\w+\-]+:\W*)*$")
"""A reply to thanks that ends on "you're welcome" ("Well it was already in the works ;) but you're welcome")."""


def _leads_into_code(conv: Conversation, i: int) -> bool:
    """True for a message by someone other than the asker whose few words (under eight) lead into a code block
    ("Cross-posting from Discourse," + the code): the code is its answer."""
    return (i > 0 and conv.author(i) != conv.author(0) and "```" in conv.messages[i].text and 0 < _own_words(conv, i) < 8
            and code_gist(conv.messages[i].text) is not None)


def _went_on(conv: Conversation, success: int) -> int | None:
    """The asker's message after their ``success`` (thanks, "that worked") that raises something new and that no one
    has answered: a statement and a question of eight words or more ("I came up with this solution as an alternative
    … Does it make sense, or are there any downsides?"), with no message by anyone else after it; None otherwise."""
    asker = conv.author(0)
    for j in range(len(conv.messages) - 1, success, -1):
        if conv.noise(j):
            continue
        if conv.author(j) != asker:
            return None
        asked = [s for s in conv.content[j] if asks(s) and not _TAG_QUESTION.search(_lower(s))]
        stated = [s for s in _said(conv, j) if not is_question(s)]
        if asked and stated and _own_words(conv, j) >= 8 or URL.search(conv.messages[j].text) and any(
                _REPORTED.search(_lower(s)) for s in conv.content[j]):
            return j  # … or took it on elsewhere: "I created a new one on Discourse: https://…"
    return None


def _thanked_later(conv: Conversation, success: int) -> tuple[int, int] | None:
    """``(answer, thanks)`` when the asker's ``success`` only thanks ("Thanks for your help!") and their last message
    after it acknowledges a later substantive answer by someone else (:func:`_acknowledges`, :func:`_answer_before`:
    "What do you mean 'everything in functions'?" "Thanks for your help!" -> the workflow told at length -> "Ah ok
    that makes sense, thanks! …"): the thanks was a sign-off while a question was still open, and the later answer is
    the one the asker took up. None otherwise (asker's later words that are no acknowledgement, or none)."""
    if not all(_THANKS_FOR_HELP.match(_lower(s)) for s in _worked(conv, success)):
        return None
    last = next((j for j in range(len(conv.messages) - 1, success, -1)
                 if conv.author(j) == conv.author(0) and not conv.noise(j)), None)
    if last is None or not _acknowledges(conv, last) or any(asks(x) for x in conv.content[last]):
        return None
    answer = _answer_before(conv, last)
    if answer is None or answer <= success or conv.author(answer) == conv.author(0) or _own_words(conv, answer) < 8:
        return None
    return answer, last


_ASIDE = re.compile(r"^\W*(?:(?:just|also|and) )?(?:(?:a|one) )?(?:by the way|btw|unrelated|off[- ]topic|side ?(?:question|note)|"
                    r"random question|slightly unrelated|on a (?:side|different) note|as an aside|tangentially)\b")
"""A message that says it is an aside ("by the way in the package manager, …"): not where the thread went on to."""


_FOLLOW_UP = re.compile(r"^\W*(?:(?:a|one|quick|small) )?(?:follow[- ]?up(?: question)?|(?:one )?more question|another question|"
                        r"new question|next question)\b")
"""A message that says it asks something new, question mark or not ("follow-up question on a question i posted
earlier: I believe that I have a type stability issue with the following function")."""


_SEES_IF = re.compile(r"\b(?:(?:see|check) (?:if|whether)|let'?s see|we'll see|fingers crossed)\b")
"""The asker announcing a try of their own ("I'll just merge the PR and see if that works")."""


def _thanked_success(conv: Conversation, i: int) -> bool:
    """True when message ``i``, a report that something worked (:func:`_worked`), says it with thanks and without a
    catch ("Now it works! Thanks a lot.", "Ok, thanks, that seems to be working."): a success that closes its question
    however long the thread goes on after it."""
    lowered = _lower(conv.messages[i].text)
    return bool(_THANKS.search(lowered)) and not _BUT.search(lowered) and not _PARTLY.search(lowered)


def _own_code_worked(conv: Conversation, i: int) -> str | None:
    """Message ``i`` (the asker's report that something worked) on one line when it opens with the asker's own code
    block and reports success after it ("```julia> convert(Array{Union{…}}, …) …```" + "this seems to work!"): the code's
    :func:`code_gist`, then the report; None when the message says anything before its code, or has no gist."""
    raw = conv.messages[i].text
    block = _FENCED.search(raw)
    worked = _worked(conv, i)
    if block is None or raw[:block.start()].strip() and not _THIS_CODE.match(raw[:block.start()]) or not worked or (
            raw.find(worked[0]) < block.end()):
        return None  # ("This" + its block + "seems to work." is the asker's own code too)
    gist = code_gist(block.group(0))
    if gist is None:  # one statement longer than a gist: its head, cut ("`convert(Array{Union{Poisson{Float64}, …`")
        first = next((_PROMPT.sub("", line).strip() for line in block.group(1).splitlines() if _PROMPT.sub("", line).strip()), "")
        gist = f"`{first[:_GIST_CHARS].rstrip()} …`" if first and "`" not in first else None
    return f"{gist} {worked[0]}" if gist else None


def _own_try(conv: Conversation, success: int) -> int | None:
    """The asker's message right before their ``success`` (noise aside) that announces a try of their own
    (:data:`_SEES_IF`: "meh I'll just merge the PR and see if that works" -> "yay it works") or says they got it with
    their code (:data:`_GOT_IT`: "ah, got it: `Base.zero(::typeof(Mean()))=0.0`" -> "works"), or the one message of
    theirs among the eight before it that the report names and that holds a plan of their own (:data:`_OWN_PLAN`:
    "I should just alias the versions …" -> "I did the alias and it works perfectly"): what worked was what they did;
    None otherwise."""
    k = next((j for j in range(success - 1, 0, -1) if not conv.noise(j)), None)
    if k is not None and conv.author(k) == conv.author(0) and any("`" in x and _GOT_IT.match(_lower(x)) for x in conv.content[k]):
        return k  # "ah, got it: `Base.zero(::typeof(Mean()))=0.0`" -> "works": the asker's own code is what worked
    bare = bool(_BARE_SOLVED.match(_lower(conv.messages[success].text)))
    agrees = k is not None and _own_words(conv, k) <= 5 and _SAYS_YES.match(_lower(conv.messages[k].text)) is not None
    if k is not None and conv.author(k) == conv.author(0) and not agrees and any(
            (bare or _SEES_IF.search(_lower(s))) and not is_question(s) for s in conv.content[k]):
        return k  # … or a bare "Solved" after their own words ("Ups… I can just make the third argument a matrix!"); not
        # "Yes, let's see.." after "Can you try to install curl instead?": the try was someone else's
    # … or the one plan of their own the report names: "I think maybe I should just alias the versions with and without
    # the startup flag" -> "I did the alias and it works perfectly, thanks!" (no one else said "alias")
    words = {w for w in _WORD.findall(_lower(URL.sub(" ", conv.messages[success].text)))
             if w not in _STOP and w not in _GENERIC_REPLY}
    window = range(max(1, success - 8), success)
    named = [j for j in window if _says_a_word_of(_lower(conv.messages[j].text), words)]
    if len(named) == 1 and conv.author(named[0]) == conv.author(0) and any(is_commitment(x) or _OWN_PLAN.search(_lower(x))
                                                                         for x in conv.content[named[0]]):
        return named[0]
    return None


_GOT_IT = re.compile(r"^\W*(?:(?:ah+|oh+|ok|okay)\W+)?(?:got it|figured it out|found it|this does it)\W")
"""The asker saying they got it, with their code after it ("ah, got it: `Base.zero(::typeof(Mean()))=0.0`")."""
_OWN_PLAN = re.compile(r"\b(?:i (?:should|could|might|think i'll|guess i'll) (?:just )?\w+|maybe i(?:'ll| will| should))\b")
"""The asker's plan of their own ("I think maybe I should just alias the versions …")."""


_NEXT_STEP = re.compile(r"^\W*now,? (?:i(?:'m| am| was)|i'd like to|i want(?:ed)? to) (?:trying to |try to )?\w+|"
                        r"\b(?:i'm|i am) not (?:finding|able to find|sure how)\b|\bcan't (?:find|figure out) (?:a|the|how)\b")
"""The asker's next problem, told in the message that says the answer worked ("It worked. Now, I was trying to expand
upon it … but I'm not finding a way to start at the 9:30.")."""


def _asked_again(conv: Conversation, success: int) -> bool:
    """True when the asker, after their ``success``, asked something new (a question of eight words or more, not a
    tag question) that someone else then answered at some length (eight words or more): "Thanks for the help!" …
    "also, Do I need to do anything special to set tolerances?" -> "Those are all done via the optimizer constructor,
    not Convex". The thread went on past the success, and ended on that exchange. A question that says it is an aside
    ("by the way …", :data:`_ASIDE`) leaves the success where it ended."""
    asker = conv.author(0)
    said = conv.content[success]
    worked = _worked(conv, success)
    after = said[said.index(worked[-1]) + 1:] if worked and worked[-1] in said else []
    if any(_NEXT_STEP.search(_lower(s)) for s in after):  # "It worked. Now, I was trying to expand upon it … but I'm not
        # finding a way to start at the 9:30." -> the answers to that
        return any(conv.author(j) != asker and not conv.noise(j) and _own_words(conv, j) >= 8 and not _acknowledges(conv, j)
                   for j in range(success + 1, len(conv.messages)))
    for q in range(success + 1, len(conv.messages)):
        if _ASIDE.match(_lower(conv.unmention(conv.messages[q].text))):
            continue  # "by the way in the package manager, it does not say `(v1.5) pkg>` … Is there a reason?"
        if conv.author(q) == asker and (any(is_question(s) and word_count(s) >= 8 and not _TAG_QUESTION.search(_lower(s))
                                            and not _worked(conv, q) for s in conv.content[q])
                                        or _FOLLOW_UP.match(_lower(conv.unmention(conv.messages[q].text)))):
            j = next((j for j in range(q + 1, len(conv.messages)) if conv.author(j) != asker and not conv.noise(j)), None)
            return j is not None and _own_words(conv, j) >= 8 and not _acknowledges(conv, j) and not _AGREEMENT.match(
                _lower(conv.unmention(_said(conv, j)[0])))  # not "haha yeah maybe if you have the time, …"
    return False


_TAKES_BACK = re.compile(r"^\W*(?:(?:u?hm+|um+|oh|ah|ok|okay|huh|whoa+h?),? )?(?:on (?:second|further) thought|scratch that|"
                         r"no,? not (?:necessarily|really|quite) (?:faster|better|slower|true|right|correct)\b|"
                         r"wait\b[^.?!]{0,60}\b(?:never ?mind|nvm)\b|"
                         r"correction\b|i was wrong|ignore (?:that|my (?:last|previous))|sorry,? i (?:meant|was wrong)|"
                         r"maybe i(?:'m| am| was) wrong\b|i stand corrected\b|(?:ugh|wait|no),? (?:no,? )?wait\b|"
                         r"you(?:'re| are) right\b[^.?!]*\b(?:can't|cannot|doesn't|does not|won't|isn't|not)\b|"
                         r"(?:never ?mind|nvm)\W+(?:(?:i'?m|i am|i was|that's|that is|this is|it's) (?:wrong|incorrect|"
                         r"not right)|that (?:doesn't|does not|won't) work)\b|(?:please )?disregard (?:the above|that|this|my)\b)"
                         r"|^\W*(?:(?:ah+|oh+|hmm+)\W+)?wait,? (?:that|this|it) (?:doesn't|does not|didn't|won't) (?:actually |really )?"
                         r"work\b"
                         r"|^\W*(?:(?:ah+|oh+|ok|okay)\W+)?i (?:somehow )?(?:missed|overlooked) (?:it|that)\b[^.?!]{0,20}\b"
                         r"(?:it is|it's|they are|it does|it exists|it works)\b"
                         r"|^.*\bnever ?mind me\b|^\W*(?:(?:oh|ah|ahh|ohh),? )?(?:sorry|my bad)\W*$",
                         re.IGNORECASE)
"""A message that takes its author's last one back ("On second thought if this is about using a package …", "Huh, that
also works, nevermind me!", "Whoah you are right @Simeon Schaub, Revise can't handle …", "Hmmm, maybe I'm wrong; …",
"ugh, no, wait", "(uhm, no, not necessarily faster :thinking_face:)", "Oh wait, this isn't doing what I thought it was,
nevermind.", "ah! I missed it somehow, it is", "Oh wait, that doesn't actually work, I should have read that output more
carefully sorry")."""


def taken_back(human: Sequence[Message], i: int) -> bool:
    """True when message ``i``'s author takes it back in one of their next two messages (:data:`_TAKES_BACK`), or
    corrects it in the message right after it (:data:`_CORRECTS_ITSELF`): "maybe this question is better suited to
    r-package-devel" is no answer once they say "On second thought …"."""
    later = [j for j in range(i + 1, len(human)) if human[j].user_name == human[i].user_name][:2]
    return any(_TAKES_BACK.match(human[j].text) for j in later) or (
        i + 1 < len(human) and human[i + 1].user_name == human[i].user_name and _CORRECTS_ITSELF.match(human[i + 1].text) is not None)


_CORRECTS_ITSELF = re.compile(r"^\W*(?:or not\b|(?:ah+|oh+|hmm+|err?m?|wait),? no\b\W*(?:,|\.|wait\b|we\b|it\b|that\b|i\b))",
                              re.IGNORECASE)
"""Its author's very next message correcting it ("Or not, the PR does pass.", "ah, no, we recorded all processes, we
just serialized everything", "wait, no, that's an earlier version of the PR?"): the message it follows is taken back
(:func:`taken_back`)."""


_BRIDGE = re.compile(r"(?<![#\w-])bridg(?:e|ed|ing) (?:the |this |these |those |my |your |our )?(?:posts?|messages?|threads?|"
                     r"questions?)\b|\bcross[- ]?post(?:s|ed|ing)?\b")
"""Words about a help-desk bot's cross-post of the thread to a forum ("you may not have wanted to bridge the posts")."""
_ASIDE_START = re.compile(r"^\W*(?:oh (?:god|no|dear)|hey,? look|look who|i (?:really )?wish (?:we|they|someone|there)\b|"
                          r"dreaming (?:of|for|about)\b|(?:or )?maybe we (?:get|could get|trade)\b|"
                          r"sorry,? (?:i )?(?:didn't|did not|didn’t|missed|misread|overlooked) (?:see |read |notice )?(?:the|that|your)\b|"
                          r"(?:as |just )?(?:another|one more|an extra) data ?point\b|"
                          r"(?:sorry,? |oops,? |ah,? )?i (?:was )?(?:indeed |actually )?(?:meant|referring to|talking about) "
                          r"(?:#\d+|pr ?#?\d+|issue ?#?\d+|the (?:other|first|second) (?:one|pr|issue|link)\b))")
"""An aside's opening at a thread's end ("Hey look it's the author of chain.jl!", "Oh god, I shared the link …", "I really
wish we could get a temporary trade of programmers with Go …"), an apology for what its author missed ("Sorry, didn't see
the 1.6 part of your question, so please take my response modulo 1.5 :sweat_smile:"), which pull request its author
meant ("Sorry I was indeed referring to #2491, which is more complex than #2647"), one more data point ("As another
data point. I've been using Julia on this machine since 0.6 and FFMPEG is the only thing …")."""
_PRAISE_ONLY = re.compile(_PRAISE_WORD + r"\b[^?`]*$")
"""A bystander's few words of praise ("Really, Really nice.", "very cool!"), after the asker's thanks: an aside."""
_FACEPALM = re.compile(r":(?:(?:man|woman|person)-)?facepalm(?:ing)?:|🤦")
_BRACKETED = re.compile(r"^\([^()]*(?:\([^()]*\)[^()]*)*\)\W*(?::[\w+\-]+:\W*)*$")


_CAN_YOU_CHECK = re.compile(r"^\W*(?:(?:so|and|ok|okay|maybe|also),? )?(?:can|could|would) you (?:\w+ )?"
                            r"(?:check|try|run|test|look at|profile|benchmark)\b")
"""A question that asks the asker to check or try something ("can you check @code_warntype to see if …?")."""
_REDIRECTS = re.compile(r"^\W*(?:(?:maybe|perhaps|why not|could you|can you|you could|you can)\W+)?(?:try )?"
                        r"(?:re)?(?:post|ask)(?:ing)?(?: (?:it|this|that|the question|again))? (?:in|on) (?:the )?"
                        r"(?:#[\w-]+|discourse|zulip)\b")
"""A reply that sends the question elsewhere, even put as a question ("Maybe post in #pkg-dev ?")."""


_CONDUCT = re.compile(r"\b(?:please (?:use|keep|be) (?:a )?(?:more |bit more )?(?:respectful|civil|polite|kind|friendly|"
                      r"professional)|code of conduct|behave (?:yourself|urself|please)|(?:please|let's|^\W*(?:@\S+ )?) ?be (?:nice|respectful|"
                      r"civil)\b|"
                      r"watch (?:your|the) (?:tone|language))")
"""A word on conduct ("Please use a more respectful tone.", "behave urself", "… the code of conduct"): a moderator's or a
participant's remark on how people talk, not on the matter; no task, and not where a thread ended."""


def on_conduct(text: str) -> bool:
    """True for a message of 30 words or fewer that speaks on conduct (:data:`_CONDUCT`: "@Siona Rubin behave urself",
    "Please use a more respectful tone. I don't see any wrongdoing on @Mark's part here"): none of it is a point."""
    return bool(_CONDUCT.search(_lower(text))) and word_count(text) <= 30


_WHIMSY = re.compile(r"^\W*(?:(?:maybe|perhaps) )?(?:someone|somebody) (?:could|should|needs to|ought to)\b|"
                     r"^\W*(?:now|then|next) (?:all )?we (?:just )?need\b")
"""A wish put to nobody in particular ("Maybe someone could make the `@interface_nightmare` macro …"): with a wink, a
joke however long."""


def _trailing_aside(conv: Conversation, i: int) -> bool:
    """True for a message of 45 words or fewer that is an aside at a thread's end: tongue in cheek (:data:`_JOKE_END`)
    all in brackets or in 12 words of its own (a report of 22 that ends ":stuck_out_tongue:", or "(nothing wrong with
    throwing in a type assertion here …)", is no aside), a facepalm in 12 words (not "I was working wayyy too hard at
    this :man-facepalming:. 1. I was reading the wrong file, …"), an aside's opening (:data:`_ASIDE_START`) or a note
    that its author will answer later (:data:`_AWAY`), a bystander's praise right after the asker's thanks
    (:data:`_PRAISE_ONLY`), an afterthought all in brackets (25 words or fewer) right after its author's own message
    ("(Moreover, the zmq_proxy function couldn't be used in a task …)"), a pointer to someone not in the thread
    (:data:`_POINTS_SOMEONE_HERE`), the asker's last word on themself with a smile (20 words or fewer: "I remember seeing
    that page and skipping it as it looked kind of intimidating. :slightly_smiling_face:"), a newcomer's short remark
    (25 words or fewer, no code or link) more than a day after the rest (:data:`_LATE_SECONDS`), a remark on Slack's
    retention (:data:`_SLACK_HISTORY`); never one that reports a
    result, asks, or acknowledges (an asker's "Thanks! :joy:"
    closes on the answer)."""
    text = conv.messages[i].text.strip()
    if (i > 2 and conv.author(i) not in (conv.author(0), conv.author(i - 2)) and conv.author(i - 1) == conv.author(0)
            and _acknowledges(conv, i - 1) and _THANKS.search(_lower(conv.messages[i - 1].text))
            and _own_words(conv, i) <= 6 and _PRAISE_ONLY.match(_lower(text))):
        return True  # "Perfect thank you" -> someone else's "Really, Really nice.": the asker had closed the thread
    if conv.noise(i) or _own_words(conv, i) > 45 or _worked(conv, i) or _acknowledges(conv, i) or any(
            _resolves(_lower(x)) or is_question(x) for x in conv.content[i]):
        return False
    if _SLACK_HISTORY.search(_lower(text)) and _own_words(conv, i) <= 30:
        return True  # "we don't have a paid slack plan, so this discussion will probably vanish soon": about the channel
    if on_conduct(text):
        return True  # "@Siona Rubin behave urself" -> "Please use a more respectful tone. I don't see any wrongdoing on
        # @Mark Kittisopikul's part here": a word on conduct, not on the matter
    if (i == len(conv.messages) - 1 and i > 5 and _gap(conv.messages, i) > _LATE_SECONDS
            and conv.author(i) not in {conv.author(j) for j in range(i)} and _own_words(conv, i) <= 25
            and "`" not in text and not URL.search(text)):
        return True  # "It's definitly an issue in those cases where labelling inline working becomes a matter of hard to
        # reason heuristics": a newcomer's word a day and a half after the discussion
    if any(_SUCCESS.search(_lower(x)) for x in conv.content[i]):
        return False  # "That'll certainly work! We've done it before :stuck_out_tongue:" takes the answer up
    unquoted = word_count(" ".join(line for line in text.splitlines() if not line.lstrip().startswith(">")))
    joke = _JOKE_END.search(text) and (_BRACKETED.match(text) or unquoted <= 12 or unquoted <= 30 and _WHIMSY.match(_lower(text)))
    # "> Passed the output … used eval.(…) Make sure no one puts Julia code in there :wink:"; "Maybe someone could make
    # the `@interface_nightmare` macro that generates the n! different signatures … :wink:"
    joke = joke or (_LAUGHS.search(text) and "`" not in text and not URL.search(text) and unquoted <= 20
                    and conv.author(i) != conv.author(0) and i == len(conv.messages) - 1
                    and not any(is_question(x) for x in conv.content[i - 1]))  # someone's last laugh: "@mose You gave the
    # #quantum-computing channel its first conversation in a LONG WHILE:joy:" (not an answer to a question that ends
    # ":sweat_smile:": "no yet, I actually just heard back Monday …")
    afterthought = bool(_BRACKETED.match(text)) and i > 0 and conv.author(i - 1) == conv.author(i) and _own_words(conv, i) <= 25
    # "(Moreover, the zmq_proxy function couldn't be used in a task, since it blocks forever.)" after its author's answer
    pointed = bool(_POINTS_SOMEONE_HERE.match(_lower(text))) and _own_words(conv, i) <= 15 and (named := conv.mentioned(text)) is not None and (
        named not in {conv.author(j) for j in range(i)})  # "@Rudolf Byker this thread is related to your workflow"
    remark = (i == len(conv.messages) - 1 and conv.author(i) == conv.author(0) != conv.author(i - 1)
              and _own_words(conv, i) <= 20 and bool(_BANTER_END.search(text)) and not FAILS.search(text)
              and bool(re.match(r"^\W*(?:i|i'm|i've|i'd|my)\b", _lower(text))))  # "I remember seeing that page and skipping
    # it as it looked kind of intimidating. :slightly_smiling_face:": the asker's word on themself, after the answer
    bridged = bool(_BRIDGE.search(_lower(text))) and _own_words(conv, i) <= 20 and "`" not in text and not URL.search(text)
    # "Ooph, you may not have wanted to bridge the posts below.": about the help-desk bot's cross-post, not the question
    # (not "Cross-posting from Discourse," + its code)
    return bool(joke or bridged or _FACEPALM.search(text) and _own_words(conv, i) <= 12 or _ASIDE_START.match(_lower(text))
                or _AWAY.search(text) and _own_words(conv, i) <= 25 or afterthought or pointed or remark)


_SLACK_HISTORY = re.compile(r"\b(?:paid|free) slack(?: plan| tier| workspace)?\b|\bslack(?:'s)? (?:history|hole|message limit)\b"
                            r"|\b(?:this|the) (?:discussion|thread|conversation|chat)\b[^.?!]{0,40}\b(?:vanish|disappear|be lost|"
                            r"(?:get|be) (?:deleted|hidden))")
"""A remark on Slack's message retention ("we don't have a paid slack plan, so this discussion will probably vanish
soon"): about the channel, not the question."""
_LATE_SECONDS = 86400.0
"""Seconds after which a newcomer's short last remark, in a thread of seven messages or more, comes after the discussion
ended (:func:`_trailing_aside`)."""


_POINTS_SOMEONE_HERE = re.compile(r"^\W*(?:cc\W+)?@[^\n]{1,40}?\W+(?:(?:fyi|cc)\b|(?:this|the above)(?: thread)? (?:is|might be|may be|could be) "
                                  r"(?:related|relevant|of interest|interesting)\b|this thread\b|see (?:this|above)\b)")
"""A message that only points someone not in the thread at it ("@Rudolf Byker this thread is related to your workflow"):
an aside, not where the thread ended."""


_DID_NOW = re.compile(r"\b(?:i|we)(?:'ve| have| had)? (?:now|just|finally)\b"
                      r"|\b(?:i|we)(?:'ve| have) (?:\w+ )?(?:\w+ed|done|made|put)\b")
"""A report of what its author did after the answer ("I have now addressed the missing value problem explicitly at the
beginning of the loop"): a result, never a mere remark."""


def _remark_after_thanks(conv: Conversation, i: int) -> bool:
    """True for the asker's last message ``i`` right after their own few words of thanks (six or fewer) for someone
    else's answer (or more words of thanks, when ``i`` only thanks again in 12 words or fewer), when it only remarks (40
    words or fewer; no question, code, link, result, "but", "doesn't work" or what they did: :data:`_DID_NOW`):
    "Thanks!" -> "I ended up using a new feature without paying attention … I guess 1.6 is too comfortable" ends where
    the thanks did, on the answer."""
    if i < 3 or i != len(conv.messages) - 1 or not conv.author(i) == conv.author(i - 1) == conv.author(0) != conv.author(i - 2):
        return False
    text = _lower(conv.messages[i].text)
    thanked_again = _acknowledges(conv, i) and _own_words(conv, i) <= 12  # "That's perfect. I didn't realise … Thanks
    # very much." -> "@Rasmus Henningsson this is really helpful!": a second thanks, after a longer first one
    return (_acknowledges(conv, i - 1) and (_own_words(conv, i - 1) <= 6 or thanked_again)
            and (not conv.noise(i - 2) or code_gist(conv.messages[i - 2].text) is not None)  # (a code answer is one too)
            and _THANKS.search(_lower(conv.messages[i - 1].text)) is not None and "?" not in conv.messages[i - 1].text
            and 0 < _own_words(conv, i) <= 40 and "`" not in text and not URL.search(text) and not _worked(conv, i)
            and not _BUT.search(text) and not _NOT_WORKING.search(text) and not _DID_NOW.search(text)
            and not any((is_question(x) or asks(x)) and not _waved_off(conv.content[i], x) or _REPORTED.search(_lower(x))
                        for x in conv.content[i]))  # (a question it waves off is a remark: "… though? Oh well, I'm not
    # too worried about time")


_CONTACT = re.compile(r"\b(?:e-?mails?|dms?|direct message|inbox|(?:my|your) profile|send (?:it|you|me|them|over)|"
                      r"sent (?:it|you|them)|send it over|cross[- ]?post(?:ed|ing|s)?|(?:reply|answer|post) (?:to|on|in) (?:the )?discourse|"
                      r"react(?:ed|ing)? with (?:the |a )?(?::bridge:|bridge\b)|(?:better|best) (?:suited|asked|placed) (?:for|in) #)")
"""Words of moving a conversation to e-mail or direct messages ("dm me your email, then?", "should be on my profile",
"Thanks! just sent it."), or of cross-posting it ("You should reply to the discourse post with your solution" → "Done. I
kinda thought that the thread would be cross posted.", "You have to react with the bridge on the initial message"), or of
moving it to another channel ("These questions are better suited for #helpdesk")."""


_WELCOMES = re.compile(r"\b(?<!you're )(?<!youre )(?<!you are )(?:welcome|(?:nice|great|glad|good|happy|lovely) to "
                       r"(?:see|meet|have)|great to hear from)\b|^\W*(?:hi|hello|hey|hiya)\W+@?[^\W\d_][\w'-]*\W*$")
"""A welcome ("Welcome Federica!", "Hi Roberto, nice to see you here!", "Hi Constantin!"), not "you're welcome"."""
_WELCOME_WORDS = 30
"""Words a welcome has at most (its author's own, emoji codes aside)."""
_WELCOME_SAYS = 4
"""Words one welcome needs for the welcomes to be where an introduction ended ("Hi Roberto, nice to see you here!", not
"Welcome!! :)" or "Hi Constantin!")."""


_ME_TOO = re.compile(r"\b(?:i|we) (?:had|have|ran into|hit|got|was having|am having) (?:the |a )?(?:exact |very )?(?:same|similar) "
                     r"(?:question|problem|issue|error|thing|trouble)\b|^\W*(?:same here|me too)\b")
"""Its author had the same question ("I had the same question some time ago."): the sentence after it says what they
found."""


_SEE_LINK = re.compile(r"^\W*(?:see|see also|check(?: out)?|more (?:here|at|in)|details (?:here|at|in)|docs?|ref(?:erence)?|"
                       r"(?:it's|it is|this is) (?:documented|explained) (?:here|at|in))\W*(?:\w+\W+){0,3}?(?:<?https?://\S+)\W*$",
                       re.IGNORECASE)
"""A pointer after a statement ("See https://jump.dev/JuMP.jl/stable/examples/nlp_tricks/#…"): where to read on."""


def _pointer_after(text: str, sentence: str) -> str | None:
    """The sentence right after ``sentence`` in ``text`` when it only points to a link (:data:`_SEE_LINK`), else None."""
    sentences = split_sentences(text)
    at = sentences.index(sentence) if sentence in sentences else -1
    following = sentences[at + 1].strip() if 0 <= at < len(sentences) - 1 else ""
    return following if following and _SEE_LINK.match(following) else None


_POSTS_LATE = re.compile(r"\bi (?:had|have|wanted|meant|needed) to (?:check|test|try|verify) (?:something|it|that|this)?\b.{0,40}"
                       r"\b(?:before|first)\b|\b(?:and then|and than|but then|then) i forgot\b|^\W*sorry for the (?:delay|late reply)\b")
"""Its author on why they post only now ("There is something I had to check before I post it, and than I forgot to do
it."): the sentences after it say what they found."""


_YOU_CAN_JUST = re.compile(r"^\W*(?:(?:well|oh|ah),? )?(?:you can (?:just|simply) |just use |try using )"
                           r"(?!not\b|ask\b|wait\b)\w")
"""A reply that tells how, in a few words ("You can just overlay scenes ;)"): an answer, whatever face ends it."""


_SHORTCODE = re.compile(r":[\w+\-]+:")
"""An emoji's shortcode (":sweat_smile:", ":+1:")."""


def _without_shortcodes(text: str) -> str:
    """``text`` without emoji shortcodes, its whitespace collapsed to single spaces ("Welcome Federica! :sunflower:" ->
    "Welcome Federica!")."""
    return " ".join(_SHORTCODE.sub(" ", text).split())


def _welcomed(conv: Conversation) -> Item | None:
    """Where an introduction or a greeting ended when every reply welcomes its author (:data:`_WELCOMES`, in at most
    :data:`_WELCOME_WORDS` words, asking nothing) and its author added nothing but thanks: the first welcome, and the
    last one after it when several people wrote ("Heather Turner: Hi Federica! Nice to see you here after the
    collaboration campfire yesterday — Saranjeet Kaur: Welcome Federica!"). None when the opening asks something or
    any reply is more than a welcome."""
    if any(asks(x) for x in conv.content[0]):
        return None
    welcomes: list[int] = []
    for j in range(1, len(conv.messages)):
        text = _without_shortcodes(conv.unmention(conv.messages[j].text))
        if conv.author(j) == conv.author(0):
            if conv.content[j]:
                return None
            continue
        if (not _WELCOMES.search(_lower(text)) or word_count(text) > _WELCOME_WORDS
                or any(is_question(x) for x in split_sentences(text))):
            return None
        welcomes.append(j)
    said = {j: _without_shortcodes(conv.messages[j].text) for j in welcomes}
    if not any(word_count(said[j]) >= _WELCOME_SAYS for j in welcomes):
        return None  # a bare "Welcome!! :)" says nothing a reader needs (judged blind: it cost a key point)
    first, last = welcomes[0], welcomes[-1]
    if last == first or conv.author(last) == conv.author(first):
        return Item(said[first], (first,))
    return Item(said[first], (first, last), reply=said[last])


def _contact(conv: Conversation, i: int) -> bool:
    """True for a short message (25 words or fewer) about getting in touch elsewhere (:data:`_CONTACT`)."""
    return 0 < _own_words(conv, i) <= 25 and bool(_CONTACT.search(_lower(conv.messages[i].text)))


def _chatter_only(conv: Conversation) -> bool:
    """True when no reply after the opening (messages ``1..``) holds code, a link, a question or an acknowledgement:
    a thread whose replies are all chatter ("Session 3: • Slides: … Passcode: kO7FSN#G" -> "shoutout to @Elio for
    presenting twice!", or only a welcome GIF) ended nowhere; "ok, thank you" after an answer still ends on it."""
    return not any(code_gist(conv.messages[j].text) is not None
                   or URL.search(conv.messages[j].text) and not _bare_picture(conv, j)  # a GIF is chatter
                   or _acknowledges(conv, j) or any(is_question(x) for x in split_sentences(conv.messages[j].text))
                   for j in range(1, len(conv.messages)))


def _share_thanked(conv: Conversation, *, short: bool) -> bool:
    """True when message 1, an acknowledgement, thanks for the opening (which is no thanks itself): in a few words
    (``short``, when the opening asks nothing: "Some examples of simple functions … https://…" -> "There are great!
    Thanks!") or thanks first and at most 12 words after ("Are you new here …? One way to get started is reviewing
    bug reports …" -> "Thank you so much! I've been looking for something like this to start contributing."): what
    was shared is where the thread ended."""
    if not _acknowledges(conv, 1) or _THANKS_FIRST.match(conv.messages[0].text):
        return False
    thanks = _THANKS_FIRST.match(conv.messages[1].text)
    return (short and not any(asks(x) for x in conv.content[0])
            or thanks is not None and word_count(conv.messages[1].text[thanks.end():]) <= 12)


def _yes_to_its_question(conv: Conversation, chosen: int, confirmed: int) -> bool:
    """True when ``confirmed`` opens with yes or no and what ``chosen`` states only leans on its question or asks
    for something ("Is this fixed on the 1.6 rc? Otherwise, please open an issue with Pkg" -> "Yes, this appears to
    work on 1.6rc"): the question it says yes to is what is shown."""
    return _SAYS_YES.match(_lower(conv.unmention(conv.messages[confirmed].text))) is not None and all(
        leads_off(x) or is_request(x) for x in _said(conv, chosen))


_TAGGING = re.compile(r"^\W*(?:tagging|cc|cc'ing|ccing|pinging|ping|looping in|adding)\b")
"""A message that tags people in ("Tagging @Saranjeet Kaur @Binod Jung Bogati … who is interested in participating"):
it brings readers, it does not say where the thread ended."""
_PICTURE = re.compile(r"https?://\S+\.(?:gif|png|jpe?g|webp)\b|https?://(?:\w+\.)?(?:giphy|tenor)\.com/", re.IGNORECASE)
"""A link to a picture or a GIF: posted alone, a reaction, not where a thread ended."""


def _bare_picture(conv: Conversation, i: int) -> bool:
    """True for message ``i`` that is only a link to a picture or a GIF (:data:`_PICTURE`), no words of its own."""
    return _own_words(conv, i) == 0 and bool(_PICTURE.search(conv.messages[i].text))


_LOOKS_LIKE_IT = re.compile(r"^\W*(?:(?:looks|seems|sounds) (?:like it|so|that way)|i (?:think|believe) so)\b")
"""A yes said by how it looks ("Looks like it"): it answers the question before it."""
_DONE_FIRST = re.compile(r"^\W*(?:(?:ok|okay|so|and)\W+)?(?:i(?:'ve| have)? (?:just )?)?(?:done|all done|posted|filed|opened|"
                         r"submitted|created|sent)\b")
"""A message that opens saying it is done ("Done, thank you Chris, as always!", "I opened an issue :point_up:"), not
"it is not currently done"."""


def _remark_after_courtesy(conv: Conversation, i: int) -> bool:
    """True for the asker's short remark (20 words or fewer, no question, no code, no report) right after someone
    else's closing courtesy: "glad to help! Macros are one of those things …" -> "Well macro and metaprogramming looks
    cool, I must admit. I will be cautious :)" closes the thread where the asker's thanks had."""
    opener = split_sentences(conv.messages[i - 1].text)[:1] if i > 2 else []
    return (i > 2 and conv.author(i) == conv.author(0) != conv.author(i - 1) and i == len(conv.messages) - 1
            and bool(opener) and is_courtesy(conv.unmention(opener[0])) and _own_words(conv, i) <= 20
            and "`" not in conv.messages[i].text and not _worked(conv, i)
            and not any(asks(x) or _REPORTED.search(_lower(x)) for x in conv.content[i]))


_VERDICT = re.compile(r"^\W*(?:so,? (?:i (?:don't |do not )?think|in the end|overall|basically)|in short|in summary|"
                      r"to sum up|tl;?dr|bottom line|long story short|all in all)\b|\bi(?:'d| would)? (?:strongly )?recommend\b")
"""A sentence that sums up or advises ("So I don't think this idea is going anywhere at the moment.", "In future years I
would recommend to keep an eye on our GitHub organization"): in a longer answer, where it ended more than its background."""


_ANSWER_FOUND = re.compile(r"\bhere(?:'s| is) (?:the|my|an?) (?:answer|solution|fix|workaround)\b|"
                           r"\b(?:found|figured out) (?:the|a|an) (?:answer|solution|fix|workaround)\b")
"""Words handing over the answer its author found ("if you are curious, here is the answer to how to do this:")."""


def _answer_found_last(conv: Conversation, candidates: Sequence[int]) -> int | None:
    """The asker's last message (``candidates[-1]``) when it hands over an answer they found, with its code
    (:data:`_ANSWER_FOUND`: "Hey @Max Horn if you are curious, here is the answer to how to do this: ```…```"): it
    ends the thread, whatever was said before it; None otherwise."""
    last = candidates[-1] if candidates else 0
    if last == 0 or conv.author(last) != conv.author(0) or "`" not in conv.messages[last].text:
        return None
    return last if _ANSWER_FOUND.search(_lower(conv.messages[last].text)) else None


def outcome(conv: Conversation) -> Item | None:
    """Where the conversation ended (see the module docstring), or None when every message is noise or there
    is only one message.

    In order: the answer the opening author last reported worked ("thanks, that worked", "IT WORKED!"), within the
    last 30 messages (12 in a thread of up to 40: :data:`_RECENT`);
    else the last message in the second half with a resolution cue (in the last 12 of a thread of up to 40);
    else the last message that is not noise and not only questions. A closing courtesy by someone else at the end
    ("Let me know if you have any questions. I'm glad to help!") is left out, and so are a trailing aside
    (:func:`_trailing_aside`: "Hey look it's the author of chain.jl!") and a move to e-mail or DMs (:func:`_contact`:
    "dm me your email, then?" … "Thanks! just sent it."); the asker's own code approved in a few words
    (:func:`_own_solution_approved`) is where it ended, and so is the asker's own answer posted last with its code
    (:func:`_answer_found_last`) or someone's last reply that is only code put as a question, after the question it
    answers (:func:`_code_guess_last`); an objection its author took back ("oh" … "sorry"), encouragement ("just try
    it out a bit") and the asker's remark after their thanks (:func:`_remark_after_thanks`) are never where it ended,
    nor a bystander's praise after the asker's thanks ("Really, Really nice."). A bare link the asker thanked is shown
    after the question it answers, one word after the asker's what-question answers it ("Dead"), the point an asker
    quotes and calls a good point is where it ended (:data:`_GOOD_POINT`), and an answer that leans on the question
    right before it is shown after that question (:func:`_question_it_answers`: also "Whoops yeah, … good catch", and
    "It's how I'd do it" after the asker's "so seems like …", an answer opening or ending on yes, no or because, and one
    after its author's bare "yes"); a caveat is shown after the answer it qualifies (:func:`_answer_it_qualifies`), a
    short answer the asker took after their question (:func:`_short_answer_to_asked`), the asker's "So … works"
    confirmed by a yes with its reasons (:func:`_restated_and_confirmed`), a sentence about its author's code right
    before it after that code, and the asker's "it seems to work with:" + code shows the line they changed
    (:func:`_changed_code`).
    A short agreement or acknowledgement
    ("Yup", "I agree, …", "thanks, works") gives way to the message it agrees with. The sentence shown is
    the longest content sentence of the answer (up to 40 words). The thread's last word, when the outcome cites it
    without showing it and it says more than an acknowledgement, is shown after it (:func:`_last_word_unshown`:
    "could be another good option! … — vchuravy: GitHub discussion are annoying"); an outcome that is only inline code
    is shown after the question it answers (:func:`_asked_before_code`), and one that ends on ":" with the code its
    author posted next. An ending cut before its point shows the rest (:func:`_rest_of_short_ending`,
    :func:`_bare_yes_or_no_goes_on`: "No, not necessarily. It's just the regular broadcast mechanism: `…`") or its
    author's short message it goes on from (:func:`_went_on_from`); the asker's word that the answer was the one is
    shown after it (:func:`_asker_confirms`: "— Henrique Pickler: Nevermind. Found it. Thanks!!"), and so is a last
    question nobody answered (:func:`_left_asking`, ``Item.asks``: it stays an open question). A thread that ends on a
    channel named as the answer ends there (:func:`_points_to_channel`: "— mbauman: #dash"), one that ends on a bare yes
    after the asker's thanks ends on that yes, and an asker's own find that nothing else followed is where it ended
    (:func:`_found_themselves`).
    """
    ended = _ended_at(conv)
    last = len(conv.messages) - 1
    if ended is not None and ended.reply is not None and word_count(ended.text) <= 3 and (besides := [
            x for x in conv.content[ended.messages[0]] if is_question(x) and x not in ended.text]):
        # "I wish." + "How would I do that?" -> "pastebin works well": what the reply answers is the question
        ended = Item(f"{ended.text.rstrip()} {besides[-1]}", ended.messages, ended.owner, ended.reply, ended.asks)
    if (own_way := _own_way_last(conv)) is not None and (ended is None or max(ended.messages) < own_way[0]):
        # "ended up just writing a simpler matrix concatenation routine … less general than `hvcat`, but is faster for my
        # use case": after the answers, what the asker did in the end
        return Item(own_way[1], (own_way[0],))
    if last == 0 and (edit := _found_in_edit(conv)) is not None:
        return Item(edit, (0,))  # "How can I obtain the keyword-less function of a keyword-function? … Edit: Found out:
        # `MyModule.:(var"#foo#1")`": the asker's own edit answers it
    found = max((k for k in range(1, last + 1) if conv.author(k) == conv.author(0)), default=0)  # the asker's last word,
    # with only others' short remarks after it ("Soved. Note to self: …" -> "At least there is a Discourse post about this now")
    if found and (found == last or ended is None and all(
            _own_words(conv, k) <= 12 and not any(is_question(x) for x in conv.content[k]) for k in range(found + 1, last + 1))):
        if (ended is None or max(ended.messages) < found and len(set(map(conv.author, range(found + 1)))) == 1) and (
                _found_themselves(conv, found)):
            # "I am unable to index into a 3-dimensional array …" -> "Sorry, I figured it out. Instead of writing
            # `CartesianIndex[...]` I need to write `CartesianIndex{3}[...]` :face_palm:" (noise as a point: an apology)
            return Item(_found_text(conv.messages[found].text), (found,))
    if (pointed := _points_to_channel(conv)) is not None and (ended is None or max(ended.messages) < pointed.messages[-1]):
        return pointed  # "What channel to ask help for Dash.jl?" -> "#dash"
    if ended is not None and ended.reply is None and (rest := _rest_of_short_ending(conv, ended)) is not None:
        ended = Item(f"{ended.text} {rest}", ended.messages, ended.owner)  # "It's difficult to say without more details.
        # It could be because of type instabilities, or perhaps you are comparing BigInts/BigFloats?"
    if ended is not None and (goes_on := _bare_yes_or_no_goes_on(conv, ended)) is not None:
        ended = Item(goes_on, ended.messages, ended.owner, ended.reply)  # "No, not necessarily. It's just the regular
        # broadcast mechanism: `Meta.@lower my_arr .= foo`"
    for _ in range(2):  # (twice: "you can find out which by doing `]add Trixi@0.3.21`" <- "it'll tell you which package is
        # not compatible …" <- "also, keep in mind that in `0.x.y` versions, incrementing `y` is seen as breaking")
        if ended is None or (before := _went_on_from(conv, ended)) is None:
            break
        # "https://juliagpu.github.io/CUDA.jl/stable/api/compiler/#Reflection" + "and I often use `@device_code …`"
        ended = Item(f"{before} {ended.text}", (ended.messages[0] - 1, *ended.messages), ended.owner, ended.reply)
    if ended is not None and ended.reply is None and (taken := _what_it_takes_back(conv, ended)) is not None:
        # "looks like `win.webContents.openDevTools()` isn't exposed. Working on a PR" -> "ah! I missed it somehow, it
        # is": the correction, after what it corrects
        return Item(taken[1], (taken[0], *ended.messages), ended.owner, reply=ended.text)
    if ended is not None and (verdict := _verdict_before(conv, ended)) is not None:
        # "Is it safe to do this within the function …?" -> "that is definitely not safe." + "A callback is probably
        # required to handle it properly, …": the answer is the verdict, with its reason
        ended = Item(f"{verdict} {ended.text}", (ended.messages[0] - 1, *ended.messages), ended.owner, ended.reply)
    if (settled := _settled_by_yes_or_no(conv)) is not None and (ended is None or max(ended.messages) < settled[1]):
        return _yes_or_no_item(conv, *settled)  # "Thanks, I will try! So, … is NOT represented in JSON format itself,
        # right?" -> "Correct": the asker's thanks had ended it one message early
    if ended is not None and ended.reply is None and (agreed := _self_answer_confirmed(conv, ended)) is not None:
        # "..a ok... the signature of the function is different. …" -> "yes": the asker's own answer, confirmed
        return Item(ended.text, (*ended.messages, agreed[0]), ended.owner, reply=agreed[1])
    if ended is not None and ended.reply is None and (confirms := _asker_confirms(conv, ended)) is not None:
        # "You probably have a directory in PWD called `Pluto` …" -> "Where can I find this directory?" -> "Nevermind.
        # Found it. Thanks!!": the answer, with the asker's word that it was the one
        return Item(ended.text, tuple(sorted({*ended.messages, confirms[0]})), ended.owner, reply=confirms[1])
    if ended is not None and ended.reply is None and (explained := _how_it_was_solved(conv, ended)) is not None:
        # "Resolved. Thank you." -> "What was the problem?" -> "The example prints and plots were not showing up
        # because …": the asker's word that it is solved, with what they said solved it
        return Item(ended.text, (*ended.messages, explained[0]), ended.owner, reply=explained[1])
    if ended is not None and ended.reply is None and (conceded := _conceded(conv, ended)) is not None:
        # "I think maybe you're misreading that part, @blegat. …" -> "Indeed, reading it again, your interpretation is
        # correct": the correction, with the word that settled it
        return Item(ended.text, (*ended.messages, conceded[0]), ended.owner, reply=conceded[1])
    if ended is not None and ended.reply is None and (last_word := _last_word_unshown(conv, ended)) is not None:
        return Item(ended.text, ended.messages, ended.owner, reply=last_word)
    if ended is not None and ended.reply is None and (asked := _left_asking(conv, ended)) is not None:
        # "… there are lots of very low cost things you can do" -> "what are you trying to profile?": nobody answered
        return Item(ended.text, (*ended.messages, asked[0]), ended.owner, reply=asked[1], asks=True)
    if ended is not None and ended.reply is None and (asked := _asked_before_code(conv, ended)) is not None:
        # "Is there a command in Julia for getting the total number of available cores? …" -> "`Sys.CPU_THREADS`" ->
        # "Thanks …": an answer that is only code, after the question it answers
        coded = ended.messages[0]  # (the reply's author is the last message's: the code's)
        return Item(asked[1], (asked[0], *[m for m in ended.messages if m != coded], coded), ended.owner, reply=ended.text)
    if ended is not None and ended.reply is None and (gist := _code_after_askers_words(conv, ended)) is not None:
        # "I want to use the addfaceset function … it doesnot support to use && operator." -> ```addfaceset!(grid,
        # "topleft", x -> (abs(x[2]) ≈ 5.0 && abs(x[1]) ≈ 0.0))```: the answer is the code, last
        return Item(ended.text, (*ended.messages, len(conv.messages) - 1), ended.owner, reply=gist)
    if (ended is not None and last > max(ended.messages) and conv.author(last) != conv.author(0)
            and conv.author(last) == conv.author(ended.messages[-1]) and _INLINE_CODE_ONLY.match(conv.messages[last].text.strip())
            and (named := code_gist(conv.messages[last].text.strip())) is not None):
        # "that doc is for 0.6.2" -> "thank you! :picard_facepalm:" -> "`cholesky`": its author's last word names the
        # replacement
        return Item(ended.text, (*ended.messages, last), ended.owner,
                    reply=named if ended.reply is None else f"{ended.reply.rstrip()} … {named}")
    if (ended is not None and ended.reply is None and last == max(ended.messages) + 1
            and conv.author(last) not in (conv.author(0), conv.author(ended.messages[-1])) and conv.noise(last)
            and "```" in conv.messages[last].text and _own_words(conv, last) <= 3
            and (gist := code_gist(conv.messages[last].text)) is not None):
        # "tuples in Julia are not meant to be used for large collections" -> "maybe" ```DataFrame([i^j for i in 1:1000,
        # j in 1:3])```: someone's code last, after the answer, is what the thread ended on
        words = " ".join(_FENCED.sub(" ", conv.messages[last].text).split())
        return Item(ended.text, (*ended.messages, last), ended.owner, reply=f"{words} {gist}".strip())
    if ended is not None and ended.reply is None and (failed := _still_failing_after(conv, ended)) is not None:
        # "You could try something like `pkg> registry rm General; registry add General; instantiate`" -> the asker's
        # paste of it, ending in the same error: tried, still failing
        return Item(ended.text, (*ended.messages, last), ended.owner, reply=failed)
    if ended is not None and ended.reply is None and (reacted := _what_it_reacts_to(conv, ended)) is not None:
        # "Then 4x is probably as good as you can expect" -> "I'll just have to get a beefier PC - or a better
        # algorithm...": the asker's last word, after what it reacts to
        return Item(reacted[1], (reacted[0], *ended.messages), ended.owner, reply=ended.text)
    if (ended is not None and ended.reply is not None and len(ended.messages) == 2 and (shown := ended.messages[0]) + 2 == ended.messages[1]
            and conv.author(shown + 1) == conv.author(shown) != conv.author(0) and conv.noise(shown + 1)
            and "```" in conv.messages[shown + 1].text and "```" not in conv.messages[shown].text
            and (gist := code_gist(conv.messages[shown + 1].text)) is not None and gist not in ended.text):
        # "I believe Plots matches columns with series." + "So:" ```plot(list_of_shapes, fillcolor=permutedims(…))``` ->
        # "… that solution you just provided … works so well": the answer is shown with the code that was taken up
        return Item(f"{ended.text.rstrip()} {gist}", (shown, shown + 1, ended.messages[1]), ended.owner, ended.reply, ended.asks)
    if ended is not None and ended.reply is None:
        shown = ended.messages[-1]
        if (shown + 1 < len(conv.messages) and conv.author(shown + 1) == conv.author(shown)
                and (ended.text.rstrip().endswith(":") or conv.noise(shown + 1) and "```" in conv.messages[shown + 1].text
                     and "```" not in conv.messages[shown].text and conv.author(shown) != conv.author(0))
                and (gist := code_gist(conv.messages[shown + 1].text)) is not None and gist not in ended.text):
            # "Thank you! for now I went with your script plus a bash alias:" + its alias in the next message; "Set
            # `color` to be transparent and `strokecolor` to be wathever you want" + the call it posted right after
            return Item(f"{ended.text.rstrip()} {gist}", (*ended.messages, shown + 1), ended.owner)
    return ended


_JUST_WHAT = re.compile(r"\b(?:exactly|just|precisely) what i (?:need|needed|want|wanted|was looking for|was after)\b|"
                        r"\b(?:is|was|works?) (?:just |absolutely )?perfect(?:ly)?\b|"
                        r"^\W*(?:(?:yes|yep|yeah|yup|oh|ah),? )?(?:that's|that is|this is) (?:exactly )?it\b")
"""The asker saying an answer was the one ("It looks like exactly what I needed!", "Yes, that's it", "The array of colors is
perfect!")."""


_PERFECT = re.compile(r"^\W*(?:perfect|excellent|brilliant)\b(?!\s+(?:for|if|but|except)\b)")
"""The asker's one-word verdict on an answer ("Perfect!! Thanks!"): stronger than thanks or a "nice", it says the
answer was the one (not "perfect for the other case", "perfect if …")."""


_ENDED_UP = re.compile(r"\b(?:(?:i|we) (?:just |finally )?ended up|in the end,? (?:i|we)(?: just)?) (?:just |simply )?"
                       r"(?:(?!getting\b|having\b|being\b|seeing\b|needing\b)\w+ing|went|used|wrote|switched|chose|"
                       r"picked|did|made|implemented|added|defined|settled|stuck)\b|^\W*(?:just |finally )?ended up "
                       r"(?:just |simply )?(?!getting\b|having\b|being\b|seeing\b|needing\b)\w+ing\b")
"""What the asker did in the end ("ended up just writing a simpler matrix concatenation routine …", "In the end I went
with a `Dict`"): not "I ended up getting the same error"."""


def _found_text(text: str) -> str:
    """An asker's own find as an ending shows it: its words without emoji codes, and a code block it pasted as its gist
    (:func:`code_gist`): "ok answered my own question again :sweat_smile:" + ```$(x).map( i => console.log(i) )``` ->
    "ok answered my own question again — `$(x).map( i => console.log(i) )`"."""
    words = _without_shortcodes(_FENCED.sub(" ", text))
    gist = code_gist(text) if _FENCED.search(text) else None
    return f"{words} — {gist}" if gist and words else gist or words or text.strip()


def _found_in_edit(conv: Conversation) -> str | None:
    """The opening message's own answer, when its asker added it later in the same message (:data:`_FOUND_IT`: "Edit:
    Found out: `MyModule.:(var"#foo#1")`"): that sentence and the rest of the message after it; None otherwise."""
    text = conv.messages[0].text
    for sentence in split_sentences(text)[1:]:
        if _FOUND_IT.match(_lower(sentence)) and (at := text.find(sentence)) >= 0:
            return _EMOJI_END.sub("", " ".join(text[at:].split())).strip() or None
    return None


def _own_way_last(conv: Conversation) -> tuple[int, str] | None:
    """``(message, text)`` when the thread's last message (noise, acknowledgements and courtesies after it aside) is the
    asker's, not the opening, and says what they did in the end (:data:`_ENDED_UP`), not as a question: that sentence
    with what it needs of its message (:func:`in_full`); None otherwise."""
    n = len(conv.messages)
    j = n - 1
    while j > 0 and (conv.noise(j) or conv.author(j) != conv.author(0) and (_acknowledges(conv, j) or _courtesy(conv, j))):
        j -= 1
    if j <= 0 or conv.author(j) != conv.author(0) or _remark_after_thanks(conv, j):
        return None  # (not a remark after their thanks: "Thanks!" -> "I ended up using a new feature without paying …")
    said = next((x for x in conv.content[j] if _ENDED_UP.search(_lower(x)) and not is_question(x)
                 and not _NOT_WORKING.search(_lower(x))), None)
    if said is None:
        return None
    return j, in_full(conv, j, said, trim_sentence(said) or said)


def _self_answer_confirmed(conv: Conversation, ended: Item) -> tuple[int, str] | None:
    """``(message, yes)`` when ``ended`` shows the asker's own answer (one message, not the opening) and the thread's
    last message is someone else's bare yes right after it (:func:`_yes_or_no`: "..a ok... the signature of the
    function is different. The inplace version has du as additional parameter" -> "yes"), noise aside; None otherwise.
    Without it a reader cannot tell anyone confirmed the asker's guess (docs/evals.md, thirty-second round)."""
    if len(ended.messages) != 1 or (k := ended.messages[0]) == 0 or conv.author(k) != conv.author(0):
        return None
    last = len(conv.messages) - 1
    if last <= k or conv.author(last) == conv.author(k) or not _yes_or_no(conv.messages[last].text.strip()) or any(
            not conv.noise(j) for j in range(k + 1, last)):
        return None
    return last, " ".join(_EMOJI_END.sub("", conv.unmention(conv.messages[last].text)).split())


def _asker_confirms(conv: Conversation, ended: Item) -> tuple[int, str] | None:
    """``(message, words)`` when the thread's last word is its asker's and says the answer ``ended`` shows (someone
    else's) was the one: it worked (:func:`_reports_success`), they found it ("Nevermind. Found it. Thanks!!"), it was
    it ("Yes, that's it", "exactly what I needed!"); ``words`` is that message whole, trailing emoji off. Only when
    nobody else spoke after the answer, and the confirmation is not shown already. None otherwise. Blind readers
    missed it: without it a reader cannot tell the fix worked (docs/evals.md, thirty-first round)."""
    asker = conv.author(0)
    if ended.messages[0] == 0 or conv.author(ended.messages[0]) == asker:
        return None
    shown = max(j for j in ended.messages if conv.author(j) != asker)  # (the answer may span its author's messages)
    after = [j for j in range(shown + 1, len(conv.messages))
             if not conv.noise(j) or _PERFECT.match(_lower(conv.messages[j].text))
             or _THAT_WAS_IT.search(_lower(conv.messages[j].text))]  # ("Perfect!! Thanks!" is noise, so is "aha
    # interesting.. that might be the issue at hand indeed")
    if not after or any(conv.author(j) != asker for j in after):
        return None
    last = after[-1]
    said = [_lower(conv.unmention(x)) for x in split_sentences(conv.messages[last].text)]
    if any(is_question(x) or _STILL_FAILING.search(x) for x in said) or not any(
            _reports_success(_THANKS_FIRST.sub("", x)) or _FOUND_IT.match(x) or _GOT_IT.match(x + " ") or _THAT_WAS_IT.search(x)
            or _JUST_WHAT.search(x) or _PERFECT.match(x) for x in said):
        return None
    text = " ".join(ended.text.split())
    if any(word_count(x) >= 3 and " ".join(x.split()) in text for x in conv.content[last]):
        return None  # (its own words are what ``ended`` shows: "… it works beautifully :smile:")
    words = " ".join(_EMOJI_END.sub("", _whole_reply(conv, last)).split())
    return (last, words) if words else None


_CONCEDES = re.compile(r"\b(?:you(?:'re| are) (?:quite |absolutely |totally )?(?:right|correct)|"
                       r"your (?:interpretation|reading|understanding|explanation) is (?:correct|right)|i stand corrected|"
                       r"i (?:was|am) (?:misreading|misunderstanding|wrong)|i misread)\b")
"""A concession ("Indeed, reading it again, your interpretation is correct", "you're right", "I stand corrected")."""


def _conceded(conv: Conversation, ended: Item) -> tuple[int, str] | None:
    """``(message, words)`` when the thread's last message (noise after it aside) concedes the point ``ended`` shows
    (:data:`_CONCEDES`), by someone other than its author, right after it; ``words`` is that message whole, trailing
    emoji off. None otherwise. Without it a reader cannot tell the correction settled it (docs/evals.md, thirty-fourth
    round)."""
    shown = max(ended.messages)
    last = len(conv.messages) - 1
    while last > shown and conv.noise(last) and not _CONCEDES.search(_lower(conv.messages[last].text)):
        last -= 1
    if last <= shown or conv.author(last) == conv.author(shown) or any(not conv.noise(j) for j in range(shown + 1, last)):
        return None
    said = _lower(conv.unmention(conv.messages[last].text))
    if not _CONCEDES.search(said) or any(is_question(x) for x in split_sentences(conv.messages[last].text)):
        return None
    words = " ".join(_EMOJI_END.sub("", conv.unmention(conv.messages[last].text)).split())
    return (last, words) if words and words not in ended.text else None


_SHORT_ENDING_WORDS = 8
"""Words up to which an ending that opens its message shows the rest of it too, when the rest is one more sentence."""


def _rest_of_short_ending(conv: Conversation, ended: Item) -> str | None:
    """What follows the ending in its message, when the ending shows only that message's opening sentence of
    :data:`_SHORT_ENDING_WORDS` words or fewer and the rest is one more sentence (a question only when it is a guess put
    as one) or only a link: "It's difficult to say without more details." + "It could be because of type instabilities, or
    perhaps you are comparing BigInts/BigFloats?"; "I don't think so. I looked into this a few weeks ago." + its issue
    link. Blind readers marked such
    endings cut before their point (docs/evals.md, thirty-first round). None otherwise."""
    i = ended.messages[0]
    raw = conv.messages[i].text
    at = raw.find(ended.text)
    if at < 0 or raw[:at].strip() or "```" in raw:
        return None
    rest = raw[at + len(ended.text):].strip()
    link = URL.fullmatch(rest.strip("<>"))
    if link:
        return link.group(0)
    said = conv.content[i]
    if not rest or word_count(ended.text) > _SHORT_ENDING_WORDS or len(said) != 2 or said[0] != ended.text or (
            " ".join(said[1].split()) != " ".join(rest.split())) or word_count(URL.sub(" ", said[1])) < 3:
        return None  # (not a link and its copy in brackets, as Slack unfurls it: "Found it! <link> (<link>)")
    if is_question(said[1]) and not _GUESSES.search(_lower(said[1])):
        return None  # a question of its own stays an open question ("This is a pervasive issue (no news there). Has
        # someone written up how this should be?": judged blind); a guess put as one is the answer
    return conv.unmention(said[1]).strip() or None


def _bare_yes_or_no_goes_on(conv: Conversation, ended: Item) -> str | None:
    """``ended``'s text with the next sentence of its message, when it shows only a yes or a no of four words or fewer
    ("No, not necessarily.") and its author goes on in the same message ("It's just the regular broadcast mechanism:"),
    with the gist of the code right after that sentence when it leads into a block; None otherwise. Blind readers marked
    the bare "No" cut before its point (docs/evals.md, thirty-first round)."""
    text = ended.text.strip()
    if not re.match(r"^\W*(?:no|nope|yes|yep|yeah|yup)\b", text, re.IGNORECASE) or word_count(text) > 4:
        return None
    said = conv.content[ended.messages[0]]
    at = said.index(text) if text in said else -1
    if at < 0 or at + 1 >= len(said) or is_question(said[at + 1]):
        return None
    after = conv.unmention(said[at + 1]).strip()
    raw = conv.messages[ended.messages[0]].text
    rest = raw[raw.find(said[at + 1]) + len(said[at + 1]):].lstrip() if said[at + 1] in raw else ""
    gist = code_gist(rest) if introduces(after) and rest.startswith("```") else None
    return f"{text} {after}" + (f" {gist}" if gist else "")


_LEANS_ON_IT = re.compile(r"^(?:that|this) (?!is\b|was\b|'s\b|seems\b|sounds\b|looks\b)[a-z]+s\b|"
                          r"^it(?:'ll| will) (?:tell|show|print|list|give|say)\b", re.IGNORECASE)
"""An ending that opens on what its author's message before it said ("That simplifies the code, because …", "it'll
tell you which package is not compatible" after the command to run), not on a verdict ("That sounds …", "That seems …")."""


def _went_on_from(conv: Conversation, ended: Item) -> str | None:
    """What its author posted right before the message ``ended`` shows, when what it shows goes on from it ("and I
    often use `@device_code dir="dump" @cuda`", "And if your ticks don't change …, pass an array there"): a link posted
    alone, or a short message (:data:`_WENT_ON_WORDS` words or fewer, no code block) whole; None otherwise."""
    first = ended.messages[0]
    leans = bool(_LEANS_ON_IT.match(ended.text.strip()))
    if first < 1 or conv.author(first - 1) != conv.author(first) or not re.match(
            r"^(?:and|also|plus|or)\b", ended.text.strip(), re.IGNORECASE) and not leans or not ended.text.startswith(
            conv.messages[first].text.strip()[:20]):
        return None
    before = conv.messages[first - 1].text.strip()
    match = URL.fullmatch(before.strip("<>"))
    if match:
        return match.group(0) if match.group(0) not in ended.text else None
    if re.match(r"^\W*\w+,? i\b", ended.text, re.IGNORECASE):
        return None  # ("and I solved my problem..": a report of its own, not a step on from the message before)
    if (leans and conv.noise(first - 1) and _INLINE_CODE.search(before) and "```" not in before
            and word_count(before) <= _WENT_ON_WORDS and ended.reply is None):
        said_before = " ".join(conv.unmention(before).split())
        return said_before if said_before[-1:] in ".!?:;," else f"{said_before},"  # "you can find out which by doing
        # `]add Trixi@0.3.21`," <- "it'll tell you which package is not compatible …": the command it speaks of
    said = conv.content[first - 1]
    most = 2 * _WENT_ON_WORDS if leans else _WENT_ON_WORDS  # ("That simplifies the code, because …" says nothing without
    # "Yes, LoopVectorization no longer needs to use asm call … with LLVM >=11.", however long it goes on)
    if (not said or not 3 <= _own_words(conv, first - 1) <= most or "```" in before or conv.noise(first - 1)
            or ended.reply is not None or _acknowledges(conv, first - 1) and not (leans and _own_words(conv, first - 1) > 8)
            or _THANKS.search(_lower(before)) or word_count(ended.text) > _WENT_ON_WORDS + 10 and not leans):
        return None  # (not the asker's thanks before their next question: "Thanks for the help! …" + "also, Do I need …";
        # not "vs <link>"; not before an ending that says enough itself: "Also this thread (…) in Discourse has several
        # really cool implementations. …", whose message before it a key point shows beside the question: judged blind)
    went = " ".join(conv.unmention(x).strip() for x in said)
    return went if re.search(r"[.!?:;…]\W*$", went) else f"{went}."  # ("… Then xticklabelcolor and yticklabelcolor." +
    # "And if your ticks …")


def _still_failing_after(conv: Conversation, ended: Item) -> str | None:
    """The error the asker pasted last, after the suggestion ``ended`` shows, when their last message is only that paste
    (no words of their own): they tried it and it still fails ("`pkg> registry rm General; registry add General;
    instantiate`" -> ```… ERROR: cannot find name corresponding to UUID …```); its first error line
    (:func:`error_gist`). None otherwise."""
    last = len(conv.messages) - 1
    if (last <= max(ended.messages) or conv.author(last) != conv.author(0) or conv.author(ended.messages[-1]) == conv.author(0)
            or _own_words(conv, last) > 0):
        return None
    return error_gist(conv.messages[last].text)


_REACTION_WORDS = 20
"""Words up to which the asker's last message, after someone's answer, only reacts to it (:func:`_what_it_reacts_to`)."""


def _what_it_reacts_to(conv: Conversation, ended: Item) -> tuple[int, str] | None:
    """``(message, text)``: the answer right before the asker's last message (or anyone's last thanks: "maxima seems
    useful as well" -> "Thank you, I will have a look."), when ``ended`` shows only that message and it reacts to the
    answer in a few words (:data:`_REACTION_WORDS`, no question, code or link: "I'll just have to
    get a beefier PC - or a better algorithm..." after "yeah. Then 4x is probably as good as you can expect"), so it
    says nothing alone; the answer's last statements that fit in :data:`_REACTED_TO_WORDS` words, whole. None otherwise."""
    last = len(conv.messages) - 1
    if ended.messages != (last,) or ended.reply is not None or last < 2 or conv.author(last) != conv.author(0) and not (
            conv.author(last) != conv.author(last - 1) and _THANKS.search(_lower(conv.messages[last].text))):
        return None  # (anyone's thanks does too: "maxima seems useful as well" -> "Thank you, I will have a look.")
    text = conv.messages[last].text
    if ("`" in text or URL.search(text) or any(is_question(x) for x in conv.content[last])
            or _own_words(conv, last) > (_OPENED_REACTION_WORDS if _REACTS.match(_lower(conv.unmention(text))) else _REACTION_WORDS)
            or _STILL_FAILING.search(_lower(text))
            or _NOT_WORKING.search(_lower(text))):
        return None  # (a failure is never shown as what the answer led to: "Found it, but it still fails …")
    k = last - 1
    said = [conv.unmention(x).strip() for x in conv.content[k] if not is_question(x)]
    if conv.author(k) == conv.author(last) or conv.noise(k) or not said or _acknowledges(conv, k):
        return None
    kept = said[-1:]  # its last sentences that fit, whole: what the asker's word answers last
    for sentence in reversed(said[:-1]):
        if word_count(" ".join([sentence, *kept])) > _REACTED_TO_WORDS:
            break
        kept.insert(0, sentence)
    return k, clip(" ".join(kept), _REACTED_TO_WORDS)


_REACTS = re.compile(r"^\W*(?:(?:oh|ah|hm+|ok|okay),? )?(?:that's |that is |very |how |this is )?(?:interesting|good to know|neat)\b")
"""A last word that opens by reacting to what came before it ("Oh that's interesting, I'd usually avoid casting customer
numbers as anything number-like …")."""
_OPENED_REACTION_WORDS = 45
"""Words of a last word that opens as a reaction (:data:`_REACTS`) shown after what it reacts to."""
_REACTED_TO_WORDS = 40
"""Words of the answer shown before the asker's reaction to it (:func:`_what_it_reacts_to`): its last sentences that fit,
whole ("GR has an approximation like matplotlib's mathtext, … I don't know what the best solution is there" — "Probably
as GR, an approximation would be enough.")."""


def _what_it_takes_back(conv: Conversation, ended: Item) -> tuple[int, str] | None:
    """``(message, text)``: its author's message before the one ``ended`` shows, when that one only takes it back
    (:data:`_TAKES_BACK`: "ah! I missed it somehow, it is" after "looks like `win.webContents.openDevTools()` isn't
    exposed. Working on a PR"), so the correction says nothing alone; None otherwise."""
    last = ended.messages[-1]
    if len(ended.messages) != 1 or not _TAKES_BACK.match(conv.messages[last].text) or _own_words(conv, last) > 12:
        return None
    before = next((k for k in range(last - 1, -1, -1) if conv.author(k) == conv.author(last) and not conv.noise(k)), None)
    if before is None or not conv.content[before]:
        return None
    return before, " ".join(conv.unmention(x).strip() for x in conv.content[before])


_JUDGES = re.compile(r"\b(?:yes|yeah|yep|no|nope|not|never|definitely|probably|correct|right|wrong|safe|unsafe|should|"
                      r"can|cannot|will|would|is|are|does|do|works?|possible|impossible)\b|n't\b")
"""A word that gives a verdict ("that is definitely not safe", "no, it won't"): not a bare list of names
("xlabelcolor and ylabelcolor")."""


def _verdict_before(conv: Conversation, ended: Item) -> str | None:
    """The verdict its author posted alone right before the message ``ended`` shows, when that message explains it and
    the asker's question came right before the verdict ("Is it safe to do this within the function …?" -> "that is
    definitely not safe." -> "A callback is probably required to handle it properly, …"): the verdict is the answer
    and the next message its reason. A verdict is two to eight words of its own, no question, code, link or
    acknowledgement, with a word that judges (:data:`_JUDGES`), before a message that does not go on to another option
    ("Or …", "And …"); None otherwise."""
    first = ended.messages[0]
    if first < 2 or ended.reply is not None or conv.author(first - 1) != conv.author(first) or conv.author(first) == conv.author(
            first - 2) or not ended.text.startswith(conv.messages[first].text.strip()[:20]):
        return None
    verdict = first - 1
    text = conv.messages[verdict].text.strip()
    if (conv.noise(verdict) or not 2 <= _own_words(conv, verdict) <= 8 or "`" in text or URL.search(text)
            or any(is_question(x) for x in conv.content[verdict]) or _acknowledges(conv, verdict)
            or _HOLD_ON.match(_lower(text)) or _THANKS.search(_lower(text)) or not _JUDGES.search(_lower(text))
            or re.match(r"^\W*(?:and|also|plus|or)\b", ended.text, re.IGNORECASE)
            or not any(is_question(x) for x in conv.content[first - 2])):
        return None
    said = " ".join(conv.unmention(x).strip() for x in conv.content[verdict])
    return said if re.search(r"[.!?:;…]\W*$", said) else f"{said}."


_WENT_ON_WORDS = 15
"""Words up to which its author's message right before an ending that goes on from it ("And …") is shown with it."""


_CHANNEL_ONLY = re.compile(r"^\W*(?:#[\w.-]+[\s,?!.]*)+$")
"""A message that only names a channel or two ("#dash", "#pluto ?")."""


def _points_to_channel(conv: Conversation) -> Item | None:
    """The asker's last question before the thread's last message, with that message as its reply, when that message
    is someone else's and only names a channel ("What channel to ask help for Dash.jl? — mbauman: #dash"; "where would
    you talk about julia webdev on slack" — "#web", then the asker's "thanks"): the answer is where to ask. None
    otherwise (a bare channel name is noise as a point, so the thread had no ending at all)."""
    last = len(conv.messages) - 1
    while last > 1 and conv.author(last) == conv.author(0) and _acknowledges(conv, last) and _own_words(conv, last) <= 6:
        last -= 1  # ("#web" -> "thanks")
    text = conv.messages[last].text.strip()
    if last < 1 or conv.author(last) == conv.author(0) or not _CHANNEL_ONLY.match(text):
        return None
    asked = [(j, x) for j in range(last) if conv.author(j) == conv.author(0) for x in conv.content[j] if asks(x)]
    if not asked:
        return None
    j, question = asked[-1]
    return Item(conv.unmention(question).strip() or question, (j, last), reply=" ".join(text.split()))


def _left_asking(conv: Conversation, ended: Item) -> tuple[int, str] | None:
    """``(message, question)`` when the thread's last word, after everything ``ended`` cites, is someone's question
    that nobody answered ("What are you suggesting here?" after a bare link, "what are you trying to profile?"): its
    question sentences, whole. A reader needs to know the thread stopped on it (docs/evals.md, thirty-first round).
    None otherwise."""
    last = len(conv.messages) - 1  # (the very last: not "Maybe `Iterators.peel` ?" -> "oops, no, misunderstood the
    # question, sorry", noise that takes it back)
    if last <= max(ended.messages) or conv.noise(last) or not conv.content[last] or conv.author(last) == conv.author(
            ended.messages[0]):
        return None  # (not its own author going on: "Looks like they're looking for vulnerable CCTV cameras: …" -> "What
        # could go wrong?")
    asked = [conv.unmention(x).strip() for x in conv.content[last] if is_question(x)]
    if not asked or len(asked) < len(conv.content[last]) - 1 or word_count(" ".join(asked)) < 3 or not is_question(
            conv.content[last][-1]):
        return None  # (a question with at most one sentence before it, "Thanks. What about Windows?"; not one waved off:
        # "Those seem to take longer than my solution though? Oh well, I'm not too worried about time")
    return last, clip(_EMOJI_END.sub("", conv.unmention(conv.messages[last].text)).strip(), REPLY_WORDS)


def _asked_before_code(conv: Conversation, ended: Item) -> tuple[int, str] | None:
    """``(message, question)`` when ``ended`` shows only inline code (its first message's, "`Sys.CPU_THREADS`") and the
    message right before that one is someone else's and asks a question of four words or more (its first, not a call for
    help or a guess); None otherwise."""
    first = ended.messages[0]
    if first < 1 or not _INLINE_CODE_ONLY.match(ended.text.strip()) or conv.author(first - 1) == conv.author(first):
        return None
    if ended.text.strip() != conv.messages[first].text.strip() or len(ended.messages) > 2 or (
            len(ended.messages) == 2 and conv.author(ended.messages[1]) != conv.author(first - 1)):
        return None  # only a message that is that code and nothing else, thanked (if at all) by whoever asked
    asked = [x for x in conv.content[first - 1] if is_question(x) and word_count(x) >= 4
             and not ASKS_FOR_HELP.search(_lower(x)) and not _GUESSES.search(_lower(x))]
    return (first - 1, conv.unmention(asked[0]).strip() or asked[0]) if asked else None  # (what it asks, not "Any ideas
    # on how I can tackle this?" nor the asker's own guess after it: "Maybe some kind of C call?")


_DOTTED_NAME = re.compile(r"^\W*[A-Za-z_]\w*(?:\.[A-Za-z_][\w!]*)+(?:\(\S*\))?\W*$")
"""A reply that is only a qualified name, code without its marks ("Iterators.flatten", "Base.summarysize(x)")."""


def _code_after_askers_words(conv: Conversation, ended: Item) -> str | None:
    """The :func:`code_gist` of the thread's last message when it is a code answer (:func:`_code_answer`) from someone
    other than the asker, and ``ended`` shows the asker's own words with nobody else before it (their question or the
    details they added, no question mark needed, unlike :func:`_answered_with_code_last`); None otherwise. A reader of
    "Hrishikesh Das: I want to use the addfaceset function … it doesnot support to use && operator." alone took the
    thread for unanswered (docs/evals.md, thirty-second round)."""
    last = len(conv.messages) - 1
    asker = conv.author(0)
    if (last < 1 or conv.author(last) == asker or not _code_answer(conv, last) or last in ended.messages
            or any(conv.author(j) != asker for j in range(0, last))):
        return None
    return code_gist(conv.messages[last].text)


_WHAT_SOLVED_IT = re.compile(r"\b(?:what|how)\b[^?]{0,40}\b(?:problem|issue|cause|culprit|fix|solution|wrong|solved?|"
                             r"resolved?|fixed)\b[^?]*\?|\bwhat was it\b[^?]*\?")
"""A question for what solved a problem ("What was the problem?", "how did you fix it?")."""


def _how_it_was_solved(conv: Conversation, ended: Item) -> tuple[int, str] | None:
    """``(message, text)``: the asker's explanation of what solved it, when ``ended`` is only the asker's word that it
    is solved (six words or fewer: "Resolved. Thank you.") and someone then asked what solved it
    (:data:`_WHAT_SOLVED_IT`) and the asker answered, last (whole, up to :data:`_ANSWER_REPLY_WORDS` words); None
    otherwise."""
    said = ended.messages[-1]
    n = len(conv.messages)
    if conv.author(said) != conv.author(0) or _own_words(conv, said) > 6 or not any(
            _resolves(_lower(x)) or _worked(conv, said) for x in conv.content[said]):
        return None
    asked = next((j for j in range(said + 1, n) if conv.author(j) != conv.author(0)
                  and _WHAT_SOLVED_IT.search(_lower(conv.messages[j].text))), None)
    answer = max((k for k in range(n) if not conv.noise(k)), default=None)
    if asked is None or answer is None or answer <= asked or conv.author(answer) != conv.author(0):
        return None
    return answer, clip(conv.unmention(conv.messages[answer].text).strip(), _ANSWER_REPLY_WORDS)


def _last_word_unshown(conv: Conversation, ended: Item) -> str | None:
    """The thread's last message whole (:func:`_whole_reply`), when ``ended`` cites it last without showing any of it,
    it comes from someone other than the message ``ended`` shows (or from its author, reporting the step done:
    "Okay, _now_ it's released :smile:"), and it says more than an acknowledgement: a reply
    that disagrees ("GitHub discussion are annoying"), points elsewhere ("Come to the PlutoCon presentation next week!",
    "Oh this one right : <issue link>") or goes on ("yes, though in my opinion running into this issue is more
    indicative of a design issue …"). None otherwise. Blind readers marked such endings wrong: they stopped one
    message early (docs/evals.md, thirtieth round)."""
    last = max((j for j in range(len(conv.messages)) if not conv.noise(j)), default=None)
    if last is None or len(ended.messages) < 2 or ended.messages[-1] != last or ended.messages[0] == last:
        return None
    shown = " ".join(ended.text.split())
    text = " ".join(conv.unmention(conv.messages[last].text).split())
    lowered = _lower(text)
    if not text or text[:40] in shown or any(word_count(x) >= 3 and " ".join(x.split()) in shown for x in conv.content[last]):
        return None
    if conv.author(last) == conv.author(ended.messages[0]) and not _FIXED_NOW.search(lowered):
        return None  # (its author's own last word only when it reports the step done: "Okay, _now_ it's released :smile:")
    if _courtesy(conv, last) or _own_words(conv, last) < 3 and not URL.search(text) and not _DOTTED_NAME.match(text):
        return None
    if any(line.lstrip().startswith(">") for line in conv.messages[last].text.splitlines()) or is_quotation(text):
        return None  # ("Really odd" + a link + a quoted line of the NEWS it links: a quote is no last word)
    if re.match(r"^\W*(?:that|this|the (?:first|second|last|other)) one\b", lowered) or (
            _LEANS_BACK.match(lowered) and _own_words(conv, last) <= 8 and "`" not in text and not URL.search(text)):
        return None  # "that one is the closest.": it says which only beside what it picks (not shown here)
    if _acknowledges(conv, last) and _own_words(conv, last) <= 6 and not URL.search(text) or _CLOSER.search(lowered) or (
            _THANKS.search(lowered) and _own_words(conv, last) <= 12 and "`" not in text and not URL.search(text)):
        return None  # ("Ah, ok.", "perfect, thank you guys. It's very helpful."; not "Ah, thanks, this package seems
        # nice: <link>", which names what the asker took)
    if _LAUGH_END.search(text) or re.search(r"\b(?:(?:ha){2,}h?|(?:he){2,}h?|lol)\b", lowered) or _PRAISE_ONLY.match(
            re.sub(r"^\W*(?:that|it|this)(?:'s| is) ", "", lowered)) or not conv.content[last] and not URL.search(text) or (
            re.fullmatch(r"(?:@[\w.'-]+(?: (?:[A-Z][\w.'-]*|van|der|de|von|la|da|di|le))*[\s,.!]*)+", conv.messages[last].text.strip())):
        return None  # banter, praise ("Hahaha, that'd be amazing! :smile:", "that's wonderful") and a bare mention ("@Fons
        # van der Plas") say nothing more
    return _whole_reply(conv, last)


def _ended_at(conv: Conversation) -> Item | None:
    """Where ``conv`` ended (:func:`outcome`, whose docstring says how), before the last word, the question before a
    code answer and the code after a lead-in are added."""
    n = len(conv.messages)
    courtesy = n
    def closes(j: int) -> bool:  # a closing courtesy, or one opening a longer message that the asker's remark follows
        return _courtesy(conv, j) or j + 1 < n and _remark_after_courtesy(conv, j + 1)

    while courtesy > 2 and (conv.noise(courtesy - 1) or closes(courtesy - 1) or (
            _acknowledges(conv, courtesy - 1) and _courtesy(conv, courtesy - 2)) or _remark_after_courtesy(conv, courtesy - 1)):
        courtesy -= 1  # … and the thanks for a closing courtesy ("… the #helpdesk channel." -> "That might be useful! …")
    closing = next((j for j in range(courtesy, n) if closes(j)), None)
    contact = n
    while contact > 3 and (_contact(conv, contact - 1) or conv.noise(contact - 1) or (
            _own_words(conv, contact - 1) == 0 and URL.search(conv.messages[contact - 1].text)) or (
            _acknowledges(conv, contact - 1) and _own_words(conv, contact - 1) <= 6 and _contact(conv, contact - 2))):
        contact -= 1
    aside = n
    while True:  # (noise after an aside, "(Please put further discussion in the github issue.)", is passed over with it)
        k = aside
        while k > 3 and conv.noise(k - 1):
            k -= 1
        if k > 2 and _trailing_aside(conv, k - 1):
            aside = k - 1
            continue
        break
    if aside == n and _remark_after_thanks(conv, n - 1):
        aside -= 1  # "`"^1.6.0-0"`" -> "Thanks!" -> "I ended up using a new feature without paying attention …": the answer
    if aside < n and not (_yes_or_no(conv.messages[aside - 1].text) and conv.author(aside) == conv.author(aside - 1)) and (
            before_aside := outcome(Conversation(conv.messages[:aside]))) is not None:  # (not "Yes" + its author's
        # "(this also greatly affects performance of global values …)": the afterthought goes on from the bare yes)
        # "(I always forget the ordering of … :stuck_out_tongue_winking_eye:)", "Hey look it's the author of chain.jl!",
        # "Oh god, I shared the link and Slack shows the entire code in here :man-facepalming:": it ended before (when
        # anything before it says where)
        return before_aside
    stripped = [j for j in range(contact, n) if not conv.noise(j)]
    if len(stripped) > 1 and _contact(conv, stripped[0]):
        # "I might have to send you an email" -> "yeah, send it over" -> "dm me your email, then?" -> … "just sent it":
        # the thread went on by e-mail; it ended where it was before
        return outcome(Conversation(conv.messages[:contact]))
    if closing is not None:
        # "Thanks @Oscar Smith" -> "Let me know if you have any questions about the PR. I'm glad to help!": the
        # answerer's closing courtesy closes the thread where it had ended, on what the asker thanked
        return outcome(Conversation(conv.messages[:closing]))
    if (restated := _restated_and_confirmed(conv)) is not None:
        # "Oh I see. So `.=` works regardless" -> "Yes it will work either way. But if you use `!` …": the asker's
        # understanding, and the yes that confirms it
        restatement, (asked_at, said_yes) = restated
        return Item(restatement, (asked_at, said_yes), reply=clip(" ".join(conv.unmention(conv.messages[said_yes].text).split()),
                                                           _ANSWER_REPLY_WORDS))
    reply: str | None = None
    concluded: int | None = None
    candidates = [i for i in range(n) if not conv.noise(i) and (not all(is_question(s) for s in conv.content[i]) or any(
        _REPORTED.search(_lower(s)) or i > 0 and _REDIRECTS.match(_lower(s))
        or i == n - 1 and conv.author(i) != conv.author(0) and _CAN_YOU_CHECK.match(_lower(conv.unmention(s)))
        for s in conv.content[i]))]  # "I have just created an empty EFTBase.jl repository …: https://… perhaps we can take
    # the discussion there?": a step taken, with a question after its link; "Maybe post in #pkg-dev ?" sends the question
    # elsewhere; "can you check @code_warntype to see if the larger run introduces type instabilities?", last, is the
    # next step asked for
    if conv.messages and conv.messages[0].is_bot:
        candidates = [i for i in candidates if i > 0]  # a bot's post people answered (a build failure) is what the thread
        # is about, never where it ended (:func:`bot.summaries.ranking.bot_root`) …
        asking = [i for i in range(1, n) if not conv.noise(i) and conv.content[i]]
        if not candidates and asking:  # … and a reply that only asks is listed as an open question ("Why does Sockets
            # keep dieing without warning??") or, when too short for one, is where it ended ("networking failure?")
            if any(item.messages == (asking[-1],) for item in open_questions(conv)):
                return None
            return Item(" ".join(conv.unmention(x).strip() for x in conv.content[asking[-1]]), (asking[-1],), asks=True)
    if not candidates and n > 2 and (coded := _answered_with_code_last(conv)) == (0, 1):
        # "Is there a more concise way to achieve this? ```…```" -> ```@eval @test allunique($x)``` -> "oh neat, right"
        question = _with_question_before(conv, 0, next(x for x in reversed(conv.content[0]) if is_question(x)))
        return Item(conv.unmention(question).strip() or question, coded, reply=code_gist(conv.messages[1].text))
    if (credited := _credited_last(conv)) is not None:
        # "is there a version of `repeat` …?" -> "`collect(Iterators.take(Iterators.cycle(1:3), 5))` (thanks,
        # @oxinabox!)": the answer the asker got, posted last
        asked_at, shown = credited
        question = next(x for x in conv.content[asked_at] if asks(x))  # (its first question: what "e.g." and the
        # rest go on from)
        return Item(conv.unmention(question).strip() or question, (asked_at, n - 1), reply=shown)
    if n >= 2 and set(candidates) <= {0} and (welcomed := _welcomed(conv)) is not None:
        return welcomed  # "Hello! I'm Roberto, a data enthusiast …" -> "Hi Roberto, nice to see you here!"
    if not candidates or n < 2 or candidates == [0] and _chatter_only(conv):
        return None  # a lone message ended nowhere: its sentences are key points
    # a caption ("the architecture diagram") says too little to be where a thread ended
    captions = {i for i in candidates if _FILE.search(conv.messages[i].text) and all(word_count(s) < 4 for s in _said(conv, i))}
    candidates = [i for i in candidates if i not in captions] or candidates
    # … nor a note that its author will be slow to answer ("N.B. this chat might be a bit spread out …")
    candidates = [i for i in candidates if not (_AWAY.search(conv.messages[i].text) and _own_words(conv, i) <= 25)] or candidates
    # … nor an objection its author took back ("No see I dont have Point, I have an instance of Point" -> "oh" -> "sorry")
    candidates = [i for i in candidates if i == 0 or not taken_back(conv.messages, i)] or candidates
    # … nor encouragement after an answer ("just try it out a bit to get a feel for things")
    candidates = [i for i in candidates if not (i > 1 and _own_words(conv, i) <= 15
                                                and _ENCOURAGES.match(_lower(conv.unmention(conv.messages[i].text))))] or candidates
    # … nor people tagged ("Tagging @Saranjeet Kaur @Binod Jung Bogati … who is interested") or a bare GIF or picture
    candidates = [i for i in candidates if not (_TAGGING.match(_lower(conv.messages[i].text)) and conv.messages[i].text.count("@") >= 2)
                  and not _bare_picture(conv, i)]
    if candidates == [0] and _chatter_only(conv) and any(_bare_picture(conv, j) for j in range(1, n)):
        return None  # an introduction answered by a welcome GIF
    confirmed: int | None = None
    if n > 1:
        candidates = [i for i in candidates if i > 0] or candidates
    # where a thread of up to 40 messages ended is in its last 12, not anywhere in its second half (a long thread keeps
    # its second half: its last messages are often an aside, and the resolution came before)
    recent = _RECENT if n <= 40 else n
    def reports(i: int) -> bool:  # the asker says it worked, and not to rebut "This also did not work on my machine"
        return conv.author(i) == conv.author(0) and bool(_worked(conv, i)) and not (
            conv.author(i - 1) != conv.author(i) and _NOT_WORKING.search(_lower(conv.messages[i - 1].text)))

    success = [i for i in range(max(1, n - 1 - min(_WENT_ON, recent)), n) if reports(i)]
    if not success and n <= 40:  # … unless the asker said, with thanks, that it worked, earlier in a thread that then went
        # on to a tangent ("Ok, thanks, that seems to be working." -> a syntax discussion of 20 messages)
        success = [i for i in range(1, max(1, n - 1 - recent)) if reports(i) and _thanked_success(conv, i)][-1:]
    # ("… This works well with the CRAN setup" after "This also did not work on my machine": a rebuttal, not a success)
    success = [i for i in success if not _meaning_confirmed(conv, i)]  # "or something else entirely?" -> "yeah that's
    # exactly it. But …": the asker says what they meant, nothing worked yet
    while len(success) > 1 and _code_names(_worked(conv, success[-1])) & _code_names(_worked(conv, success[0])):
        success.pop()  # "Thank you, `Text` works just fine!" … "I never use that package, but `Text()` works.": said again
    while len(success) > 1 and all(_THANKS_FOR_HELP.match(_lower(s)) for s in _worked(conv, success[-1])):
        success.pop()  # "`x = cond ? f(x) : x` was able to fix it" … "Thanks again for the help :)": the report says what
    while len(success) > 1 and success[-2] in range(success[-1] - 3, success[-1]) and not _PARTLY.search(
            _lower(conv.messages[success[-2]].text)) and all(
            conv.author(k) == conv.author(0) or conv.noise(k) for k in range(success[-2], success[-1])):
        success.pop()  # "… brought it down from 65 to 4 seconds per call" "I call that a huge win" "… performant enough
        # for my needs": one report in a row of messages, said first and fullest in its first
    if success and _asked_again(conv, success[-1]):
        success = []  # "Thanks for the help!" … "also, Do I need to do anything special to set tolerances?" -> answered
    answer = _answer_before(conv, success[-1], worked=True) if success else None
    if success and _code_named(conv, success[-1]) is None and (
            named := _names_one_of(conv, success[-1], _answers_within(conv, success[-1], 8))) is not None:
        answer = named  # "I did the alias and it works perfectly, thanks!" names the one message that suggested an alias
    if answer is not None and conv.author(success[-1]) == conv.author(0) and success[-1] - answer > 3 and all(
            conv.author(k) == conv.author(0) for k in range(answer + 1, success[-1])) and any(
            is_question(x) and word_count(x) >= 4 for k in range(answer + 1, success[-1]) for x in conv.content[k]):
        answer = None  # "how can I get the button to be more visible..?" … "I managed to add class="things" and the effect
        # is visible": asked again in three messages or more, nobody answered; the fix is their own (not a follow-up on
        # the answer: "So the `macrocall` block will still be created …?" -> "Awesome, seems like it works")
    went_on = _went_on(conv, success[-1]) if success else None
    later = _thanked_later(conv, success[-1]) if success and went_on is None else None
    if (found := _answer_found_last(conv, candidates)) is not None:
        # "… here is the answer to how to do this: ```options = …```": the asker's own answer, last, with its code
        lead = next(x for x in split_sentences(conv.messages[found].text) if _ANSWER_FOUND.search(_lower(x)))
        lead = conv.unmention(re.sub(r"^\W*(?:hey|hi|hello),?\s+", "", lead, flags=re.IGNORECASE)).strip()
        gist = code_gist(conv.messages[found].text)
        return Item(f"{trim_sentence(lead) or lead} {gist}" if gist else lead, (found,))
    if (taken := _guess_taken(conv)) is not None:
        guess_at, took_at, took = taken  # "Not sure, but maybe that was chosen to match the size of enum values in C?" ->
        # "Good guess, that's probably it. Thanks!": the guess the asker took is the answer, with their word on it
        guess = next(x for x in reversed(conv.content[guess_at]) if is_question(x))
        return Item(conv.unmention(guess).strip() or guess, (guess_at, took_at), reply=took)
    if (guessed := _code_guess_last(conv)) is not None:
        asked_at, answered_at, thanked_at = guessed  # "how would I go about parsing a json file into a dataframe" ->
        # "`DataFrame(JSON3.read(read(filepath, String)))`?" (-> "ah that's a great solution! thanks")
        question = next(x for x in reversed(conv.content[asked_at]) if is_question(x) or asks(x))
        cited = (asked_at, answered_at) if thanked_at is None else (asked_at, thanked_at, answered_at)  # (the reply's
        # author is the last message's)
        return Item(conv.unmention(question).strip() or question, cited, reply=conv.messages[answered_at].text.strip())
    if went_on is not None:
        chosen = went_on  # "Thanks for the quick help" … "I came up with this solution … any downsides?": not answered yet
    elif later is not None:
        chosen, confirmed = later  # "Thanks for your help!" … (the answer to the asker's pending question) -> "Ah ok that
        # makes sense, thanks!": the later answer the asker took up is where it ended
    elif success and (tried := _own_try(conv, success[-1])) is not None:
        chosen, confirmed = tried, success[-1]  # "meh I'll just merge the PR and see if that works …" -> "yay it works"
        reply = clip(_worked(conv, confirmed)[0], REPLY_WORDS)
    elif success and (own_code := _own_code_worked(conv, success[-1])) is not None:
        return Item(own_code, (success[-1],))  # "```convert(Array{Union{Poisson{Float64}, …}}, …)``` this seems to work!":
        # the asker's own code is what worked, not the last answer before it
    elif success and answer is not None and answer > 0 and not _PARTLY.search(_lower(conv.messages[success[-1]].text)):
        chosen, confirmed = answer, success[-1]
        if introduces(lead := _worked(conv, confirmed)[0]) and (gist := _changed_code(conv, confirmed)) is not None:
            reply = f"{clip(lead, REPLY_WORDS)} {gist}"  # "Because you didn't use it everywhere" -> "ok after a bunch of
            # fiddling it seems to work with:" + the macro again: the line the asker changed, `for e in $(esc(iterator))`
    elif success and answer is None and any("`" in x and _OWN_FIX.search(_lower(x)) for x in _worked(conv, success[-1])):
        chosen = success[-1]  # nobody here gave it: "Steve Johnson to the rescue! I needed to do `ENV["PYTHONPATH"]=""` also!"
    elif success and answer is None and any(word_count(x) >= 4 and not _THANKS.search(_lower(x)) and not _BUT.search(_lower(x))
                                            for x in _worked(conv, success[-1])):
        chosen = success[-1]  # the asker's own fix, no one's answer: "Restarted again, now working"
    elif (thanked := _asker_thanks_last(conv)) is not None:
        chosen, confirmed = thanked  # "JuliaPro v1.6.0-rc2 docker image is now available …" -> "Awesome, thank you!"
    elif (solved := _own_solution_approved(conv)) is not None:
        chosen, confirmed = solved  # "It's actually pretty manageable with normal tools ```is_add(x::Expr) = …```" -> "Not bad
        reply = conv.messages[confirmed].text.strip()  # at all" (-> "It feels like … but I might also be misremembering")
    elif (coded := _answered_with_code_last(conv)) is not None:
        asked_at, answered_at = coded  # "… is it possible to specify the color by mapping the boolean array?" -> code
        question = _with_question_before(conv, asked_at, next(x for x in reversed(conv.content[asked_at]) if asks(x)))
        return Item(conv.unmention(question).strip() or question, (asked_at, answered_at),
                    reply=code_gist(conv.messages[answered_at].text))
    elif (settled := _settled_by_yes_or_no(conv)) is not None:
        return _yes_or_no_item(conv, *settled)  # "… will this issue be fixed for all arrays?" -> "Yep!" -> "woot" ->
        # "thanks again!!"
    else:
        resolved = [i for i in candidates if i >= max(n // 2, n - recent) and not _ASIDE.match(_lower(conv.messages[i].text))
                    and (any(_resolves(_lower(s)) and (not is_question(s) or _REPORTED.search(_lower(s))) and not _VAGUE.search(_lower(s))
                             for s in conv.content[i]) or _delivers_work(conv, i))
                    and not _BRACKETED.match(conv.messages[i].text.strip()) and not _owns_a_slip(conv, i)]  # ("(Related: I
        # made a PR recently to PeriodicTable.jl …)" is an aside, not what resolved the question; nor is "Ah, my mistake"
        # after a correction)
        chosen = resolved[-1] if resolved else candidates[-1]
        last = candidates[-1]  # "I will manually edit the title" -> "Cool, thanks!": the promise is where it ended
        drawn = False  # the asker drew a conclusion from the answer right before their last word
        promise = last > max(resolved, default=-1) and conv.author(last) != conv.author(0) and _own_words(conv, last) >= 4 and any(
            _PROMISES.search(_lower(s)) and not _VAGUE.search(_lower(s)) and not is_question(s)
            for s in conv.content[last]) and all(
            conv.noise(j) or _acknowledges(conv, j) for j in range(last + 1, n))
        if resolved:  # one author's resolutions in a row are one report: its fullest sentence says where it ended
            run = [chosen]
            while run[0] - 1 in resolved and conv.author(run[0] - 1) == conv.author(chosen):
                run.insert(0, run[0] - 1)
            chosen = max(reversed(run), key=lambda i: (any(_REPORTED.search(_lower(x)) for x in conv.content[i]), max(
                (min(word_count(x), 40) for x in conv.content[i] if _resolves(_lower(x))), default=0)))  # (a step taken
            # is said fullest where it is taken: "Anyway, opened this issue https://…/issues/277")
            # someone answered its author after it ("@Lambda Moses the alpha and beta releases would be on this
            # page …" after "The problem is that R-devel is 4.4.0 … I wonder where 4.3.0 is"): that is where it ended
            answers = [j for j in candidates if j > run[-1] and (conv.opens_to(j) == conv.author(chosen) or (
                # … or the last word, right after its author's run, about what they said last ("Don't think I will
                # switch over to 1.6 …" -> "note that julia doesn't have any problem with having multiple versions …")
                j == n - 1 and conv.author(j) not in (conv.author(chosen), conv.author(0))
                and conv.author(j - 1) == conv.author(chosen)
                and conv.opens_to(j) is None and bool(_stems(conv.messages[j].text) & _stems(conv.messages[chosen].text))))
                       and _own_words(conv, j) >= 8 and not _acknowledges(conv, j)]
            replied = [j for j in candidates if answers and j > answers[-1] and conv.author(j) == conv.author(chosen)
                       and conv.opens_to(j) == conv.author(answers[-1]) and _own_words(conv, j) >= 8
                       and not _acknowledges(conv, j) and not any(is_question(x) for x in conv.content[j])]
            # … and its author's last word back to that answer ("@ScottPJones I would rather sit at the cool kids'
            # table and use Julia, …" after "If you want to be stuck in … Python for ML, you can, but …")
            chosen = replied[-1] if replied and replied[-1] == candidates[-1] else answers[-1] if answers else chosen
        # a new question the asker asked after it, and its answer ("one last question for the day … white space along
        # the borders?" -> "ah since the figure switch there is not a super convenient option anymore …")
        asked_on = [j for j in range(chosen + 1, n) if resolved and conv.author(j) == conv.author(0) != conv.author(chosen)
                    and any(is_question(x) and word_count(x) >= 6 for x in conv.content[j])]
        if resolved and not asked_on and conv.author(chosen) == conv.author(0) and chosen > 0 and any(
                _NEXT_STEP.search(_lower(x)) for x in conv.content[chosen][1:]):
            asked_on = [chosen]  # "It worked. Now, I was trying to expand upon it … not finding a way to start at the 9:30."
        answered_on = [j for j in candidates if asked_on and j > asked_on[-1] and conv.author(j) != conv.author(0)
                       and _own_words(conv, j) >= 8 and not _acknowledges(conv, j)
                       and not _SAYS_YES.match(_lower(conv.unmention(conv.messages[j].text)))]  # not "Yes, feel free to
        # copy paste the code wherever you desire" after "Is it okay if I copy paste your solution on Discourse?"
        answered_on = [j for j in answered_on if not _ADDS_ON.match(_lower(conv.unmention(conv.messages[j].text)))]
        if answered_on and not promise:
            chosen = answered_on[-1]  # … its last answer (not "No problem. It was probably the most productive thing I
            # did in the last three hours." after the asker's thanks)
        # the asker's closing thanks, with only the answerer's add-on after it ("I also sometimes hack my `LOAD_PATH` …")
        thanked_last = candidates[-2] if (
            conv.author(last) != conv.author(0) and len(candidates) > 1 and conv.author(candidates[-2]) == conv.author(0)
            and _ADDS_ON.match(_lower(conv.unmention(conv.messages[last].text)))) else last
        if promise:
            chosen = last
        elif ((thanked_last > chosen or thanked_last < last == chosen) and conv.author(thanked_last) == conv.author(0)
              and _own_words(conv, thanked_last) >= 20
              and (_THANKS_FIRST.match(_lower(conv.unmention(conv.messages[thanked_last].text)))
                   or _THANKS_CLOSE.search(_lower(conv.messages[thanked_last].text)))
              and not any(asks(x) for x in conv.content[thanked_last])):
            chosen = concluded = thanked_last  # the asker thanks and says where they are now: "Thanks everyone! … now thinking
            # this must be due to some error in ported code logic. Will review tomorrow." (its last statement says so)
        elif (agreed := _agreed_at_end(conv, candidates)) is not None and (agreed[0] > chosen or chosen >= agreed[1]):
            # "This is part of why I'm reticent to do `x` instead of `:x`. …" -> "I think so, too. One needs to be quite well
            # trained …" -> "So I like the clarity of :x as well": the thread ended agreeing on it
            chosen, confirmed = agreed
        elif (last >= chosen and last == n - 1 and conv.author(last) == conv.author(0) and 4 <= _own_words(conv, last) <= 25
              and _CONCLUDES.match(_lower(conv.messages[last].text)) and last - 1 in candidates
              and conv.author(last - 1) != conv.author(0) and word_count(URL.sub(" ", conv.messages[last - 1].text)) >= 8
              and not _acknowledges(conv, last - 1)):  # (its words, questions too: "I _think_ that you can define it for just
            # your module … you should be fine? Not sure actually." -> "oh right of course, I had forgotten …")
            # "… the reason that the compiler cannot optimize `vecdot3` is that it cannot prove they don't alias" -> the
            # asker: "Thus making some extra copies is actually making code faster": the answer, and what the asker drew
            chosen, confirmed, reply = last - 1, last, conv.messages[last].text.strip()
            drawn = True
        elif (last >= chosen and last == n - 1 and conv.author(last) == conv.author(0) and (quoted := conv.quotes(last)) is not None
              and conv.author(quoted) != conv.author(0) and conv.content[last]
              and _GOOD_POINT.match(_lower(conv.unmention(conv.content[last][0])))):
            # "> loading data from file is intrinsically not type stable" + "That a very good point. My code looked well
            # typed before …": the point the asker quotes and takes up is where it ended, with what they made of it
            chosen, confirmed, reply = quoted, last, clip(" ".join(conv.content[last]), REPLY_WORDS)
            drawn = True
        reported = promise or any(_REPORTED.search(_lower(s)) or _HANDS_OVER.match(_lower(s)) and URL.search(s)
                                  or _REDIRECTS.match(_lower(s)) for s in conv.content[chosen]) or _delivers_work(conv, chosen) or (
            conv.author(chosen) == conv.author(0) and _FOUND_IT.match(_lower(conv.messages[chosen].text))
            and URL.search(conv.messages[chosen].text))  # "found it: https://github.com/shashi/FileTrees.jl"
        # "Will do!", "Yeah": a closing remark; "You need" + ```CSV.read(file, DataFrame)``` says its code
        short = not drawn and _own_words(conv, chosen) < 8 and not reported and _around_code(conv, chosen) is None and not _leads_into_code(
            conv, chosen)  # "Cross-posting from Discourse," + ```… Slices(v, dims…) …```: an answer in code
        goes_on = bool(_GOES_ON.match(_lower(conv.messages[chosen].text)))  # "and that works really well"
        if short and chosen > 1 and conv.author(chosen - 1) == conv.author(chosen) and _code_answer(conv, chosen - 1) and not (
                goes_on or _CONTINUES.match(_lower(conv.messages[chosen].text))  # not "`rotr90`" -> "also `rotl90` …"
                or _yes_or_no(conv.messages[chosen].text) or _LOOKS_LIKE_IT.match(_lower(conv.messages[chosen].text))
                or _acknowledges(conv, chosen)):  # nor "so `x=@__MODULE__` seems to be what I want?" -> code -> "Looks like it"
            # ```julia> using StatsBase … mode([1,2,3,4,4,5])``` -> "installed `StatsBase v0.33.4`" -> "lol i forgot the
            # "using StatsBase" thing … thanks mate.": the code answered, its author's few words after it are an aside
            by_asker = next((j for j in range(chosen + 1, n) if conv.author(j) == conv.author(0) != conv.author(chosen)), None)
            if by_asker is not None and not re.search(r"\byou\b", _lower(conv.messages[chosen].text)):  # not "you need like
                short, chosen, confirmed = False, chosen - 1, by_asker  # `Complex{BigFloat}(a)`": that is the answer
        if (confirmed is None and chosen > 1 and conv.author(chosen - 1) == conv.author(chosen) and _own_words(conv, chosen) <= 8
                and _DONE_FIRST.match(_lower(conv.messages[chosen].text)) and _own_words(conv, chosen - 1) == 0
                and URL.search(conv.messages[chosen - 1].text)):
            # "https://github.com/SciML/DiffEqNoiseProcess.jl/issues/83" -> "Done, thank you Chris, as always!": what was
            # done is the link
            short, reply = False, conv.messages[chosen].text.strip()
            chosen, confirmed = chosen - 1, chosen
        explained = (_explained_before(conv, chosen, candidates)
                     if short and (chosen in resolved or goes_on or not _acknowledges(conv, chosen)
                                   and (_own_words(conv, chosen) >= 3 or _introduced(conv, chosen)
                                        or _own_words(conv, chosen) == 0 and URL.search(conv.messages[chosen].text))) else None)
        if explained is not None and (goes_on or not _acknowledges(conv, chosen)):
            if _own_words(conv, chosen) <= 3 and _DONE.search(_lower(conv.messages[chosen].text)):
                reply = conv.messages[chosen].text.strip()  # "… I'll now open a PR … — María Nanton: Done!"
            elif (_ALTERNATIVE.search(_lower(conv.messages[chosen].text)) or _DOING_NOW.search(_lower(conv.messages[chosen].text))
                  ) and not any(is_question(x) for x in conv.content[chosen]):
                reply = _whole_reply(conv, chosen)  # "1.6 helps a ton …" ->
                # "You also could check out package compiler": the other way it offers is shown, not only cited
            chosen, confirmed = explained, chosen  # ends a run of its author's own explanation: the explanation
        elif _acknowledges(conv, chosen) or short:  # "Yup, that's it": the answer it acknowledges is the outcome
            earlier = _answer_before(conv, chosen)
            asked = _asked_before(conv, chosen)
            if short and chosen == 1 and n <= 3 and conv.author(0) != conv.author(1) and any(
                    is_question(x) for x in conv.content[0]) and _SAYS_YES.match(_lower(conv.unmention(conv.messages[1].text))):
                # "just to be clear, Ch. 1-3 is through page 28, right?" -> "Yes that's right!": the question it says yes to
                chosen, confirmed, reply = 0, 1, " ".join(conv.unmention(conv.messages[1].text).split())
            elif short and asked is not None and (not _acknowledges(conv, chosen) or earlier is None and asked > 0 and _SAYS_YES.match(
                    _lower(conv.unmention(conv.messages[chosen].text)))):  # "Could you share it?" -> "Here you go!"
                reply = _short_reply(conv, chosen, specific=False)
                reply = _said_first(conv, chosen, asked, reply) if reply is not None else None
                chosen, confirmed = asked, chosen
            elif earlier is not None and (earlier > 0 or chosen == 1 and _share_thanked(conv, short=short)):
                if not _acknowledges(conv, chosen) and conv.author(earlier) != conv.author(chosen):
                    reply = _short_reply(conv, chosen) or (  # "Definitely 4.1.3": the answer is the last word; so is
                        # "Julia supports `finally`: https://…" after "Can i also simulate finally"
                        _short_reply(conv, chosen, specific=False) if any(
                            asks(x) or _ASKS_START.match(_lower(x)) for x in conv.content[earlier])
                        and URL.search(conv.messages[chosen].text) else None)
                chosen, confirmed = earlier, chosen
                if (named_code := _code_it_names(conv, confirmed, chosen)) is not None:
                    chosen = named_code  # "`var"@hello"`" -> "Could open an issue about allowing this though" -> "Okay
                    # cool. I saw `var"@hello"` is not a "*_str" macro …": the code it names is the answer
    thanked_link: int | None = None  # the asker's thanks for a bare link ("<link>" -> "Perfect thank you")
    if (confirmed is None or conv.author(confirmed) == conv.author(0) != conv.author(chosen) and _acknowledges(conv, confirmed)
            and not _worked(conv, confirmed)) and _own_words(conv, chosen) == 0 and URL.search(conv.messages[chosen].text):
        # a bare link ("https://github.com/…/pull/89") says where it ended with what led to it: "There's a PR on
        # Cthulhu that doesn't do the auto-descend … — Chris Elrod: https://…/pull/89"
        # … not a message its author took back ("Looks like a bug in setfield. Try making an issue" -> "Ah no wait a minute")
        window = [j for j in range(chosen - 1, max(chosen - 4, -1), -1) if not conv.noise(j) and not taken_back(
            conv.messages, j) and (_own_words(conv, j) >= 8 or (
            # … or its author's own question right before it ("Number or github repositories that use R?")
            j == chosen - 1 and conv.author(j) == conv.author(chosen) and _own_words(conv, j) >= 4
            and any(is_question(x) for x in conv.content[j])))]
        before = next((j for j in window if conv.author(j) == conv.author(chosen)), window[0] if window else None)
        if _PULL_LINK.search(conv.messages[chosen].text) and (asked_for := _pr_asked_for(conv, chosen)) is not None:
            before = asked_for  # "if you want you can make a quick PR" -> "Yea, can do" … -> "https://…/pull/636": the
            # pull request is what was asked for, not the chatter right before it
        # … the opening's question, in a short thread, when someone else's link answers it ("What is the current status
        # of this proposal …?" -> "https://github.com/stevengj/subsuper-proposal/issues/10")
        opening_answered = chosen <= 3 and conv.author(0) != conv.author(chosen) and any(asks(x) for x in conv.content[0])
        if before is None and opening_answered:
            before = 0
        if before is not None and (before > 0 or opening_answered):
            link = URL.search(conv.messages[chosen].text)
            thanked_link = confirmed
            chosen, confirmed, reply = before, chosen, _said_first(conv, chosen, before, link.group(0).strip("<>")) if link else None
    said = _said(conv, chosen)
    other = _other_way_last(conv, chosen) if confirmed is None else None
    other_reply = _whole_reply(conv, other) if other is not None else None
    if confirmed is None and _leads_into_code(conv, chosen) and (gist := code_gist(conv.messages[chosen].text)) is not None:
        # "Cross-posting from Discourse, `result = map(enumerate(…)) …`"
        return Item(f"{' '.join(said)} {gist}", (chosen,) if other is None else (chosen, other), reply=other_reply)
    if not said and (gist := code_gist(conv.messages[chosen].text)) is not None:
        # the answer is only code: what it does, in one line ("`struct MyStruct; x; MyStruct(x...) = new(x); end`")
        return Item(gist, (chosen,) if confirmed is None else (chosen, confirmed),
                    reply=None if confirmed is None else reply or _last_word(conv, confirmed))
    # someone else answered it ("… Are there any tools to visualise the allocations, like a flame graph?" -> "I know of
    # <ProfileView> and <FlameGraphs>"): the question it answers is what the answer needs beside it
    answered: str | None = next((s for s in reversed(conv.content[chosen]) if is_question(s) and not is_quotation(s)
                                 and word_count(s) >= 4), None) if (
        confirmed is not None and conv.author(confirmed) != conv.author(chosen) and (not _acknowledges(conv, confirmed)
        and not _worked(conv, confirmed) or _yes_to_its_question(conv, chosen, confirmed))) else None
    if answered is None and confirmed is not None and conv.author(confirmed) != conv.author(chosen) and _worked(conv, confirmed):
        # "From Julia it exits with 11 … Can you try to install curl instead?" -> "… all parts of GLMakie are downloaded
        # successfully …": what the asker tried is what worked
        answered = next((s for s in conv.content[chosen] if is_question(s) and _CAN_YOU_TRY.match(_lower(conv.unmention(s)))), None)
    sentences = [s for s in said if not is_quotation(s)] or said  # the author's own words, not what they quote
    # a link says little; a condition ("If you attend and do not want to present, do not worry.") gives way to what
    # the message says outright ("We can talk about it and I can organize a user group meeting for it.")
    # … nor a lead-in to code not shown ("… but can do it for regular mutables:"), unless the rest is code itself
    # … nor an aside after it ("I will submit a PR then." + "Btw @kristofferc, I'm still working on that other PR …")
    # … nor its author saying they had the same question ("I had the same question some time ago." + "I got it working as
    # shown here https://github.com/JuliaPlots/Makie.jl/issues/816")
    longest = max(sentences, key=lambda s: (_CODE_WORKS.search(s) is not None, not _ASIDE.match(_lower(conv.unmention(s))),
                                            not _ME_TOO.search(_lower(s)) and not _POSTS_LATE.search(_lower(s)),
                                            not _BRACKETED.match(s.strip()),
                                            not _CONDITION.match(_lower(s)),
                                            _CODEISH.search(_INLINE_CODE.sub("", s)) is None,
                                            not introduces(s), len(sentences) >= 3 and _VERDICT.search(_lower(s)) is not None,
                                            min(word_count(URL.sub(" ", s)), 40), -sentences.index(s)))
    if answered is not None:
        longest = answered
    elif concluded == chosen:
        longest = next((x for x in reversed(sentences) if word_count(x) >= 8 and not is_commitment(x)), longest)
    if not URL.sub(" ", longest).strip(" <>") and (at := sentences.index(longest)) > 0 and introduces(sentences[at - 1]):
        longest = f"{sentences[at - 1]} {longest}"  # "… so I created a new one on Discourse: https://…"
    text = trim_sentence(longest) or longest  # no pasted header or salutation before it, no rule line after
    one_word = len(text.split()) == 1  # the answer is one word ("NBodySimulator.jl"): the confirmation says more
    text = in_full(conv, chosen, longest, text, asked=answered is not None)
    if (pointer := _pointer_after(conv.messages[chosen].text, longest)) is not None and pointer not in text:
        text = f"{text.rstrip()} {pointer}"  # "User-defined functions can't have vector-outputs." + "See https://jump.dev/…"
    opening_words = split_sentences(conv.messages[chosen].text)[:2]
    done_first = next((k for k in range(len(opening_words)) if _DONE_FIRST.match(_lower(" ".join(opening_words[:k + 1])))
                       and word_count(" ".join(opening_words[:k + 1])) <= 3), None)
    if done_first is not None and not text.startswith(opening_words[0]) and answered is None:
        text = f"{' '.join(opening_words[:done_first + 1])} {text}"  # "Ok. Sent. Let's see how it goes. …": what was done
    if (listed := _listed_items(conv.messages[chosen].text, longest)) is not None:
        text = listed  # "The only shortcuts i can imagine for an ODE problem is: Solve over shorter time frames …; Solve a
        # simplified system; …" (-> "yeah that's a good list"), not its last item alone
    first_line = conv.messages[chosen].text.strip().split("\n", 1)[0].strip()
    if not _INLINE_CODE_LINE.fullmatch(first_line):  # "`push!()` . Here aa would be `Any[]` …": its first sentence
        first_line = (split_sentences(conv.messages[chosen].text) or [""])[0].rstrip(" .")
    if _INLINE_CODE_LINE.fullmatch(first_line) and first_line not in text and answered is None:
        text = f"{first_line}. {text}"  # "`"^1.6.0-0"`" above "Relevant discourse message: https://…": the answer is the code
    code_before: tuple[int, ...] = ()
    if (chosen > 1 and conv.author(chosen - 1) == conv.author(chosen) and conv.noise(chosen - 1) and other is None
            and _ON_THE_CODE.match(_lower(text)) and (gist := code_gist(conv.messages[chosen - 1].text)) is not None):
        # "`collect(Iterators.product(fill([1, 2, 3], n)...))`" -> "this gives a tensor but you can use `vec()` …":
        # what "this" is comes first
        text, code_before = f"{gist}: {text}", (chosen - 1,)
    if (confirmed is None and other is None and chosen > 1 and conv.author(chosen - 1) == conv.author(chosen)
            and _ABOUT_THE_LINK.match(_lower(text)) and (link := URL.search(conv.messages[chosen - 1].text)) is not None
            and _own_words(conv, chosen - 1) <= 3 and not URL.search(text)):
        # "http://videolectures.net/deeplearning2017_johnson_automatic_differentiation/" -> "the above is a good talk
        # focussed on explaining concepts": what it speaks of is the link
        return Item(f"{link.group(0).strip('<>')}: {text}", (chosen - 1, chosen))
    if confirmed is None and chosen > 1 and _GOES_ON.match(_lower(text)) and conv.author(chosen - 1) == conv.author(chosen) \
            and 0 < word_count(conv.messages[chosen - 1].text) <= 6 and "\n" not in conv.messages[chosen - 1].text.strip():
        # "`rotr90`" -> "also `rotl90` and `rot180`": the short answer it goes on from comes first
        return Item(f"{conv.messages[chosen - 1].text.strip()}, {text}", (chosen - 1, chosen))
    if other is not None:
        # "If you have a list unpack them with triple dots `[D1, D2, D3]...`" -> "maybe also `reduce` can help to avoid
        # splatting?": the other way offered last is shown with it
        return Item(text, (chosen, other), reply=other_reply)
    if confirmed is None and chosen > 1 and (bare_yes := _bare_yes_before(conv, chosen)) is not None and (
            leaned_on := _question_it_answers(conv, chosen - 1)) is not None:
        # "Is it backwards compatible in 1.c.x versions …?" -> "yes" -> "we don't change the format in patch releases": the
        # question, then the yes with its reason
        said_yes_first = f"{bare_yes}," if bare_yes[-1:].isalpha() else bare_yes  # "yes, we don't change …"
        return Item(leaned_on[1], (leaned_on[0], chosen - 1, chosen), reply=clip(f"{said_yes_first} {text}", _ANSWER_REPLY_WORDS))
    if confirmed is None and chosen > 0 and (_LEANS_BACK.match(_lower(text)) or _CATCH.search(_lower(text))
                                             or _YES_NO_BECAUSE.match(_lower(text)) or _ENDS_YES_NO.search(_lower(text))) and (
            leaned_on := _question_it_answers(conv, chosen)) is not None:
        # "what was the other failure?" -> "It is always the same issue (test hanging)": an answer that leans on the
        # question is shown after it; so is "Whoops yeah, …, good catch" after the question that caught it, and "It's how
        # I'd do it, at least." after the asker's "so seems like its necessary to use an explicit loop …"
        return Item(leaned_on[1], (leaned_on[0], chosen), reply=clip(text, _ANSWER_REPLY_WORDS))
    if (confirmed is None and chosen > 0 and conv.author(chosen - 1) != conv.author(chosen) and _WILL_DO.match(_lower(text))
            and (suggested := next((x for x in reversed(conv.content[chosen - 1]) if _SUGGESTS.search(_lower(x))), None))):
        # "might we worth raising an issue with the error." -> "then I will! I thought that I was doing something wrong":
        # the promise, after what it takes up
        return Item(conv.unmention(suggested).strip() or suggested, (chosen - 1, chosen), reply=clip(text, _ANSWER_REPLY_WORDS))
    if (confirmed is None and chosen > 0 and conv.author(chosen - 1) != conv.author(chosen) and conv.content[chosen]
            and _PERMISSION.match(_lower(conv.content[chosen][0])) and (request := next(
                (x for x in reversed(conv.content[chosen - 1]) if is_question(x) or asks(x)), None)) is not None):
        # "would mind copy/pasting … your proposal above to <issue link> ?" -> "Please do. Hoping to actually start
        # working on it tonight …": the go-ahead, after what it allows
        return Item(conv.unmention(request).strip() or request, (chosen - 1, chosen), reply=clip(text, _ANSWER_REPLY_WORDS))
    if (confirmed is None and chosen > 0 and conv.author(chosen) == conv.author(0) != conv.author(chosen - 1)
            and _own_words(conv, chosen) <= 12 and (prompted := _prompt_before(conv, chosen)) is not None):
        # "what was the code?" -> "Solving the linear Maxwell-Vlasov system of equations in plasma physics."; "… good to
        # open an issue as soon as possible." -> "Okay, I'll try to do it today": the asker's few words answer what they
        # were just asked or told to do, which comes first
        return Item(prompted[1], (prompted[0], chosen), reply=clip(text, _ANSWER_REPLY_WORDS))
    if confirmed is None and (qualified := _answer_it_qualifies(conv, chosen, text)) is not None:
        # "`passmissing(f)` from Missings.jl … might suffice." -> "`passmissing` for sure." -> "Note the caveat that
        # multi-arity functions pass `missing` when _any_ of their arguments are `missing`.": the answer, then its caveat
        return Item(qualified[1], (qualified[0], chosen), reply=clip(text, _ANSWER_REPLY_WORDS))
    if confirmed is None:
        return Item(text, (*code_before, chosen))
    if reply is None and (asked_short := _short_answer_to_asked(conv, chosen, confirmed)) is not None:
        # "eh, will this slow down the speed ?" -> "No," "not that you'd notice I think" -> "ok, I got it": the answer
        # is too short to stand alone; the asker's question comes first
        asked_at, question, short_answer = asked_short
        return Item(question, (asked_at, confirmed, chosen), reply=short_answer)
    # the answer and the message confirming it; the sentence shown is the confirmation's when it says what
    # worked ("Using just the encoding declaration worked for the data files"), else the answer's ("That
    # worked, I've got everything running now" points back to it)
    own = [s for s in _said(conv, confirmed) if word_count(s) >= 8 and (_resolves(_lower(s)) or one_word or "`" in s
                                                                         and _ASKER_SUCCESS.search(_lower(s)))
           and not _POINTS_BACK.match(_lower(s)) and not _ASIDE.match(_lower(conv.unmention(s)))
           and not _JOB_DONE.search(_lower(s))]  # or the answer is one word ("NBodySimulator.jl"); not an aside ("Btw
    # @kristofferc, I'm still working on that other PR …"), nor a word that it is done, not what did it ("Now i have two
    # ways to get the job done.")
    if reply is not None and conv.author(confirmed) == conv.author(chosen):
        own = []  # the asker's own try, then its report: "… just alias the versions … — I did the alias and it works …"
    if not own and reply is None and conv.author(confirmed) != conv.author(chosen):
        reply = _last_word(conv, confirmed)  # "… — Aidan Lakshman: That worked, I've got everything running now."
    elif not own and reply is None and _own_words(conv, confirmed) == 0 and (link := URL.search(conv.messages[confirmed].text)):
        reply = link.group(0).strip("<>")  # "I got the same thing just by updating my packages — Antoine: https://…"
    if own and own[0] in conv.content[confirmed]:
        # … with what it leads into, the code or what it goes on to say ("… a hacky workaround …: `Profile.clear(); …`",
        # "… one that works. I was also able to download the source code from the manning site."), and with what it
        # leans on ("… caused by an out of date version of Revise … With that fixed, I haven't run into anything yet");
        # not after a greeting or an aside it does not need ("Yes, I'm aware … Shame, I liked … I'm wondering if …")
        full = in_full(conv, confirmed, own[0], trim_sentence(own[0]) or own[0])
        if full.startswith(trim_sentence(own[0]) or own[0]) or leads_off(own[0]) or _WITH_THAT.match(_lower(own[0])):
            own[0] = full
    if (not own and thanked_link is None and not code_before and (qualified := _answer_it_qualifies(conv, chosen, text)) is not None
            and "```" in conv.messages[qualified[0]].text and qualified[1].endswith("`")):
        # "You probably want something like: `Base.unsafe_wrap(Array, pointer(a) + …, 5)`" -> "Just remember to
        # `GC.@preserve` `a` …" -> "This is perfect, thanks": the asker confirms the code, not its caveat (an answer
        # in words stays behind its caveat: shown in its place, it was a side remark as often as the answer)
        return Item(qualified[1], (qualified[0], chosen, confirmed), reply=reply)
    shown_from: tuple[int, ...] = (*code_before, chosen, confirmed) if thanked_link is None else (
        chosen, thanked_link, confirmed)  # (the reply's author is the last message's)
    if own and (example := _the_example(conv, confirmed, own[0])) is not None:
        own[0] = example  # "Works for me (as you can see in the example)." + the example's code
    return Item(own[0] if own else text, shown_from, reply=reply if not own else None)


_ASKS_FOR_PR = re.compile(r"\b(?:pr|prs|pull request|issue)\b")
"""Words that ask for a pull request or an issue ("if you want you can make a quick PR")."""
_TAKES_ON = re.compile(r"^\W*(?:(?:yea|yeah|yes|yep|yup|sure|ok|okay|alright)\W+)?(?:can do|will do|on it|sure|ok|okay|yes|yep|"
                       r"yeah|yea|i'll|i will|i can|doing it|sounds good)\b")
"""A yes to doing it ("Yea, can do", "Sure, I'll open one")."""


def _pr_asked_for(conv: Conversation, i: int) -> int | None:
    """The message among the 15 before message ``i`` (a bare link to a pull request or issue) in which someone else asked
    for a pull request or an issue (:data:`_ASKS_FOR_PR`, a request or suggestion), when ``i``'s author said yes to it in
    the next two messages ("if you want you can make a quick PR" -> "Yea, can do"), or posts the link with at most two
    messages by others between ("please do file an issue" -> the issue); None otherwise."""
    me = conv.author(i)
    for j in range(i - 1, max(i - 16, 0), -1):
        if conv.author(j) == me or not any(_ASKS_FOR_PR.search(_lower(x)) and (is_request(x) or is_suggestion(x) or re.search(
                r"\byou (?:can|could|should|might)\b", _lower(x))) for x in conv.content[j]):
            continue
        if any(conv.author(k) == me and _TAKES_ON.match(_lower(conv.messages[k].text)) for k in range(j + 1, min(j + 3, i))):
            return j
        if all(conv.author(k) != me for k in range(j + 1, i)) and sum(1 for k in range(j + 1, i) if not conv.noise(k)) <= 2:
            return j  # "please do file an issue" -> "https://github.com/JuliaLang/julia/issues/39475": done, not said
    return None


def _short_answer_to_asked(conv: Conversation, i: int, confirmed: int) -> tuple[int, str, str] | None:
    """``(message, question, answer)`` when message ``i`` is a short answer (fewer than eight words, with its author's
    few words right before it: "No," "not that you'd notice I think") to the asker's question right before it (four
    words or more) and ``confirmed`` is the asker's few words of acknowledgement ("ok, I got it"); None otherwise."""
    if conv.author(confirmed) != conv.author(0) or conv.author(i) == conv.author(0) or not _acknowledges(conv, confirmed) or (
            _own_words(conv, confirmed) > 6 or _own_words(conv, i) >= 8 or _code_answer(conv, i) or URL.search(conv.messages[i].text)
            or _worked(conv, confirmed)):  # ("Yeah, that did it." says more: it is shown after the answer)
        return None
    start = i
    while start - 1 > 0 and conv.author(start - 1) == conv.author(i) and word_count(conv.messages[start - 1].text) <= 2:
        start -= 1  # "No," on its own line
    asked_at = start - 1
    if asked_at < 0 or conv.author(asked_at) != conv.author(0) or not conv.content[asked_at]:
        return None
    question = conv.content[asked_at][-1]
    if not is_question(question) or word_count(question) < 4:
        return None
    answer = " ".join(" ".join(conv.unmention(conv.messages[k].text).split()) for k in range(start, i + 1))
    return asked_at, re.sub(r"^\W*(?:eh|um+|uh+|hmm+)\W+", "", conv.unmention(question)).strip() or question, answer


def _code_it_names(conv: Conversation, i: int, answer: int) -> int | None:
    """The message of ``answer``'s author among the three before message ``i`` that is only a bit of inline code which
    ``i`` names ("Okay cool. I saw `var"@hello"` is not a "*_str" macro …" after "`var"@hello"`"), when ``answer`` is
    not that message; None otherwise."""
    spans = {f"`{span.strip()}`" for span in re.findall(r"`([^`\n]{3,60})`", conv.messages[i].text)}
    return next((j for j in range(i - 1, max(i - 4, 0), -1) if j != answer and conv.author(j) == conv.author(answer)
                 and _FENCED.search(conv.messages[j].text) is None and code_gist(conv.messages[j].text) in spans), None)


_ON_THE_CODE = re.compile(r"^\W*(?:this|that|it|which)\b(?! (?:is|was) (?:a|an|the|my|your) (?:question|issue|problem|bug)\b)")
"""A sentence about the code its author posted right before it ("this gives a tensor but you can use `vec()` …")."""
_THE_EXAMPLE = re.compile(r"\b(?:(?:the|my|that|this) example|(?:see|shown|as you can see) above)\b")
"""A sentence that points at its author's own code before it ("Works for me (as you can see in the example).")."""


def _the_example(conv: Conversation, i: int, sentence: str) -> str | None:
    """``sentence`` of message ``i`` with the gist of the code its author posted in one of their two messages before it
    (:func:`code_gist`), when it points at that code (:data:`_THE_EXAMPLE`) and shows no code itself; None otherwise."""
    if "`" in sentence or not _THE_EXAMPLE.search(_lower(sentence)):
        return None
    own = [j for j in range(i - 1, -1, -1) if conv.author(j) == conv.author(i)][:2]
    gist = next((g for j in own if (g := code_gist(conv.messages[j].text)) is not None), None)
    return None if gist is None else f"{sentence.rstrip()} {gist}"


_CODE_WORKS = re.compile(r"`[^`\n]+`.*\b(?:then |and )?it (?:all )?(?:works|worked)\b", re.IGNORECASE)
"""A sentence that says what code made it work ("If I include `AbstractPlotting.inline!(true)` then it works fine and
saves."): the fix, shown before any other sentence of its message."""
_GOOD_POINT = re.compile(r"^\W*(?:(?:oh|ah|ok|okay|yes|yeah|hmm+)\W+)?(?:(?:that's|that is|that|this is|it's) )?(?:an? )?"
                         r"(?:(?:very|really) )?(?:good|great|fair|valid|excellent) (?:point|catch|observation)|"
                         r"^\W*(?:(?:oh|ah|ok|okay|yes|yeah)\W+)?(?:you're|you are) (?:totally |absolutely |quite )?right\b")
"""An asker's agreement with the point they quote ("That a very good point.", "you're right")."""
_ABOUT_THE_LINK = re.compile(r"^\W*(?:the above|that|this|it)(?: (?:one|talk|video|page|post|link|paper|article|book|"
                             r"thread|doc|docs))?(?:'s| is| was| also| should| explains| describes| covers| shows| has)\b")
"""A sentence about what its author's message right before it linked ("the above is a good talk …", "That also describes
for what purposes we're developing it for.")."""
_ANSWER_REPLY_WORDS = 40
"""Words of an ending that leans on the question it answers, shown after that question (:func:`_question_it_answers`)."""


def _question_it_answers(conv: Conversation, i: int) -> tuple[int, str] | None:
    """``(message, question)`` that message ``i`` answers when it leans on it ("It is always the same issue"): the
    message right before it, by someone else, when its last content sentence is a question of four to 40 words (three
    when it is the whole message: "a Julia position?") that
    does not ask a third person, is no aside in brackets ("(“dispatch-oriented programming”?)") and does not lean on
    something else itself ("It would do it pretty automatically?"); None otherwise."""
    j = i - 1  # the message right before it: what "That" or "It" speaks of (not a question before its author's code)
    if conv.author(j) == conv.author(i) or not conv.content[j]:
        return None
    question = conv.content[j][-1]
    if (not is_question(question) and j > 0 and conv.author(j) == conv.author(0) and len(conv.content[j]) == 1
            and 6 <= word_count(question) <= 40 and not URL.search(question) and not _CATCH.search(_lower(conv.messages[i].text))
            and _CONCLUDES_THAT.match(_lower(question))):
        # the asker's own conclusion ("Thanks, so seems like its necessary to use an explicit loop …") -> "It's how I'd
        # do it, at least.": what the answer agrees with, as said (a key point showing it too is then left out)
        return j, conv.unmention(question).strip() or question
    if not is_question(question) and (asked := [x for x in conv.content[j] if is_question(x)]) and all(
            word_count(x) <= 10 for x in conv.content[j][conv.content[j].index(asked[-1]) + 1:]):
        question = asked[-1]  # "Is it backwards compatible in 1.c.x versions …? I was wondering about this the other day"
    least = 3 if len(conv.content[j]) == 1 else 4  # a question that is its whole message may be short ("a Julia position?")
    if not is_question(question) or not least <= word_count(question) <= 40 or re.search(r"\?\W*\)\W*$", question) or (
            _LEANS_BACK.match(_lower(question))) or any(
            name not in (conv.author(i), conv.author(j)) for name in conv.all_mentioned(_INLINE_CODE.sub(" ", question))):
        return None  # (not a macro in code: "Why the `GC.@preserve` there …?")
    return j, conv.unmention(question).strip() or question


_WILL_DO = re.compile(r"^\W*(?:(?:ok|okay|sure|yes|yeah|alright|then),? )*(?:i will|i'll do (?:that|it|so)|will do)\b")
"""A promise that leans on what it takes up ("then I will!", "Will do", "ok I'll do that")."""
_SUGGESTS = re.compile(r"\b(?:might|may|would) (?:be|we) worth\b|\b(?:worth|better) (?:raising|opening|filing|asking|trying|"
                       r"reporting)\b|\bgood to (?:open|file|raise|report|post)\b|\byou (?:should|could|might want to|may want to) (?:open|file|raise|report|post|ask|try|"
                       r"make)\b|^\W*(?:maybe|perhaps) (?:open|file|raise|report|post|ask|try)\b")
"""A suggestion that a promise can take up ("might be worth raising an issue with the error.")."""
def _prompt_before(conv: Conversation, i: int) -> tuple[int, str] | None:
    """``(message, sentence)`` that the asker's message ``i`` replies to: the question right before it
    (:func:`_question_it_answers`) when ``i`` is no acknowledgement or thanks, or the last sentence of the message right before it, by someone else, that suggests
    a step or asks them to check something (:data:`_SUGGESTS`, :data:`_CAN_YOU_CHECK`: "Are you using `saveat`? If not,
    can you check if it happens when you use that?"); None otherwise."""
    if not _acknowledges(conv, i) and not _THANKS.search(_lower(conv.messages[i].text)) and (
            asked := _question_it_answers(conv, i)) is not None:
        return asked  # (not "thanks, that looks promising -- will give it a try next time", which answers no question)
    told = next((x for x in reversed(conv.content[i - 1]) if _SUGGESTS.search(_lower(x))
                 or _CAN_YOU_CHECK.match(_lower(conv.unmention(x)))), None)
    return (i - 1, conv.unmention(told).strip() or told) if told is not None else None


_CAVEAT_NOTE = re.compile(r"^\W*(?:(?:but|and|also|oh|just),? )?(?:note (?:the caveat|that)|n\.b\.|caveat|one caveat|"
                          r"keep in mind|be aware|beware|remember to|make sure (?:to|you)|don't forget to)\b")
"""A sentence that qualifies its author's own answer ("Note the caveat that multi-arity functions pass `missing` …",
"Just remember to `GC.@preserve` `a` as long as that array is in use")."""


def _answer_it_qualifies(conv: Conversation, i: int, text: str) -> tuple[int, str] | None:
    """``(message, sentence)``: the answer that message ``i``'s caveat (:data:`_CAVEAT_NOTE`, its ``text``) qualifies, its
    author's own message among the three before it with only others' short replies between (15 words or fewer, no
    question); a sentence that leads into code is shown with the code's gist (:func:`code_gist`: "You probably want
    something like: `Base.unsafe_wrap(Array, pointer(a) + 1 * sizeof(eltype(a)), 5)`"). None otherwise."""
    if i < 2 or not _CAVEAT_NOTE.match(_lower(text)):
        return None
    for j in range(i - 1, max(i - 4, 0), -1):
        if conv.author(j) == conv.author(i):
            said = [x for x in _said(conv, j) if not is_question(x)]
            if conv.noise(j) or not said:
                return None
            best = max(said, key=lambda x: (min(word_count(URL.sub(" ", x)), 40), -said.index(x)))
            if introduces(best):  # "You probably want something like:" shows the code it leads into, or nothing
                gist = code_gist(conv.messages[j].text)
                return (j, f"{conv.unmention(best).strip()} {gist}") if gist else None
            return j, trim_sentence(best) or best
        if conv.noise(j):
            continue
        if _own_words(conv, j) > 15 or any(is_question(x) for x in conv.content[j]):
            return None
    return None


def _changed_code(conv: Conversation, i: int) -> str | None:
    """The lines message ``i``'s code block changed from the last code block its author posted before it, as one
    inline code span of at most :data:`_GIST_CHARS` characters (one or two lines, joined with "; "): the fix in code
    that worked ("`for e in $(esc(iterator))`" where the earlier try had "`for e in esc(iterator)`"); None when the
    author posted no code before, or more or fewer lines changed, or they do not fit."""
    after = _FENCED.search(conv.messages[i].text)
    before = next((m for j in range(i - 1, -1, -1) if conv.author(j) == conv.author(i)
                   and (m := _FENCED.search(conv.messages[j].text)) is not None), None)
    if after is None or before is None:
        return None
    was = {" ".join(line.split()) for line in before.group(1).splitlines()}
    changed = [" ".join(line.split()) for line in after.group(1).splitlines() if line.strip() and " ".join(line.split()) not in was]
    shown = "; ".join(changed)
    return f"`{shown}`" if 1 <= len(changed) <= 2 and len(shown) <= _GIST_CHARS and "`" not in shown else None


_YES_NO_WORDS = "yes|yeah|yep|yup|no|nope|nah"
"""A bare yes or no, as the round's rules below spell it (:func:`_bare_yes_before`, :func:`_said_first`)."""
_YES_NO_BECAUSE = re.compile(rf"^\W*(?:{_YES_NO_WORDS}|not yet|no yet|not really|because|not that i(?:'m| am)? (?:know|aware)|"
                             r"not as far as i (?:know|can tell)|i (?:guess|think|believe|suppose) (?:so|not)\b(?!\s+\w))\b")
"""An answer that opens on yes, no or because ("Nope, nobody is working on it right now", "Because it's a standard
library, …"; "no yet, …" as typed; "Not that I know of."; "I guess so. You can try and see."): it leans on the question
before it (not "Sure why not, … I'll try it", a promise)."""


def _said_first(conv: Conversation, i: int, asked: int, reply: str) -> str:
    """``reply`` (from message ``i``) after what its author sent right before it and after message ``asked``, when that
    is a word that says it was done or yes ("done", "yes") or a bit of inline code: "can someone enable buildkite for
    …?" -> "done" -> "https://buildkite.com/…" shows "done https://buildkite.com/…"."""
    before = " ".join(conv.messages[i - 1].text.split())
    if i - 1 > asked and conv.author(i - 1) == conv.author(i) and 0 < word_count(before) <= 3 and not URL.search(before) and (
            _INLINE_CODE_ONLY.match(before) or re.fullmatch(rf"\W*(?:{_YES_NO_WORDS}|done|sure|fixed|enabled|merged|added)\W*",
                                                            before, re.IGNORECASE)):
        return f"{before} {reply}"  # (a word that says it, or its code: not "You could" before "They are differentiable")
    return reply


_ENDS_YES_NO = re.compile(r"(?:,|\bbut|\bso)\s+(?:basically|mostly|probably|generally)?\s*(?:yes|no)\W*$")
"""An answer that ends on its yes or no ("There are several different thresholds, but basically yes")."""


def _bare_yes_before(conv: Conversation, i: int) -> str | None:
    """The bare "yes" or "no" (its words) that message ``i``'s author sent right before it, when there is one; None
    otherwise ("yes" -> "we don't change the format in patch releases")."""
    said = " ".join(conv.messages[i - 1].text.split())
    return said if conv.author(i - 1) == conv.author(i) and re.fullmatch(rf"\W*(?:{_YES_NO_WORDS})\W*", said, re.IGNORECASE) else None


_CATCH = re.compile(r"\b(?:good|nice|great) catch\b|^\W*(?:whoops|oops)\b")
"""An answer owning up to what the question before it caught ("Whoops yeah, I'm used to working with pointers …, good
catch"): it leans on that question."""
_CONCLUDES_THAT = re.compile(r"^\W*(?:(?:thanks?|thank you|ok|okay|ah|oh|i see)\W+)*(?:so|then|hence)\W+(?:it )?"
                             r"(?:seems|looks|sounds|i guess|i take it|basically)\b")
"""The asker's conclusion from an answer ("Thanks, so seems like its necessary to use an explicit loop …")."""
_INLINE_CODE_LINE = re.compile(r"`[^`\n]{1,60}`")
"""A first line that is only a bit of inline code ("`"^1.6.0-0"`"), the answer its message's words go on from."""
_CAN_YOU_TRY = re.compile(r"^\W*(?:(?:so|and|ok|okay),? )?(?:(?:can|could|would) you (?:\w+ )?(?:try|use|install|switch|run|update|upgrade)|"
                          r"(?:maybe |perhaps )?try\b|what (?:if|about) (?:you )?(?:try|use|install))")
"""A question that asks the asker to try something ("Can you try to install curl instead?")."""
_WITH_THAT = re.compile(r"^\W*(?:with (?:that|this|it|those|these) \w+|after (?:that|this)|that way|so now)\b")
"""A sentence that opens on what the one before it did ("With that fixed, I haven't run into anything yet")."""
_RUNS_ON = re.compile(r"\b(?:with|to|use|using|write|writing|like|do|try|consider|run|call|calling|is|are|was|were|be|the|a|an|"
                      r"might|this|these|need|want|get|got|as|via|into|of|for|by|from|type|enter|add|say|says|said|see|"
                      r"returns?|gives?|prints?|shows?|something|just|than|vs|versus|instead of|compared to|perhaps|maybe|doing|"
                      r"suggest|recommend|that|thats|which|because)\W*$")
"""A sentence that stops on a word that wants its object ("Is there a more compact way to write", "You need", "… included
the division inside the tight loop thats" + a numbered list): it runs on into the code or the list after it. Chat
often drops the full stop, so a missing stop alone says nothing."""
_POINTS_AHEAD = re.compile(r"\b(?:the following|like this|like so|as follows|something like this|similar to this|this way|e\.g\.|i\.e\.|"
                           r"for example|for instance|(?:something )?like this(?: to)? work)\W*$")
"""A sentence that points to what comes after it ("You can do it like this.", "What's the most idiomatic way to make
something like this work?"): a lead-in, whatever its last mark."""


_LEANS_BACK = re.compile(r"^\W*(?:(?:sometimes|often|usually|unfortunately|obviously|clearly|sadly),? )?"
                         r"(?:that|this|it|these|those|they)(?:'s| is| was| are| were| has| have| had| will| would| "
                         r"should| only| does| doesn't| did| won't| can| can't| could| works?| worked| seems?| looks?| means?)\b")
"""A sentence whose subject is what the sentence before it named ("This seems to be fast (10x Gumbo)", "that has been
fixed in …"): alone, a reader cannot tell what it is about."""

_POINTS_TO_LINK = re.compile(r"\b(?:that|this|the above) (?:file|link|page|post|pr|issue|repo|repository|doc|docs|document|"
                             r"thread|example|gist|notebook|commit|branch|video|paper|article|blog post|blog)\b")
"""A sentence that points at what the link before it opened ("… but that file shows the MVC-ish scheme I describe"):
shown with the sentence that holds the link."""


_ASKS_START = re.compile(r"^\W*(?:what(?:'s| is| are)?|how(?: do| can| to)?|why|where|which|is there|are there|can i|"
                         r"can you|could i|could you|should i|do i|does anyone|anyone know)\b")
"""A sentence that asks, even without its question mark ("What's the accepted way to turn it into a function call.")."""


_SHORT_ALONE = 12
"""Words under which a sentence shown alone says too little: it is shown with its neighbours, as many as fit."""


_ENDED_WORDS = 55
"""Words of prose up to which a message is shown whole as where its thread ended."""
_CONTINUES = re.compile(r"^\W*(?:but|and|so|or|which|also|plus|because|though|then|however|otherwise|instead|"
                        r"that said|aka|a\.k\.a\.|i\.e\.|ie\b|e\.g\.|in that case|in which case)(?!\w)")


def leads_off(sentence: str) -> bool:
    """True for a sentence that would open a line on an aside or on what another message said ("BTW, I found no
    solution here.", "it is long since I last looked at this bug", "But let's say …"), ``@names`` aside."""
    first = next(iter(split_sentences(_LEADING_MENTIONS.sub("", sentence))), "")
    lowered = " ".join(_lower(first).split())  # "It  has an option …" as typed
    return not is_question(first) and bool(_ASIDE.match(lowered) or _LEANS_BACK.match(lowered) or _CONTINUES.match(lowered))


ASKS_FOR_HELP = re.compile(
    r"\b(?:can|could|would) (?:someone|anyone|somebody|you)(?: please)? help\b|\bany (?:ideas?|help|suggestions?|thoughts|"
    r"pointers|hints|advice|tips)\b|\bwhat(?:'s| is) (?:wrong|going on|happening)\b|\b(?:does|do) (?:anyone|someone|anybody) "
    r"know (?:why|what)\b|\bhow (?:can|could|would|should|might) i (?:be able to )?(?:debug|fix|solve|resolve) (?:this|it)\b|"
    r"\bgoing wrong\b|\bpoint out\b|\bdebug this\b")
"""A question that asks only for help ("Can anyone help?", "any ideas what I could try?", "Does anyone know why this might
happen or how I might be able to debug this?"): the problem told before it says more."""


_FILLER = re.compile(r"^\W*(?:(?:sorry|well|hmm+|ok|okay|so),? )*(?:(?:i'?m )?not sure (?:what|if) (?:you mean|i understand|"
                     r"i follow|i get)|i (?:don't|do not) know if (?:you|i) (?:understand|follow|make sense|get)|"
                     r"(?:does|hope|if) (?:that|this|it) makes? sense|joking aside|please (?:do not|don't) assume|"
                     r"(?:here's|here is) the (?:entire|whole|full) code\b[^`]*$|i (?:haven't|have not) tried (?:it |this |that )?"
                     r"(?:on|with|in)\b|happy (?:editing|coding|hacking|debugging|plotting)\b|i was (?:just )?guessing\b|"
                     r"now the question is\b)")
"""A sentence about the conversation rather than its matter ("Not sure what you mean here.", "I don't know if you
understand me", "Joking aside, …", "Here's the entire code for reproducibility" with no code, "Happy editing!", "Now
the question is …"): not shown beside the sentence a point is made of."""


def in_full(conv: Conversation, i: int, sentence: str, text: str, *, words: int = _ENDED_WORDS, asked: bool = False) -> str:
    """``text`` (``sentence`` of message ``i``, trimmed), with what it needs of its message to be read alone: the run
    of sentences around it that may be shown with it (never across a code block the first runs into: :func:`_apart`),
    whole when its prose says ``words`` words or fewer ("Yup Revise state error. Restart fixes"); else, in this
    order: a sentence under :data:`_SHORT_ALONE` words with the neighbours that fit and say something ("But if it must
    be first, that would need `permutedims` … `@btime …` alone is 6ms."); the sentence before it when it goes on from
    it or leans on what it named (:data:`_CONTINUES`, :data:`_LEANS_BACK`: "I've tried Pardiso. But the library is
    crashing …"); the author's message before it when it opens by going on from that (:func:`goes_on_from`); the
    opening message's setting with the question right after it (:data:`_ASKS_START`); an agreement with the sentence
    after it. With ``asked`` (a question someone answered) or for the opening message, the run may hold its questions.
    A lead-in ending in ":", or a sentence that runs on into a code block (:data:`_RUNS_ON`), shows the code's
    :func:`code_gist` ("Here's one which is both stable API and very fast: `function as_bitvector(n::Int) …`", "Is
    there a more compact way to write `function interp!(A, B, dim) …`"); a few words around one code block are shown
    whole with the code in its place (:func:`_around_code`); one that offers "this solution" shows its code, one that
    runs on into a list shows the list (:func:`runs_into_list`), and a bare "No." opening the message stays in front.
    Left out of the whole message: its other lead-ins (their code is
    not shown), a sentence that runs into code ("You could try inserting" + a code block), bare links, and
    questions, requests, promises and decisions (shown in their own sections). Returns ``text`` unchanged when
    ``sentence`` is not one of the message's content sentences."""
    text_of = _lower(conv.messages[i].text)

    def adds(s: str, asked: bool) -> bool:  # another sentence of the message, worth showing beside the chosen one
        at = text_of.find(_lower(s))
        after = text_of[at + len(s):].lstrip() if at >= 0 else ""
        before_code = after.startswith("`") and (  # "You could try inserting" + code; ("You want `map`" says it)
            _RUNS_ON.search(_lower(s)) is not None or _POINTS_AHEAD.search(_lower(s)) is not None
            or after.startswith("```") and not re.search(r"[.!?`)]\W*$", s))  # "i.e. this transformation" + a block
        return (not is_quotation(s) and not introduces(s) and not before_code and not URL.match(s.strip())  # "<link> is right."
                and not hedges(s) and not _FILLER.match(_lower(s))  # "Not sure what you mean here.", "Joking aside, …"
                and len(PROSE_WORD.findall(URL.sub(" ", _INLINE_CODE.sub(" ", s)))) >= (1 if _INLINE_CODE.search(s) else 2)
                # … no bare link, "≡≡≡"; a verb and its code says something ("Define `Base.broadcastable(x::MyType) = Ref(x)`.")
                and not (is_question(s) and not asked or is_request(s) or is_commitment(s) or is_decision(s))
                and not (is_question(s) and ASKS_FOR_HELP.search(_lower(s))))  # "Can anyone help me figure out …?"
        # … their own sections; the opening message's question is what the conversation is about: shown with it

    content = conv.content[i]
    if sentence in content and (around := _around_code(conv, i)) is not None:
        return around  # "You need" + ```cmd /c echo hello``` + "or something like that": one line with its code
    if sentence in content and not any(is_question(x) for x in content[content.index(sentence) + 1:]) and (
            across := _across_code(conv, i, sentence)) is not None and word_count(URL.sub(" ", across)) <= 2 * words:
        # (not when a question comes after it: that would be left out)
        return across  # "I don't know why some array like" + ```4×1 Array{Bool,2}``` + "cannot be reshape into …"
    if sentence in content:  # the run of sentences around it that may be shown with it, nothing skipped between
        at = content.index(sentence)
        for with_questions in ((True, False) if i == 0 or asked else (False,)):  # with the question asked when it all fits
            start, end = at, at + 1
            while start > 0 and adds(content[start - 1], with_questions) and not _apart(text_of, content[start - 1], content[start]):
                start -= 1  # … never across a code block ("Why is that" + code + "is happy, but" + code + "is sad …")
            while end < len(content) and adds(content[end], with_questions) and not _apart(text_of, content[end - 1], content[end]):
                end += 1
            shown = [trim_sentence(s) or s for s in content[start:end]]
            if with_questions and sum(word_count(URL.sub(" ", s)) for s in shown) > words:
                if not any(is_question(x) for x in content[at:end]):
                    continue  # a question before it is shown in its own section: the run without questions
                while end > at + 1 and sum(word_count(URL.sub(" ", s)) for s in shown) > words:
                    end -= 1  # the opening setting and the first question it asks, when the rest does not fit ("I have
                    shown.pop()  # a flattened array … How can I get views to a subset of points?")
                if not any(is_question(x) for x in content[start:end]):
                    continue
            if len(shown) > 1 and sum(word_count(URL.sub(" ", s)) for s in shown) <= words:
                text = " ".join(shown)
                break
        else:
            lo, hi = at, at + 1  # a short sentence (under twelve words) with its neighbours, as many as fit in ``words``
            total = word_count(URL.sub(" ", text))

            def neighbour(k: int, other: int) -> bool:  # content[k] may be shown beside content[other]
                x = content[k]
                return (len(PROSE_WORD.findall(URL.sub(" ", _INLINE_CODE.sub(" ", x)))) >= 4 and not hedges(x)
                        and not is_courtesy(x) and not is_noise(x) and not _apart(text_of, content[min(k, other)],
                                                                                 content[max(k, other)]))
            while total < _SHORT_ALONE and word_count(text) < _SHORT_ALONE:
                if lo > start and total + word_count(URL.sub(" ", shown[lo - 1 - start])) <= words and neighbour(lo - 1, lo):
                    lo -= 1
                    total += word_count(URL.sub(" ", shown[lo - start]))
                elif hi < end and total + word_count(URL.sub(" ", shown[hi - start])) <= words and neighbour(hi, hi - 1):
                    hi += 1
                    total += word_count(URL.sub(" ", shown[hi - 1 - start]))
                else:
                    break
            if (lo, hi) != (at, at + 1):  # "But if it must be first, that would need `permutedims` … `@btime …` alone is 6ms."
                text = " ".join(shown[lo - start:at - start] + [text] + shown[at + 1 - start:hi - start])
            elif start < at and (_CONTINUES.match(_lower(sentence)) or _LEANS_BACK.match(_lower(sentence)) or _POINTS_TO_LINK.search(
                    _lower(sentence)) and URL.search(content[at - 1])) and word_count(
                    URL.sub(" ", shown[at - start - 1])) + word_count(text) <= 2 * words and not _apart(text_of, content[at - 1], sentence):
                text = f"{shown[at - start - 1]} {text}"
            elif at == 0 and (before := goes_on_from(conv, i)) is not None and (_CONTINUES.match(_lower(sentence)) or (
                    # "I was wrong about my definition for the dictionary earlier." + "It’s Dict(CartesianIndex, Int[]) …":
                    # what it names; only after a full stop ("he history preserving is intended" + "it's one of the …" runs on)
                    _LEANS_BACK.match(_lower(sentence)) and re.search(r"[.!?]\W*$", before))) and (
                    word_count(before) + word_count(text) <= 2 * words):
                text = f"{before} {text}"  # "`permutedims` instead of `'`" + (next message) "though if you are that strict …"
            elif i == 0 and at + 1 < len(content) and not asks(sentence) and (
                    asks(content[at + 1]) or _ASKS_START.match(_lower(content[at + 1]))) and word_count(
                    content[at + 1]) + word_count(text) <= 2 * words and not _apart(text_of, sentence, content[at + 1]):
                # the opening message's setting, then what it asks ("I have a string that represents julia code. What's
                # the accepted way to turn it into an actual function call.")
                text = f"{text} {trim_sentence(content[at + 1]) or content[at + 1]}"
            elif end > at + 1 and _AGREEMENT.match(_lower(sentence)) and word_count(sentence) <= 12 and not _BANTER_START.match(
                    sentence) and word_count(shown[at - start + 1]) + word_count(text) <= 2 * words:
                # "Yeah exactly as @Brenhin said for the 3x3x3 Array." agrees; the sentence after it says what with
                text = f"{text} {shown[at - start + 1]}"
    if sentence in content and (at := content.index(sentence)) > 0 and _IF_SO.match(_lower(sentence)) and is_question(
            content[at - 1]) and not _apart(text_of, content[at - 1], sentence) and text.startswith(
            trim_sentence(sentence) or sentence) and word_count(content[at - 1]) + word_count(text) <= 2 * words:
        text = f"{trim_sentence(content[at - 1]) or content[at - 1]} {text}"  # "By large system do you mean with matrix
        # operations? If so, those matrix operations probably use BLAS …": the answer leans on the question it makes
    at = text_of.find(_lower(sentence))
    rest = conv.messages[i].text[at + len(sentence):].lstrip() if at >= 0 else ""
    if rest.startswith("```") and text.endswith(sentence) and (_RUNS_ON.search(_lower(text)) or _POINTS_AHEAD.search(
            _lower(text))) and (code := code_gist(rest)):
        text = f"{text} {code}"  # it runs into its code: "Is there a more compact way to write `function interp!(A, B, dim) …`"
        beyond = _FENCED.sub("", rest, count=1).strip()
        goes_on = next(iter(split_sentences(beyond)), "") if beyond else ""
        if (goes_on and _CONTINUES.match(_lower(goes_on)) and word_count(goes_on) >= 4 and not introduces(goes_on)
                and not goes_on.rstrip().endswith(":") and word_count(text) + word_count(goes_on) <= 2 * words):
            text = f"{text} {goes_on}"  # … and goes on after it: "in contrast to `f(io); close(io)` in which case if `f`
            # throws an error, `close` won't get called."
    elif text.rstrip().endswith(":") and (code := code_gist(conv.messages[i].text)):
        text = f"{text} {code}"
    elif text.rstrip().endswith(":") and text.endswith(sentence) and (link := URL.match(rest)):
        text = f"{text} {link.group(0).strip('<>')}"  # "… a path to use this in Julia:" + the link it points to
    elif (_THESE.search(_lower(text)) and "`" not in text and len(blocks := _FENCED.findall(rest)) == 1
          and len(blocks[0].strip()) <= _SHORT_BLOCK and len([x for x in blocks[0].splitlines() if x.strip()]) <= 3
          and not _FENCED.search(conv.messages[i].text[:max(at, 0)]) and (code := code_gist(rest))
          and word_count(text) + word_count(code) <= 2 * words):
        text = f"{text} {code}"  # "is there a performance difference between these two …?" + `a = Array{Float64}[]; a = []`
    elif (_THIS_SOLUTION.search(_lower(text)) and "`" not in text and len(_FENCED.findall(rest)) == 1
          and not _FENCED.search(conv.messages[i].text[:max(at, 0)]) and (code := code_gist(rest))
          and word_count(text) + word_count(code) <= 2 * words):
        text = f"{text} {code}"  # "I came up with this solution as an alternative to the suggested abstract types." +
        # `struct RailTo{T}; distance::Int; destination::T; end`: the solution is its code
    elif (text.endswith(sentence) and (block := _FENCED.match(rest)) is not None and not rest[block.end():].strip()
          and len(lines := [x for x in block.group(1).splitlines() if x.strip()]) == 1 and len(lines[0].strip()) <= _LAST_LINE_CHARS
          and (code := code_gist(rest)) and word_count(text) + word_count(code) <= 2 * words):
        text = f"{text} {code}"  # its message ends on one short line of code, the thing it speaks of: "The definition of
        # `H` is very simple" + `H(x) = x <= 0 ? 0 : 1`
    if text.endswith(sentence) and (listed := runs_into_list(conv.messages[i].text, sentence)) is not None:
        text = f"{text[:-len(sentence)]}{listed}"  # "… I am basically trying to do" + its list of steps
    opening = (split_sentences(conv.messages[i].text) or [""])[0]
    word = re.match(r"^\W*([a-z][\w-]{2,})\W*$", _lower(conv.unmention(opening)))
    if (content and sentence == content[0] and opening not in content
            and (re.match(r"^\W*(?:no|nope)\W*$", _lower(conv.unmention(opening))) or word is not None and i > 0
                 and _picks_an_option(_lower(conv.messages[0].text), word.group(1)))
            and text.startswith(trim_sentence(sentence) or sentence)):
        text = f"{conv.unmention(opening).strip()} {text}"  # "No. (and if you were to find one, you could make a PR …)":
        # the bare "No." it answers with comes first (not a "yeah." or "Indeed.", which only agree); so does the option
        # picked ("Ternary. If blocks have too many characters for me." after "in-line `if` blocks or ternary operators?")
    tail = next((x for x in reversed(content) if text.endswith(trim_sentence(x) or x)), None)
    after = text_of.find(_lower(tail)) if tail is not None else -1
    if tail is not None and after >= 0 and (links := _listed_links(conv.messages[i].text[after + len(tail):])) and not any(
            link in text for link in links):
        # "for example, the first few results on google" + a list of links: the links are what it gives
        text = f"{text.rstrip()}{'' if text.rstrip().endswith(':') else ':'} {', '.join(links[:_LISTED_LINKS])}"
    return text


def _picks_an_option(asked: str, word: str) -> bool:
    """True when ``word`` (lower-cased) names one of the options of an either-or question in ``asked`` (the opening
    message, lower-cased: "… in-line `if` blocks or ternary operators?" and "ternary")."""
    return any(" or " in q and re.search(rf"\b{re.escape(word)}", q) is not None for q in split_sentences(asked) if is_question(q))


_LINK_ITEM = re.compile(r"^\s*(?:[-*•◦▪‣]|\d{1,2}[.)])\s+")
_LISTED_LINKS = 4
"""Links of a list shown after the sentence that introduces it (:func:`_listed_links`)."""


_LISTED_WORDS = 60
"""Words up to which a list "Where it ended" shows is shown (:func:`_listed_items`), clipped after."""


def _other_way_last(conv: Conversation, chosen: int) -> int | None:
    """The thread's last message when, after ``chosen`` (noise aside), someone other than the asker offers another way
    with its code, put as a suggestion ("maybe also `reduce` can help to avoid splatting?", "or `x .|> f`?"); None
    otherwise."""
    j = len(conv.messages) - 1
    text = conv.messages[j].text
    if j <= chosen or conv.author(j) in (conv.author(0), conv.author(chosen)) or "`" not in text or "```" in text:
        return None
    if any(not conv.noise(k) for k in range(chosen + 1, j)) or _own_words(conv, j) > 25:
        return None
    return j if _ALTERNATIVE.search(_lower(text)) or re.search(r"\b(?:maybe|perhaps) (?:also|even|just)\b", _lower(text)) else None


def _items_after(lines: Sequence[str], at: int) -> list[str]:
    """The items of the list right after ``lines[at]`` (the lines marked "-", "•", "1." … that follow it), marks off."""
    items = []
    for item in lines[at + 1:]:
        mark = _LINK_ITEM.match(item)
        if mark is None:
            break
        items.append(item[mark.end():].strip())
    return items


def _listed_items(text: str, sentence: str) -> str | None:
    """``text``'s list, with the line ending in ":" that introduces it, as one line ("… is: Solve over shorter time
    frames as Chris proposed; Solve a simplified system; …", clipped at :data:`_LISTED_WORDS` words), when ``sentence``
    is one of its items (two or more lines marked "-", "•", "1." …); None otherwise."""
    lines = [line for line in text.splitlines() if line.strip()]
    for at, line in enumerate(lines):
        if not line.rstrip().endswith(":") or _LINK_ITEM.match(line):
            continue
        items = _items_after(lines, at)
        if len(items) >= 2 and any(sentence.strip() in item or item in sentence for item in items):
            return clip(f"{line.strip()} {'; '.join(items)}", _LISTED_WORDS)
    return None


def runs_into_list(text: str, sentence: str) -> str | None:
    """``sentence`` with the list it runs on into, as one line, when it ends a line of ``text`` on a word that wants
    its object (:data:`_RUNS_ON`, no full stop) and two or more lines marked "-", "•", "1." … follow ("I am basically
    trying to do" + "• draw rand!(e)" "• Do other stuff" "• Need to redraw exact same e" -> "… trying to do: draw
    rand!(e); Do other stuff; Need to redraw exact same e", clipped at :data:`_LISTED_WORDS` words); None otherwise."""
    lines = [line for line in text.splitlines() if line.strip()]
    for at, line in enumerate(lines):
        if not line.rstrip().endswith(sentence.rstrip()) or not _RUNS_ON.search(_lower(line)) or re.search(r"[.!?:]\W*$", line):
            continue
        items = _items_after(lines, at)
        if len(items) >= 2:
            return clip(f"{sentence.rstrip()}: {'; '.join(items)}", _LISTED_WORDS)
    return None


def _listed_links(rest: str) -> list[str]:
    """The links of the list items right after a sentence (``rest``: its message's text after it), when those items
    are links and little else ("• https://turing.ml/dev/docs/using-turing/guide, https://github.com/TuringLang/…",
    "◦ https://us02web.zoom.us/rec/share/…"): what "for example, the first few results on google" or "Video (…):"
    gives. Stops at the first item or line that says more (two prose words besides its links); ``[]`` when the text
    after the sentence is no such list."""
    links: list[str] = []
    for line in rest.splitlines():
        if not line.strip():
            continue
        mark = _LINK_ITEM.match(line)
        found = URL.findall(line)
        if mark is None or not found or len(PROSE_WORD.findall(URL.sub(" ", line[mark.end():]))) >= 2:
            break
        links.extend(link.strip("<>").split("|")[0] for link in found)
    return links


_IF_SO = re.compile(r"^\W*(?:if so|if not|if yes|if that's the case|if that is the case|in that case)\b")
"""A sentence that answers the question just before it in its message ("… do you mean with matrix operations? If so,
those matrix operations probably use BLAS …")."""
_SHORT_BLOCK = 120
"""Characters up to which a code block a sentence points at is shown whole with it (its :func:`code_gist` is then the
block, not one line of a longer program)."""
_LAST_LINE_CHARS = 60
"""Characters up to which one line of code that ends a message is shown with the sentence right before it."""
_THIS_SOLUTION = re.compile(r"\b(?:this|my|the following) (?:solution|approach|workaround|implementation|attempt)\b")
"""A sentence that offers its message's one code block as a solution ("I came up with this solution as an alternative to
the suggested abstract types."), however long the block: shown with its :func:`code_gist`."""
_THESE = re.compile(r"\b(?:between these|these (?:two|three)|both of these|the two (?:versions|lines|snippets|examples|"
                    r"ways|options)|this (?:code|snippet|example)|the following)\b"
                    r"|^\W*(?:(?:so|but|and|hi|hello|hey)\W+)?(?:is|does|why (?:does|is|doesn't|isn't)|how (?:does|is|can i (?:\w+ )?)|what (?:does|is))"
                    r" this\b(?! (?:channel|thread|package|question|one)\b)")
"""A sentence that points at its message's one code block ("is there a performance difference between these two when
inside of a function?"): shown with the block's :func:`code_gist`."""


_EVENT = re.compile(r"\b(?:session|meeting|meetup|meet-up|workshop|webinar|call|event|talk|sprint|campfire|office hours|"
                    r"seminar|tutorial|hackathon|book club|study group|cohort|conference|presentation)s?\b")
"""A sentence that announces an event ("The final session of the Collaboration Campfire series is coming soon!")."""
_WHEN_DAY = re.compile(rf"\b(?:(?:{MONTHS})\.? \d{{1,2}}|\d{{1,2}}(?:st|nd|rd|th)? (?:{MONTHS})|"
                       r"(?:mon|tues|wednes|thurs|fri|satur|sun)day|\d{4}-\d{2}-\d{2})\b", re.IGNORECASE)
_WHEN_TIME = re.compile(r"\b\d{1,2}[:.]\d{2}\b|\b\d{1,2} ?(?:am|pm)\b|\b(?:utc|gmt|cet|cest|[ecmp][sd]t)\b", re.IGNORECASE)


def with_its_date(conv: Conversation, i: int, text: str) -> str:
    """``text`` (a point from message ``i``) with the message's date and time ("Tuesday, May 24, 15:30 - 17:00 UTC")
    when it announces an event (:data:`_EVENT`) and does not say when itself: an announcement without its date
    tells a reader nothing they can act on. The date is the first content sentence of the message (15 words or
    fewer) naming a day and a time."""
    if not _EVENT.search(_lower(text)) or (_WHEN_DAY.search(text) and _WHEN_TIME.search(text)):
        return text
    when = next((s for s in conv.content[i] if word_count(s) <= 15 and _WHEN_DAY.search(s) and _WHEN_TIME.search(s)
                 and s not in text), None)
    return f"{text} {when}" if when is not None else text


def _apart(text_of: str, first: str, second: str) -> bool:
    """True when a code block lies between sentences ``first`` and ``second`` of a message (``text_of``, lower case)
    and ``first`` runs into it: joined, they would read as one garbled sentence ("The way you should think of it is
    that" + code + "This isn't something you could do yourself")."""
    a = text_of.find(_lower(first))
    b = text_of.find(_lower(second), a + 1) if a >= 0 else -1
    # … when the first runs into the block (no full stop: "Why is that" + code + "is happy, but"); a sentence that
    # ends before its code ("And a PR up." + a link block + "It splits the runtime out") still reads with the next
    # … nor one whose full stop is an abbreviation's that points at the block ("… convert the time to a date, e.g.")
    return a >= 0 and b >= 0 and "```" in text_of[a + len(first):b] and not (
        re.search(r"[.!?)]\W*$", first) and not _POINTS_AHEAD.search(_lower(first)))


def goes_on_from(conv: Conversation, i: int) -> str | None:
    """What message ``i``, which opens by going on from something ("though if you are that strict …"), goes on from:
    its author's message right before it, shown whole (:func:`_around_code`, else its last content sentence) when it
    says something short (five to twelve words of prose, or two with code: "`permutedims` instead of `'`"); None when
    someone else spoke in between, or it is a question, a hedge, an edit note or trails off ("New to this....")."""
    if i == 0 or conv.author(i - 1) != conv.author(i) or conv.noise(i - 1) or not conv.content[i - 1]:
        return None
    before = _around_code(conv, i - 1) or conv.content[i - 1][-1]
    prose = len(PROSE_WORD.findall(URL.sub(" ", _INLINE_CODE.sub(" ", before))))
    if len(conv.content[i - 1]) == 1 and 2 <= prose <= 12 and (URL.search(before) or "`" in before and is_question(before)):
        return before  # "Another one is https://github.com/JuliaString/ShortStrings.jl" -> "But, this is only if all of your
        # strings are short."; "isn't this just `map(.*, [a1 a2], [b1 b2])`?" -> "that works on 1.6, before that …"
    if (is_question(before) or hedges(before) or re.match(r"^\W*(?:edit|update|ps)\b", _lower(before))
            or before.rstrip().endswith(("...", "…", ":")) or _CONTINUES.match(_lower(before)) or introduces(before)
            or _RUNS_ON.search(_lower(_INLINE_CODE.sub(" code ", before)))):  # "where I made `A` with" + a code block
        return None  # "& using box::Box{T} in Node{T} type?", "EDIT: forgot the `enumerate` at first", "New to this...."
    return before if prose <= 12 and (prose >= 5 or "`" in before and prose >= 2) else None


_AROUND_CODE_WORDS = 25
"""Words of prose up to which a message with one code block is shown whole, its code in its place."""


_CODE_GOES_ON = re.compile(r"^(?:[,;]\s|(?:where|which|whereas|with|without|instead of|and then|so that|should|would|will|"
                           r"might|may|also|works?|worked|does|did|is|seems?|can|could|gives?|returns?)\b)")
"""Words after a code block that carry on its sentence (```f(Val(condition))``` + ", where you have defined …",
```@view v[(v .>= lb) .& (v .<= ub)]``` + "should also work.")."""


_GETS = re.compile(r"\b(?:i|we|you) (?:get|got|see|saw)\W*$|\b(?:gives|returns|prints|throws|raises)\W*$")
"""Words that run into what a run of code gave ("Yup, I get" + the code and its error)."""


def _across_code(conv: Conversation, i: int, sentence: str) -> str | None:
    """``sentence`` of message ``i`` with the words and code it goes on from, when it goes on after a code block in lower
    case and the words before the block run on into it ("I don't know why some array like" + ```4×1 Array{Bool,2}```
    + "cannot be reshape into `Array{Bool, 1}`" -> one line with the code's :func:`code_gist` in its place, or "…" when
    the block has no statement to show); None otherwise."""
    raw = conv.messages[i].text
    at = raw.find(sentence)
    blocks = [b for b in _FENCED.finditer(raw[:at])] if at > 0 and sentence[:1].islower() else []
    if not blocks or raw[blocks[-1].end():at].strip():
        return None
    content = set(conv.content[i])
    said = split_sentences(raw[:blocks[-1].start()])
    before = [x for x in said if x in content] or [x for x in said[-1:] if word_count(x) <= 6 and (_GETS.search(_lower(x)) or not _LEADING_MENTIONS.sub("", x).strip())]  # "Yup, I get" + the
    # code + "in `2023-06-02 r84486`": a few words of agreement that run on into the code still lead into it, and so
    # does a lone "@quinnj" before the code its sentence goes on from ("… raises an error in R")
    gist = code_gist(blocks[-1].group(0))
    if before and _GETS.search(_lower(before[-1])):
        gist = error_gist(blocks[-1].group(0)) or gist  # "Yup, I get" + the code and its error: the error is what it gets
    if not before or re.search(r"[.!?:]\W*$", before[-1]) or raw[:blocks[-1].start()].rstrip()[-1:] in ".!?:":
        return None
    return f"{trim_sentence(before[-1]) or before[-1]} {gist or '…'} {sentence}"  # "julia> results" + output: "…"


def _around_code(conv: Conversation, i: int) -> str | None:
    """Message ``i`` on one line with its code in its place, when it is a few words around one code block ("You need"
    + ```cmd /c echo hello``` + "or something like that" -> "You need `cmd /c echo hello` or something like that"):
    its content sentences before the block, the block's :func:`code_gist`, its content sentences after; None when the
    message has no block or several, says more than :data:`_AROUND_CODE_WORDS` words, or says nothing on one side
    of its code (unless the words before it run on into it, :data:`_RUNS_ON`: "Is there a more compact way to
    write" + code)."""
    raw = conv.messages[i].text
    blocks = list(_FENCED.finditer(raw))
    if len(blocks) != 1 or _own_words(conv, i) > _AROUND_CODE_WORDS:
        return None
    gist = code_gist(raw)
    if gist is None:
        return None
    content = set(conv.content[i])
    before = [x for x in split_sentences(raw[:blocks[0].start()]) if x in content]
    after = [x for x in split_sentences(raw[blocks[0].end():]) if x in content]
    if not before and after and _CODE_GOES_ON.match(after[0]):  # ```f(Val(condition))``` + ", where you have defined …"
        return gist + ("" if after[0][0] in ",;" else " ") + " ".join(trim_sentence(x) or x for x in after)
    if not before or not after and not _RUNS_ON.search(_lower(before[-1])):
        return None  # a lead-in and its code ("you could use:"), or words after pasted output: shown as they are
    return " ".join([*(trim_sentence(x) or x for x in before), gist, *(trim_sentence(x) or x for x in after)])


_ASKS_MEANING = re.compile(r"\b(?:do|did) you mean\b|\byou mean\b|\bor something else\b|\bis that what you\b|"
                           r"\b(?:are|were) you (?:asking|looking) for\b")
"""A question back to the asker about what they meant ("do you mean like DataFrames' AsTable …?", "or something else
entirely?")."""


def _meaning_confirmed(conv: Conversation, i: int) -> bool:
    """True when the asker's message ``i`` confirms only what they meant: the message by someone else right before it
    (noise aside) asks them what they meant (:data:`_ASKS_MEANING`) and ``i`` goes on with a "But …" of its own ("yeah
    that's exactly it. But I feel like this should be feasible with named tuples only"): nothing worked yet. Blind
    readers marked the clarification shown as where the thread ended (docs/evals.md, thirty-fourth round)."""
    j = i - 1
    while j > 0 and conv.noise(j):
        j -= 1
    if j < 1 or conv.author(j) == conv.author(i) or not any(
            is_question(x) and _ASKS_MEANING.search(_lower(x)) for x in conv.content[j]):
        return False
    return any(re.match(r"^\W*but\b", x, re.IGNORECASE) for x in split_sentences(conv.messages[i].text)[1:])


def _worked(conv: Conversation, i: int) -> list[str]:
    """The statements of message ``i`` that report that something worked (:data:`_ASKER_SUCCESS`), ``@names`` taken
    off ("`-mmacosx-version-min=12.0` worked."), or that its author asked about and answered right away ("I managed to
    add class="things" and the effect is visible, is it pretty? nah, but it's ok."); ``[]`` when it reports none."""
    sentences = split_sentences(conv.messages[i].text)
    found = [conv.unmention(s).strip() for k, s in enumerate(sentences)
             if _reports_success(_lower(conv.unmention(s))) and (not is_question(s) or k + 1 < len(sentences)
                                                                  and _OWN_YES_OR_NO.match(_lower(sentences[k + 1])))]
    if not found and (block := _FENCED.search(conv.messages[i].text)) is not None and _THIS_CODE.match(
            conv.messages[i].text[:block.start()]):  # "This" + its code block + "seems to work.": the words around it
        after = " ".join(conv.messages[i].text[block.end():].split())
        found = [after] if after and _reports_success(_lower(f"this {after}")) and not is_question(after) else []
    return found


_THIS_CODE = re.compile(r"^\W*(?:(?:ok|okay|so|ah|oh),? )?(?:this|doing this|using this|the following|this one)\W*$", re.IGNORECASE)
"""The words before a code block that say the block is what the rest is about ("This" + ```…``` + "seems to work.")."""


def confirmed_answers(conv: Conversation) -> list[Item]:
    """Answers the opening author said worked, in conversation order: for each of their messages that reports
    success ("`-mmacosx-version-min=12.0` worked. It compiled successfully."), the message it confirms
    (:func:`_answer_before`) with its fullest statement, citing both, and the sentence that says it worked as
    ``reply``; also a suggestion in code put as a question that the asker said yes to with thanks
    (:func:`_code_guess_taken`: "Like `f.(arr, (1:3)', (1:3)')` then?" -> "Yes ! Thanks"), in the order they were
    confirmed. A reader needs the fix that worked even when the thread went on to something else. (The answer a plain
    "thanks!" follows was tried as a key point too, judged blind against the code before it: preferred in 11 threads
    of 25, the code before it in 14; not kept.)"""
    items: list[Item] = []
    for i in range(1, len(conv.messages)):
        worked = _worked(conv, i)
        if conv.author(i) != conv.author(0) or not worked:
            continue
        j = _answer_before(conv, i, worked=True)
        if j is None or j == 0 or any(item.messages[0] == j for item in items) or not conv.content[j]:
            continue
        said = [x for x in _said(conv, j) if not is_quotation(x)] or _said(conv, j)
        best = max(said, key=lambda x: (_resolves(_lower(x)), min(word_count(URL.sub(" ", x)), 40), -said.index(x)))
        text = trim_sentence(best) or best
        items.append(Item(in_full(conv, j, best, text) if introduces(text) else text, (j, i),
                          reply=clip(_THANKS_FIRST.sub("", worked[0]) or worked[0], REPLY_WORDS)))
    for i in range(2, len(conv.messages)):
        if (taken := _code_guess_taken(conv, i)) is not None and not any(taken[0] in item.messages for item in items):
            items.append(Item(taken[1], (taken[0], i), reply=taken[2]))
    return sorted(items, key=lambda item: item.messages[-1])  # (in the order they were confirmed)


APPROVED_LEAST = 3
"""Approving reactions (people × emoji, :attr:`bot.models.Message.approvals`) from which a reply is the answer its
readers marked (:func:`approved_answer`)."""


def approved_answer(conv: Conversation) -> Item | None:
    """A code answer its readers marked as the one that helped: the reply (neither the opening nor its author's) with
    the most approving reactions (``:+1:``, ``:100:``, ``:heavy_check_mark:``…; :attr:`bot.models.Message.approvals`),
    at least :data:`APPROVED_LEAST`, the first of equals, when it is code with nothing else to say but a lead-in ("This
    works:"), shown as its gist
    (:func:`code_gist`: "`struct Singleton; data::Vector{Int}; function Singleton(); if SINGLETON[] === nothing …`", a
    block nine people marked ``:100:``). Prose is ranked with its reactions already
    (:func:`bot.summaries.ranking.approval`); a code block never is, so the accepted answer of a long thread was lost
    among its tangents. None otherwise. A marked reply with prose shown this way too, or the reply the asker marked,
    lost more threads than it won when judged blind (docs/evals.md, thirty-sixth round)."""
    marked = [(conv.messages[j].approvals, -j) for j in range(1, len(conv.messages))
              if conv.author(j) != conv.author(0) and conv.messages[j].approvals >= APPROVED_LEAST]
    if not marked:
        return None
    j = -max(marked)[1]
    gist = code_gist(conv.messages[j].text)
    lead = " ".join(conv.content[j])
    if gist is None or lead and (len(conv.content[j]) > 1 or not introduces(lead)):
        return None
    return Item(f"{conv.unmention(lead).strip()} {gist}".strip(), (j,))


_YES_THANKS = re.compile(r"^\W*(?:yes|yeah|yep|yup|exactly)\b\W*(?:thanks?|thank you|thx)\b")
"""The asker's yes with thanks ("Yes ! Thanks :slightly_smiling_face:"): the suggestion they were asked about is the
one."""


def _code_guess_taken(conv: Conversation, i: int) -> tuple[int, str, str] | None:
    """``(message, question, yes)`` when the asker's message ``i`` opens with a yes and thanks (:data:`_YES_THANKS`)
    right after someone else's suggestion in code put as a question ("Like `f.(arr, (1:3)', (1:3)')` then?"), noise
    aside; ``yes`` is that yes and thanks ("Yes ! Thanks"). None otherwise. Blind readers missed the accepted answer
    when the asker went on to a follow-up question (docs/evals.md, thirty-fourth round)."""
    said = _YES_THANKS.match(_lower(conv.messages[i].text))
    if conv.author(i) != conv.author(0) or said is None:
        return None
    j = i - 1
    while j > 0 and conv.noise(j):
        j -= 1
    if j < 1 or conv.author(j) == conv.author(i) or not conv.content[j]:
        return None
    asked = conv.content[j][-1]
    if not is_question(asked) or "`" not in asked or word_count(_INLINE_CODE.sub(" ", asked)) > 12:
        return None
    yes = conv.messages[i].text[:said.end()]  # ("Yes ! Thanks", not
    # ":slightly_smiling_face: Could you maybe explain quickly why it works like this ?")
    return j, conv.unmention(asked).strip() or asked, " ".join(yes.split())


def _echoed(conv: Conversation, i: int) -> int | None:
    """The message by someone else, among the five before ``i``, whose words message ``i`` repeats most (two content
    words or more: "Thanks, so the macOS runners stay in the old rack until March" repeats "No, the macOS runners stay
    in the old rack …"); None when none does."""
    words = _stems(conv.messages[i].text)
    scored = [(len(words & _stems(conv.messages[j].text)), j) for j in range(max(0, i - 5), i)
              if conv.author(j) != conv.author(i) and not conv.noise(j)]
    best = max(scored, default=(0, -1))
    return best[1] if best[0] >= 2 else None



REPLY_WORDS = 30
"""Words of a short reply shown after what it answers or confirms ("… — Aidan Lakshman: That worked, I've got everything
running now."); 12 or 20 until round 26, which cut replies mid-clause."""


def clip(text: str, words: int) -> str:
    """``text`` cut to at most ``words`` words, with "…": at the last clause break (", ", "; ", " — ") when that
    keeps at least half of them, so a reader gets a clause, not half of one ("The cells in Pluto aren't in
    execution order, but in the .jl file…" -> "The cells in Pluto aren't in execution order…"); unchanged when short."""
    split = text.split()
    if len(split) <= words:
        return text
    head = " ".join(split[:words])
    cut = max(head.rfind(", "), head.rfind("; "), head.rfind(" — "), head.rfind(" – "))
    if cut > 0 and len(head[:cut].split()) >= words // 2:
        head = head[:cut]
    return head.rstrip(",;:—–- ") + "…"


_REPORTS = re.compile(r"^\W*(?:(?:ok|okay|alright|yes|yup|yeah|sure|so|well|done)\W+|(?:ah|oh)\W+(?!i see\b))?(?:(?:just|finally|now) )?"
                      r"(?:i|we|[a-z]+ed)\b"
                      r"|^\W*(?:it|that|this|the \w+)(?: now)? (?:went|got|dropped|fell|came|is now|takes|took|runs|ran)\b[^.?!]*\d"
                      r"|^\W*(?:(?:yeah|yes|yep|yup|indeed|right|ah|oh|ok|okay)\W+)?(?:it|that|the (?:problem|issue|cause|culprit))"
                      r" (?:was|turned out to be) (?:a|an|the|my|due to|caused by|just)\b")
"""A last word that reports on the speaker or what they did ("I couldn't figure out how to create a Bugzilla
account", "OK, added julia 1 on all platforms", "Ah I had to skip missings first"), a measured result ("It went down to
1.7 Mo (from 160)") or what the cause was ("yeah it was a dev'ed repo"), not a courtesy or a remark."""
_CLARIFIES = re.compile(r"^\W*(?:(?:yes|yeah|yep|no|sorry|oh),? )?i (?:mean|meant)\b")
"""A clarification ("Yes, I meant the function definition."): it answers an earlier question about what was asked,
it does not say where the conversation ended."""
_THANKS_CLOSE = re.compile(r"\b(?:thanks?|thank you)(?: (?:all|everyone|everybody|guys|so much|a lot|again))*(?: for (?:all )?(?:your|the) "
                          r"(?:input|help|answers?|replies|suggestions?|explanations?|time))?\W*(?::[\w+-]+:\W*)*$")
"""Thanks that close a message ("… as long as I am using the right object for each quantity. Thank you everybody for your
input!")."""
_THANKS_FIRST = re.compile(r"^\W*(?:thank you|thanks?|ty|cheers)\b(?: (?:so|very) much| a lot)?(?: for (?:all )?(?:the |your )?"
                           r"(?:help|input|answers?|replies|reply|suggestions?|explanations?|tips?|report|feedback|"
                           r"heads[- ]up|catch|pointers?)\b)?[\s!,.:;-]*", re.IGNORECASE)
"""Thanks at a sentence's start, with what they are for when that is only help ("Thanks for your help!": nothing is
left, not "for your help!")."""


def without_thanks(sentence: str) -> str:
    """``sentence`` without the thanks it opens with (:data:`_THANKS_FIRST`): "Thanks for the explanation, I did not find
    it …" -> "I did not find it …", as an ending's last word shows it (:func:`_last_word`); ``""`` when only thanks."""
    return _THANKS_FIRST.sub("", sentence)


_THANKS_LAST = re.compile(r"(?<=\S)\s+(?::[\w+\-]+:\s*)+(?:thanks?|thank you|thx|ty)(?: (?:a lot|so much|very much|again))?"
                          r"\W*(?::[\w+\-]+:\W*)*$", re.IGNORECASE)
"""Thanks after an emoji that end a sentence, after what it reports ("… (from 160) :tada: Thanks a lot
:slightly_smiling_face:"): the emoji stood for the full stop."""


def _last_word(conv: Conversation, i: int) -> str | None:
    """What message ``i``, which confirms or acknowledges the outcome, says worth showing after it: its first
    statement of two words or more once thanks and ``@names`` are taken off, up to 20 words ("thanks! That worked,
    I've got everything running now." -> "That worked, I've got everything running now."; "Thank you @Heather I
    couldn't figure out how to create a Bugzilla account, so it's fallen off of my TODO." -> "I couldn't figure out
    …"), when it reports a result, a promise, a decision or what the speaker did or could not do; None for a courtesy
    or a remark ("Feel free to ask", "good old testing in production!") and when it says nothing more ("Yup")."""
    sentences = split_sentences(conv.messages[i].text)
    if sentences and (but := _THANKS_BUT.match(_lower(conv.unmention(sentences[0])))) and word_count(sentences[0]) >= 8 and not (
            _SUCCESS.search(_lower(sentences[0][but.end():]))):  # "Thanks for the resources but I'm mostly interested in the
        # SVGs moreso than animations.": the thanks turns the answer down
        return clip(_EMOJI_END.sub("", conv.unmention(" ".join(sentences[:2]))).strip(), REPLY_WORDS)
    for at, sentence in enumerate(sentences):  # thanks first make a sentence noise: take them off
        if is_question(sentence) or is_quotation(sentence):
            continue
        text = sentence
        for _ in range(3):  # "Thank you @Heather Turner I couldn't …", "@Ivan thanks, it works"
            text = conv.unmention(_THANKS_FIRST.sub("", text)).strip()
        text = _THANKS_LAST.sub("", _EMOJI_END.sub("", text)) or text  # "It went down to 1.7 Mo (from 160) :tada: Thanks a
        # lot", "Ah I had to skip missings first, thanks :slightly_smiling_face:"
        named = re.match(r"^([A-Z][\w'-]+),\s+", text)  # "Pao, added in now!" (after "Thanks"): to a participant by name
        if named and any(conv.author(j).split()[0] == named.group(1) for j in range(len(conv.messages)) if conv.author(j)):
            text = text[named.end():]
        lowered = _lower(text)
        following = sentences[at + 1] if at + 1 < len(sentences) else ""
        if _BARE_SOLVED.match(lowered) and word_count(following) >= 4 and not is_question(following) and not is_noise(following):
            return clip(f"{text} {_EMOJI_END.sub('', following).strip()}", REPLY_WORDS)  # "okay, solved. the inner call
            # to `apply!` is without the index value. :man-facepalming:": what solved it, after the bare word
        if word_count(text) >= 2 and not text.endswith(":") and not is_noise(text) and not _CLOSER.search(lowered) and (
                _resolves(lowered) or _ASKER_SUCCESS.search(lowered) or is_commitment(text) or is_decision(text)
                or _REPORTS.match(lowered) or _FIXED_NOW.search(lowered)
                or _SAYS_YES.match(lowered) and word_count(text) >= 6 and _WILL_WORK.search(lowered)
                or _PICKS_ONE.match(lowered)
        ) and not _CLARIFIES.match(lowered):
            if _BUT_NO_HELP.match(_lower(following)):  # "Yes, we had to put addprocs before. However, it does not help. What I
                # noticed is that if I use copy instead of deepcopy, it seems to be working.": the turn is the news
                return clip(" ".join([text, *sentences[at + 1:at + 3]]), _ANSWER_REPLY_WORDS)
            if (word_count(text) <= 6 and (_ASKER_SUCCESS.search(lowered) or _resolves(lowered)) and _INLINE_CODE.search(following)
                    and not is_question(following) and "```" not in following):
                text = f"{text} {following}"  # "It works for me now! I can start with `CMD ["jupyter", "lab", "--ip",
                # "0.0.0.0", …]`.": what made it work, said right after
            return clip(text, REPLY_WORDS)  # … or a change made: "Thanks Pao, added in now!"; or a yes that says when it
            # works ("Yes if you are on DataFramesMeta 0.6 or above, this will work" after "I'll update to 1.6 …"), or
            # which of two it is ("The latter")
    return None


_THANKS_BUT = re.compile(r"^\W*(?:thanks?|thank you|thx|ty)\b[^.!?]{0,40}?,?\s+but\b")
"""Thanks that turn the answer down ("Thanks for the resources but I'm mostly interested in the SVGs …")."""
_BUT_NO_HELP = re.compile(r"^\W*(?:however|but|unfortunately|sadly|still)\b,?.{0,30}\b(?:(?:does|did|do|is|was)(?: not|n't|nt)|not|never) "
                          r"(?:help|work|fix|solve|change)")
"""A turn after a yes ("However, it does not help."): the confirmation goes on to say the fix failed."""


_PICKS_ONE = re.compile(r"^\W*(?:the|definitely the|probably the|it's the|its the)\s+(?:latter|former|second one|first one)\b")
"""A reply that settles an either-or ("honestly I'm not sure whether the right value is `""` or `@`, maybe the latter"
-> "The latter")."""
_WILL_WORK = re.compile(r"\b(?:will|would|should) (?:work|fix (?:it|this|that)|solve (?:it|this|that))\b")
"""Words that say it will work ("Yes if you are on DataFramesMeta 0.6 or above, this will work")."""
_DOING_NOW = re.compile(r"\b\w+ing (?:it|this|that|them|the \w+) (?:right )?now\b")
"""A short word that its author is doing it now ("restarting it now" after "I think i should write a script that kills the
bridge every 12 hours and restarts it.")."""
_ALTERNATIVE = re.compile(r"^\W*(?:or|alternatively)\b|\b(?:you|one|we) (?:also|could also|can also|might also) (?:\w+ )?"
                          r"(?:check|try|use|look|consider)\b|\banother (?:option|way|alternative)\b")
"""A short word after an answer that offers another way ("You also could check out package compiler", "or eg. `…`")."""


def _whole_reply(conv: Conversation, i: int) -> str:
    """Message ``i`` whole as a reply shown after what it answers, leading ``@names`` off, cut at :data:`REPLY_WORDS`
    words ("maybe also `reduce` can help to avoid splatting?", "You also could check out package compiler")."""
    return clip(conv.unmention(conv.messages[i].text).strip(), REPLY_WORDS)


def _short_reply(conv: Conversation, i: int, *, specific: bool = True) -> str | None:
    """Message ``i`` as a short answer worth showing beside what it answers ("Definitely 4.1.3", "Here you go!"):
    its own statements without leading ``@names``, when they are not a question, a lead-in or a promise and, with
    ``specific``, hold a number or code and no link; None otherwise."""
    said = [conv.unmention(s).strip() for s in conv.content[i] if not is_question(s) and not is_quotation(s)]
    text = " ".join(s for s in said if s)
    whole = conv.unmention(conv.messages[i].text).strip()
    if (text and "`" in whole and "```" not in whole and "\n" not in whole and word_count(whole) <= REPLY_WORDS
            and not URL.search(whole) and not any(is_question(s) for s in conv.content[i])):
        text = whole  # "or eg. `df[:, findall(predicate, eachcol(df))]`": its inline code is the answer
    if not text or specific and URL.search(text) or text.endswith(":") or any(is_commitment(s) for s in said):
        return None  # a lead-in to pasted output ("whereas `ENV[…]` returns an error:") answers nothing yet
    return text if not specific or re.search(r"\d|`", text) or _PACKAGE.search(text) else None
