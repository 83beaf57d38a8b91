"""The backend contract: lamina/backend/{jax,torch,numpy} mirror each other.

Each backend holds the same public module files (subpackages included), and each
module defines the same public names; public functions have the same signatures.
A module's public names are the ones it defines at top level (`def`, `class`,
`name = ...`), not the helpers it imports for its implementation; a package's
`__init__.py` also counts the names it re-exports (`from ... import name`), since
that is what `lamina.backend.current.<package>.<name>` resolves.

Modules and names starting with `_` are implementation details and not compared.

These tests import every backend's modules directly (whatever LAMINA_BACKEND says),
so they run in every suite run; a backend whose framework is not installed is
skipped with that reason.
"""

import ast
import importlib
import inspect
import pathlib

import pytest

import lamina.backend

BACKENDS = ("jax", "torch", "numpy")
FRAMEWORKS = {"jax": "jax", "torch": "torch", "numpy": "numpy"}
BACKEND_ROOT = pathlib.Path(lamina.backend.__file__).parent

# Public names only one backend defines, and why. Keep this short: anything the
# layers above could call belongs in every backend.
BACKEND_ONLY_NAMES = {
    # torch needs its own dtype table (no uint16/uint32) and a device choice
    # (LAMINA_TORCH_DEVICE, else cuda when available, else cpu); JAX and NumPy place
    # arrays themselves.
    ("torch", "core"): {"to_torch_dtype", "DEFAULT_DEVICE"},
}


def _module_files(backend_name):
    """The backend's public module files, as paths relative to its folder."""
    root = BACKEND_ROOT / backend_name
    files = set()
    for path in root.rglob("*.py"):
        relative = path.relative_to(root)
        if any(part.startswith("_") and part != "__init__.py" for part in relative.parts):
            continue
        files.add(relative.as_posix())
    return files


def _dotted_name(relative_file):
    """`"numpy/creation.py"` -> `"numpy.creation"`; `"numpy/__init__.py"` -> `"numpy"`."""
    parts = relative_file[: -len(".py")].split("/")
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _compared_files():
    files = set()
    for backend_name in BACKENDS:
        files |= _module_files(backend_name)
    # The backend packages' own __init__.py only import their modules.
    return sorted(files - {"__init__.py"})


def _defined_public_names(path):
    """Top-level names a module file defines (a package also: re-exports), without `_`."""
    tree = ast.parse(path.read_text(), filename=str(path))
    is_package = path.name == "__init__.py"
    names = set()

    def visit(statements):
        for node in statements:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(node.name)
            elif isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        names.add(target.id)
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                names.add(node.target.id)
            elif isinstance(node, ast.ImportFrom) and is_package:
                names.update(alias.asname or alias.name for alias in node.names)
            elif isinstance(node, (ast.If, ast.Try)):
                visit(node.body)
                visit(node.orelse)
                for handler in getattr(node, "handlers", ()):
                    visit(handler.body)

    visit(tree.body)
    return {name for name in names if not name.startswith("_")}


def _describe(value):
    """A comparable description: a function's signature, else the kind of object."""
    if inspect.isclass(value):
        return "class"
    if callable(value):
        try:
            return f"function{inspect.signature(value)}"
        except (TypeError, ValueError):
            return "function(<signature unavailable>)"
    return "constant"


def _import_backend_module(backend_name, module_name):
    framework = FRAMEWORKS[backend_name]
    pytest.importorskip(
        framework, reason=f"the {backend_name} backend needs {framework}, which is not installed"
    )
    return importlib.import_module(f"lamina.backend.{backend_name}.{module_name}")


def test_backends_hold_the_same_module_files():
    files = {backend_name: _module_files(backend_name) for backend_name in BACKENDS}
    expected = set().union(*files.values())
    problems = []
    for backend_name in BACKENDS:
        missing = expected - files[backend_name]
        if missing:
            problems.append(f"lamina/backend/{backend_name}/ lacks {sorted(missing)}")
    if problems:
        pytest.fail("Backends do not mirror each other:\n" + "\n".join(problems), pytrace=False)


@pytest.mark.parametrize("relative_file", _compared_files(), ids=_dotted_name)
def test_backend_module_exports_match(relative_file):
    module_name = _dotted_name(relative_file)
    descriptions = {}
    for backend_name in BACKENDS:
        path = BACKEND_ROOT / backend_name / relative_file
        if not path.exists():
            # A missing file is reported by test_backends_hold_the_same_module_files.
            continue
        module = _import_backend_module(backend_name, module_name)
        allowed_extra = BACKEND_ONLY_NAMES.get((backend_name, module_name), set())
        values = {name: getattr(module, name) for name in _defined_public_names(path) - allowed_extra}
        descriptions[backend_name] = {
            name: _describe(value) for name, value in values.items() if not inspect.ismodule(value)
        }

    problems = []
    all_names = set().union(*(names.keys() for names in descriptions.values()))
    for name in sorted(all_names):
        present = {backend_name: names.get(name) for backend_name, names in descriptions.items()}
        missing = [backend_name for backend_name, description in present.items() if description is None]
        if missing:
            have = [backend_name for backend_name in present if backend_name not in missing]
            problems.append(f"{module_name}.{name}: defined in {have}, missing in {missing}")
            continue
        if len(set(present.values())) > 1:
            variants = ", ".join(f"{backend_name}: {text}" for backend_name, text in present.items())
            problems.append(f"{module_name}.{name}: differs ({variants})")
    if problems:
        pytest.fail(
            f"lamina/backend/*/{relative_file} do not export the same public names and signatures:\n"
            + "\n".join(problems),
            pytrace=False,
        )
