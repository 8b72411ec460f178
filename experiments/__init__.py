"""Intermediate-task transfer on XTREME (Phang et al. 2020, arXiv 2005.13013), linked to claims.

The task table (``tasks``), data readers (``data``), metrics, run folders (``runner``) and the
typed records they write (``records``), and the claim -> experiment -> verdict path (``spec``,
``reproduce``, ``stats``) behind ``synth reproduce`` and ``synth experiments`` (called through
``synth.api.experiments``). torch and transformers are imported only where a run needs them.
"""
