"""Localised strings: the catalogs in ``bot/locales/`` and how ``bot.strings`` resolves a string.

A constant added to ``bot/strings.py`` without translations fails :func:`test_every_catalog_has_every_constant`
with the list of what is missing in each language.
"""

from __future__ import annotations

import json
import re
import threading
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot import strings

LOCALES = Path(strings.__file__).resolve().parent / "locales"
LANGUAGES = sorted(set(strings.HEADINGS) - {"en"})
ENGLISH = strings.english()

# English's plural suffix (`point{s}`) has no place in languages that don't build plurals with it:
# those translations may leave it out (``.format`` ignores an unused keyword, so nothing breaks).
OPTIONAL_PLACEHOLDERS = {"POINTS_LEFT_OUT_NOTE": {"s"}}

# Slack's length limits on the surfaces a string is shown in (docs.slack.dev/reference/views/modal-views:
# modal title and submit 24; block-kit confirmation dialog: title 100, text 300, buttons 30; button text 75).
LIMITS = {"FEEDBACK_NOTE_TITLE": 24, "FEEDBACK_NOTE_SUBMIT": 24, "CONFIRM_TITLE": 100, "CONFIRM_YES": 30,
          "CONFIRM_NO": 30, "HOME_FORGET_CONFIRM": 300, "SHARE_BUTTON": 75, "FEEDBACK_UP_LABEL": 75,
          "FEEDBACK_DOWN_LABEL": 75, "REDO_AGAIN": 75, "REDO_SHORTER": 75, "REDO_LONGER": 75,
          "HOME_DIGEST_OFF": 75, "HOME_FORGET": 75}

# Buttons whose label other texts quote ("press *Share to channel*"); the quote must follow the translation.
BUTTON_LABELS = ["SHARE_BUTTON", "REDO_AGAIN", "REDO_SHORTER", "REDO_LONGER", "FEEDBACK_UP_LABEL",
                 "FEEDBACK_DOWN_LABEL", "HOME_FORGET", "HOME_DIGEST_OFF"]

_EMOJI = re.compile(r":[a-z0-9_+\-]+:")
_ANGLE = re.compile(r"<([^>|\s]+)(?:\|[^>]*)?>")  # the target of <#C…>, <@U…>, <url|label>; labels translate
_CODE = re.compile(r"`([^`]+)`")


def _catalog(language: str) -> dict:
    return json.loads((LOCALES / f"{language}.json").read_text(encoding="utf-8"))


