# The contract: `make release` validates and builds the release into dist/; `make test` runs the tests.
# Both create .venv and install what they need.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: release cut-release validate build wheel wheelhouse browser test bench bench-record site dictionary clean

release: validate build wheel

# datapackage.json carries the version, which the editable install records as package metadata.
$(STAMP): pyproject.toml constraints.txt datapackage.json
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

validate: $(STAMP)
	$(BIN)/kratom-data validate

build: $(STAMP)
	$(BIN)/kratom-data build --out dist

# Cut a release: like `build`, and record releases/<version>/manifest.json (or prove a rebuild matches it).
cut-release: $(STAMP)
	$(BIN)/kratom-data release --out dist

# The wheel ships the Parquet and descriptor that `build` wrote into dist/ (pyproject: force-include).
wheel: build
	rm -rf dist/python
	$(BIN)/python -m build --wheel --no-isolation --outdir dist/python . > /dev/null
	ls dist/python/*.whl

# Wheels of the loader's dependencies (and the site's), so tests can install the package into a clean venv offline.
wheelhouse: $(STAMP)
	$(BIN)/python -m pip download --quiet -c constraints.txt --only-binary=:all: --dest .wheelhouse pandas pyarrow jinja2 markdown pycountry

# Debian's Chromium for the site's browser tests (Playwright drives it; it never downloads a browser).
browser:
	@command -v chromium > /dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium > /dev/null; } || echo "chromium missing: install Debian's chromium package for the browser tests"

# cffconvert validates CITATION.cff; its pinned jsonschema clashes with frictionless, so it gets its own venv.
CFF := .venv-cff/bin/cffconvert
$(CFF):
	$(PYTHON) -m venv .venv-cff
	.venv-cff/bin/python -m pip install --quiet "cffconvert==2.0.0"

test: wheel wheelhouse browser $(CFF)
	$(BIN)/python -m pytest

site: build
	$(BIN)/kratom-data site --out dist/site

# Results go to dist/benchmarks (untracked); `make bench-record` also updates the tracked copies.
bench: wheel
	KRATOM_DATA_RELEASE=dist $(BIN)/python benchmarks/run.py

bench-record: wheel
	KRATOM_DATA_RELEASE=dist $(BIN)/python benchmarks/run.py --record

dictionary: $(STAMP)
	$(BIN)/kratom-data dictionary

clean:
	rm -rf $(VENV) .venv-cff dist .wheelhouse
