# Luoshi: `make demo` serves the Nanhu demo, `make test` runs every test.
PYTHON ?= python3
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
PG_URL ?= postgres://postgres@127.0.0.1:5432/luoshi
# The suite runs in one process per core (pytest-xdist); PYTEST_JOBS=0 runs it in this one.
PYTEST_JOBS ?= auto

.PHONY: demo test test-sqlite test-postgres system-deps frontend serve worker messages bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'
	touch $@ $(VENV)/.installed

# The demo shows the 2018 seed plan as it stood on 10 July 2018. Its settings
# go to var/luoshi.env, which every luoshi command reads, so a command typed by
# hand (luoshi token create …) sees the demo without exporting anything; mail
# is written to var/mail/ instead of being sent.
DEMO_ENV_FILE := var/luoshi.env

demo: $(VENV)/.installed frontend
	@mkdir -p var
	@printf '%s\n' '# Written by make demo: the demo settings every luoshi command reads (README).' \
		'DEBUG=true' 'LUOSHI_DEMO_TODAY=2018-07-10' \
		'LUOSHI_EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend' > $(DEMO_ENV_FILE)
	$(BIN)/luoshi migrate --noinput
	$(BIN)/luoshi collectstatic --noinput -v0
	$(BIN)/luoshi demo
	@echo "== The task worker runs beside the server (notices, webhooks, circulars); Ctrl-C stops both."
	@$(BIN)/luoshi db_worker & worker=$$!; \
		trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
		$(BIN)/luoshi runserver 127.0.0.1:$(PORT)

# Debian packages the tests need: chromium and a CJK font (browser tests),
# gettext (the catalogues and the test of make messages).
system-deps:
	@missing=""; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	dpkg -s fonts-noto-cjk >/dev/null 2>&1 || missing="$$missing fonts-noto-cjk"; \
	command -v msgmerge >/dev/null 2>&1 || missing="$$missing gettext"; \
	command -v npm >/dev/null 2>&1 || missing="$$missing nodejs npm"; \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:$$missing"; \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get update -q && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing; \
	fi

# Front-end packages (the cockpit's charts) from the npm registry, served by
# Django from node_modules; never committed. Without npm the cockpit still
# works: every chart has its data table.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

frontend:
	@if command -v npm >/dev/null 2>&1; then \
		$(MAKE) --no-print-directory node_modules/.installed; \
	else \
		echo "== npm is missing: the cockpit's charts will show as tables only (apt-get install nodejs npm, then make again)"; \
	fi

# SQLite always; PostgreSQL too when a server answers on 127.0.0.1:5432.
test: $(VENV)/.installed-test system-deps frontend
	@if $(BIN)/python -c "import socket; socket.create_connection(('127.0.0.1', 5432), 2)" 2>/dev/null; then \
		echo "== PostgreSQL answers on 127.0.0.1:5432: the suite runs on SQLite, then on PostgreSQL"; \
		$(MAKE) --no-print-directory test-sqlite && $(MAKE) --no-print-directory test-postgres; \
	else \
		echo "== SKIPPED the PostgreSQL run: nothing answers on 127.0.0.1:5432; the suite runs on SQLite only"; \
		$(MAKE) --no-print-directory test-sqlite; \
	fi

test-sqlite: $(VENV)/.installed-test
	@echo "== Test run on SQLite ($(PYTEST_JOBS) processes)"
	env -u DATABASE_URL $(BIN)/pytest -n $(PYTEST_JOBS) $(PYTEST_ARGS)

test-postgres: $(VENV)/.installed-test
	@echo "== Test run on PostgreSQL ($(PG_URL))"
	DATABASE_URL=$(PG_URL) $(BIN)/pytest -n $(PYTEST_JOBS) $(PYTEST_ARGS)

serve: $(VENV)/.installed
	$(BIN)/luoshi runserver 127.0.0.1:$(PORT)

worker: $(VENV)/.installed
	$(BIN)/luoshi db_worker

# Regenerate the translation catalogues after changing UI strings (needs
# gettext: make system-deps). An app with its own locale/ keeps its strings
# there; the project catalogue (luoshi/locale) takes the rest, so each string
# lives in exactly one place. makemessages alone would drop a translation
# whose string moved to another catalogue (a model of an app that gained its
# own locale/, a template of one app using another's string) and mark new
# strings with a wrong fuzzy guess, so every catalogue is then merged again
# from its previous self, with all previous catalogues as a compendium: a
# string keeps its translation wherever it now lives, and a new one stays
# empty for a translator (luoshi/tests/test_translations.py fails until then).
MSG_SAVED := var/messages
LUOSHI_CMD := $(abspath $(BIN))/luoshi
messages: $(VENV)/.installed
	@command -v msgmerge >/dev/null 2>&1 || { echo "gettext is missing: run make system-deps"; exit 1; }
	rm -rf $(MSG_SAVED) && mkdir -p $(MSG_SAVED)
	for po in luoshi/locale/zh_Hans/LC_MESSAGES/django.po luoshi/*/locale/zh_Hans/LC_MESSAGES/django.po; do \
		mkdir -p $(MSG_SAVED)/$$(dirname $$po) && cp $$po $(MSG_SAVED)/$$po || exit 1; \
	done
	msgcat --use-first -o $(MSG_SAVED)/compendium.po $$(find $(MSG_SAVED)/luoshi -name django.po | sort)
	cd luoshi && DEBUG=true $(LUOSHI_CMD) makemessages -l zh_Hans --no-obsolete -i parsing \
		$$(for d in */locale; do [ -d "$$d" ] && printf -- '-i %s ' "$${d%/locale}"; done)
	for app in luoshi/*/; do \
		if [ -d $$app/locale ]; then (cd $$app && DEBUG=true $(LUOSHI_CMD) makemessages -l zh_Hans --no-obsolete) || exit 1; fi; \
	done
	for po in luoshi/locale/zh_Hans/LC_MESSAGES/django.po luoshi/*/locale/zh_Hans/LC_MESSAGES/django.po; do \
		old=$(MSG_SAVED)/$$po; [ -f $$old ] || old=$$po; \
		msgattrib --clear-fuzzy --empty -o $$po.pot $$po && \
		msgmerge -q --no-fuzzy-matching -C $(MSG_SAVED)/compendium.po -o $$po.merged $$old $$po.pot && \
		msgattrib --no-obsolete -o $$po $$po.merged && rm $$po.merged $$po.pot || exit 1; \
	done
	DEBUG=true $(LUOSHI_CMD) compilemessages -i .venv -i node_modules -i var

bench: $(VENV)/.installed-test
	for b in bench/*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) var/test
