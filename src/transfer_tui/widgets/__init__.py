"""Reusable pieces of the screens: safe text, progress bars, choices, confirmations."""
