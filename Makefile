# Two entry points: `make demo` and `make test`. Both set everything up first.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup system demo test test-fast lint test-oldest bench clean

setup: system $(STAMP)

# System packages: espeak-ng (the voice), ffmpeg (encoding), chromium (the studio's
# browser tests, driven by Playwright; never a downloaded browser) and, on a bare
# Debian, python3-venv; only those missing are installed.
system:
	@missing=""; \
	command -v espeak-ng >/dev/null 2>&1 || missing="$$missing espeak-ng"; \
	command -v ffmpeg >/dev/null 2>&1 || missing="$$missing ffmpeg"; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	$(PY) -c "import ensurepip, venv" >/dev/null 2>&1 || missing="$$missing python3-venv"; \
	if [ -n "$$missing" ]; then \
		echo "Installing$$missing with apt-get"; \
		SUDO=$$( [ "$$(id -u)" -eq 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(STAMP)

demo: setup
	$(BIN)/audiobook build seeds/ -o out/

# Everything: the tests about real processes one at a time (they count a build's children and
# signal them), then the rest, real audio included, on every core.
test: setup
	$(BIN)/python -m pytest -q -m processes
	$(BIN)/python -m pytest -q -n auto -m "not processes"

# The fast subset: no real audio (`slow`: espeak-ng, Piper) and no test about real processes
# (`processes`: signals, spawned workers, the CLI as a program on devices, browser, cluster),
# spread over every core by pytest-xdist (each test is in-process and keeps to its tmp_path).
test-fast: setup
	$(BIN)/python -m pytest -q -n auto -m "not slow and not processes"

# Lint, format and types, as configured in pyproject.toml; CI runs it before the tests.
lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# The oldest typer and click that pyproject.toml allows, in a scratch venv: the CLI tests.
OLDEST := .venv-oldest
test-oldest: system
	test -x $(OLDEST)/bin/python || $(PY) -m venv $(OLDEST)
	$(OLDEST)/bin/python -m pip install -q -e '.[test]' -c .ci/oldest.txt
	$(OLDEST)/bin/python -m pytest -q -p no:cacheprovider tests/test_cli_options.py tests/test_cli_errors.py

clean:
	rm -rf out previews .pytest_cache
