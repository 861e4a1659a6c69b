# Kanava — the two commands of the README, and the steps behind them.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/test

.PHONY: demo test install lint typecheck pytest pytest-postgres render docs messages clean

demo: $(STAMP)  ## install, load the demo organizations and serve http://127.0.0.1:8000
	$(BIN)/kanava demo
	$(BIN)/kanava serve

render: $(STAMP)  ## check and render the example plans into build/
	@mkdir -p build
	@for plan in examples/*.yaml; do \
	  name=$$(basename $$plan .yaml); \
	  $(BIN)/kanava plan check $$plan || true; \
	  $(BIN)/kanava plan render $$plan --format html -o build/$$name.html; \
	  $(BIN)/kanava plan render $$plan --format pdf -o build/$$name.pdf; \
	  $(BIN)/kanava plan render $$plan --format md -o build/$$name.md; \
	done
	@echo "Rendered plans are in build/ (open build/*.html or build/*.pdf)."

test: $(STAMP) lint typecheck pytest pytest-postgres  ## install and run every check

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

lint: $(STAMP)
	$(BIN)/ruff check src tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/pytest -q

# The database tests again on PostgreSQL: skipped with a notice when none is reachable,
# mandatory in CI (CI=true).
pytest-postgres: $(STAMP)
	@if $(BIN)/python -c "import psycopg; psycopg.connect('$(POSTGRES_URL)', connect_timeout=3).close()" 2>/dev/null; then \
	  DATABASE_URL=$(POSTGRES_URL) $(BIN)/pytest -q -m django_db; \
	elif [ -n "$$CI" ]; then \
	  echo "PostgreSQL is required in CI but is not reachable at $(POSTGRES_URL)"; exit 1; \
	else \
	  echo "PostgreSQL is not reachable at $(POSTGRES_URL): its tests are skipped here."; \
	fi

docs: $(STAMP)  ## regenerate the generated parts of docs/
	$(BIN)/python -m kanava.plans.docs > docs/plan-reference.md
	$(BIN)/kanava plan schema > docs/plan.schema.json
	$(BIN)/python -m kanava.cli.reference cli > docs/cli.md
	$(BIN)/python -m kanava.cli.reference rules > docs/rules.md
	$(BIN)/python -m kanava.cli.reference checks > docs/publishing-checks.md

messages: $(STAMP)  ## extract translatable strings and update the .po catalogs (and .mo)
	$(BIN)/pybabel extract -F babel.cfg -k N_ --no-location --sort-output \
	  -o src/kanava/locale/kanava.pot .
	@for lang in fi nb sv; do \
	  po=src/kanava/locale/$$lang/LC_MESSAGES/kanava.po; \
	  if [ -f $$po ]; then \
	    $(BIN)/pybabel update -N --no-wrap -D kanava -l $$lang -i src/kanava/locale/kanava.pot -d src/kanava/locale; \
	  else \
	    $(BIN)/pybabel init --no-wrap -D kanava -l $$lang -i src/kanava/locale/kanava.pot -d src/kanava/locale; \
	  fi; \
	done
	cd src/kanava && DJANGO_SETTINGS_MODULE=kanava.web.settings KANAVA_DATA_DIR=$(CURDIR)/var \
	  $(CURDIR)/$(BIN)/django-admin makemessages -d django -l fi -l nb -l sv --no-wrap \
	  --no-location -i 'plans/*' -i 'cli/*' -i 'i18n.py' -i 'examples/*'
	$(BIN)/pybabel compile -D django -d src/kanava/locale --statistics

clean:
	rm -rf $(VENV) build .pytest_cache .mypy_cache .ruff_cache
