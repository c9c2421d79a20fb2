"""claimtrack: quantitative and attributed claims from reporting, with provenance, compared.

Load claim files with :func:`load`, look at them as a DataFrame with :meth:`ClaimSet.to_frame`,
check quotes with :func:`verify`. Everything public is importable from here.
"""

from claimtrack.claim import Claim, ClaimValue, DayCount, DayUnit, Mode, Section, Stance, Statement
from claimtrack.claimset import ClaimSet
from claimtrack.compare import (
    DEFAULT_COMPARE_POLICY,
    RULES,
    ComparePolicy,
    Comparison,
    Rule,
    Verdict,
    compare,
    read_pairs,
)
from claimtrack.dates import FuzzyDate, Precision
from claimtrack.dump import dump
from claimtrack.entity import Entity, EntityIndex, EntityKind, name_key
from claimtrack.errors import (
    AmbiguousNameError,
    ClaimFileError,
    ClaimtrackError,
    DateError,
    DayCountError,
    DumpError,
    FrameError,
    FrameFileError,
    FrameProblem,
    InputTypeError,
    MissingExtraError,
    PairsFolderError,
    ParseError,
    QuantityError,
    TextCheckError,
    TooManyPairsError,
    UnknownIdError,
    ValidationError,
    WorkerError,
)
from claimtrack.frame import (
    check_claims_frame,
    claims_from_frame,
    claims_to_frame,
    read_claims_frame,
)
from claimtrack.load import load, validate
from claimtrack.quantity import (
    DEFAULT_HEDGE_POLICY,
    Estimate,
    Hedge,
    HedgePolicy,
    format_amount,
    format_interval,
)
from claimtrack.report import report, select
from claimtrack.source import Source
from claimtrack.subject import Subject, SubjectKind
from claimtrack.verify import (
    QuoteCheck,
    QuoteStatus,
    TextCheck,
    TextStatus,
    Verification,
    find_quote,
    verify,
)

__all__ = [
    "DEFAULT_COMPARE_POLICY",
    "DEFAULT_HEDGE_POLICY",
    "RULES",
    "AmbiguousNameError",
    "Claim",
    "ClaimFileError",
    "ClaimSet",
    "ClaimValue",
    "ClaimtrackError",
    "ComparePolicy",
    "Comparison",
    "DateError",
    "DayCount",
    "DayCountError",
    "DayUnit",
    "DumpError",
    "Entity",
    "EntityIndex",
    "EntityKind",
    "Estimate",
    "FrameError",
    "FrameFileError",
    "FrameProblem",
    "FuzzyDate",
    "Hedge",
    "HedgePolicy",
    "InputTypeError",
    "MissingExtraError",
    "Mode",
    "PairsFolderError",
    "ParseError",
    "Precision",
    "QuantityError",
    "QuoteCheck",
    "QuoteStatus",
    "Rule",
    "Section",
    "Source",
    "Stance",
    "Statement",
    "Subject",
    "SubjectKind",
    "TextCheck",
    "TextCheckError",
    "TextStatus",
    "TooManyPairsError",
    "UnknownIdError",
    "ValidationError",
    "Verdict",
    "Verification",
    "WorkerError",
    "check_claims_frame",
    "claims_from_frame",
    "claims_to_frame",
    "compare",
    "dump",
    "find_quote",
    "format_amount",
    "format_interval",
    "load",
    "name_key",
    "read_claims_frame",
    "read_pairs",
    "report",
    "select",
    "validate",
    "verify",
]
