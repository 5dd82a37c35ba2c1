# Hearth — entry points. `make test` and `make run` work on a fresh Debian 12 machine as root:
# they install the Debian packages they need first.
SHELL := /bin/bash
BUILD ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS ?= $(shell nproc)
DATA_DIR ?= ./data
CMAKE_FLAGS ?=

PACKAGES := build-essential cmake ninja-build ccache pkg-config clang libfuzzer-14-dev libclang-rt-14-dev \
  libsqlite3-dev libboost1.81-dev libflatbuffers-dev flatbuffers-compiler libspdlog-dev \
  libxxhash-dev libgtest-dev libgmock-dev librapidcheck-dev libsodium-dev libcli11-dev libgumbo-dev libcrypt-dev \
  libtomlplusplus-dev prometheus-cpp-dev chromium libssl-dev libcurl4-openssl-dev libvips-dev libqrencode-dev
# Node.js and npm run the browser tests; Debian's are used only when the machine has none (a
# machine may carry a newer Node.js of its own, which Debian's npm package would conflict with).
NODE_PACKAGES := nodejs npm

.PHONY: all deps build test test-asan fuzz run bench ci clean

all: build

# Installs only what is missing; `apt-get update` first, as a fresh machine's lists are empty.
deps:
	@missing=""; for p in $(PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	command -v npm >/dev/null 2>&1 || missing="$$missing $(NODE_PACKAGES)"; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

$(BUILD)/build.ninja:
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) $(CMAKE_FLAGS)

build: deps $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS)

# playwright-core for tests/browser (no browser download: the tests drive Debian's chromium).
tests/browser/node_modules/.package-lock.json: tests/browser/package.json tests/browser/package-lock.json | deps
	cd tests/browser && npm ci --no-audit --no-fund

test: build tests/browser/node_modules/.package-lock.json
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

# The same tests built with AddressSanitizer + UBSan.
test-asan: deps
	$(MAKE) test BUILD=build-asan BUILD_TYPE=Debug CMAKE_FLAGS="-DHEARTH_SANITIZE=ON $(CMAKE_FLAGS)"

# libFuzzer targets (clang, with ASan and UBSan), run by fuzz/run_targets.sh: FUZZ_SECONDS each,
# $(JOBS) at a time; FUZZ_SEED 0 draws a new seed each run (for exploring: `make fuzz
# FUZZ_SECONDS=600` on a quiet machine). CI fixes the seed, so a red fuzz stage comes from the
# change under test rather than the luck of the draw, and gives each target a minute (RELIABILITY
# T8) in six minutes of wall time. Every corpus is also replayed by ctest.
FUZZ_SECONDS ?= 60
FUZZ_SEED ?= 0
fuzz: deps
	CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHEARTH_FUZZ=ON $(CMAKE_FLAGS)
	cmake --build build-fuzz -j $(JOBS) --target fuzz_targets
	fuzz/run_targets.sh $(FUZZ_SECONDS) $(FUZZ_SEED) $(JOBS)

# Serves web/ and the data directory on http://127.0.0.1:$(PORT)/ until Ctrl-C.
PORT ?= 8080
run: build
	@echo "Hearth: open http://127.0.0.1:$(PORT)/ (Ctrl-C stops the server)"
	$(BUILD)/cli/hearth serve --data $(DATA_DIR) --port $(PORT) --web-root web

bench: build
	$(BUILD)/bench/append
	$(BUILD)/bench/fanout --quick
	$(BUILD)/bench/search --quick

# What CI runs: warnings are errors, then the plain tests, the sanitized tests, and the fuzzers.
ci:
	$(MAKE) test CMAKE_FLAGS=-DHEARTH_WERROR=ON
	$(MAKE) test-asan CMAKE_FLAGS=-DHEARTH_WERROR=ON
	$(MAKE) fuzz CMAKE_FLAGS=-DHEARTH_WERROR=ON FUZZ_SEED=1

clean:
	rm -rf build build-asan build-fuzz
