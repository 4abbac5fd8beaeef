# One command runs the portal, one tests it. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DATA_DIR ?= var
PORT ?= 8000
export DJANGO_DATA_DIR ?= $(abspath $(DATA_DIR))

.PHONY: prepare run dev test lint format messages bench load screenshots audit validate observatory

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when a requirements file changes.
$(VENV)/.installed-runtime: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.installed-runtime

# The secret key is generated once and kept, so sessions survive restarts.
$(DATA_DIR)/secret_key:
	mkdir -p $(DATA_DIR)
	umask 077 && $(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@

prepare: $(VENV)/.installed-runtime $(DATA_DIR)/secret_key
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/python manage.py ensure_admin

# The local demo is served over plain HTTP on loopback, hence DJANGO_HTTPS=false;
# a real deployment sits behind HTTPS and leaves it on (docs/ and README.md).
run: prepare
	@echo "Serving on http://127.0.0.1:$(PORT)/"
	DJANGO_HTTPS=false $(BIN)/gunicorn portal.wsgi --bind 127.0.0.1:$(PORT) --workers 2 \
		--access-logfile - --forwarded-allow-ips 127.0.0.1

dev: $(VENV)/.installed-dev $(DATA_DIR)/secret_key
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	DJANGO_DEBUG=true $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: $(VENV)/.installed-dev
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Needs GNU gettext; the compiled .mo files are committed so nobody else does.
messages: $(VENV)/.installed-dev
	DJANGO_DEBUG=true $(BIN)/python manage.py makemessages --locale zh_Hans --no-obsolete \
		--ignore '.venv/*' --ignore 'var/*' --ignore 'tests/*'
	DJANGO_DEBUG=true $(BIN)/python manage.py makemessages --locale zh_Hans --no-obsolete --domain djangojs \
		--ignore '.venv/*' --ignore 'var/*' --ignore 'tests/*' --ignore 'node_modules/*' --ignore 'bench/*'
	DJANGO_DEBUG=true $(BIN)/python manage.py compilemessages --locale zh_Hans --ignore '.venv/*'

# The benchmark (bench/run.py): N=100000 for the large corpus; writes docs/benchmarks.md.
bench: $(VENV)/.installed-dev
	N=$(or $(N),10000) $(BIN)/python bench/run.py

# 200 readers for 60 s on home, column, article and search pages, served as `make run` serves
# them (tools/load.py, var/load/; needs wrk). LOAD_SECONDS, LOAD_CONNECTIONS, LOAD_PORT (8044).
load: $(VENV)/.installed-runtime
	$(BIN)/python tools/load.py

# Measured in a real browser (tools/audit.py serves the demo on 127.0.0.1:$(AUDIT_PORT) from var/audit/).
# Debian's Chromium; Lighthouse and the Nu HTML checker from package.json (Node), vnu.jar runs on Java.
AUDIT_PORT ?= 8070
export AUDIT_PORT

node_modules/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	touch $@

screenshots: $(VENV)/.installed-dev
	$(BIN)/python tools/audit.py screenshots

audit: $(VENV)/.installed-dev node_modules/.installed
	$(BIN)/python tools/audit.py audit

validate: $(VENV)/.installed-dev node_modules/.installed
	$(BIN)/python tools/audit.py validate

# The MDN HTTP Observatory grade over HTTPS with a test certificate (needs node, npm, openssl);
# fails unless every page scanned grades A+. OBSERVATORY_PORT picks the port (8443).
observatory: prepare
	$(BIN)/python tools/observatory.py
