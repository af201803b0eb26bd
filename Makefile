# Lapak Asik — the two commands a new user needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# Each command is a fresh Python process: without cached bytecode every one of them compiles Django and the
# app from source again (~4 s of CPU each; this machine's environment sets PYTHONDONTWRITEBYTECODE). Cache it,
# outside the source tree, under var/ (which `make clean` removes).
export PYTHONDONTWRITEBYTECODE :=
export PYTHONPYCACHEPREFIX := $(CURDIR)/var/pycache

.PHONY: run setup test lint check-python system-libs test-system-packages bench bench-tools clean cluster-check

# Debian packages, installed by scripts/system-packages only when missing (as root with apt-get) or named
# with the exact apt-get line otherwise. PDFs (WeasyPrint) need Pango, and subset fonts fast with
# HarfBuzz-Subset (without it fontTools, ~1 s a PDF); upload checks need libmagic.
SYSTEM_LIBS := lib:libpango-1.0.so.0=libpango-1.0-0 lib:libpangoft2-1.0.so.0=libpangoft2-1.0-0 \
  lib:libharfbuzz-subset.so.0=libharfbuzz-subset0 \
  lib:libmagic.so.1=libmagic1 py:ensurepip=python3-venv

check-python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null || { \
	  echo "Lapak Asik needs Python 3.11 or newer; '$(PYTHON)' is missing or older."; \
	  echo "Install it (Debian 12: apt-get install python3 python3-venv) or run: make PYTHON=/path/to/python3.11 run"; \
	  exit 1; }

system-libs:
	@sh scripts/system-packages "PDFs, upload checks and the virtualenv" $(SYSTEM_LIBS)

# The browser tests drive Debian's chromium (never a downloaded browser).
test-system-packages:
	@sh scripts/system-packages "the tests (the browser tests drive Debian's chromium)" $(SYSTEM_LIBS) \
	  cmd:chromium=chromium

# uv installs the pinned wheels in seconds where pip takes minutes (same pins, same result); pip stays the
# fallback where uv has no wheel for the platform.
UV_VERSION := 0.13.8
INSTALL = sh -c 'if [ -x $(VENV)/bin/uv ]; then exec $(VENV)/bin/uv pip install --quiet --python $(PY) "$$@"; \
  else exec $(PY) -m pip install --quiet "$$@"; fi' install

$(VENV)/.runtime: requirements.txt | check-python system-libs
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@test -x $(VENV)/bin/uv || $(PY) -m pip install --quiet uv==$(UV_VERSION) || echo "(no uv: installing with pip)"
	$(INSTALL) -r requirements.txt
	@touch $@

$(VENV)/.dev: requirements-dev.txt $(VENV)/.runtime
	$(INSTALL) -r requirements-dev.txt
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
	$(PY) -m lapakasik worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(VENV)/bin/gunicorn lapakasik.wsgi --worker-class gthread --workers 2 --threads 4 \
	  --bind 127.0.0.1:$(PORT) --access-logfile - --access-logformat '%(t)s "%(r)s" %(s)s %(b)s %(L)ss'

# The whole suite; with DATABASE_URL=postgres://… the same suite runs on PostgreSQL.
test: $(VENV)/.dev test-system-packages
	$(VENV)/bin/pybabel compile -d lapakasik/locale -D django >/dev/null
	$(PY) -m pytest -q -p no:cacheprovider

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy lapakasik

# The load-test tools only the benchmarks need, not part of setup or test: locust (bench/requirements.txt) and
# Debian's wrk (bench_booking's steady-load run), installed like the other Debian packages when missing.
BENCH_PACKAGES := cmd:wrk=wrk

bench-tools: $(VENV)/.dev
	@sh scripts/system-packages "make bench (wrk, the steady load of the booking bench)" $(BENCH_PACKAGES)
	$(INSTALL) -r bench/requirements.txt

bench: bench-tools
	$(PY) bench/run.py

# The product on several nodes, on loopback (docs/scaling.md): HAProxy, two gunicorn nodes, PgBouncer, a
# PostgreSQL primary with a streaming replica (own data directories under var/cluster/), Redis, two workers;
# drives the demo journeys for a minute, kills a node, and prints one JSON summary as its last line.
# Takes a few minutes: not part of `make test` or CI.
CLUSTER_PACKAGES := path:/usr/sbin/haproxy=haproxy path:/usr/sbin/pgbouncer=pgbouncer \
  cmd:redis-server=redis-server 'path:/usr/lib/postgresql/*/bin/pg_basebackup=postgresql' cmd:psql=postgresql-client

cluster-check: $(VENV)/.runtime
	@sh scripts/system-packages "make cluster-check (load balancer, pooler, replica, cache)" $(CLUSTER_PACKAGES)
	$(PY) scripts/cluster_check.py

clean:
	rm -rf var staticfiles
