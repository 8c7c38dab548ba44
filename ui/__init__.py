"""Shared user interface of the teaching app: style, plots, exports, URL state, page parts."""
