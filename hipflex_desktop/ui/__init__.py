"""Thin Qt widgets that render domain state and send user intents."""
