# streamlab — GNU make. Dependencies come from Debian packages through pkg-config.
#
#   make          build/streamlab (headless), and build/streamlab-view where SDL2, cairo, pango are found
#   make run      install what is missing, build, run the main scenario
#   make test     install what is missing, build the sanitizer build, run every test
#   make bench    benchmarks (ratios against baselines measured in the same run)
#   make labs     render the labs' handout figures (labs/*/figures.txt)
#   make frames   render the scenario library's frames (scenarios/figures.txt)
#   make fuzz     libFuzzer (clang) on the trace reader and the visualiser's model
#   make deps     install the Debian packages the project needs
#   make clean
#
# Every build: -std=c11 -Wall -Wextra -Werror. CC=gcc or CC=clang both work.

CC ?= cc
BUILD ?= build
OPT ?= -O2 -g
SAN ?=

PKGS := lua5.4 libxxhash jansson yajl
TEST_PKGS := criterion
VIEW_PKGS := sdl2 cairo pangocairo

# What `make deps` installs (Debian 12 names). clang: the determinism tests
# build with both compilers. xvfb + xauth: the visualiser's screenshot tests;
# fonts-dejavu-core: its type (VISUAL.md). sqlite3 + jq: the tests that
# recompute a run's answer independently.
DEBIAN_PKGS := make gcc clang pkg-config liblua5.4-dev libxxhash-dev libjansson-dev libyajl-dev \
               libcriterion-dev libsdl2-dev libcairo2-dev libpango1.0-dev fonts-dejavu-core xvfb xauth \
               sqlite3 jq

have_pkgs = $(shell pkg-config --exists $(1) 2>/dev/null && echo yes)

CPPFLAGS_ALL := -D_DEFAULT_SOURCE
WARN := -std=c11 -Wall -Wextra -Werror
DEPFLAGS = -MMD -MP
CFLAGS_ALL = $(WARN) $(CPPFLAGS_ALL) $(OPT) $(SAN) $(shell pkg-config --cflags $(PKGS) 2>/dev/null) $(DEPFLAGS)
LIBS = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm

