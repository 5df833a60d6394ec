# Two commands do everything: `make run` (the site with demo data) and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PYTHON ?= python3
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/pilot

.PHONY: install run test lint format check browser clean bench bench-import

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet ".[dev]"
	touch $(STAMP)

install: $(STAMP)

run: install
	DEBUG=true $(PY) manage.py migrate --noinput
	DEBUG=true $(PY) manage.py seed_demo
	@echo "Serving on http://127.0.0.1:8000/ (Ctrl-C stops)"
	DEBUG=true $(PY) manage.py runserver 127.0.0.1:8000

# Tests run on PostgreSQL: DATABASE_URL, or the local server by default.
test: install
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} DJANGO_ALLOW_ASYNC_UNSAFE=true \
		$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

check: install
	SECRET_KEY=check-only $(PY) manage.py check
	SECRET_KEY=check-only $(PY) manage.py makemigrations --check --dry-run

# The browser tests drive Debian's Chromium (Playwright cannot download its own here).
browser:
	command -v chromium >/dev/null || (apt-get update -q && apt-get install -y -q chromium)

clean:
	rm -rf $(VENV) staticfiles db.sqlite3

# Benchmark on PostgreSQL: BENCH_SCALE=1 (demo) or BENCH_SCALE=state; the database is reused.
BENCH_SCALE ?= 1
BENCH_DB ?= pilot_bench_$(BENCH_SCALE)
bench: install
	psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$(BENCH_DB)'" | grep -q 1 \
		|| createdb -h 127.0.0.1 -U postgres $(BENCH_DB)
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/$(BENCH_DB) SECRET_KEY=bench-only ALLOWED_HOSTS=testserver \
		AXES_ENABLED=false $(PY) manage.py migrate --noinput -v0
	SECRET_KEY=bench-only $(PY) manage.py collectstatic --noinput -v0
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/$(BENCH_DB) SECRET_KEY=bench-only ALLOWED_HOSTS=testserver \
		AXES_ENABLED=false $(PY) manage.py bench --scale $(BENCH_SCALE)

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
