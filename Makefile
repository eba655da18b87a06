# mallsync: the two commands are `make demo` and `make test`.
GO        ?= go
BIN       := bin/mallsync
WORKFLOWCHECK := go.temporal.io/sdk/contrib/tools/workflowcheck@v0.6.0

.PHONY: demo demo-live build build-worker test race lint bench bench-backfill bench-search clean

## demo: simulators + in-process Temporal + worker + console + local Postgres; syncs, prints the result and the console's logins
demo: build
	$(BIN) dev --once --orders 5000 --seed 1

## demo-live: the same, kept running, with the simulator's clock moving 60x
demo-live: build
	$(BIN) dev --orders 5000 --seed 1

build:
	$(GO) build -o $(BIN) ./cmd/mallsync

## build-worker: the production binary without `dev` (does not link the Temporal server: 35 MB, not 214)
build-worker:
	$(GO) build -tags nodev -o bin/mallsync-worker ./cmd/mallsync

## test: every test; needs PostgreSQL on 127.0.0.1:5432 (or DATABASE_URL)
test:
	$(GO) test -count=1 -timeout 14m ./...

race:
	$(GO) test -count=1 -race -timeout 20m ./...

## lint: formatting, vet, and workflowcheck over the workflows
lint:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$unformatted" ]; then echo "gofmt: $$unformatted"; exit 1; fi
	$(GO) vet ./...
	$(GO) vet -tags nodev ./cmd/...
	$(GO) run $(WORKFLOWCHECK) ./workflows/...

## bench: store and pipeline benchmarks (see the README for figures)
bench:
	$(GO) test -run '^$$' -bench . -skip BenchmarkOrderSearch1M -benchtime 3x ./postgres/ ./connectors/... ./e2e/

## bench-backfill: the whole-pipeline backfill benchmark alone (400,000 lines)
bench-backfill:
	$(GO) test -run '^$$' -bench BenchmarkBackfill -benchtime 1x -timeout 20m ./e2e/

## bench-search: the console's search and order page over 1,000,000 order lines (p50/p95 per kind of search)
bench-search:
	$(GO) test -run '^$$' -bench BenchmarkOrderSearch1M -benchtime 1x -timeout 30m ./postgres/

clean:
	rm -rf bin .mallsync
