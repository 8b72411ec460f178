"""The ``synth`` command line: a thin layer over the library.

Heavy modules are imported inside the commands, so ``synth --help`` stays instant.
Every :class:`~synth.core.errors.SynthError` is printed on one line with its hint, exit code 1.
Each submodule registers its commands on the shared apps when imported here.
"""

from synth.cli import check, config, corpus, experiments, models, report  # noqa: F401  (registers the commands)
from synth.cli.common import app

__all__ = ["app"]
