"""Turning results into documents (tables and notes), and documents into each format.

Documents: ``estimate``, ``comparison``, ``catalog`` (built on ``document`` and
``words``). Renderers, one per format: ``terminal`` (Rich, fitted to a width by
``widths``), ``markdown``, ``csvfile``, ``jsonfile``, ``html`` (with ``svg``) and
``chart`` (matplotlib files). ``deliver`` picks the format and writes the result.
"""
