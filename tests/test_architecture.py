"""The package's shape: small modules, no private name crossing a package boundary.

The layers themselves (errors → model → frame → files → compare → report → CLI) are checked by
``lint-imports`` (import-linter, configured in ``pyproject.toml``) in ``.ci/run``; these tests
check what import-linter cannot see: names, not modules.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "claimtrack"
MODULES = sorted(PACKAGE.rglob("*.py"))
MAX_LINES = 600


def _name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_module_is_small_enough_to_read(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.name}: {lines} lines (split it by concept)"


EXCEPTIONS = {
    # the public face of the Dask engine: importing claimtrack must not import dask
    ("claimtrack.distributed", "claimtrack.compare._dask"),
}


def _private_parent(module: str) -> str | None:
    """The package whose private module ``module`` is (or is inside), or ``None``."""
    parts = module.split(".")
    for i in range(len(parts) - 1, 0, -1):
        if parts[i].startswith("_") and not parts[i].startswith("__"):
            return ".".join(parts[:i])
    return None


def _within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_private_name_crosses_a_package(path: Path) -> None:
    """A private module (``compare/_rules.py``) is imported only inside its parent package, as
    import-linter's ``private_modules`` contract also checks; and a private name of a public
    module (``from claimtrack.quantity import _fmt``, a hidden dependency) is imported by no other
    module at all."""
    here = _name(path)
    tree = ast.parse(path.read_text(encoding="utf-8"))
    crossing = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.ImportFrom) or not node.module or node.level:
            continue
        if node.module != "claimtrack" and not node.module.startswith("claimtrack."):
            continue
        for alias in node.names:
            full = f"{node.module}.{alias.name}"
            target = full if _is_module(full) else node.module
            if (here, target) in EXCEPTIONS:
                continue
            parent = _private_parent(target)
            bad = parent is not None and not _within(here, parent)
            if target == node.module and alias.name.startswith("_"):  # a private name
                bad = bad or not node.module.split(".")[-1].startswith("_")
            if bad:
                crossing.append(f"{node.lineno}: from {node.module} import {alias.name}")
    assert not crossing, "\n".join(crossing)


def _is_module(name: str) -> bool:
    rel = Path(*name.split(".")[1:])
    return (PACKAGE / rel).with_suffix(".py").is_file() or (PACKAGE / rel / "__init__.py").is_file()
