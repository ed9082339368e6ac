# Thin wrapper over CMake: `make test` and `make demo` work on a fresh Debian 12 machine as root.
BUILD_DIR ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS ?= 2
CMAKE_FLAGS ?=

.PHONY: all deps configure build test demo bench bench-http sanitize tsan soak fuzz format clean

SOAK_SECONDS ?= 300

all: build

deps:
	@./scripts/install-deps

configure: deps
	@cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) $(CMAKE_FLAGS) >/dev/null

build: configure
	@cmake --build $(BUILD_DIR) -j$(JOBS)

test: build
	@cd $(BUILD_DIR) && ctest --output-on-failure -j$(JOBS) --timeout 300

demo: build
	@./$(BUILD_DIR)/sparks demo

bench: build
	@./$(BUILD_DIR)/bench/sparks_bench_lifecycle --benchmark_format=json
	@./$(BUILD_DIR)/bench/sparks_bench_engine
	@./$(BUILD_DIR)/bench/sparks_bench_store
	@./$(BUILD_DIR)/bench/sparks_bench_failover 5

# Webhook ingestion over HTTP: wrk against `sparks serve` and against nginx answering 200, round
# after round (bench/bench_http.cpp); JSON on stdout. Needs Debian's wrk and nginx-light.
# The build's output goes to stderr, so that stdout is the JSON alone.
BENCH_HTTP_ARGS ?=
bench-http:
	@$(MAKE) --no-print-directory build >&2
	@./scripts/install-deps --bench >&2
	@cmake --build $(BUILD_DIR) -j$(JOBS) --target sparks_bench_http >&2
	@./$(BUILD_DIR)/bench/sparks_bench_http $(BENCH_HTTP_ARGS)

# The kill loop (tests/soak/kill_loop.hpp), round after round for SOAK_SECONDS; prints JSON.
soak: build
	@./$(BUILD_DIR)/tests/sparks_soak $(SOAK_SECONDS)

# AddressSanitizer + UndefinedBehaviorSanitizer build and test, in its own build folder.
sanitize:
	@$(MAKE) test BUILD_DIR=build-asan BUILD_TYPE=Debug CMAKE_FLAGS=-DSPARKS_SANITIZE=ON

# ThreadSanitizer: the tests labelled `concurrency` (tests/CMakeLists.txt), built alone in their own
# folder and run under TSan; any report fails the run. Some kernels randomize the address space
# more than TSan's memory layout allows ("unexpected memory mapping"): setarch -R turns the
# randomization off for the build (whose test discovery runs the tests) and the run.
TSAN_DIR ?= build-tsan
TSAN_NO_ASLR := $(shell setarch $$(uname -m) -R true 2>/dev/null && echo setarch $$(uname -m) -R)
TSAN_OPTIONS_RUN := halt_on_error=1 second_deadlock_stack=1 suppressions=$(CURDIR)/tests/tsan.supp

tsan: deps
	@cmake -S . -B $(TSAN_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSPARKS_TSAN=ON \
	  -DSPARKS_BUILD_BENCH=OFF $(CMAKE_FLAGS) >/dev/null
	@$(TSAN_NO_ASLR) cmake --build $(TSAN_DIR) -j$(JOBS) --target sparks_concurrency_tests
	@cd $(TSAN_DIR) && TSAN_OPTIONS="$(TSAN_OPTIONS_RUN)" $(TSAN_NO_ASLR) \
	  ctest -L concurrency --output-on-failure -j$(JOBS) --timeout 600

# libFuzzer on every target of tests/fuzz/ for FUZZ_SECONDS each (clang-15, ASan + UBSan, in
# build-fuzz/); one JSON line per target. `make test` runs the same targets briefly, without clang.
FUZZ_SECONDS ?= 60
FUZZ_BUILD_DIR ?= build-fuzz
fuzz:
	@./scripts/install-deps --fuzz
	@cmake -S . -B $(FUZZ_BUILD_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSPARKS_FUZZ=ON \
	  -DCMAKE_C_COMPILER=clang-15 -DCMAKE_CXX_COMPILER=clang++-15 >/dev/null
	@cmake --build $(FUZZ_BUILD_DIR) -j$(JOBS) --target sparks_fuzzers
	@./scripts/run-fuzzers $(FUZZ_BUILD_DIR) $(FUZZ_SECONDS)

format:
	@git ls-files '*.cpp' '*.hpp' '*.h' '*.c' | xargs clang-format -i

clean:
	@rm -rf $(BUILD_DIR) build-asan $(TSAN_DIR) build-fuzz
