"""Compare the outputs of the code before (old) and after (new) issue 12."""
import json, sys
from pathlib import Path
root = Path("/work/exp/compare")
def load(which, name):
    text = (root / which / name).read_text()
    return json.loads(text)
rows = []
same = True
for name in ("report.json", "audit.json"):
    a, b = load("old", name), load("new", name)
    va = [(c["checked_text"], c["label"], c["confidence"], [(p["paper_id"], p["label"], p["confidence"]) for p in c["papers"]]) for c in a["claims"]]
    vb = [(c["checked_text"], c["label"], c["confidence"], [(p["paper_id"], p["label"], p["confidence"]) for p in c["papers"]]) for c in b["claims"]]
    eq = va == vb
    same &= eq
    rows.append((name, len(va), sum(x == y for x, y in zip(va, vb)), eq, a.get("settings_hash"), b.get("settings_hash")))
for i in (1, 2, 3):
    a, b = load("old", f"check{i}.json"), load("new", f"check{i}.json")
    keys = ("label", "confidence", "papers", "evidence", "numeric", "settings_hash", "model")
    eq = all(a[k] == b[k] for k in keys)
    same &= eq
    rows.append((f"check{i}.json", 1, int(eq), eq, a["label"], b["label"]))
a, b = load("old", "eval.json"), load("new", "eval.json")
for k in ("open", "oracle"):
    eq = a[k] == b[k]
    same &= eq
    rows.append((f"eval {k}", a["claims"], int(eq), eq, json.dumps(a[k]["abstract_label_only"]), json.dumps(b[k]["abstract_label_only"])))
print("| output | items | identical | same | before | after |")
print("|---|---|---|---|---|---|")
for r in rows:
    print("| " + " | ".join(str(x) for x in r) + " |")
print("ALL SAME" if same else "DIFFERENT")
