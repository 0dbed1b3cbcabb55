# Two commands on a fresh machine with Python 3.11, Node and npm:
#   make run    set up, migrate, load demo data, serve on http://127.0.0.1:8000
#   make test   set up (including Chromium for the browser tests and Redis for the
#               worker tests) and run every test

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
CHROMIUM ?= /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: setup run test test-fast lint format bench bench-rush smoke chromium redis-server css clean

$(BIN)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is needed, found " + sys.version'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

static/build/app.css: node_modules/.installed $(wildcard assets/scss/*.scss)
	npm run --silent build:css

css: static/build/app.css

setup: $(BIN)/.installed node_modules/.installed static/build/app.css

# Debian's Chromium for the end-to-end tests (Playwright's own browser download
# is not used).
chromium:
	@command -v $(CHROMIUM) >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium; }

# Debian's Redis server: the broker restart tests start and restart one of
# their own on a free port (tests/resilience/redis_server.py).
redis-server:
	@command -v redis-server >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq redis-server; }

# The web server plus a Celery worker with beat (reminders, offer expiry,
# under-subscription alerts) on a filesystem broker, so no Redis is needed.
run: setup
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py seed_demo
	@echo "Serving on http://$(HOST):$(PORT)/ (Ctrl-C to stop)"
	mkdir -p .celery
	CELERY_BROKER_URL=$${CELERY_BROKER_URL:-filesystem://} HOST=$(HOST) PORT=$(PORT) $(BIN)/honcho -f Procfile.dev start

test: setup chromium redis-server
	$(BIN)/ruff check .
	$(BIN)/pytest

test-fast: setup
	$(BIN)/pytest -m "not e2e"

lint: setup
	$(BIN)/ruff check .

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Every page and report at a borough's scale and at 30x, beside its floor, and the
# booking rush; prints a table and rewrites docs/performance.md (5-10 minutes on 2 cores).
# Needs PostgreSQL: DATABASE_URL names the server (default postgres://postgres@127.0.0.1:5432/lscp_bench);
# it makes and drops lscp_bench_x1 and lscp_bench_x30 there.
bench: setup
	$(BIN)/python bench/run_all.py

# The production set-up, end to end: the Procfile's release, web (gunicorn), worker
# and beat against a fresh PostgreSQL database (made and dropped) and Redis db 9,
# then one booking over HTTP and its confirmation e-mail from the worker (about a minute).
smoke: setup
	$(BIN)/python tests/smoke/run_smoke.py

# Needs PostgreSQL (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/lscp_bench_rush).
bench-rush: setup
	$(BIN)/python bench/booking_rush.py

clean:
	rm -rf $(VENV) node_modules static/build staticfiles
