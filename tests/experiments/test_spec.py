"""Claims read into experiment specs: task names and their spellings, roles, direction,
negation, sizes, languages, the ambiguities the CLI asks about, and spec files."""

from __future__ import annotations

from pathlib import Path

import pytest

from experiments.spec import AmbiguousClaim, ClaimSpec, Direction, load_spec, parse_claim
from experiments.tasks import Role, task_names
from synth.core.errors import SynthError

UP, DOWN = Direction.INCREASE, Direction.DECREASE
SPECS = Path(__file__).resolve().parents[2] / "experiments" / "specs"


@pytest.mark.parametrize(
    ("claim", "intermediate", "targets", "direction", "magnitude"),
    [
        ("Intermediate-task training on SQuAD yields large improvements on Tatoeba",
         ("squad",), ("tatoeba",), UP, None),
        ("intermediate-task training on SQuAD improves Tatoeba by 8.2 points",
         ("squad",), ("tatoeba",), UP, 8.2),
        ("SQuAD as an intermediate task gives +5.4 on MLQA", ("squad",), ("mlqa",), UP, 5.4),
        ("HellaSwag intermediate training leads to a 2.1-point gain on TyDiQA-GoldP",
         ("hellaswag",), ("tydiqa",), UP, 2.1),
        ("Cosmos QA degrades BUCC by 3 points", ("cosmosqa",), ("bucc",), DOWN, 3.0),
        ("Using CommonsenseQA first reduces PAN-X F1 by 1.5", ("commonsenseqa",), ("panx",),
         DOWN, 1.5),
        ("MultiNLI boosts XNLI accuracy from 75.1% to 78.3%", ("mnli",), ("xnli",), UP, 3.2),
        ("Multi-NLI helps PAWS X", ("mnli",), ("pawsx",), UP, None),
        ("Intermediate training on Quora question pairs benefits PAWS-X", ("qqp",), ("pawsx",),
         UP, None),
        ("SST-2 hurts POS tagging", ("sst-2",), ("udpos",), DOWN, None),
        ("SST2 training: −1.2 points on UD-POS", ("sst-2",), ("udpos",), DOWN, 1.2),
        ("CCG supertagging improves NER and WikiANN-style tagging", ("ccg",), ("panx",), UP,
         None),
        ("ANLI+ gives better XNLI results than no intermediate task", ("anli+",), ("xnli",), UP,
         None),
        ("XQuAD improves after SQuAD 2.0 training", ("squad",), ("xquad",), UP, None),
        ("SQuAD v1.1 training helps TyDi QA by up to 4 points", ("squad",), ("tydiqa",), UP, 4.0),
        ("MNLI improves XNLI accuracy to 80%", ("mnli",), ("xnli",), UP, None),
        ("On the XTREME benchmark, MNLI outperforms the baseline on XNLI", ("mnli",), ("xnli",),
         UP, None),
        ("Not only does SQuAD improve Tatoeba, it also helps BUCC", ("squad",),
         ("tatoeba", "bucc"), UP, None),
        ("SQuAD training raises Tatoeba accuracy by 8.2 % (Phang et al., 2020, arXiv:2005.13013)",
         ("squad",), ("tatoeba",), UP, 8.2),
        ("MNLI causes negative transfer on UD-POS", ("mnli",), ("udpos",), DOWN, None),
        ("SQuAD helps Tatoeba in lower-resource languages", ("squad",), ("tatoeba",), UP, None),
        ("Training jointly on MNLI and QQP improves PAWS-X", ("mnli", "qqp"), ("pawsx",), UP,
         None),
        ("Multi-task training on MNLI, SQuAD and HellaSwag improves XTREME by 5.4 points",
         ("mnli", "squad", "hellaswag"), tuple(task_names(Role.TARGET)), UP, 5.4),
    ],
)  # fmt: skip
def test_claims_read(
    claim: str,
    intermediate: tuple[str, ...],
    targets: tuple[str, ...],
    direction: Direction,
    magnitude: float | None,
) -> None:
    spec = parse_claim(claim)
    assert (spec.intermediate, spec.targets) == (intermediate, targets)
    assert spec.direction is direction
    assert spec.magnitude == magnitude
    assert spec.claim == claim


