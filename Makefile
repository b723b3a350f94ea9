# Thin wrapper over CMake + Ninja. `make test` builds and runs every test.
BUILD    ?= build
TYPE     ?= RelWithDebInfo
JOBS     ?= $(shell nproc)
CMAKE_FLAGS ?=
SHARED   ?= ../shared
PREFIX   ?= /usr/local
DESTDIR  ?=

.PHONY: all deps configure build test unit cli run-example conformance asan tsan \
        bench bench-quick fuzz format format-check tidy clean install

all: build

deps:
	@bash .ci/install-deps.sh

$(BUILD)/build.ninja: | deps
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=$(TYPE) $(CMAKE_FLAGS)

configure: $(BUILD)/build.ninja

build: configure
	cmake --build $(BUILD) -j $(JOBS)

# The binary (bin/), its modules (lib/thaiyyal/), the manual page and the
# shell completions (share/), under $(DESTDIR)$(PREFIX).
install: build
	DESTDIR=$(DESTDIR) cmake --install $(BUILD) --prefix $(PREFIX)

# Every test: unit tests, CLI golden tests and the example workflows (ctest).
test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# Build, then validate and run an example workflow: orders over a threshold
# given on the command line.
run-example: build
	$(BUILD)/thaiyyal validate examples/orders.yaml
	$(BUILD)/thaiyyal execute examples/orders.yaml --set threshold=200

# The shared conformance suite, when ../shared is present.
conformance: build
	python3 $(SHARED)/tools/conformance.py --bin $(BUILD)/thaiyyal

asan:
	$(MAKE) test BUILD=build-asan TYPE=Debug \
	  CMAKE_FLAGS="-DTHAIYYAL_SANITIZE=address,undefined"

tsan:
	TSAN_OPTIONS="suppressions=$(CURDIR)/tests/tsan.supp $(TSAN_OPTIONS)" \
	  $(MAKE) test BUILD=build-tsan TYPE=Debug CMAKE_FLAGS="-DTHAIYYAL_SANITIZE=thread"

# Release build in build-bench/, then every benchmark (Google Benchmark, the
# command line, serve under wrk) as one Markdown table: the README's
# Performance section. bench-quick: fewer runs and shorter loads, rougher figures.
BENCH_BUILD = build BUILD=build-bench TYPE=Release CMAKE_FLAGS="-DTHAIYYAL_BUILD_BENCH=ON"

bench:
	$(MAKE) $(BENCH_BUILD)
	python3 tests/tools/bench_table.py build-bench --markdown

bench-quick:
	$(MAKE) $(BENCH_BUILD)
	python3 tests/tools/bench_table.py build-bench --quick --markdown

fuzz:
	$(MAKE) build BUILD=build-fuzz TYPE=Debug \
	  CMAKE_FLAGS="-DTHAIYYAL_BUILD_FUZZ=ON -DCMAKE_CXX_COMPILER=clang++"

SOURCES = $(shell git ls-files '*.cpp' '*.h')

format:
	clang-format -i $(SOURCES)

format-check:
	clang-format --dry-run --Werror $(SOURCES)

tidy: configure
	clang-tidy -p $(BUILD) $(filter %.cpp,$(SOURCES))

clean:
	rm -rf build build-asan build-tsan build-bench build-fuzz
