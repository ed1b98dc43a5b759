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
WORKING_CHANNEL = ":hourglass_flowing_sand: Reading #{channel} ({period})…"
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
