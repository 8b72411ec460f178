"""Turning documents into page-anchored text: pure functions except
:mod:`synth.corpus.parsing.pdf`."""
