"""Every user-facing string, in one place, so tone stays consistent and headings can be translated.

Headings follow the conversation's language (``Summary.language``); other messages are English.
"""

from __future__ import annotations

HEADINGS: dict[str, dict[str, str]] = {
    "en": {"key_points": "Key points", "decisions": "Decisions", "action_items": "Action items",
           "open_questions": "Open questions", "answer": "Answer", "owner": "owner"},
    "zh": {"key_points": "要点", "decisions": "决定", "action_items": "待办事项",
           "open_questions": "未决问题", "answer": "回答", "owner": "负责人"},
    "ja": {"key_points": "要点", "decisions": "決定事項", "action_items": "アクションアイテム",
           "open_questions": "未解決の質問", "answer": "回答", "owner": "担当"},
    "es": {"key_points": "Puntos clave", "decisions": "Decisiones", "action_items": "Tareas",
           "open_questions": "Preguntas abiertas", "answer": "Respuesta", "owner": "responsable"},
    "de": {"key_points": "Kernpunkte", "decisions": "Entscheidungen", "action_items": "Aufgaben",
           "open_questions": "Offene Fragen", "answer": "Antwort", "owner": "verantwortlich"},
    "fr": {"key_points": "Points clés", "decisions": "Décisions", "action_items": "Actions",
           "open_questions": "Questions ouvertes", "answer": "Réponse", "owner": "responsable"},
    "pt": {"key_points": "Pontos principais", "decisions": "Decisões", "action_items": "Tarefas",
           "open_questions": "Perguntas em aberto", "answer": "Resposta", "owner": "responsável"},
}


def heading(language: str, key: str) -> str:
    """The heading ``key`` in ``language`` (falls back to English)."""
    return HEADINGS.get(language, HEADINGS["en"]).get(key, HEADINGS["en"][key])


WORKING_THREAD = ":hourglass_flowing_sand: Reading the thread…"
WORKING_COMMAND = ":hourglass_flowing_sand: Working on it — I'll answer here, only you can see it."
OFFLINE_NOTE = "_Offline summary (extractive: sentences picked from the conversation, no AI model)._"
FALLBACK_NOTE = "_Offline summary: {reason}, so these are sentences picked from the conversation._"
NOTHING_TO_SUMMARIZE = "There's nothing to summarize here yet: no messages from people in {where}."
BOT_NOT_IN_CHANNEL = (
    "I'm not in <#{channel_id}>, so I can't read it. Invite me with `/invite @Recap` in that channel, "
    "then try again."
)
NO_ACCESS = "You're not a member of that conversation, so I can't summarize it for you."
GENERIC_ERROR = "Sorry, something went wrong on my side and I couldn't finish. Please try again in a minute."
COULD_NOT_POST = (
    "Sorry, I couldn't post my answer in this conversation (Slack said `{error}`). "
    "`/summarize` answers only you and works here too."
)
SHARE_BUTTON = "Share to channel"
SHARE_EXPIRED = "That summary has expired; run `/summarize` again to share a fresh one."
SHARE_REFUSED = (
    "I can't share this here: it summarizes a conversation that some people in this channel can't read."
)
SHARED_BY = "Shared by <@{user_id}>"
OMITTED_NOTE = "_Left out: {what}_"
HELP_MENTION = (
    "Hi! Mention me in a thread with `summarize` (or just `@Recap`) and I'll summarize it, with links to "
    "the messages. Ask a question instead (`@Recap what did we decide about the launch?`) and I'll answer "
    "from the thread. In a channel, `/summarize` summarizes the last 24 hours (`/summarize help` for more)."
)

# --- titles, App Home and the AI-app (agent / assistant) surfaces -------------------------------------
PROMPTS_TITLE = "Try one of these"
PROMPT_MISSED_TITLE = "What did I miss?"
PROMPT_MISSED = "What did I miss in {where}?"
PROMPT_WEEK_TITLE = "Summarize this week"
PROMPT_WEEK = "Summarize this week in {where}"
PROMPT_THREAD_TITLE = "Summarize a thread"
PROMPT_THREAD = "Summarize a thread: paste its link"
PROMPT_ANY_CHANNEL = "#channel"
ASSISTANT_GREETING = (
    "Hi! I summarize Slack conversations, with links to every message I used. Paste a thread's link, or "
    "name a channel and a period (`#general this week`)."
)
STATUS_READING = "is reading…"
HELP_DM = (
    "I can summarize for you, privately, anything you can read yourself:\n"
    "• *a thread*: paste its link (⋯ More actions → Copy link)\n"
    "• *a channel*: name it and, if you like, a period: `#general`, `#general this week`, `#general 7d`\n"
    "My titles for our conversations follow your own style: `/summarize style` shows it, "
    "`/summarize forget me` deletes it."
)
DM_PICK_CHANNEL = (
    "Which channel do you mean? Type `#` and pick it from the list Slack offers, e.g. "
    "`What did I miss in #general?`"
)
HOME_HEADER = "Recap"
HOME_INTRO = (
    "Mention me in a thread (`@Recap summarize`), use `/summarize`, or message me here with a thread link or "
    "a `#channel`. Only you see what I summarize for you."
)
HOME_RECENT = "Your recent conversations"
HOME_NO_CONVERSATIONS = "No conversations yet. Message me a thread link or a `#channel` to start one."
HOME_STYLE = "Titles follow your style: {description}. `/summarize style` shows more."
HOME_STYLE_NEUTRAL = (
    "Titles use a neutral style until you've had 5 conversations with me ({count} so far)."
)
STYLE_HEADER = "*Your title style*"
STYLE_NEUTRAL = (
    "Neutral ({description}). Recap uses a neutral style until you've had 5 conversations with it; "
    "you've had {count}."
)
STYLE_LEARNED = "{description}\n_Learned from your {count} latest conversations with Recap._"
STYLE_FEATURES = (
    "Measured: casing *{casing}* · about *{words}* words · emoji in *{emoji_rate:.0%}* of texts{emoji} · "
    "ending *{ending}* · questions *{question_rate:.0%}* · language *{language}*"
)
STYLE_FOOTER = "Recap keeps {stored} of your conversations. `/summarize forget me` deletes them, their titles and this profile."
FORGOTTEN = (
    "Done: I deleted your {conversations} stored conversations, their titles and your style profile. "
    "New titles start neutral again."
)
