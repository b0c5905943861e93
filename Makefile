# kouan: `make demo` runs the whole flow on the embedded default; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint install system-deps bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[test,spark]"
	touch $(STAMP)

install: $(STAMP)

system-deps:
	bash scripts/install-system-deps.sh

demo: install
	$(BIN)/kouan demo

test: install system-deps
	$(BIN)/pytest -q

lint: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports

bench: install
	$(BIN)/python benchmarks/bench_ingest.py
	$(BIN)/python benchmarks/bench_screening.py --all
	$(BIN)/python benchmarks/load_bench.py --manifests 6 --largest
	$(BIN)/python benchmarks/counter_bench.py --rates 100 200 250 --seconds 6
	$(BIN)/python benchmarks/contacts_bench.py
	$(BIN)/python benchmarks/delivery_bench.py --referrals 10000 --failure-rate 0.2 --kill-relay-after 3000
	$(BIN)/python benchmarks/delivery_bench.py --sender kafka --referrals 10000 --kill-relay-after 3000
	$(BIN)/python benchmarks/link_bench.py --scale 0.05  # the national 1.84 M x 30 days needs ~75 GB
	$(BIN)/python benchmarks/pg_day_bench.py --flights 600 --writers 4  # a tenth of a national day
	$(BIN)/python benchmarks/watchlist_bench.py --watchlist 1000000 --travellers 100000

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
