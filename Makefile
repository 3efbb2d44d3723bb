# `make run`: install, index the default corpus if needed, start the web chat.
# `make test`: install and run the whole suite (both tiers, the slowest tests listed).
# `make test-fast`: the unit tier only (no model, no server, no browser), about a minute.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: run test test-fast install index lint bench clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	# the CPU build of torch first: a bare `torch` would pull a multi-GB CUDA build
	$(PY) -m pip install --quiet torch==2.13.0
	# the ray extra too: CI runs the test that both index engines agree (tests/test_ray.py)
	$(PY) -m pip install --quiet -e '.[test,ray]'
	touch $(STAMP)

install: $(STAMP)

index: $(STAMP)
	$(VENV)/bin/reportqa index

run: $(STAMP)
	$(PY) app.py

test: $(STAMP)
	$(VENV)/bin/ruff check .
	$(PY) -m pytest -q --durations=25

test-fast: $(STAMP)
	$(VENV)/bin/ruff check .
	$(PY) -m pytest -q -m "not e2e"

lint: $(STAMP)
	$(VENV)/bin/ruff check .

bench: $(STAMP)
	$(PY) bench/index.py
	$(PY) bench/quantities.py
	$(PY) bench/ask.py
	$(PY) bench/batch.py
	$(PY) bench/chat_load.py

clean:
	rm -rf $(VENV) index
