"""PermenPAN-RB 14/2017 SKM: scoring, sample size, questionnaire and the ``suara skm`` command."""
