# Thin wrapper over CMake: `make test` and `make demo` work on a fresh Debian 12 machine as root.
BUILD_DIR ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS ?= 2
CMAKE_FLAGS ?=

.PHONY: all deps configure build test demo bench sanitize soak format clean

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

format:
	@git ls-files '*.cpp' '*.hpp' '*.h' '*.c' | xargs clang-format -i

clean:
	@rm -rf $(BUILD_DIR) build-asan
