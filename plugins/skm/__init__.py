"""PermenPAN-RB 14/2017 SKM: scoring, sample size, questionnaire and the ``suara skm`` command."""

from __future__ import annotations

from core.plugin_types import ScoringMethod, Tally
from core.plugins import hookimpl
from plugins.skm.cli import skm_command
from plugins.skm.questionnaire import STANDARD_UNSUR
from plugins.skm.sample_size import krejcie_morgan
from plugins.skm.scoring import MUTU_TABLE, SkmScore, score_tallies

METHOD_CODE = "skm-14-2017"


def _score(tally: Tally, respondents: int) -> SkmScore:
    return score_tallies(tally, respondents)


@hookimpl
def suara_scoring_methods() -> list[ScoringMethod]:
    """The official SKM index: NRR per unsur, weight 1/X, IKM, konversi, mutu and kinerja."""
    return [
        ScoringMethod(
            code=METHOD_CODE,
            label="SKM PermenPAN-RB 14/2017",
            score=_score,
            minimum_sample=krejcie_morgan,
            questionnaire=STANDARD_UNSUR,
            interpretation=MUTU_TABLE,
        )
    ]


@hookimpl
def suara_register_commands() -> list[object]:
    """``suara skm score FILE [--json]`` for offline data."""
    return [skm_command]
