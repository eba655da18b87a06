# mallsync: the two commands are `make demo` and `make test`.
GO        ?= go
BIN       := bin/mallsync
WORKFLOWCHECK := go.temporal.io/sdk/contrib/tools/workflowcheck@v0.6.0

.PHONY: demo demo-live build build-worker test race lint bench bench-backfill clean

## demo: simulator + in-process Temporal + worker + local Postgres; syncs and prints the result
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
	$(GO) test -count=1 -timeout 12m ./...

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
	$(GO) test -run '^$$' -bench . -benchtime 3x ./postgres/ ./connectors/... ./e2e/

## bench-backfill: the whole-pipeline backfill benchmark alone (400,000 lines)
bench-backfill:
	$(GO) test -run '^$$' -bench BenchmarkBackfill -benchtime 1x -timeout 20m ./e2e/

clean:
	rm -rf bin .mallsync
