# The two commands of the README: `make demo` and `make test`. Each builds its own virtual
# environment on first use (torch==2.13.0 first, the local CPU wheel, so pip never pulls CUDA).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false

.PHONY: demo test bench browser clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/matcher demo

# Chromium for the report's browser test, where the machine lets us install it (best effort).
browser:
	@command -v chromium >/dev/null 2>&1 || ( [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
	  (apt-get install -y -qq chromium chromium-driver >/dev/null 2>&1 || \
	   (apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq chromium chromium-driver >/dev/null 2>&1)) ) || \
	  echo "chromium not installed: the browser test will be skipped"

# lint and type check first (seconds to a few minutes), then the tests
test: $(STAMP) browser
	$(VENV)/bin/ruff check matcher tests benchmarks
	$(VENV)/bin/mypy matcher
	$(PY) -m pytest

bench: $(STAMP)
	$(PY) -m pytest -m slow benchmarks tests

clean:
	rm -rf $(VENV) build *.egg-info
