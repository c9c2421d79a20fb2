"""The stance matrix: a verdict for every pair of stances on one proposition, declared in the policy
and shown in docs/comparing.md."""

from __future__ import annotations

import re
from collections.abc import Mapping

import attrs
import pytest

import claimtrack
from claimtrack import Stance, Verdict
from claimtrack.compare import _vocabulary
from tests.conftest import ROOT

MATRIX = claimtrack.DEFAULT_COMPARE_POLICY.stances


@pytest.mark.parametrize("a", list(Stance))
@pytest.mark.parametrize("b", list(Stance))
def test_every_pair_of_stances_has_a_verdict(a: Stance, b: Stance) -> None:
    """A new stance needs its cells: one line in ``STANCE_ACTS`` gives them all."""
    assert (a, b) in MATRIX, f"no verdict for ({a}, {b}) in the default stance matrix"
    assert MATRIX[a, b] == MATRIX[b, a]


@pytest.mark.parametrize("stance", list(Stance))
def test_every_stance_is_declared_as_a_speech_act(stance: Stance) -> None:
    assert stance in _vocabulary.STANCE_ACTS, (
        f"add Stance.{stance.name} to STANCE_ACTS in claimtrack/compare/_vocabulary.py, e.g. "
        f'`Stance.{stance.name}: Act("assertive", hedged=True)` for a hedged assertion, and '
        "regenerate the table in docs/comparing.md"
    )


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (Stance.ASSERTS, Stance.DENIES, Verdict.CONTRADICT),
        (Stance.WARNS, Stance.ASSERTS, Verdict.AGREE),  # a warning that X is illegal asserts it
        (Stance.WARNS, Stance.DENIES, Verdict.CONTRADICT),
        (Stance.PROMISES, Stance.DEMANDS, Verdict.RESPONDS),
        (Stance.WARNS, Stance.DEMANDS, Verdict.OTHER),
        (Stance.DEMANDS, Stance.DEMANDS, Verdict.AGREE),
    ],
)
def test_matrix_cells(a: Stance, b: Stance, expected: Verdict) -> None:
    assert expected == MATRIX[a, b]


def test_a_hedged_stance_weighs_like_a_weaker_assertion() -> None:
    """ "believes" against "asserts" agree, against "denies" contradict."""
    believes = _vocabulary.Act("assertive", hedged=True)
    asserts, denies = (
        _vocabulary.STANCE_ACTS[Stance.ASSERTS],
        _vocabulary.STANCE_ACTS[Stance.DENIES],
    )
    assert Verdict.AGREE == _vocabulary._cell(believes, asserts)
    assert Verdict.CONTRADICT == _vocabulary._cell(believes, denies)
    assert Verdict.OTHER == _vocabulary._cell(None, asserts)  # a stance not declared


def test_a_matrix_given_in_one_order_holds_in_both_and_must_be_total() -> None:
    one_way = {
        (a, b): v for (a, b), v in MATRIX.items() if list(Stance).index(a) <= list(Stance).index(b)
    }
    policy = attrs.evolve(claimtrack.DEFAULT_COMPARE_POLICY, stances=one_way)
    assert dict(MATRIX) == dict(policy.stances)
    partial = {k: v for k, v in one_way.items() if k != (Stance.ASSERTS, Stance.DENIES)}
    with pytest.raises(
        ValueError, match=r"no verdict for \(asserts, denies\), \(denies, asserts\)"
    ):
        attrs.evolve(claimtrack.DEFAULT_COMPARE_POLICY, stances=partial)
    with pytest.raises(ValueError, match="'differ' is not one of"):
        attrs.evolve(
            claimtrack.DEFAULT_COMPARE_POLICY, stances={**one_way, ("asserts", "denies"): "differ"}
        )


def test_a_stricter_matrix_changes_the_verdicts() -> None:
    """Declared, not buried: a warning no longer counts as agreeing with an assertion."""
    claims = claimtrack.load(ROOT / "claims")
    stricter = dict(MATRIX) | {
        (Stance.WARNS, Stance.ASSERTS): Verdict.OTHER,
        (Stance.ASSERTS, Stance.WARNS): Verdict.OTHER,
    }
    policy = attrs.evolve(claimtrack.DEFAULT_COMPARE_POLICY, stances=stricter)
    pairs = claimtrack.compare(claims, policy).pairs
    illegal = pairs[pairs["subject"] == "almaty-consulate-protest-illegal"]
    assert ["other"] == illegal["verdict"].tolist()


def matrix_table(matrix: Mapping[tuple[Stance, Stance], Verdict] = MATRIX) -> str:
    """The stance matrix as the Markdown table docs/comparing.md shows."""
    stances = list(Stance)
    lines = [
        "| | " + " | ".join(f"`{s}`" for s in stances) + " |",
        "|---|" + "---|" * len(stances),
    ]
    for a in stances:
        cells = " | ".join(f"`{matrix[a, b]}`" for b in stances)
        lines.append(f"| `{a}` | {cells} |")
    return "\n".join(lines)


def test_docs_show_the_policys_stance_matrix() -> None:
    docs = (ROOT / "docs" / "comparing.md").read_text(encoding="utf-8")
    found = re.search(r"<!-- stance matrix -->\n(.*?)\n<!-- /stance matrix -->", docs, re.DOTALL)
    assert found is not None, "docs/comparing.md lacks the stance matrix markers"
    assert matrix_table() == found.group(1), "regenerate the table:\n" + matrix_table()
