# lamina's everyday commands. `make test` is what CI runs (.ci/run).
#
#   make demo          train the seed MLP on scikit-learn's digits (LAMINA_BACKEND picks the backend)
#   make test          the test suite once per backend (jax, torch, numpy), plus the doctests
#                      of lamina/ and the examples in docs/ (on jax)
#   make bench         lamina against hand-written JAX / PyTorch loops (not a test)
#   make lint          ruff check + ruff format --check
#   make clean         remove caches and build outputs (keeps the virtual environment)
#   make distclean     clean, and remove the virtual environment too

PYTHON ?= python3
VENV ?= .venv
# Installed before the project so that `torch>=2.1` is already satisfied: pip then
# takes this CPU build (from the local wheel folder when there is one) instead of
# fetching a multi-GB CUDA build.
TORCH ?= torch==2.13.0
# Narrow a run, e.g. `make test BACKENDS=numpy PYTEST_ARGS=tests/test_config.py DOCTEST_PATHS=docs`.
PYTEST_ARGS ?=
BACKENDS ?= jax torch numpy
DOCTEST_PATHS ?= lamina docs

SHELL := /bin/bash
BIN := $(VENV)/bin

.PHONY: install demo test bench lint format clean distclean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install "$(TORCH)"
	$(BIN)/python -m pip install -e ".[jax,torch,dev]"
	touch $@

demo: $(VENV)/.installed
	$(BIN)/python examples/seed_mlp.py

# Runs every backend even when one fails, prints one line per run, then a closing
# total line ("N passed, N failed, N skipped"), and fails if any run failed.
# XLA's compiled programs are cached on disk for the whole run: the Keras oracle runs on
# JAX in every backend's run, and the later runs then skip its compilations (the torch
# and numpy runs take about a third of the time they took without the cache), and XLA's
# backend optimizations are skipped (tests/conftest.py says why).
test: $(VENV)/.installed
	@set -uo pipefail; \
	log_dir=$$(mktemp -d); status=0; summary=""; \
	export JAX_COMPILATION_CACHE_DIR="$${JAX_COMPILATION_CACHE_DIR:-$$log_dir/jax-compilation-cache}"; \
	export JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS=0 JAX_PERSISTENT_CACHE_MIN_ENTRY_SIZE_BYTES=0; \
	export XLA_FLAGS="$${XLA_FLAGS:---xla_backend_optimization_level=0}"; \
	passed=0; failed=0; skipped=0; \
	run() { \
		label=$$1; shift; \
		echo "=== $$label: $$*"; \
		if "$$@" 2>&1 | tee "$$log_dir/$$label.log"; then result=ok; else result=FAILED; status=1; fi; \
		line=$$(grep -E '^=+ .* in [0-9.]+s' "$$log_dir/$$label.log" | tail -n 1 | sed -E 's/^=+ //; s/ =+$$//'); \
		summary="$$summary$$(printf '%-8s %-6s %s' "$$label" "$$result" "$${line:-no pytest summary line}")\n"; \
		count() { grep -oE "[0-9]+ $$1" <<< "$$line" | grep -oE '^[0-9]+' || echo 0; }; \
		passed=$$((passed + $$(count passed))); \
		failed=$$((failed + $$(count failed) + $$(count errors?))); \
		skipped=$$((skipped + $$(count skipped))); \
	}; \
	for backend in $(BACKENDS); do \
		run "$$backend" env LAMINA_BACKEND=$$backend $(BIN)/python -m pytest -n 2 $(PYTEST_ARGS); \
	done; \
	run doctest env LAMINA_BACKEND=jax $(BIN)/python -m pytest -n 2 --doctest-modules --doctest-glob='*.md' $(DOCTEST_PATHS); \
	rm -rf "$$log_dir"; \
	echo; echo "=== summary (backend, result, pytest's closing line)"; \
	printf '%b' "$$summary"; \
	echo "total: $$passed passed, $$failed failed, $$skipped skipped"; \
	exit $$status

bench: $(VENV)/.installed
	$(BIN)/python benchmarks/run.py $(BENCH_ARGS)

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +
	rm -rf build dist *.egg-info .pytest_cache .ruff_cache benchmarks/results

distclean: clean
	rm -rf $(VENV)
