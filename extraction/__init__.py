"""Pure extraction: text and pages in, links, identifiers, indicators and platform out.

Imports nothing of ours (architecture.md). Only `fetch.py` touches the network.
"""
