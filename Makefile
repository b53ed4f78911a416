# One entry point per job; every target installs what it needs into .venv first.
VENV ?= .venv
BIN := $(VENV)/bin
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export HF_DATASETS_OFFLINE := 1

.PHONY: install demo test lint annotations loso model bench devset labelstudio-check screenshot bench-dataset

$(BIN)/jkn-ie: pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[dev,ray]"
	touch $@

install: $(BIN)/jkn-ie

# Tag the five seed articles with the bundled model, then score them against the gold.
demo: install
	@mkdir -p out
	$(BIN)/jkn-ie tag seeds/ -o out/seeds.jsonl
	$(BIN)/jkn-ie tag seeds/ -o out/facts.csv
	$(BIN)/jkn-ie report out/seeds.jsonl -o out/report.html
	$(BIN)/jkn-ie dataset out/seeds.jsonl -o out/dataset.csv
	$(BIN)/jkn-ie validate out/seeds.jsonl
	@echo "--- facts table (out/facts.csv) ---"; head -n 15 out/facts.csv
	@echo "--- scores on the seeds (the bundled model was trained on them: not its accuracy) ---"
	$(BIN)/jkn-ie evaluate --gold annotations/seeds.jsonl --pred out/seeds.jsonl

test: install
	$(BIN)/python -m pytest -q
	$(BIN)/ruff check .

# Rebuild the gold JSONL from the markup sources.
annotations: install
	$(BIN)/jkn-ie markup annotations/src/seeds -o annotations/seeds.jsonl
	$(BIN)/jkn-ie markup annotations/src/authored -o annotations/authored.jsonl
	$(BIN)/jkn-ie validate annotations/seeds.jsonl annotations/authored.jsonl

# Leave-one-seed-out comparison of every system, then the bundled model on all data.
loso: install
	$(BIN)/jkn-ie loso --config configs/default.toml --json runs/loso.json

# The card quotes the dev set first when .devset/devset.jsonl is assembled (else it says so).
model: loso
	$(BIN)/jkn-ie train --config configs/default.toml --loso runs/loso.json \
	  --devset .devset/devset.jsonl

# The spaCy baseline is trained on the same data first (a few minutes, once).
runs/spacy-cnn/config.cfg:
	$(MAKE) install
	$(BIN)/jkn-ie train --config configs/default.toml --system spacy-cnn --output runs/spacy-cnn

bench: install runs/spacy-cnn/config.cfg
	$(BIN)/jkn-ie bench --spacy-model runs/spacy-cnn

# Consolidating 100,000 synthetic facts into the dataset (the aim: under 30 s).
bench-dataset: install
	$(BIN)/jkn-ie dataset --bench 100000

# The README's screenshot: the seeds' report in headless Chromium (Debian package `chromium`).
screenshot: install
	@mkdir -p out docs
	$(BIN)/jkn-ie tag seeds/ -o out/seeds.jsonl
	$(BIN)/jkn-ie report out/seeds.jsonl -o out/report.html
	chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
	  --disable-component-update --disable-sync --no-first-run --hide-scrollbars \
	  --user-data-dir=$$(mktemp -d) --window-size=1440,1250 \
	  --screenshot=docs/report.png file://$(CURDIR)/out/report.html

# Every system on the 40 real dev articles (seen by the team: not a held-out score).
# Needs .devset/devset.jsonl, assembled as ../shared/devset/README.md says.
devset: install
	$(BIN)/jkn-ie devset --json runs/devset.json

# A real Label Studio (in its own venv: the package is big): creates a project with
# configs/labelstudio.xml, imports tasks through the HTTP API, exports them and runs
# `jkn-ie import` on the export (scripts/labelstudio_roundtrip.py; docs/labelstudio.md).
LS_VENV ?= runs/labelstudio-venv
$(LS_VENV)/bin/label-studio:
	python3 -m venv $(LS_VENV)
	$(LS_VENV)/bin/python -m pip install -q "label-studio==1.23.2"

labelstudio-check: install $(LS_VENV)/bin/label-studio
	$(BIN)/python scripts/labelstudio_roundtrip.py --label-studio $(LS_VENV)/bin/label-studio
