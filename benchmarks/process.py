"""Starting benchmark processes: the fixed thread settings, one case per interpreter, import timing.

Every process gets the same thread settings through its environment, set before the
interpreter starts, so neither lamina, Keras nor the hand-written loops are changed
to pin them: one intra-op thread for PyTorch (OMP / MKL), for XLA's CPU backend and
for the BLAS libraries.
"""

import importlib.metadata
import json
import os
import pathlib
import platform
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent
REPOSITORY_ROOT = HERE.parent

THREAD_ENVIRONMENT = {
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "XLA_FLAGS": "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1",
}

# glibc's malloc takes a block above its mmap threshold (128 KiB at first) as fresh pages
# from the kernel, and raises the threshold to the size of each such block freed (up to
# 32 MiB, the trim threshold following at twice that). Whether a step's multi-MiB tensors
# page-fault on every allocation thus depends on the order of a process's first frees:
# the same hand-written PyTorch CNN predict loop ran at 5,900 or at 12,200 images/s in
# separate processes. Every case starts where glibc's own adjustment would end.
ALLOCATOR_ENVIRONMENT = {
    "MALLOC_MMAP_THRESHOLD_": str(32 * 2**20),
    "MALLOC_TRIM_THRESHOLD_": str(64 * 2**20),
}

# (label, backend variable and value, statement) of each import measured.
IMPORT_STATEMENTS = (
    ("import lamina", None, "import lamina"),
    ("import lamina; Dense(1)", ("LAMINA_BACKEND", "jax"), "import lamina; lamina.layers.Dense(1)"),
    ("import jax", None, "import jax"),
    ("import lamina; Dense(1)", ("LAMINA_BACKEND", "torch"), "import lamina; lamina.layers.Dense(1)"),
    ("import torch", None, "import torch"),
    ("import keras", ("KERAS_BACKEND", "jax"), "import keras"),
    ("import keras", ("KERAS_BACKEND", "torch"), "import keras"),
)

_TIMER = (
    "import time\nstart = time.perf_counter()\n{statement}\nseconds = time.perf_counter() - start\n"
    "import json, sys\nprint(json.dumps({{'seconds': seconds, 'jax_loaded': 'jax' in sys.modules, "
    "'torch_loaded': 'torch' in sys.modules}}))"
)


def environment(extra=None):
    """The environment of a benchmark process: no backend variable unless given, fixed threads and allocator.

    Bytecode caches are on (as for an installed package, which pip compiles), even where
    the calling shell sets PYTHONDONTWRITEBYTECODE.
    """
    unset = ("LAMINA_BACKEND", "KERAS_BACKEND", "PYTHONDONTWRITEBYTECODE")
    variables = {key: value for key, value in os.environ.items() if key not in unset}
    variables.update(THREAD_ENVIRONMENT)
    variables.update(ALLOCATOR_ENVIRONMENT)
    paths = [str(REPOSITORY_ROOT)] + ([variables["PYTHONPATH"]] if variables.get("PYTHONPATH") else [])
    variables["PYTHONPATH"] = os.pathsep.join(paths)
    variables.update(extra or {})
    return variables


def run_json(command, timeout, extra_environment=None):
    """Runs `command` in a fresh interpreter; returns its last output line as JSON, or `{"error": ...}`."""
    try:
        finished = subprocess.run(
            command,
            env=environment(extra_environment),
            cwd=HERE,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout} s"}
    lines = finished.stdout.strip().splitlines()
    if finished.returncode != 0 or not lines:
        tail = " | ".join(finished.stderr.strip().splitlines()[-3:])
        return {"error": f"exit {finished.returncode}: {tail}"}
    try:
        return json.loads(lines[-1])
    except json.JSONDecodeError:
        return {"error": f"unreadable output: {lines[-1][:200]}"}


def run_case(workload, case, backend, mode, quick, timeout):
    """Runs one cell (`case.py`) in its own interpreter; returns its JSON result."""
    command = [
        sys.executable,
        str(HERE / "case.py"),
        f"--case={case}",
        f"--workload={workload}",
        f"--backend={backend}",
        f"--mode={mode}",
    ] + (["--quick"] if quick else [])
    return {"workload": workload, "case": case, "backend": backend, "mode": mode} | run_json(command, timeout)


def time_import(statement, backend_variable, timeout=120):
    """Seconds `statement` takes in a fresh interpreter (interpreter start-up excluded)."""
    extra = dict([backend_variable]) if backend_variable else None
    return run_json([sys.executable, "-c", _TIMER.format(statement=statement)], timeout, extra)


def package_version(name):
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


def lamina_version():
    """lamina's `__version__`, read from its source without importing it."""
    for line in (REPOSITORY_ROOT / "lamina" / "__init__.py").read_text().splitlines():
        if line.startswith("__version__"):
            return line.split("=", 1)[1].strip().strip("\"'")
    return package_version("lamina")


def machine_facts():
    """What the machine line reports, apart from the load average after the run."""
    return {
        "cores": os.cpu_count(),
        "load_average_before": os.getloadavg(),
        "threads": dict(THREAD_ENVIRONMENT),
        "allocator": dict(ALLOCATOR_ENVIRONMENT),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "jax": package_version("jax"),
        "torch": package_version("torch"),
        "keras": package_version("keras"),
        "lamina": lamina_version(),
    }
