"""Thin Bolt listeners: parse the payload, ack at once, hand the work to a service in ``bot.service``.

Each module exposes ``register(app, services)``; :func:`bot.app.create_app` calls them all.
"""
