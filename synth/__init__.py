"""synth: check what scientific writing claims against the papers it cites."""

__version__ = "0.1.0"
