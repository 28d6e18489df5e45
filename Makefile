# swim — the two commands: `make run` and `make test`. Both install what is
# missing first (scripts/install-deps), so a fresh Debian 12 machine needs
# nothing else.

BUILD      ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
BENCH_BUILD ?= build-bench
JOBS       ?= $(shell nproc)
FUZZ_SECONDS ?= 20
PREFIX     ?= /usr/local
CMAKE_FLAGS ?=

.PHONY: all deps build build-asan test test-release test-asan run bench fuzz install clean

all: build

deps:
	@scripts/install-deps

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSWIM_WERROR=ON $(CMAKE_FLAGS)

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j$(JOBS)

$(ASAN_BUILD)/CMakeCache.txt:
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DSWIM_WERROR=ON -DSWIM_SANITIZE=ON $(CMAKE_FLAGS)

build-asan: deps $(ASAN_BUILD)/CMakeCache.txt
	cmake --build $(ASAN_BUILD) -j$(JOBS)

# The whole suite twice: a strict -Werror build, then ASan + UBSan.
test: test-release test-asan

test-release: build
	@echo "== tests ($(BUILD)) =="
	cd $(BUILD) && ctest -j$(JOBS) --output-on-failure

test-asan: build-asan
	@echo "== tests under AddressSanitizer + UndefinedBehaviorSanitizer ($(ASAN_BUILD)) =="
	cd $(ASAN_BUILD) && ctest -j$(JOBS) --output-on-failure

run: build
	@scripts/demo $(BUILD)

bench: deps
	cmake -S . -B $(BENCH_BUILD) -DCMAKE_BUILD_TYPE=Release -DSWIM_BENCH=ON $(CMAKE_FLAGS)
	cmake --build $(BENCH_BUILD) -j$(JOBS)
	bench/run $(BENCH_BUILD)

fuzz: deps
	CC=clang cmake -S . -B $(FUZZ_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSWIM_FUZZ=ON -DSWIM_WERROR=ON $(CMAKE_FLAGS)
	cmake --build $(FUZZ_BUILD) -j$(JOBS)
	scripts/run-fuzz $(FUZZ_BUILD) $(FUZZ_SECONDS)

install: build
	cmake --install $(BUILD) --prefix $(PREFIX)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD) $(BENCH_BUILD)
