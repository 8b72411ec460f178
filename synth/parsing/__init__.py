"""Turning documents into page-anchored text: pure functions except :mod:`synth.parsing.pdf`."""
