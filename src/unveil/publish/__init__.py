"""The ``publish`` stage: the page tables that the web app, ``unveil network`` and exports read.

See ``unveil.publish.stage`` (the stage and its tables) and docs/development.md ("Page tables").
"""
