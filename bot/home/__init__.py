"""App Home with settings: the person's digests, their style profile with "forget me", their language.

:mod:`bot.home.service` gathers what the Home shows from the titles and digest features and applies the
changes made there; :mod:`bot.home.store` keeps the per-person settings. The view itself is drawn by
:func:`bot.titles.home.home_view`.
"""
