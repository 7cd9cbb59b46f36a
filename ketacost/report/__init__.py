"""Turning results into text: layout (what is shown) and render (how it is drawn)."""
