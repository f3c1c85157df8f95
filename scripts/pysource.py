"""Read the data a Python package states in its source, without importing the package (for the exporters).

timm's pretrained configurations and open_clip's pretrained table are dictionaries built by small helper
functions (`_cfg(url=..., **kwargs)`) at the top level of modules that also import torch. `run_top_level`
executes only a module's top-level function definitions and assignments, with the package's imports left
out and the names they would give supplied by the caller; a statement that needs what is left out fails
alone and is reported.
"""

from __future__ import annotations

import ast


def run_top_level(source: str, path: str, names: dict) -> tuple[dict, list[str]]:
    """(the module's namespace, the statements that failed) after running its undecorated functions and assignments."""
    namespace = dict(names)
    failed = []
    for node in ast.parse(source, path).body:
        plain_function = isinstance(node, ast.FunctionDef) and not node.decorator_list
        if not (plain_function or isinstance(node, (ast.Assign, ast.AnnAssign))):
            continue
        try:
            exec(compile(ast.Module([node], []), path, "exec"), namespace)  # noqa: S102 - the package's own pinned source
        except Exception as err:  # noqa: BLE001 - any failure leaves that one statement out
            failed.append(f"{path}:{node.lineno}: {type(err).__name__}: {err}")
    return namespace, failed


def constants(source: str, path: str) -> dict:
    """The names a module of plain constants defines (timm/data/constants.py, open_clip/constants.py)."""
    return {k: v for k, v in run_top_level(source, path, {})[0].items() if not k.startswith("__")}
