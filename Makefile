# Two commands: `make run` serves dingdan with a demo shop, `make test` runs the suite.
# Both set up everything they need on a fresh machine with Python 3.11+ and make.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PO_FILES := $(wildcard dingdan/locale/*/LC_MESSAGES/*.po)
MO_FILES := $(PO_FILES:.po=.mo)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test setup pdf-packages browser lint messages clean

run: setup
	$(BIN)/dingdan serve --demo --host $(HOST) --port $(PORT)

test: setup browser
	$(BIN)/python -m pytest $(PYTEST_ARGS)

setup: pdf-packages $(STAMP) $(MO_FILES)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# Translations are compiled from the .po sources at setup, with polib (no gettext needed).
%.mo: %.po $(STAMP)
	$(BIN)/python -c "import polib, sys; polib.pofile(sys.argv[1]).save_as_mofile(sys.argv[2])" $< $@

# The printed papers' PDFs need Debian's pango and the CJK font; their tests read the PDFs
# with poppler; HarfBuzz's subsetter cuts the CJK font down in milliseconds (fontTools, the
# fallback, takes seconds per PDF). Installed where we may; checked with dpkg.
PDF_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk poppler-utils
pdf-packages:
	@missing=""; for package in $(PDF_PACKAGES); do \
	  dpkg -s $$package >/dev/null 2>&1 || missing="$$missing $$package"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing Debian's$$missing for the PDF papers"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null) \
	      || echo "could not install$$missing: PDF downloads will fail, their tests skip"; \
	  else \
	    echo "missing$$missing: PDF downloads need them (apt-get install$$missing as root)"; \
	  fi; \
	fi

# Browser tests drive Debian's chromium; install it where we may, otherwise they skip.
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing Debian's chromium and CJK fonts for the browser tests"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null) \
	      || echo "could not install chromium: browser tests will be skipped"; \
	  else \
	    echo "no /usr/bin/chromium: browser tests will be skipped (apt-get install chromium)"; \
	  fi; \
	fi

lint: setup
	$(BIN)/ruff check .

# Refresh the zh_Hans catalogue after changing UI text (needs GNU gettext's xgettext).
messages: setup
	cd dingdan && ../$(BIN)/dingdan makemessages --locale zh_Hans --no-obsolete --no-location
	$(BIN)/python scripts/clear_fuzzy.py $(PO_FILES)

clean:
	rm -rf $(VENV) $(MO_FILES)
