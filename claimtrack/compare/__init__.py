"""Comparing claims: where sources agree, differ, refine, update, repeat or contradict each other.

:func:`compare` pairs the claims of each subject (never across subjects), decides each pair with the
first :class:`Rule` of :attr:`ComparePolicy.rules` that holds, and explains it in a sentence with the
numbers and dates that decided it. See ``docs/comparing.md`` for the semantics with examples.

This package is one concept in several parts; this module is its front door, and the only one
code outside the package imports. It exports:

- :func:`compare` and its result, :class:`Comparison` (pairs, subjects, series checks, grouped
  findings and their pairs);
- :class:`ComparePolicy` and :data:`DEFAULT_COMPARE_POLICY`: everything that decides a comparison;
- the vocabulary: :class:`Verdict`, and :data:`NOTABLE`, the verdicts findings report;
- the rules: :class:`Rule`, :class:`Template` (a reason sentence) and :data:`RULES`, the declared
  rules in the order they are tried;
- the tables' columns: :data:`PAIR_COLUMNS`, :data:`SUBJECT_COLUMNS`, :data:`SERIES_COLUMNS`, and
  :data:`KERNEL_COLUMNS`, the columns of a claims frame a comparison reads;
- :func:`read_pairs`: the pairs of a comparison written to a folder (``compare(..., out=...)``).

Behind it, private modules each hold one part: ``_vocabulary`` (verdict, stance and kind codes,
derived from the enums), ``_rules``, ``_reasons`` (their reason sentences) and ``_template``, ``_ages`` (units in the comparison: the
prepared unit columns, and the masks and reasons of the rules on units and ages), ``_policy``,
``_prepare`` (claims to the prepared frame, the one step every engine and :func:`read_pairs`
take), ``_provenance`` (origins of republications and relays, hedges, a subject's kind of time),
``_hedges`` (intervals
re-read under the policy's hedges), ``_arrays`` (column helpers), ``_texts`` (per-claim texts),
``_pairs`` (pair enumeration and a chunk's arrays), ``_decide``, ``_groups`` (groups of
interchangeable claims and their pairs), ``_grouped`` (the grouped path: deciding pairs of
groups), ``_findings`` (grouped findings and their pairs), ``_summary`` (subjects table,
series checks), ``_links`` (pairs across links between subjects, decided by the rules of
``_link_rules`` and ``_link_statements`` over the arrays of ``_link_pairs``, with the texts of
``_link_texts``), ``_schema`` (the one schema of pairs, subjects and series), ``_folder``
(the pairs-folder format), ``_result``, and the engines ``_local``, ``_forked`` (worker processes)
and ``_dask`` (needs ``claimtrack[dask]``; :mod:`claimtrack.distributed` is its public face), with
the Dask engine's plan (``_dask_plan``) and the work of its tasks (``_dask_tasks``; by groups,
``_grouped_tasks``), which import no dask.
Nothing else in them is used from outside, and their names may change.
"""

from claimtrack.compare._compare import compare
from claimtrack.compare._folder import read_pairs
from claimtrack.compare._policy import DEFAULT_COMPARE_POLICY, ComparePolicy
from claimtrack.compare._result import Comparison
from claimtrack.compare._rules import RULES, Rule
from claimtrack.compare._schema import (
    KERNEL_COLUMNS,
    PAIR_COLUMNS,
    SERIES_COLUMNS,
    SUBJECT_COLUMNS,
)
from claimtrack.compare._template import Template
from claimtrack.compare._vocabulary import NOTABLE, Verdict

__all__ = [
    "DEFAULT_COMPARE_POLICY",
    "KERNEL_COLUMNS",
    "NOTABLE",
    "PAIR_COLUMNS",
    "RULES",
    "SERIES_COLUMNS",
    "SUBJECT_COLUMNS",
    "ComparePolicy",
    "Comparison",
    "Rule",
    "Template",
    "Verdict",
    "compare",
    "read_pairs",
]