def test_claim_whitespace_is_normalised() -> None:
    assert parse_claim("  SQuAD\nimproves\tTatoeba ").claim == "SQuAD improves Tatoeba"


@pytest.mark.parametrize(
    ("claim", "languages"),
    [
        ("SQuAD helps XQuAD in German and Chinese", ("de", "zh")),
        ("SQuAD improves XNLI (de, es)", ("de", "es")),
        ("SQuAD improves XNLI in Swahili (sw) and Urdu", ("sw", "ur")),
        ("English intermediate training on SQuAD improves Tatoeba", ()),
        ("SQuAD improves PAN-X in Farsi, Malayalam and Malay", ("fa", "ml", "ms")),
    ],
)
def test_languages(claim: str, languages: tuple[str, ...]) -> None:
    assert parse_claim(claim).languages == languages


def test_language_a_target_does_not_evaluate_is_refused() -> None:
    with pytest.raises(SynthError, match="language sw is not evaluated by pawsx"):
        parse_claim("SQuAD improves PAWS-X in Swahili")


def test_xtreme_means_every_target_only_when_none_is_named() -> None:
    assert parse_claim("SQuAD improves XTREME").targets == tuple(task_names(Role.TARGET))
    assert parse_claim("SQuAD improves XTREME's MLQA").targets == ("mlqa",)


@pytest.mark.parametrize(
    "claim",
    [
        "SQuAD does not improve Tatoeba",
        "SQuAD doesn't help XNLI",
        "SQuAD yields no significant improvement on Tatoeba",
        "SQuAD fails to improve Tatoeba",
        "SQuAD never hurts XQuAD",
    ],
)
def test_negated_claims_are_ambiguous(claim: str) -> None:
    with pytest.raises(AmbiguousClaim, match="negated") as info:
        parse_claim(claim)
    assert info.value.field == "direction"
    assert info.value.options == ("increase", "decrease")


def test_a_negated_effect_beside_a_stated_one_is_ignored() -> None:
    spec = parse_claim("QQP does not hurt NER, but improves POS tagging")
    assert spec.direction is UP


def test_direction_missing_or_mixed() -> None:
    with pytest.raises(AmbiguousClaim, match="no direction") as info:
        parse_claim("SQuAD affects Tatoeba")
    assert info.value.field == "direction"
    with pytest.raises(AmbiguousClaim, match="both an increase and a decrease"):
        parse_claim("SQuAD improves XQuAD and hurts MLQA")
    with pytest.raises(AmbiguousClaim, match="both"):
        parse_claim("SQuAD improves XQuAD by -2 points")


def test_explicit_direction_overrides_the_text() -> None:
    spec = parse_claim("SQuAD does not improve Tatoeba", direction=DOWN)
    assert spec.direction is DOWN


def test_no_intermediate_task() -> None:
    for claim in ("XQuAD improves after training", "NLI training improves XNLI"):
        with pytest.raises(AmbiguousClaim, match="no intermediate task") as info:
            parse_claim(claim)
        assert info.value.field == "intermediate"
        assert info.value.options == tuple(task_names(Role.INTERMEDIATE))


def test_no_target_task() -> None:
    with pytest.raises(AmbiguousClaim, match="no target task") as info:
        parse_claim("SQuAD improves cross-lingual transfer")
    assert info.value.field == "targets"
    assert info.value.options == tuple(task_names(Role.TARGET))


def test_several_intermediate_tasks_without_multi_task_wording() -> None:
    with pytest.raises(AmbiguousClaim, match="several intermediate tasks") as info:
        parse_claim("MNLI and SQuAD help PAWS-X")
    assert (info.value.field, info.value.options) == ("intermediate", ("mnli", "squad"))
    assert parse_claim("MNLI and SQuAD help PAWS-X", intermediate=["squad"]).intermediate == (
        "squad",
    )
    both = parse_claim("MNLI and SQuAD help PAWS-X", intermediate=info.value.options)
    assert both.intermediate == ("mnli", "squad")


