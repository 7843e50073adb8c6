"""The read-only web view: the venue screen, the coordinators' network view, /healthz."""
