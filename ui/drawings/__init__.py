"""Every figure of the app, described once (:mod:`.spec`) and drawn two ways.

Each lesson module builds :class:`~ui.drawings.spec.Figure` descriptions from plain tables;
:mod:`.vega` draws them in the browser and :mod:`.mpl` into the downloaded files.
"""
