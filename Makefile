# Front door. `make run` starts the server on SQLite; `make test` runs every test.
# Both install what is missing (Debian packages) first, so they work on a fresh machine.
.PHONY: all build run test bench fuzz clean deps test-deps

all: build

deps:
	@scripts/install-deps.sh build

test-deps:
	@scripts/install-deps.sh test

build: deps
	@cmake --preset release >/dev/null
	@cmake --build --preset release

run: build
	./build/metrics-dashboard server --homepath .

test: test-deps
	@scripts/run-tests.sh

bench: test-deps build
	@scripts/run-benchmarks.sh

fuzz: test-deps
	@MD_FUZZ_SECONDS=$${MD_FUZZ_SECONDS:-300} scripts/run-fuzzers.sh

clean:
	rm -rf build build-asan build-fuzz
