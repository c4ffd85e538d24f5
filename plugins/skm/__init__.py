"""PermenPAN-RB 14/2017 SKM: scoring, sample size, questionnaire and the ``suara skm`` command."""

from __future__ import annotations

from core.plugin_api import PlanVocabulary, PluginContext, ScoringMethod, hookimpl
from plugins.skm.catalogue import CATALOGUE, CATALOGUE_VERSION
from plugins.skm.cli import skm_command
from plugins.skm.lexicon import LEXICON, LEXICON_VERSION
from plugins.skm.method import INTERPRETATION, METHOD_CODE, score
from plugins.skm.questionnaire import STANDARD_UNSUR
from plugins.skm.sample_size import krejcie_morgan


@hookimpl
def suara_scoring_methods(context: PluginContext) -> list[ScoringMethod]:
    """The official SKM index: NRR per unsur, weight 1/X, IKM, konversi, mutu and kinerja."""
    return [
        ScoringMethod(
            code=METHOD_CODE,
            label="SKM PermenPAN-RB 14/2017",
            score=score,
            minimum_sample=krejcie_morgan,
            questionnaire=STANDARD_UNSUR,
            interpretation=INTERPRETATION,
            index_label="IKM (skala 1–4)",
            konversi_label="Nilai konversi (25–100)",
        )
    ]


@hookimpl
def suara_register_commands(context: PluginContext) -> list[object]:
    """``suara skm score FILE [--json]`` for offline data."""
    return [skm_command]


@hookimpl
def suara_plan_vocabularies(context: PluginContext) -> list[PlanVocabulary]:
    """The saran ↔ unsur lexicon and the candidate activities of the nine standard unsur."""
    return [
        PlanVocabulary(
            code="skm",
            version=f"{LEXICON_VERSION}+{CATALOGUE_VERSION}",
            lexicon=LEXICON,
            activities=CATALOGUE,
        )
    ]
