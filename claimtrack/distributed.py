"""The Dask engine, for users who import it from here: :func:`compare_dask`, :func:`pairs_dask`
and :data:`KERNEL_COLUMNS` (see ``docs/scaling.md``; ``compare(claims, engine="dask")`` is the
same engine).

Needs ``claimtrack[dask]``; importing this module without it raises :class:`MissingExtraError`.
"""

from claimtrack.compare import KERNEL_COLUMNS
from claimtrack.compare._dask import compare_dask, pairs_dask

__all__ = ["KERNEL_COLUMNS", "compare_dask", "pairs_dask"]
