# huoyan — the two commands are `make demo` and `make test`; everything else is a helper.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
export HUOYAN_HOME ?= $(CURDIR)/var

DEMO_SEED ?= 7
DEMO_TENDERS ?= 40000
DEMO_WORLD := $(HUOYAN_HOME)/demo/world
DEMO_AS_OF ?= 2026-10-01
# The demo ranks a few days, so rankings show their change and dossiers a score history.
DEMO_RANK_DATES ?= 2026-08-01 2026-09-01 $(DEMO_AS_OF)
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: install demo test world validate-demo features-demo rules-demo train-demo rank-demo \
	backtest-demo monitor-demo serve \
	mlflow-ui clean bench-generate bench-features bench-serving bench-dashboard

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv

$(INSTALLED): pyproject.toml | $(BIN)/python
	$(BIN)/uv pip install --python $(BIN)/python -e '.[dev]'
	touch $@

install: $(INSTALLED)

world: install
	$(BIN)/huoyan generate --out $(DEMO_WORLD) --seed $(DEMO_SEED) --tenders $(DEMO_TENDERS)

validate-demo: world
	$(BIN)/huoyan validate $(DEMO_WORLD)

features-demo: validate-demo
	$(BIN)/huoyan features --data $(DEMO_WORLD) --as-of $(DEMO_AS_OF) \
		--out $(HUOYAN_HOME)/demo/features-$(DEMO_AS_OF).parquet

# The shipped rule library (rules/*.yaml): validated, then published into the service database
# (versioned, audited). Published cards run in the ranking and their hits are model features.
rules-demo: validate-demo
	$(BIN)/huoyan rules validate rules
	$(BIN)/huoyan rules publish rules --actor demo --note "shipped library"

# Learns from the world's cases, registers the champions, prints precision@k against baselines.
train-demo: rules-demo
	$(BIN)/huoyan train --data $(DEMO_WORLD)

# Daily rankings (database + the export file), which open the review queue.
rank-demo: train-demo
	for day in $(DEMO_RANK_DATES); do \
		$(BIN)/huoyan rank --data $(DEMO_WORLD) --as-of $$day \
			--out $(HUOYAN_HOME)/demo/ranking-$$day.csv || exit 1; \
	done

# Each published card over the last 12 months of the demo world: hits per month, precision
# against the cases, overlap with the model; stored for the dashboard's rule pages. Exit 1
# would mean a card fails its stated expectations.
backtest-demo: rank-demo
	$(BIN)/huoyan rules backtest --published --data $(DEMO_WORLD) --end $(DEMO_AS_OF) --actor demo

# Drift, fairness and review coverage of the last ranked day: stored, served, and one HTML
# report ($(HUOYAN_HOME)/reports/monitoring/<date>/index.html). Exit 1 means alerts fired,
# which the demo shows rather than stops at; 2 is an error.
monitor-demo: backtest-demo
	$(BIN)/huoyan monitor --as-of $(DEMO_AS_OF) || [ $$? -eq 1 ]

# Demo users and tokens (serving/demo_users.yaml), unless the home has its own.
$(HUOYAN_HOME)/users.yaml: | install
	mkdir -p $(HUOYAN_HOME) && cp serving/demo_users.yaml $@

serve: install $(HUOYAN_HOME)/users.yaml
	$(BIN)/huoyan serve --host 127.0.0.1 --port $(PORT)

# Generate, validate, build features, train, rank, open the review queue, monitor, serve on :8000.
demo: features-demo rank-demo monitor-demo serve

# The MLflow UI on this home's tracking store (runs, metrics, SHAP plots, registered models).
MLFLOW_UI_PORT ?= 5000
mlflow-ui: install
	$(BIN)/mlflow ui --host 127.0.0.1 --port $(MLFLOW_UI_PORT) --workers 1 \
		--backend-store-uri "$${MLFLOW_TRACKING_URI:-sqlite:///$(HUOYAN_HOME)/mlflow.db}"

# pytest exits 5 when it collects nothing (e.g. a -k that matches no test): say so, don't fail.
test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "make test: pytest collected no tests"; exit 0; fi; exit $$rc

bench-generate: install
	$(BIN)/python -m huoyan.measure $(BIN)/huoyan generate --out $(HUOYAN_HOME)/bench/world-gen \
		--seed 1 --tenders 1000000

bench-features: install
	$(BIN)/python -m features.benchmark

# Ranking 1,000,000 entities with reasons, then the API under load from a separate process,
# on SQLite and on PostgreSQL (BENCH_POSTGRES_URL; the database is created if missing).
BENCH_POSTGRES_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/huoyan_bench
bench-serving: install
	$(BIN)/python -m serving.ranking.benchmark
	$(BIN)/python -m serving.api_benchmark
	$(BIN)/python -m serving.api_benchmark --database-url $(BENCH_POSTGRES_URL)

# Each dashboard page fetched 50 times by a signed-in supervisor: median and p95 (goal < 300 ms).
bench-dashboard: install
	$(BIN)/python -m serving.web.benchmark

clean:
	rm -rf $(VENV) $(HUOYAN_HOME)
