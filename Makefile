# Admit: the two commands a fresh machine needs are `make demo` and `make test`.
SWIFT ?= swift
# CI (CI=true) turns every warning into an error.
SWIFT_FLAGS ?= $(if $(CI),-Xswiftc -warnings-as-errors,)
BIN = $(shell $(SWIFT) build --show-bin-path)

.PHONY: deps test-deps build demo test test-unit test-vm soak fuzz bench clean release install deb lintian

deps:
	@scripts/install-deps.sh

## What `make test` needs besides the build (systemd-analyze, jq, sqlite3, ip).
test-deps:
	@scripts/install-deps.sh --test

build: deps
	$(SWIFT) build $(SWIFT_FLAGS)

## Runs the daemon on the embedded demo event with a stdin scanner.
demo: build
	@$(BIN)/admitd --demo

## Builds once (tests included) and runs every test, then each fuzzer briefly.
test: test-deps
	scripts/test-install-paths.sh
	$(SWIFT) build --build-tests $(SWIFT_FLAGS)
	$(SWIFT) test --skip-build --parallel
	scripts/check-package.sh
	scripts/fuzz.sh $(FUZZ_TEST_SECONDS) $(FUZZ_TARGETS)
	$(if $(filter 0,$(ADMIT_TEST_VM)),@echo "VM scenarios skipped (ADMIT_TEST_VM=0)",ADMIT_BIN=$(BIN) bash Tests/vm/run.sh)

## Device scenarios in a qemu VM with real kernel devices (uinput, gpio-sim, ptys),
## running the host-built admitd (see Tests/vm/README.md): every scenario. `make test`
## runs them too, after the unit tests; ADMIT_TEST_VM=0 leaves them out of a local run.
test-vm: deps
	$(SWIFT) build $(SWIFT_FLAGS)
	ADMIT_BIN=$(BIN) bash Tests/vm/run.sh

## Long runs, not part of `make test`: a soak of SOAK_MINUTES (default 10) at 60 scans a
## minute with syncs and uploads (RSS, fds and p99 latency per minute), then the SIGKILL
## crash loop with SOAK_CRASH_ROUNDS rounds (default 1000; `make test` runs 20).
SOAK_MINUTES ?= 10
SOAK_CRASH_ROUNDS ?= 1000
soak: deps
	$(SWIFT) build --build-tests $(SWIFT_FLAGS)
	ADMIT_BIN=$(BIN) scripts/soak.sh $(SOAK_MINUTES)
	ADMIT_CRASH_ROUNDS=$(SOAK_CRASH_ROUNDS) $(SWIFT) test --skip-build --filter CrashLoopEndToEndTests

## Fuzzing (libFuzzer + AddressSanitizer): a separate instrumented build of the parsers
## alone (.build-fuzz), then each fuzzer for FUZZ_SECONDS. See README.md, "Fuzzing".
FUZZ_SECONDS ?= 60
FUZZ_TEST_SECONDS ?= 10
FUZZ_TARGETS ?= keystrokes serial config control vivenu acme eventyay audienceview
fuzz: deps
	scripts/fuzz.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)

## Benchmarks (a separate package under Benchmarks/, built in release mode).
bench: deps
	ADMIT_BENCHMARKS=1 $(SWIFT) package --scratch-path .build-bench -c release \
		--allow-writing-to-package-directory benchmark $(BENCH_ARGS)

## Installation and packaging (see README.md). CONFIGURATION=debug skips the
## release build (the package check in `make test` uses it).
PREFIX ?= /usr/local
SYSCONFDIR ?= /etc
DESTDIR ?=
CONFIGURATION ?= release
RELEASE_FLAGS = $(if $(filter release,$(CONFIGURATION)),-c release --static-swift-stdlib,)
RELEASE_BIN = $(shell $(SWIFT) build $(RELEASE_FLAGS) --show-bin-path)

## Release binaries: Swift runtime linked in statically, symbols stripped.
release: deps
	$(SWIFT) build $(RELEASE_FLAGS) --product admitd
	$(SWIFT) build $(RELEASE_FLAGS) --product admitctl
	mkdir -p dist/bin
	install -m 0755 $(RELEASE_BIN)/admitd $(RELEASE_BIN)/admitctl dist/bin/
	$(if $(filter release,$(CONFIGURATION)),strip --strip-all dist/bin/admitd dist/bin/admitctl,)

## Installs binaries, unit, udev rules, example configuration and docs under DESTDIR.
## The configuration is installed only when none is there yet.
install: release
	scripts/install.sh "$(DESTDIR)" "$(PREFIX)" "$(SYSCONFDIR)" dist/bin

## A Debian package in dist/: admit_VERSION_ARCH.deb.
deb: release
	scripts/build-deb.sh dist/bin dist

## Lintian on the package (findings explained in debian-lintian-overrides / README.md).
lintian: deb
	lintian --info --tag-display-limit 0 dist/admit_*.deb

clean:
	rm -rf .build .build-bench .build-fuzz dist
