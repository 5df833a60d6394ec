# Two commands do everything: `make run` (the site with demo data) and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PYTHON ?= python3
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/pilot

.PHONY: install run test lint format check browser clean bench bench-import load backup restore cluster chaos

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet ".[dev]"
	touch $(STAMP)

install: $(STAMP)

# The demo sign-ins keep working with their passwords: no second factor is required here.
RUN_ENV := DEBUG=true MFA_REQUIRED=false
run: install
	$(RUN_ENV) $(PY) manage.py migrate --noinput
	$(RUN_ENV) $(PY) manage.py seed_demo
	@echo "Serving on http://127.0.0.1:8000/ (Ctrl-C stops)"
	$(RUN_ENV) $(PY) manage.py runserver 127.0.0.1:8000

# Tests run on PostgreSQL: DATABASE_URL, or the local server by default.
# Two test processes (pytest-xdist), each with its own test database (and Redis database
# for the queue tests). TEST_WORKERS=0 runs them all in this process.
TEST_WORKERS ?= 2
test: install browser
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} DJANGO_ALLOW_ASYNC_UNSAFE=true \
		$(PY) -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-logo

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

check: install
	SECRET_KEY=check-only $(PY) manage.py check
	SECRET_KEY=check-only $(PY) manage.py makemigrations --check --dry-run

# The browser tests drive Debian's Chromium (Playwright cannot download its own here).
# Installed when missing and we may (root); otherwise the browser tests say what to install.
browser:
	@command -v chromium >/dev/null || [ "$$(id -u)" != 0 ] \
		|| (apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium)

# Backups of the PostgreSQL database in DATABASE_URL: pg_dump's custom format (compressed,
# restorable table by table). `make backup` writes backups/pilot-<UTC time>.dump, or BACKUP=file;
# `make restore BACKUP=file` replaces the database's contents with that backup.
ifndef BACKUP
BACKUP := backups/pilot-$(shell date -u +%Y%m%dT%H%M%SZ).dump
endif

backup:
	@test -n "$$DATABASE_URL" || { echo "Set DATABASE_URL=postgres://user@host:port/name to the database to back up." >&2; exit 2; }
	@mkdir -p "$(dir $(BACKUP))"
	pg_dump --format=custom --no-owner --no-privileges --file="$(BACKUP)" --dbname="$$DATABASE_URL"
	@echo "Backup written to $(BACKUP)"

restore:
	@test -n "$$DATABASE_URL" || { echo "Set DATABASE_URL=postgres://user@host:port/name to the database to restore into." >&2; exit 2; }
	@test -f "$(BACKUP)" || { echo "No backup at '$(BACKUP)': run make restore BACKUP=backups/<file>.dump" >&2; exit 2; }
	pg_restore --clean --if-exists --no-owner --no-privileges --single-transaction --exit-on-error --dbname="$$DATABASE_URL" "$(BACKUP)"
	@echo "Restored $(BACKUP)"

clean:
	rm -rf $(VENV) staticfiles db.sqlite3

# Benchmark on PostgreSQL: BENCH_SCALE=1 (demo) or BENCH_SCALE=state (or any N); the
# database pilot_bench_<scale> is created, migrated and seeded when missing, else reused.
# Each run saves bench/results-<scale>.json and compares its query counts with the other
# scale's saved run (demo <-> state), flagging any page whose count differs.
BENCH_SCALE ?= 1
BENCH_DB ?= pilot_bench_$(BENCH_SCALE)
BENCH_OTHER = $(if $(filter 1,$(BENCH_SCALE)),state,1)
BENCH_ENV = DATABASE_URL=postgres://postgres@127.0.0.1:5432/$(BENCH_DB) SECRET_KEY=bench-only \
	ALLOWED_HOSTS=testserver AXES_ENABLED=false DEV_TOOLS=true
bench: install
	psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$(BENCH_DB)'" | grep -q 1 \
		|| createdb -h 127.0.0.1 -U postgres $(BENCH_DB)
	$(BENCH_ENV) $(PY) manage.py migrate --noinput -v0
	SECRET_KEY=bench-only $(PY) manage.py collectstatic --noinput -v0
	$(BENCH_ENV) $(PY) manage.py bench --scale $(BENCH_SCALE) $(BENCH_ARGS) \
		--save bench/results-$(BENCH_SCALE).json --compare bench/results-$(BENCH_OTHER).json

# The load run: gunicorn (DEBUG off, LOAD_WORKERS workers) on 127.0.0.1 against the
# benchmark database of LOAD_SCALE (seeded when needed), locust headless for LOAD_SECONDS
# over the main pages as signed-in demo users; prints requests/s, latency percentiles and
# errors, and stops gunicorn at the end (also on failure). Exit code 1 on any error.
LOAD_SCALE ?= state
LOAD_DB ?= pilot_bench_$(LOAD_SCALE)
LOAD_SECONDS ?= 60
LOAD_USERS ?= 20
LOAD_WORKERS ?= 4
# The workers share a cache as a deployment's do (Redis database 15 of the local server).
LOAD_REDIS_URL ?= redis://127.0.0.1:6379/15
LOAD_ENV = DATABASE_URL=postgres://postgres@127.0.0.1:5432/$(LOAD_DB) SECRET_KEY=load-only DEV_TOOLS=true \
	REDIS_URL=$(LOAD_REDIS_URL)
load: install
	psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$(LOAD_DB)'" | grep -q 1 \
		|| createdb -h 127.0.0.1 -U postgres $(LOAD_DB)
	$(LOAD_ENV) $(PY) manage.py migrate --noinput -v0
	SECRET_KEY=load-only $(PY) manage.py collectstatic --noinput -v0
	$(LOAD_ENV) $(PY) manage.py seed_demo --force --scale $(LOAD_SCALE) -v0
	$(LOAD_ENV) $(PY) bench/load.py --seconds $(LOAD_SECONDS) --users $(LOAD_USERS) \
		--workers $(LOAD_WORKERS) $(LOAD_ARGS)

# The time a 10,000-row staff import takes (read, preview, confirm, re-import unchanged);
# everything it writes is rolled back. IMPORT_ROWS=... for another size.
IMPORT_ROWS ?= 10000
bench-import: install
	psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$(BENCH_DB)'" | grep -q 1 \
		|| createdb -h 127.0.0.1 -U postgres $(BENCH_DB)
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/$(BENCH_DB) SECRET_KEY=bench-only \
		$(PY) manage.py migrate --noinput -v0
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/$(BENCH_DB) SECRET_KEY=bench-only \
		$(PY) bench/import_staff.py --rows $(IMPORT_ROWS)

# Several servers on this machine (127.0.0.1 only; see README "Cluster"): nginx, two gunicorn
# app servers, a Celery worker, beat, a Redis of its own, PostgreSQL database pilot_cluster
# (CLUSTER_DB; CLUSTER_PORT_BASE=18000 moves the ports, for a second run side by side).
# `make cluster` runs until Ctrl-C; `make chaos` runs CHAOS_SECONDS (60) of load while it
# stops (SIGTERM) and restarts one app server and the worker, and fails on any failed
# request or lost or repeated email. Both stop everything they started.
nginx:
	@command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || [ "$$(id -u)" != 0 ] \
		|| (apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q nginx)

cluster: install nginx
	$(PY) -m bench.cluster up

chaos: install nginx
	$(PY) -m bench.cluster chaos
