"""Plumbing of the generated ``tgclient`` command line: settings, output, progress, files.

Spec-agnostic like the rest of the runtime: the generated ``tgclient.cli`` module declares
the commands and hands each call to these helpers. Nothing here is imported by ``tgclient``
itself, so the library never pays for click, rich or rdflib.
"""
