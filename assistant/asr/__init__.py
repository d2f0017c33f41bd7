"""Offline speech recognition with Vosk: models, streaming utterances, voice commands.

Nothing here imports vosk at module level; the adapters import it when a model is
actually loaded, so `checkin --help` works without it.
"""
