# The two Quick start commands. Each installs what is missing, then builds Release into build/.
BUILD      ?= build
BUILD_ASAN ?= build-asan
JOBS       ?= $(shell nproc)
# Profile-guided build (PGO=0: a plain Release build, in half the time, for quick edit loops).
PGO           ?= 1
PROFILE_BUILD ?= build-profile
ifeq ($(PGO),1)
PROFILE_ARGS := -DSTORMLOG_PROFILE=use -DSTORMLOG_PROFILE_DIR=$(abspath $(PROFILE_BUILD))/counts
else
PROFILE_ARGS := -DSTORMLOG_PROFILE=
endif

.PHONY: deps build demo test soak sanitize fuzz bench farm-test clean

deps:
	@scripts/install-deps.sh

# With PGO=1, an instrumented stormlog first runs the benches in $(PROFILE_BUILD) and the Release
# build lays out its code by the counts (CMakeLists.txt, "Profile-guided optimization").
build: deps
	@if [ "$(PGO)" = 1 ]; then scripts/train-profile.sh $(PROFILE_BUILD) $(JOBS); fi
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release -DSTORMLOG_WERROR=ON \
	  $(PROFILE_ARGS) >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

demo: build
	@scripts/demo.sh $(BUILD)

test: build
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS) -LE 'soak|farm'

# Longer runs (every built-in scenario under 100 seeds), opt-in.
soak: build
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS) -L soak

# AddressSanitizer + UndefinedBehaviorSanitizer build of the same tests (see README, "Sanitizers").
sanitize: deps
	@cmake -S . -B $(BUILD_ASAN) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSTORMLOG_WERROR=ON -DSTORMLOG_SANITIZE=ON >/dev/null
	@cmake --build $(BUILD_ASAN) -j $(JOBS)
	@cd $(BUILD_ASAN) && ASAN_OPTIONS=$$(cat ../scripts/asan-options) UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --output-on-failure -j $(JOBS) -LE 'soak|readme|farm'

# Every fuzz/ target under libFuzzer for FUZZ_SECONDS each (default 60); see README, "Fuzzing".
fuzz:
	@scripts/fuzz.sh

# The Slurm recipe end to end on a one-node cluster started here and stopped after (root; installs
# slurm-wlm and munge). Label farm: not part of make test. See README, "Running a suite on a cluster".
farm-test:
	@scripts/install-deps.sh slurm-wlm munge
	@$(MAKE) --no-print-directory build
	@scripts/farm-test.sh $(BUILD)/stormlog

bench: build
	@$(BUILD)/stormlog bench kernel

clean:
	rm -rf $(BUILD) $(BUILD_ASAN) $(PROFILE_BUILD) build-fuzz