ENGINE_SRC := $(sort $(wildcard engine/*.c))
SIM_SRC := $(sort $(filter-out sim/main.c,$(wildcard sim/*.c)))
VIEW_SRC := $(sort $(wildcard viz/*.c))
UNIT_SRC := $(sort $(wildcard tests/unit/*.c))
CLI_SRC := $(sort $(wildcard tests/cli/*.c))
SUPPORT_SRC := $(sort $(wildcard tests/support/*.c))
VIZ_TEST_SRC := $(sort $(wildcard tests/viz/*.c))
# The visualiser's tests are built and run where SDL2, cairo and pango are found.
HAVE_VIEW := $(and $(VIEW_SRC),$(call have_pkgs,$(VIEW_PKGS)))

objs = $(patsubst %.c,$(BUILD)/obj/%.o,$(1))

.PHONY: all headless view run labs frames test test-build test-run bench fuzz deps ensure-deps ensure-test-deps clean det-builds

all: headless view

headless: $(BUILD)/streamlab

ifeq ($(and $(VIEW_SRC),$(call have_pkgs,$(VIEW_PKGS))),yes)
view: $(BUILD)/streamlab-view
else
view:
	@echo "make: build/streamlab-view skipped (needs viz/ sources and SDL2, cairo, pango: make deps)"
endif

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -c $< -o $@

$(BUILD)/libstreamlab.a: $(call objs,$(ENGINE_SRC) $(SIM_SRC))
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/streamlab: $(BUILD)/obj/sim/main.o $(BUILD)/libstreamlab.a
	$(CC) $(OPT) $(SAN) -o $@ $^ $(LIBS)

$(BUILD)/streamlab-view: $(call objs,$(VIEW_SRC)) $(BUILD)/libstreamlab.a
	$(CC) $(OPT) $(SAN) -o $@ $^ $(LIBS) $(shell pkg-config --libs $(VIEW_PKGS) 2>/dev/null)

$(call objs,$(VIEW_SRC) $(VIZ_TEST_SRC)): CFLAGS_ALL += $(shell pkg-config --cflags $(VIEW_PKGS) 2>/dev/null)

# ---- tests --------------------------------------------------------------------------
# The test build: sanitizers on, its own folder, so it never mixes with build/.
ASAN_BUILD := $(BUILD)/asan
ASAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
DET_VARIANTS := gcc-O0 gcc-O2 clang-O0 clang-O2

$(BUILD)/unit-tests: $(call objs,$(UNIT_SRC) $(SUPPORT_SRC)) $(BUILD)/libstreamlab.a
	$(CC) $(OPT) $(SAN) -o $@ $^ $(LIBS) $(shell pkg-config --libs $(TEST_PKGS))

$(BUILD)/cli-tests: $(call objs,$(CLI_SRC) $(SUPPORT_SRC))
	$(CC) $(OPT) $(SAN) -o $@ $^ $(LIBS) $(shell pkg-config --libs $(TEST_PKGS))

# viz-tests: the player's model and drawing in process (every viz/ object but
# main.c), plus streamlab-view as a user runs it (headless renders, a window under Xvfb).
$(BUILD)/viz-tests: $(call objs,$(VIZ_TEST_SRC) $(SUPPORT_SRC) $(filter-out viz/main.c,$(VIEW_SRC))) $(BUILD)/libstreamlab.a
	$(CC) $(OPT) $(SAN) -o $@ $^ $(LIBS) $(shell pkg-config --libs $(TEST_PKGS) $(VIEW_PKGS))

$(call objs,$(UNIT_SRC) $(CLI_SRC) $(SUPPORT_SRC) $(VIZ_TEST_SRC)): CFLAGS_ALL += $(shell pkg-config --cflags $(TEST_PKGS) 2>/dev/null)

# The same program built four ways, for the determinism tests.
det-builds:
	@for v in $(DET_VARIANTS); do \
	  cc=$${v%-*}; opt=-$${v#*-}; \
	  $(MAKE) --no-print-directory -s BUILD=$(BUILD)/det/$$v CC=$$cc OPT="$$opt" SAN= headless || exit 1; \
	done

test-build: ensure-test-deps
	$(MAKE) --no-print-directory BUILD=$(ASAN_BUILD) OPT="-O1 -g" SAN="$(ASAN_FLAGS)" \
	  $(ASAN_BUILD)/streamlab $(ASAN_BUILD)/unit-tests $(ASAN_BUILD)/cli-tests \
	  $(if $(HAVE_VIEW),$(ASAN_BUILD)/streamlab-view $(ASAN_BUILD)/viz-tests)
	$(MAKE) --no-print-directory det-builds

# Criterion prints its closing "Synthesis:" line per binary; the last line is the total.
# LeakSanitizer skips what fontconfig, pango, glib, SDL and X keep for the
# process's life (tests/viz/lsan.supp); leaks of our own code still fail.
test: test-build
	@tests/check-layers
	@$(if $(HAVE_VIEW),,echo "make test: viz-tests skipped: SDL2, cairo or pango not found (make deps)";)
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 \
	  LSAN_OPTIONS=suppressions=$(CURDIR)/tests/viz/lsan.supp:print_suppressions=0 \
	  STREAMLAB_BUILD=$(BUILD) tests/run-all $(ASAN_BUILD)/unit-tests $(ASAN_BUILD)/cli-tests \
	  $(if $(HAVE_VIEW),$(ASAN_BUILD)/viz-tests)

# ---- fuzz ---------------------------------------------------------------------------
# make fuzz: libFuzzer (clang) on the trace reader and the player's model, for
# FUZZ_SECONDS, from the trace fixtures as seeds. Not part of make test.
FUZZ_SECONDS ?= 60
FUZZ_BUILD := $(BUILD)/fuzz
FUZZ_SRC := tests/fuzz/fuzz_trace.c viz/model.c viz/model_eventtime.c viz/describe.c viz/findings.c

$(BUILD)/fuzz-trace: $(call objs,$(FUZZ_SRC)) $(BUILD)/libstreamlab.a
	$(CC) $(OPT) $(SAN) -fsanitize=fuzzer -o $@ $^ $(LIBS)

fuzz: ensure-test-deps
	$(MAKE) --no-print-directory BUILD=$(FUZZ_BUILD) CC=clang OPT="-O1 -g" \
	  SAN="-fsanitize=address,undefined -fsanitize=fuzzer-no-link" $(FUZZ_BUILD)/fuzz-trace
	@mkdir -p $(FUZZ_BUILD)/corpus && cp tests/viz/eventtime.jsonl tests/viz/windows.jsonl $(FUZZ_BUILD)/corpus/
	$(FUZZ_BUILD)/fuzz-trace -max_total_time=$(FUZZ_SECONDS) -max_len=65536 $(FUZZ_BUILD)/corpus

# ---- bench --------------------------------------------------------------------------
$(BUILD)/bench-queue: $(BUILD)/obj/tests/bench/bench_queue.o $(BUILD)/libstreamlab.a
	$(CC) $(OPT) -o $@ $^ $(LIBS)

$(BUILD)/bench-wordcount: $(BUILD)/obj/tests/bench/bench_wordcount.o $(BUILD)/libstreamlab.a
	$(CC) $(OPT) -o $@ $^ $(LIBS)

$(BUILD)/bench-windows: $(BUILD)/obj/tests/bench/bench_windows.o $(BUILD)/libstreamlab.a
	$(CC) $(OPT) -o $@ $^ $(LIBS)

$(BUILD)/bench-ss: $(BUILD)/obj/tests/bench/bench_ss.o $(BUILD)/libstreamlab.a
	$(CC) $(OPT) -o $@ $^ $(LIBS)

$(BUILD)/bench-view: $(BUILD)/obj/tests/bench/bench_view.o $(filter-out $(BUILD)/obj/viz/main.o,$(call objs,$(VIEW_SRC))) $(BUILD)/libstreamlab.a
	$(CC) $(OPT) -o $@ $^ $(LIBS) $(shell pkg-config --libs $(VIEW_PKGS))

$(BUILD)/obj/tests/bench/bench_view.o: CFLAGS_ALL += $(shell pkg-config --cflags $(VIEW_PKGS) 2>/dev/null)

# The bench scenarios run from build/bench/, beside a copy of their data
# (scenarios read data only from their own folder).
bench: ensure-deps $(BUILD)/bench-queue $(BUILD)/bench-wordcount $(BUILD)/bench-windows $(BUILD)/bench-ss $(BUILD)/streamlab
	$(BUILD)/bench-queue
	@tests/bench/scenario-load $(BUILD)/streamlab
	@mkdir -p $(BUILD)/bench && cp tests/bench/*.lua $(BUILD)/bench/ && cp scenarios/data/fortunes/fortunes $(BUILD)/bench/
	$(BUILD)/bench-wordcount $(BUILD)/bench
	$(BUILD)/bench-windows $(BUILD)/bench
	$(BUILD)/bench-ss $(BUILD)/bench
	@tests/bench/check-cost $(BUILD)/streamlab
ifeq ($(HAVE_VIEW),yes)
	@$(MAKE) --no-print-directory $(BUILD)/bench-view
	@$(BUILD)/streamlab run $(BUILD)/bench/hour.lua --quiet --trace $(BUILD)/bench/hour.jsonl >/dev/null
	$(BUILD)/bench-view $(MAIN_SCENARIO) $(BUILD)/bench/hour.jsonl
endif

# ---- run ----------------------------------------------------------------------------
# The main job; its key frames (time:name) when there is no display to open
# the visualiser in: before the worker crash, the crash, the HTTP 500 burst,
# the driver crash, the recovery, the end.
MAIN_SCENARIO := scenarios/main.lua
MAIN_FRAMES := 61s:1-before-crash 62100ms:2-worker-crash 107s:3-http-500-alert 130100ms:4-driver-crash \
               136500ms:5-recovery 185s:6-end

run: ensure-deps
	@$(MAKE) --no-print-directory all
	@tools/run-main $(BUILD) $(MAIN_SCENARIO) "$(MAIN_FRAMES)"

# ---- labs ---------------------------------------------------------------------------
labs: ensure-deps
	@$(MAKE) --no-print-directory all
	@tools/render-figures $(BUILD)

frames: ensure-deps
	@$(MAKE) --no-print-directory all
	@tools/render-figures $(BUILD) scenarios

# ---- dependencies -------------------------------------------------------------------
deps:
	@missing=""; for p in $(DEBIAN_PKGS); do \
	  dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -z "$$missing" ]; then echo "make deps: every package is installed"; exit 0; fi; \
	echo "make deps: installing$$missing"; \
	if [ "$$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi; \
	$$sudo apt-get update -qq && \
	DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends $$missing

ensure-deps:
	@command -v pkg-config >/dev/null 2>&1 && pkg-config --exists $(PKGS) || $(MAKE) --no-print-directory deps

ensure-test-deps:
	@command -v pkg-config >/dev/null 2>&1 && command -v clang >/dev/null 2>&1 && \
	  command -v sqlite3 >/dev/null 2>&1 && command -v jq >/dev/null 2>&1 && \
	  pkg-config --exists $(PKGS) $(TEST_PKGS) || $(MAKE) --no-print-directory deps

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
