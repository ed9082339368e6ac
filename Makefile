# Thin wrapper over CMake: `make test` and `make demo` work on a fresh Debian 12 machine as root.
BUILD_DIR ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS ?= 2
CMAKE_FLAGS ?=

.PHONY: all deps configure build test demo bench sanitize soak fuzz format clean

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

# The kill loop (tests/soak/kill_loop.hpp), round after round for SOAK_SECONDS; prints JSON.
soak: build
	@./$(BUILD_DIR)/tests/sparks_soak $(SOAK_SECONDS)

# AddressSanitizer + UndefinedBehaviorSanitizer build and test, in its own build folder.
sanitize:
	@$(MAKE) test BUILD_DIR=build-asan BUILD_TYPE=Debug CMAKE_FLAGS=-DSPARKS_SANITIZE=ON

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
	@rm -rf $(BUILD_DIR) build-asan build-fuzz
