"""Claim validation: normalising; rejecting empty, over-long, wordless, non-English claims."""

from __future__ import annotations

import pytest

from synth.check.claims import LANGUAGE_NAMES, detect_language, normalise_claim, validate_claim
from synth.core.errors import SynthError


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  BERT beats ELMo.  ", "BERT beats ELMo."),
        ("BERT\nbeats\t\tELMo.", "BERT beats ELMo."),
        ("BERT\u00a0beats\u2009ELMo\u3000on GLUE.", "BERT beats ELMo on GLUE."),
        ("\ufeffBERT beats\u200b ELMo.", "BERT beats ELMo."),
        ("Schu\u0308tze (1998) clusters words.", "Schütze (1998) clusters words."),  # NFD -> NFC
        (" \n\t\u00a0", ""),
    ],
)
def test_normalise_claim(raw: str, expected: str) -> None:
    assert normalise_claim(raw) == expected


@pytest.mark.parametrize(
    ("text", "message", "hint"),
    [
        ("", "the claim is empty", 'synth check "..."'),
        (" \n\t\u00a0 ", "the claim is empty", 'synth check "..."'),
        ("12345 !!!", "the claim has no words", None),
        ("+5.4 / 3.2% (0.05) = 10^-5", "the claim has no words", None),
        ("x" * 10_000, "the claim is 10,000 characters; synth checks claims of at most 1,000",
         "SYNTH_VERIFY_MAX_CLAIM_CHARS"),
        ("Le modèle améliore la précision de 5 points sur le jeu de test.",
         "the claim looks like French (fr)", "SYNTH_VERIFY_MODEL"),
    ],
)  # fmt: skip
def test_rejections_name_problem_and_remedy(text: str, message: str, hint: str | None) -> None:
    with pytest.raises(SynthError) as caught:
        validate_claim(text)
    assert caught.value.message == message
    assert caught.value.hint  # every rejection says what to do
    if hint is not None:
        assert hint in caught.value.hint


def test_too_long_hint_mentions_batch() -> None:
    with pytest.raises(SynthError, match="--batch takes one per line"):
        validate_claim("word " * 300)


def test_non_english_hint_mentions_translation() -> None:
    with pytest.raises(SynthError, match="English-only; translate the claim"):
        validate_claim("Das Modell ist besser als die Baseline und wird oft verwendet.")


ENGLISH = [
    "BERT outperforms ELMo on GLUE by 7.7 points.",
    "XLM-R Large: +5.4 XTREME",
    "GPT-3 175B, 32-shot: 71.8 SuperGLUE",
    "ResNet-50 top-1 accuracy 76.1%",
    "Dropout reduces overfitting.",
    "Schütze and Müller (2019) show that the naïve baseline is competitive.",
    "Müller et al. report a café-scale effect in the Jürgen–Ñúñez corpus.",
    "The Gödel-machine idea of Schmidhuber was never implemented at scale.",
    "Attention is all you need.",
    "LSTM vs. GRU",
    "Transformers win.",
    "Results hold for α = 0.05, e.g. in Table 3.",
    "β > 0",
    "Aspirin lowers the risk of stroke, as shown in the Étude Française cohort.",
    # "et al.", name particles and quoted foreign titles are not evidence of another language
    "Vaswani et al., Devlin et al., Brown et al.: scaling helps",
    "Juan de la Cruz et al. found no link between coffee and cancer.",
    "Van der Maaten and Hinton introduced t-SNE.",
    "Da Silva, dos Santos and de Souza: more data helps",
    "Dupont et al. show in 'La théorie de la relativité' that gravity bends light.",
    "Le Cun trained LeNet-5 on MNIST.",
    # acronyms are not function words: "IL" is an interleukin here, not French "il"
    "Severe COVID-19 raises pro-inflammatory cytokines (IL-1, IL-2, IL-6, IL-8, IL-10, IL-17).",
]


@pytest.mark.parametrize("claim", ENGLISH)
def test_english_claims_are_accepted(claim: str) -> None:
    assert validate_claim(claim) == normalise_claim(claim)
    assert detect_language(claim) in ("en", None)  # None (unclear) is never rejected


@pytest.mark.parametrize(
    ("claim", "expected"),
    [
        ("BERT outperforms ELMo on GLUE.", "en"),
        ("The model improves recall.", "en"),
        ("XLM-R Large: +5.4 XTREME", None),
        ("12345", None),
        ("", None),
    ],
)
def test_detect_language_english_or_unclear(claim: str, expected: str | None) -> None:
    assert detect_language(claim) == expected


NON_ENGLISH = [
    ("Le modèle améliore la précision de 5 points sur le jeu de test.", "fr"),
    ("Les résultats montrent que cette méthode est plus robuste.", "fr"),
    ("«Le modèle est meilleur que la baseline de Google.»", "fr"),  # all quoted: still French
    ("Das Modell ist genauer als die Baseline und braucht weniger Daten.", "de"),
    ("Die Genauigkeit wurde durch das größere Modell nicht verbessert.", "de"),
    ("El modelo mejora la precisión en un 5% con los datos de prueba.", "es"),
    ("Los resultados muestran que el método es más robusto que la línea base.", "es"),
    ("O modelo melhora a precisão em 5 pontos no conjunto de teste.", "pt"),
    ("Os resultados mostram que o método não é mais robusto.", "pt"),
    ("Il modello migliora la precisione del 5% sul set di test.", "it"),
    ("Het model is nauwkeuriger dan de baseline en gebruikt minder data.", "nl"),
    ("该模型在测试集上的准确率提高了五个百分点。", "zh"),
    ("BERT在GLUE上优于ELMo。", "zh"),
    ("このモデルはテストセットで精度を5ポイント向上させた。", "ja"),
    ("BERTはGLUEでELMoを上回る。", "ja"),
    ("Модель повышает точность на 5 пунктов на тестовом наборе.", "ru"),
    ("يحسن النموذج الدقة بمقدار خمس نقاط على مجموعة الاختبار.", "ar"),
    ("모델은 테스트 세트에서 정확도를 5포인트 향상시킨다.", "ko"),
    ("Το μοντέλο βελτιώνει την ακρίβεια κατά 5 μονάδες.", "el"),
    ("मॉडल परीक्षण सेट पर सटीकता बढ़ाता है।", "hi"),
]


@pytest.mark.parametrize(("claim", "code"), NON_ENGLISH)
def test_non_english_claims_are_rejected_with_code(claim: str, code: str) -> None:
    assert detect_language(claim) == code
    with pytest.raises(SynthError) as caught:
        validate_claim(claim)
    assert caught.value.message == f"the claim looks like {LANGUAGE_NAMES[code]} ({code})"


@pytest.mark.parametrize("max_chars", [10, 50, 1000])
def test_length_limit_is_inclusive(max_chars: int) -> None:
    fits = ("a" * (max_chars - 2)) + " b"
    assert validate_claim(fits, max_chars=max_chars) == fits
    limit = f"characters; synth checks claims of at most {max_chars:,}"
    with pytest.raises(SynthError, match=limit):
        validate_claim(fits + "c", max_chars=max_chars)


def test_length_is_measured_after_normalising() -> None:
    claim = "  Dropout\n\n reduces   overfitting.  "
    assert validate_claim(claim, max_chars=len("Dropout reduces overfitting.")) == (
        "Dropout reduces overfitting."
    )


def test_error_str_joins_message_and_hint() -> None:
    with pytest.raises(SynthError) as caught:
        validate_claim("")
    hint = 'pass the sentence to check, e.g. synth check "..."'
    assert str(caught.value) == f"the claim is empty — {hint}"
