# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# Links in e-mails point at the server `make run` starts, unless SITE_URL is set.
SITE_URL ?= http://127.0.0.1:$(PORT)
CHROMIUM := /usr/bin/chromium

.PHONY: run test test-unit test-browser install install-dev messages chromium static check-deploy lint bench api-check

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check uv

# The stamps re-run the install whenever pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/uv pip install --quiet --python $(BIN)/python -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/uv pip install --quiet --python $(BIN)/python -e '.[dev]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# compilemessages needs GNU gettext's msgfmt.
messages:
	@command -v msgfmt >/dev/null || (apt-get update -qq && apt-get install -y -qq gettext >/dev/null)
	$(BIN)/python manage.py compilemessages --ignore=.venv --verbosity 0

chromium:
	@test -x $(CHROMIUM) || (apt-get update -qq && apt-get install -y -qq chromium >/dev/null)

static:
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0

run: install messages static
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	SITE_URL='$(SITE_URL)' $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# Browser tests run in their own pytest process: Playwright's sync API leaves an
# event loop behind that breaks the async (WebSocket) tests run after it.
test: install-dev messages chromium static
	$(MAKE) --no-print-directory test-unit test-browser

test-unit:
	$(BIN)/python -m pytest tests --ignore=tests/browser -q

test-browser:
	$(BIN)/python -m pytest tests/browser -q

lint: install-dev
	$(BIN)/ruff check .

check-deploy: install
	DEBUG=0 SECRET_KEY=check-deploy-$$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n') \
	ALLOWED_HOSTS=help.example.org $(BIN)/python manage.py check --deploy --fail-level WARNING

# The running API against its own OpenAPI schema (schemathesis, every check), anonymous
# and as the demo citizen, on a throwaway seeded database and a daphne on a free port.
API_CHECK_EXAMPLES ?= 25
api-check: install-dev
	$(BIN)/python .ci/api_check.py --max-examples $(API_CHECK_EXAMPLES)

bench: install-dev static
	$(BIN)/python bench/faq_search.py
	$(BIN)/python bench/appeals.py
	$(BIN)/python bench/services_search.py
	$(BIN)/python bench/cabinet.py