def test_explicit_tasks_override_and_are_canonical() -> None:
    spec = parse_claim("SQuAD improves Tatoeba", intermediate=["MultiNLI"], targets=["PAWS-X"])
    assert (spec.intermediate, spec.targets) == (("mnli",), ("pawsx",))
    spec = parse_claim("Intermediate training improves scores", ["qqp"], ["xnli"])
    assert (spec.intermediate, spec.targets, spec.direction) == (("qqp",), ("xnli",), UP)
    with pytest.raises(SynthError, match="unknown intermediate task 'xnli'"):
        parse_claim("SQuAD improves Tatoeba", intermediate=["xnli"])


@pytest.mark.parametrize(
    "claim",
    ["Intermediate training improves everything", "", "   ", "Les modèles sont meilleurs"],
)
def test_no_task_at_all(claim: str) -> None:
    with pytest.raises(SynthError) as info:
        parse_claim(claim)
    assert not isinstance(info.value, AmbiguousClaim)
    if claim.strip():
        assert "no task named" in info.value.message
        assert info.value.hint is not None
        assert "--spec" in info.value.hint and "squad" in info.value.hint


def test_no_task_in_another_language_says_so() -> None:
    with pytest.raises(SynthError, match="looks like French"):
        parse_claim("Les modèles sont meilleurs avec un entraînement intermédiaire")


@pytest.mark.parametrize(
    "claim",
    [
        "Das Training auf SQuAD verbessert die Ergebnisse auf Tatoeba deutlich",
        "在SQuAD上进行中间任务训练可以显著提高Tatoeba的性能",
    ],
)
def test_claims_in_another_language_are_refused(claim: str) -> None:
    with pytest.raises(SynthError, match="claims are read in English"):
        parse_claim(claim)


def test_several_sizes_are_refused() -> None:
    with pytest.raises(SynthError, match=r"several sizes \(2, 3\)"):
        parse_claim("SQuAD improves XQuAD by 2 points and MLQA by 3 points")


def test_spec_file_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "spec.toml"
    path.write_text(
        'intermediate = ["MultiNLI", "squad"]\ntargets = ["PAN-X"]\nlanguages = ["DE"]\n'
        'direction = "decrease"\nmagnitude = 1.5\nsource = "made up"\n'
    )
    assert load_spec(path) == ClaimSpec(
        intermediate=("mnli", "squad"), targets=("panx",), languages=("de",),
        direction=DOWN, magnitude=1.5, source="made up",
    )  # fmt: skip


def test_shipped_spec_matches_its_claim() -> None:
    spec = load_spec(SPECS / "phang2020-squad-tatoeba.toml")
    assert (spec.intermediate, spec.targets, spec.direction) == (("squad",), ("tatoeba",), UP)
    assert spec.source == "arXiv:2005.13013"
    parsed = parse_claim(spec.claim)
    assert parsed.model_dump(exclude={"source"}) == spec.model_dump(exclude={"source"})


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (None, "no spec file"),
        ("intermediate = [", "not valid TOML"),
        ('intermediate = ["squadx"]\ntargets = ["xnli"]', "unknown intermediate task 'squadx'"),
        ('intermediate = ["squad"]\ntargets = ["mnli"]', "unknown target task 'mnli'"),
        ('intermediate = ["squad"]', "targets: Field required"),
        ('intermediate = []\ntargets = ["xnli"]', "intermediate: "),
        ('intermediate = ["squad"]\ntargets = ["xnli"]\nmagnitude = -1', "magnitude: "),
        ('intermediate = ["squad"]\ntargets = ["xnli"]\ndirection = "up"', "direction: "),
        ('intermediate = ["squad"]\ntargets = ["xnli"]\nseed = 1', "seed: Extra inputs"),
    ],
)
def test_bad_spec_files(tmp_path: Path, text: str | None, message: str) -> None:
    path = tmp_path / "spec.toml"
    if text is not None:
        path.write_text(text)
    with pytest.raises(SynthError, match=message) as info:
        load_spec(path)
    assert str(path) in info.value.message
    assert info.value.hint
