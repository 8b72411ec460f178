"""synth from Python: check a claim, audit a report, and look at the evidence as a table.

    .venv/bin/python examples/check_and_audit.py
    .venv/bin/python examples/check_and_audit.py REPORT PAPER "CLAIM"

With no arguments it audits the demo report (``corpus/demo-report.txt``) and checks one of
its claims against Phang et al. 2020 (arXiv 2005.13013), offline when SYNTH_ARXIV_MIRROR
names a mirror (``make`` sets it when ``../shared/data`` is beside the checkout). The cells
(``# %%``) run one by one in VS Code or Jupyter (jupytext) as a notebook.
"""

# %%
from __future__ import annotations

import sys
from pathlib import Path

import synth

REPORT = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("corpus/demo-report.txt")
PAPER = sys.argv[2] if len(sys.argv) > 2 else "2005.13013"
CLAIM = (
    sys.argv[3]
    if len(sys.argv) > 3
    else ("Intermediate-task training gives XLM-R Large a 5.4 point improvement on XTREME.")
)

session = synth.open()  # SYNTH_HOME and the SYNTH_* settings; pass home=... to choose

# %% Fetch the paper (from the mirror or arXiv) and check a claim against it.
for outcome in session.fetch([PAPER]):
    print(outcome.ref, "failed: " + str(outcome.error) if outcome.failed else outcome.status)
verdict = session.check(CLAIM, papers=[PAPER])
print(f"{verdict.label.value} ({verdict.confidence:.2f}): {CLAIM}")
for evidence in verdict.evidence[:2]:
    where = f"{evidence.passage.paper_id}, p. {evidence.passage.page_start}"
    print(f"  {where}: “{evidence.quote}”")

# %% Audit a whole report: each claim re-checked against the papers it cites.
report = session.audit(REPORT)
for claim in report.claims:
    print(f"{claim.verdict.label.value:16} {claim.text[:70]}")
for problem in report.problems:
    print("problem:", problem)

# %% The evidence as a pandas DataFrame (pip install pandas).
rows = [
    {"claim": c.text[:40], "label": c.verdict.label.value, "paper": e.passage.paper_id,
     "page": e.passage.page_start, "entail": round(e.entailment, 2),
     "contradict": round(e.contradiction, 2), "quote": e.quote[:60]}
    for c in report.claims for e in c.verdict.evidence[:1]
]  # fmt: skip
try:
    import pandas as pd
except ImportError:
    print("pandas is not installed: pip install pandas to see the evidence as a DataFrame")
else:
    print(pd.DataFrame(rows).to_string(index=False))

session.close()
