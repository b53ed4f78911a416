# One entry point per job; every target installs what it needs into .venv first.
VENV ?= .venv
BIN := $(VENV)/bin
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export HF_DATASETS_OFFLINE := 1

.PHONY: install demo test lint annotations loso model bench

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

model: loso
	$(BIN)/jkn-ie train --config configs/default.toml --loso runs/loso.json

# The spaCy baseline is trained on the same data first (a few minutes, once).
runs/spacy-cnn/config.cfg:
	$(MAKE) install
	$(BIN)/jkn-ie train --config configs/default.toml --system spacy-cnn --output runs/spacy-cnn

bench: install runs/spacy-cnn/config.cfg
	$(BIN)/jkn-ie bench --spacy-model runs/spacy-cnn