def _texts(value: str | tuple[str, ...] | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def _fields(text: str) -> Counter:
    return Counter(strings.placeholders(text))


def _dummy(fields: list[tuple[str, str, str]]) -> dict[str, object]:
    """A value per placeholder that English's format spec accepts: 0.5 for a number format, else a word."""
    return {name: 0.5 if spec and spec[-1] in "%fFeEgGd" else "x" for name, _, spec in fields}


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalog_is_a_json_object_of_strings(language):
    catalog = _catalog(language)
    assert isinstance(catalog, dict) and catalog
    for name, value in catalog.items():
        assert name.isupper(), name
        assert isinstance(value, str) or (isinstance(value, list) and value and all(isinstance(v, str) for v in value)), name


def test_every_catalog_has_every_constant():
    missing = {language: sorted(set(ENGLISH) - set(_catalog(language))) for language in LANGUAGES}
    missing = {language: names for language, names in missing.items() if names}
    assert not missing, f"untranslated strings (add them to bot/locales/<lang>.json): {missing}"
    stale = {language: sorted(set(_catalog(language)) - set(ENGLISH)) for language in LANGUAGES}
    assert not any(stale.values()), f"translations of strings that no longer exist: {stale}"


def test_english_table_holds_every_constant_and_none_stays_a_global():
    assert len(ENGLISH) >= 60  # the catalogs cover the module's ~80 texts; a sweep that found nothing fails
    assert {"GENERIC_ERROR", "LOADING_MESSAGES", "POINTS_LEFT_OUT_NOTE"} <= set(ENGLISH)
    assert not [name for name in ENGLISH if name in vars(strings)], "text constants must live in the table"
    assert "HEADINGS" in vars(strings) and "HEADINGS" not in ENGLISH
    assert set(ENGLISH) <= set(dir(strings))


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_placeholders_and_slack_markup(language):
    catalog = _catalog(language)
    problems = []
    for name, english in ENGLISH.items():
        if name not in catalog:
            continue  # reported by test_every_catalog_has_every_constant
        value = catalog[name]
        if isinstance(english, tuple) != isinstance(value, list):
            problems.append(f"{name}: a {'list' if isinstance(english, tuple) else 'string'} is expected")
            continue
        for source, text in zip(_texts(english) * len(_texts(value)), _texts(value), strict=False):
            want, got = _fields(source), _fields(text)
            for optional in OPTIONAL_PLACEHOLDERS.get(name, ()):
                want = Counter({k: v for k, v in want.items() if k[0] != optional})
                got = Counter({k: v for k, v in got.items() if k[0] != optional})
            if want != got:
                problems.append(f"{name}: placeholders {sorted(got)} != English {sorted(want)}")
            for pattern, what in ((_EMOJI, "emoji"), (_ANGLE, "<#channel>/<@user> references")):
                if Counter(pattern.findall(source)) != Counter(pattern.findall(text)):
                    problems.append(f"{name}: {what} differ from English")
            commands = Counter(c for c in _CODE.findall(source) if c.startswith("/"))
            if commands != Counter(c for c in _CODE.findall(text) if c.startswith("/")):
                problems.append(f"{name}: slash commands must stay exactly as in English: {sorted(commands)}")
            for mark in ("*", "`"):
                if text.count(mark) % 2:
                    problems.append(f"{name}: unbalanced {mark}")
            if source.startswith("_") and source.endswith("_") and not (text.startswith("_") and text.endswith("_")):
                problems.append(f"{name}: English is italic (_…_), the translation must be too")
            if "\n" in source and text.count("\n") != source.count("\n"):
                problems.append(f"{name}: line breaks differ from English")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_translated_template_formats(language):
    catalog = _catalog(language)
    for name, english in ENGLISH.items():
        if name not in catalog:
            continue
        for source, text in zip(_texts(english) * len(_texts(catalog[name])), _texts(catalog[name]), strict=False):
            values = _dummy(strings.placeholders(source))
            source.format(**values)  # the call sites' shape works on English…
            formatted = text.format(**values)  # …and on the translation
            assert "{" not in formatted and "}" not in formatted, (name, formatted)


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_fit_slack_limits(language):
    catalog = _catalog(language)
    too_long = {name: len(catalog[name]) for name, limit in LIMITS.items()
                if name in catalog and isinstance(catalog[name], str) and len(catalog[name]) > limit}
    assert not too_long, too_long


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_text_naming_a_button_uses_the_buttons_translated_label(language):
    """"press *Share to channel*" must name the button as the person sees it, in their language."""
    catalog = _catalog(language)
    labels = [name for name in BUTTON_LABELS if name in ENGLISH and name in catalog]
    wrong = [(name, label) for name, english in ENGLISH.items() if isinstance(english, str) and name in catalog
             for label in labels if label != name and ENGLISH[label] in english and catalog[label] not in catalog[name]]
    assert not wrong, wrong


@pytest.mark.parametrize("language", ["zh", "ja"])
def test_cjk_markup_is_set_off_from_letters(language):
    """Slack renders ``*bold*`` and `` `code` `` only at word boundaries: in Chinese and Japanese, a span
    must not touch a letter outside it (a space or punctuation in between)."""
    from bot.lang import CJK_CHARS

    letter = re.compile(f"[{CJK_CHARS}A-Za-z0-9]")
    glued = []
    for name, value in _catalog(language).items():
        for text in _texts(value):
            for mark in "*`":
                for span in re.finditer(rf"{re.escape(mark)}[^{re.escape(mark)}\n]+{re.escape(mark)}", text):
                    before, after = text[span.start() - 1: span.start()], text[span.end(): span.end() + 1]
                    if letter.match(before) or letter.match(after):
                        glued.append((name, span.group()))
    assert not glued, glued


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_catalog_entry_is_accepted_by_the_loader(language):
    catalog = strings.catalog(language)
    assert set(catalog) == set(_catalog(language)) & set(ENGLISH)
    assert isinstance(catalog["LOADING_MESSAGES"], tuple)


def test_strings_resolve_in_the_current_language_with_english_fallback():
    assert strings.current_language() == "en"
    english = strings.GENERIC_ERROR
    with strings.use_language("es") as used:
        assert used == "es" and strings.current_language() == "es"
        assert strings.GENERIC_ERROR == _catalog("es")["GENERIC_ERROR"] != english
        assert strings.LOADING_MESSAGES == tuple(_catalog("es")["LOADING_MESSAGES"])
        with strings.use_language("ja"):
            assert strings.SHARE_BUTTON == _catalog("ja")["SHARE_BUTTON"]
        assert strings.SHARE_BUTTON == _catalog("es")["SHARE_BUTTON"]
        assert strings.heading("es", "decisions") == "Decisiones"  # headings are unchanged
    assert strings.current_language() == "en" and strings.GENERIC_ERROR == english
    with strings.use_language("ko"):  # no catalog: English
        assert strings.current_language() == "en" and strings.GENERIC_ERROR == english
    with pytest.raises(AttributeError):
        strings.NOT_A_STRING  # noqa: B018


def test_a_string_missing_from_a_catalog_falls_back_to_english(monkeypatch):
    with strings.use_language("fr"):
        catalog = strings.catalog("fr")
        monkeypatch.delitem(catalog, "NO_ACCESS")
        assert strings.NO_ACCESS == ENGLISH["NO_ACCESS"]
        assert strings.SHARE_BUTTON == "Partager dans le canal"


def test_real_code_reads_the_language_at_call_time():
    from bot.summaries.shares import share_button

    with strings.use_language("de"):
        german = share_button("s1")["elements"][0]["text"]["text"]
    assert german == "Im Channel teilen"
    assert share_button("s1")["elements"][0]["text"]["text"] == "Share to channel"



def test_digest_and_usage_answers_follow_the_language():
    """The ``/summarize digest`` and ``/summarize`` help texts resolve when raised, not at import."""
    from bot.digests.command import digest_usage, parse_schedule
    from bot.digests.store import MAX_ORG_SOURCES, Schedule
    from bot.errors import InputError
    from bot.summaries.command import USAGE, parse_command

    default = Schedule(0, 9, 0, "UTC")
    with strings.use_language("es"), pytest.raises(InputError) as spanish:
        parse_schedule(["Mars/Olympus"], default=default)
    assert spanish.value.user_message == "No conozco la zona horaria `Mars/Olympus`. Usa un nombre IANA como `Europe/Berlin`."
    with pytest.raises(InputError) as english:
        parse_schedule(["Mars/Olympus"], default=default)
    assert english.value.user_message == "I don't know the time zone `Mars/Olympus`. Use an IANA name like `Europe/Berlin`."
    assert f"up to {MAX_ORG_SOURCES} channels" in digest_usage()
    with strings.use_language("de"):
        assert digest_usage().startswith("*Wöchentliche Digests*") and f"bis zu {MAX_ORG_SOURCES} Channels" in digest_usage()
    assert USAGE == ENGLISH["USAGE"] and USAGE.startswith("*How to use* `/summarize`")
    with strings.use_language("fr"), pytest.raises(InputError) as french:
        parse_command("#general", now=datetime(2026, 1, 5, tzinfo=UTC), tz="UTC")
    assert french.value.user_message.endswith(strings.catalog("fr")["USAGE"])
    from bot.periods import parse_period

    with strings.use_language("pt"), pytest.raises(InputError) as portuguese:
        parse_period("fortnight", now=datetime(2026, 1, 5, tzinfo=UTC), tz="UTC")
    assert portuguese.value.user_message.startswith("Não conheço o período `fortnight`; tente um período como `today`")
    with pytest.raises(InputError) as period_en:
        parse_period("fortnight", now=datetime(2026, 1, 5, tzinfo=UTC), tz="UTC")
    assert period_en.value.user_message == f"I don't know the period `fortnight`; try {ENGLISH['PERIOD_HELP']}."

def test_threads_do_not_see_each_others_language():
    barrier = threading.Barrier(3)
    seen: dict[str, list[str]] = {}

    def worker(language: str) -> None:
        with strings.use_language(language):
            barrier.wait(timeout=10)  # all three are inside their block at once
            seen[language] = [strings.current_language(), strings.SHARE_BUTTON]
            barrier.wait(timeout=10)

    threads = [threading.Thread(target=worker, args=(lang,)) for lang in ("zh", "pt", "en")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert seen == {"zh": ["zh", "分享到频道"], "pt": ["pt", "Compartilhar no canal"], "en": ["en", "Share to channel"]}
    assert strings.current_language() == "en"


def test_a_new_thread_starts_in_english():
    result: list[str] = []
    with strings.use_language("fr"):
        thread = threading.Thread(target=lambda: result.append(strings.SHARE_BUTTON))
        thread.start()
        thread.join(timeout=10)
    assert result == ["Share to channel"]


def test_a_broken_catalog_entry_is_dropped_not_raised(tmp_path, monkeypatch, caplog):
    """A translation with a placeholder English doesn't pass would make ``.format`` raise: the loader
    ignores it (English is used) and logs which one."""
    bad = {"GENERIC_ERROR": "Fehler {oops}", "NO_ACCESS": "Kein Zugang", "SHARED_BY": "Von <@{user_id}>",
           "STYLE_FEATURES": "{emoji_rate}", "LOADING_MESSAGES": "not a list", "OMITTED_NOTE": "{what"}
    (tmp_path / "locales").mkdir()
    (tmp_path / "locales" / "de.json").write_text(json.dumps(bad), encoding="utf-8")
    monkeypatch.setattr(strings._resources, "files", lambda package: tmp_path)
    monkeypatch.delitem(strings._CATALOGS, "de", raising=False)
    with caplog.at_level("WARNING", logger="bot.strings"):
        loaded = strings.catalog("de")
    assert loaded == {"NO_ACCESS": "Kein Zugang", "SHARED_BY": "Von <@{user_id}>"}
    assert {"GENERIC_ERROR", "STYLE_FEATURES", "LOADING_MESSAGES", "OMITTED_NOTE"} <= {
        word for record in caplog.records for word in record.getMessage().split()}
    with strings.use_language("de"):
        assert strings.GENERIC_ERROR == ENGLISH["GENERIC_ERROR"]
        assert strings.NO_ACCESS == "Kein Zugang"
    monkeypatch.delitem(strings._CATALOGS, "de")


def test_a_missing_catalog_file_means_english(tmp_path, monkeypatch):
    monkeypatch.setattr(strings._resources, "files", lambda package: tmp_path)
    monkeypatch.delitem(strings._CATALOGS, "pt", raising=False)
    with strings.use_language("pt"):
        assert strings.NO_ACCESS == ENGLISH["NO_ACCESS"]
    monkeypatch.delitem(strings._CATALOGS, "pt")


@pytest.mark.parametrize(("locale", "conversation", "chosen", "expected"), [
    ("es-ES", None, None, "es"),
    ("es-LA", "de", None, "es"),  # Slack's Latin-American Spanish
    ("pt-BR", "en", None, "pt"),
    ("zh-CN", None, None, "zh"),
    ("zh-TW", "ja", None, "zh"),
    ("ja-JP", None, None, "ja"),
    ("fr-CA", None, None, "fr"),
    ("de_DE", None, None, "de"),
    ("en-US", "es", None, "en"),  # a supported locale wins over the conversation
    ("ko-KR", "ja", None, "ja"),  # unsupported locale: the conversation's language
    ("it-IT", "it", None, "en"),  # neither supported
    (None, "fr", None, "fr"),
    ("", None, None, "en"),
    (None, None, None, "en"),
    ("en-GB", "de", "pt", "pt"),  # an App Home choice wins
    ("en-GB", "de", "xx", "en"),  # an unknown choice is ignored
])
def test_language_for(locale, conversation, chosen, expected):
    assert strings.language_for(locale, conversation, chosen=chosen) == expected


def test_from_import_still_works():
    from bot.strings import GENERIC_ERROR, LOADING_MESSAGES

    assert GENERIC_ERROR == ENGLISH["GENERIC_ERROR"] and isinstance(LOADING_MESSAGES, tuple)


def test_catalogs_ship_as_package_data():
    pyproject = (Path(strings.__file__).resolve().parents[1] / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'^bot = \[[^\]]*"locales/\*\.json"', pyproject, re.M)
    assert {p.stem for p in LOCALES.glob("*.json")} == set(LANGUAGES)


def test_set_and_reset_language():
    token = strings.set_language("pt-BR")
    try:
        assert strings.current_language() == "pt" and strings.PRIVATE_FALLBACK_TEXT == "Seu resumo"
    finally:
        strings.reset_language(token)
    assert strings.current_language() == "en" and strings.PRIVATE_FALLBACK_TEXT == "Your summary"
