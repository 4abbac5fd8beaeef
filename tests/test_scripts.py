"""The scripts in bench/ and tools/ still find what they import from the project.

They are run by hand (make bench, make load, …), not by the suite, so a move inside ``news/``
broke ``bench/corpus.py`` without a failing test. Every ``from portal…/news… import name`` and
``import news…`` in them, top level or inside a function, must resolve.
"""

import ast
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = sorted([*ROOT.glob("bench/*.py"), *ROOT.glob("tools/*.py")])
OURS = ("news", "portal")


def project_imports(path):
    """``(line, module, name or None)`` for each import of our own packages in ``path``."""
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").split(".")[0] in OURS:
            for alias in node.names:
                yield node.lineno, node.module, alias.name
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in OURS:
                    yield node.lineno, alias.name, None


def test_there_are_scripts_that_import_the_project():
    assert any(list(project_imports(path)) for path in SCRIPTS)


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda path: str(path.relative_to(ROOT)))
def test_every_project_import_resolves(path):
    broken = []
    for line, module_name, name in project_imports(path):
        try:
            module = importlib.import_module(module_name)
        except ImportError as error:
            broken.append(f"line {line}: {module_name}: {error}")
            continue
        if name and name != "*" and not hasattr(module, name):
            try:
                importlib.import_module(f"{module_name}.{name}")
            except ImportError:
                broken.append(f"line {line}: {module_name} has no {name}")
    assert not broken, broken
