# Lapak Asik — the two commands a new user needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run setup test lint check-python bench clean

check-python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null || { \
	  echo "Lapak Asik needs Python 3.11 or newer; '$(PYTHON)' is missing or older."; \
	  echo "Install it (Debian 12: apt-get install python3 python3-venv) or run: make PYTHON=/path/to/python3.11 run"; \
	  exit 1; }

$(VENV)/.runtime: requirements.txt | check-python
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.dev: requirements-dev.txt $(VENV)/.runtime
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@

# Idempotent: a second run neither fails nor duplicates anything.
setup: $(VENV)/.runtime
	$(PY) -m lapakasik migrate --no-input
	$(VENV)/bin/pybabel compile -d lapakasik/locale -D django
	$(PY) -m lapakasik collectstatic --no-input --verbosity 0
	$(PY) -m lapakasik demo load
	$(PY) -m lapakasik booking generate-sessions

run: setup
	$(PY) -m lapakasik demo logins
	@echo "Serving Lapak Asik on http://127.0.0.1:$(PORT)/ with a background worker (Ctrl-C to stop)"
	@# The worker runs the long jobs (big collective lists); it stops with the server.
	$(PY) -m lapakasik db_worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(VENV)/bin/gunicorn lapakasik.wsgi --worker-class gthread --workers 2 --threads 4 \
	  --bind 127.0.0.1:$(PORT) --access-logfile - --access-logformat '%(t)s "%(r)s" %(s)s %(b)s %(L)ss'

# The whole suite; with DATABASE_URL=postgres://… the same suite runs on PostgreSQL.
test: $(VENV)/.dev
	$(VENV)/bin/pybabel compile -d lapakasik/locale -D django >/dev/null
	$(PY) -m pytest -q -p no:cacheprovider

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy lapakasik

bench: $(VENV)/.dev
	$(PY) bench/run.py

clean:
	rm -rf var staticfiles
