# Admit: the two commands a fresh machine needs are `make demo` and `make test`.
SWIFT ?= swift
# CI (CI=true) turns every warning into an error.
SWIFT_FLAGS ?= $(if $(CI),-Xswiftc -warnings-as-errors,)
BIN = $(shell $(SWIFT) build --show-bin-path)

.PHONY: deps build demo test test-unit bench clean

deps:
	@scripts/install-deps.sh

build: deps
	$(SWIFT) build $(SWIFT_FLAGS)

## Runs the daemon on the embedded demo event with a stdin scanner.
demo: build
	@$(BIN)/admitd --demo

## Builds once (tests included) and runs every test.
test: deps
	$(SWIFT) build --build-tests $(SWIFT_FLAGS)
	$(SWIFT) test --skip-build --parallel

## Benchmarks (a separate package under Benchmarks/, built in release mode).
bench: deps
	ADMIT_BENCHMARKS=1 $(SWIFT) package --scratch-path .build-bench -c release \
		--allow-writing-to-package-directory benchmark $(BENCH_ARGS)

clean:
	rm -rf .build .build-bench
