# kgmap - build, tests and tools.  Plain make, pkg-config for every library.
#
#   make            build build/kgmap
#   make check      every test layer (unit, cases, CLI, conformance, ...)
#   make graph      the diplomacy knowledge graph of the seed articles
#   make asan       the test suite under AddressSanitizer + UBSan
#   make valgrind   the unit tests and cases under valgrind
#   make fuzz       every libFuzzer target for FUZZ_TIME seconds (clang)

PKGS     := raptor2 yaml-0.1
CC       ?= cc
BUILD    ?= build
WERROR   ?= $(if $(CI),-Werror,)
OPT      ?= -O2 -g
WARN     := -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion \
            -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 -Wundef \
            -Wno-unused-parameter
CFLAGS   ?=
CPPFLAGS += -D_POSIX_C_SOURCE=200809L -Isrc
ALL_CFLAGS = -std=c11 $(OPT) $(WARN) $(WERROR) $(SANFLAGS) $(CFLAGS) \
             $(shell pkg-config --cflags $(PKGS))
LDLIBS   += $(shell pkg-config --libs $(PKGS)) -lm
TEST_LIBS = $(shell pkg-config --libs cmocka)
SHARED   ?= ../shared
CONFORMANCE_DIR ?= $(SHARED)/conformance/rml-core
SEEDS_DIR ?= $(SHARED)/seeds

LIB_SRC  := $(filter-out src/main.c,$(wildcard src/*.c))
LIB_OBJ  := $(LIB_SRC:src/%.c=$(BUILD)/obj/%.o)
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
TOOL_SRC := $(wildcard tests/tools/*.c)
TOOL_BIN := $(TOOL_SRC:tests/tools/%.c=$(BUILD)/tools/%)

.PHONY: all test check unit cases cli conformance data graph graph-check asan ubsan valgrind \
        clean format bench fuzz fuzz-build fuzz-regress deps install
all: $(BUILD)/kgmap $(TOOL_BIN)

$(BUILD)/obj/%.o: src/%.c $(wildcard src/*.h) | $(BUILD)/obj
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/libkgmap.a: $(LIB_OBJ)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/kgmap: $(BUILD)/obj/main.o $(BUILD)/libkgmap.a
	$(CC) $(ALL_CFLAGS) $^ $(LDLIBS) -o $@

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libkgmap.a tests/unit/testutil.h | $(BUILD)/tests
	$(CC) $(CPPFLAGS) -Itests/unit $(ALL_CFLAGS) -Wno-missing-prototypes \
	    $< $(BUILD)/libkgmap.a $(TEST_LIBS) $(LDLIBS) -o $@

$(BUILD)/tools/%: tests/tools/%.c $(BUILD)/libkgmap.a | $(BUILD)/tools
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) $< $(BUILD)/libkgmap.a $(LDLIBS) -o $@

$(BUILD)/obj $(BUILD)/tests $(BUILD)/tools:
	mkdir -p $@

# The README's test command: install what is needed, then every layer.
test: deps
	$(MAKE) check

# Every test layer.  Each script prints its own "N passed, M failed" line.
check: unit cases cli conformance data graph-check fuzz-regress

# The test-only npm tools, pinned by package-lock.json.
node_modules/.package-lock.json: package-lock.json
	npm ci --no-audit --no-fund

# The extraction files: JSON Schema, references, and every mention span
# against the seed texts.
data: node_modules/.package-lock.json
	@SEEDS_DIR=$(SEEDS_DIR) node tests/data/check-extraction.mjs

unit: $(UNIT_BIN)
	@bash tests/run-unit.sh $(UNIT_BIN)

cases: $(BUILD)/kgmap $(TOOL_BIN)
	@KGMAP=$(BUILD)/kgmap TOOLS=$(BUILD)/tools bash tests/run-cases.sh

cli: $(BUILD)/kgmap
	@KGMAP=$(BUILD)/kgmap bash tests/run-cli.sh

conformance: $(BUILD)/kgmap $(TOOL_BIN)
	@KGMAP=$(abspath $(BUILD)/kgmap) TOOLS=$(abspath $(BUILD)/tools) \
	    bash tests/conformance/run.sh $(CONFORMANCE_DIR)

# docs/conformance.md: the conformance results as a table of every case.
.PHONY: conformance-doc
conformance-doc: $(BUILD)/kgmap $(TOOL_BIN)
	@KGMAP=$(abspath $(BUILD)/kgmap) TOOLS=$(abspath $(BUILD)/tools) \
	    bash tests/conformance/run.sh --markdown docs/conformance.md \
	    $(CONFORMANCE_DIR) | tail -1

# The diplomacy knowledge graph of the seed articles (mappings/diplomacy/
# README.md).  The article mappings read the stream out/articles.yml, one
# `---` document per data/articles/*.yml, and put each article's facts in
# its own named graph: out/diplomacy.trig keeps them, out/diplomacy.ttl
# merges them into the default graph (--merge-graphs).
DIPLO_MAPS    := $(wildcard mappings/diplomacy/*.yml)
DIPLO_ARTICLES := $(sort $(wildcard data/articles/*.yml))

graph: deps
	$(MAKE) out/diplomacy.ttl out/diplomacy.trig

# The graph's tests: strict parsing, writers, SHACL, competency questions.
graph-check: out/diplomacy.ttl out/diplomacy.trig $(BUILD)/kgmap $(TOOL_BIN) \
             node_modules/.package-lock.json
	@KGMAP=$(BUILD)/kgmap TOOLS=$(BUILD)/tools bash tests/graph/run.sh

out/articles.yml: $(DIPLO_ARTICLES)
	@mkdir -p $(@D)
	for f in $(DIPLO_ARTICLES); do echo '---'; cat "$$f"; echo; done > $@.tmp
	mv $@.tmp $@

out/diplomacy.ttl: $(BUILD)/kgmap out/articles.yml data/registry.yml $(DIPLO_MAPS)
	$(BUILD)/kgmap --merge-graphs -o $@ $(DIPLO_MAPS)

out/diplomacy.trig: $(BUILD)/kgmap out/articles.yml data/registry.yml $(DIPLO_MAPS)
	$(BUILD)/kgmap -o $@ $(DIPLO_MAPS)

# Throughput and peak memory on generated input (BENCH_N records, 10
# statements each); the figures go to bench/results-quick.txt.
BENCH_N ?= 150000
bench: $(BUILD)/kgmap
	bash bench/quick.sh $(BENCH_N) $(BUILD)/kgmap | tee bench/results-quick.txt

asan:
	$(MAKE) BUILD=build-asan OPT="-O1 -g" \
	    SANFLAGS="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
	    check

ubsan:
	$(MAKE) BUILD=build-ubsan OPT="-O1 -g" \
	    SANFLAGS="-fsanitize=undefined -fno-sanitize-recover=all" check

valgrind: $(UNIT_BIN) $(BUILD)/kgmap
	@VALGRIND=1 bash tests/run-unit.sh $(UNIT_BIN)
	@KGMAP="valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=99 $(BUILD)/kgmap" \
	    TOOLS=$(BUILD)/tools bash tests/run-cases.sh

# libFuzzer targets, one per parser plus the whole pipeline (tests/fuzz/
# README.md).  Built by clang with ASan + UBSan in build-fuzz/, against the
# library sources; `make fuzz` seeds the corpora from the tests and runs
# each target for FUZZ_TIME seconds.
FUZZ_CC      ?= clang
FUZZ_BUILD   ?= build-fuzz
FUZZ_TIME    ?= 60
FUZZ_TARGETS := doc jsonpath template yarrrml rml pipeline
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=all \
                -fno-omit-frame-pointer
# serd (the strict reader of the pipeline target's output) as a system
# header: its nullability annotations are a clang extension -Wpedantic flags.
SERD_CFLAGS   = $(patsubst -I%,-isystem %,$(shell pkg-config --cflags serd-0))
FUZZ_CFLAGS   = -std=c11 -O1 -g $(WARN) $(WERROR) $(FUZZ_SAN) \
                $(shell pkg-config --cflags $(PKGS)) $(SERD_CFLAGS)
FUZZ_LIBS     = $(shell pkg-config --libs serd-0) $(LDLIBS)
FUZZ_LIB_OBJ := $(LIB_SRC:src/%.c=$(FUZZ_BUILD)/obj/%.o)
FUZZ_BIN     := $(FUZZ_TARGETS:%=$(FUZZ_BUILD)/fuzz_%)
FUZZ_HDR     := tests/fuzz/fuzz.h $(wildcard src/*.h)

$(FUZZ_BUILD)/obj/%.o: src/%.c $(wildcard src/*.h) | $(FUZZ_BUILD)/obj
	$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

$(FUZZ_BUILD)/libkgmap.a: $(FUZZ_LIB_OBJ)
	rm -f $@ && ar rcs $@ $^

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_HDR) $(FUZZ_BUILD)/libkgmap.a
	$(FUZZ_CC) $(CPPFLAGS) -Itests/fuzz $(FUZZ_CFLAGS) -fsanitize=fuzzer \
	    $< $(FUZZ_BUILD)/libkgmap.a $(FUZZ_LIBS) -o $@

$(FUZZ_BUILD)/obj:
	mkdir -p $@

fuzz-build: $(FUZZ_BIN)

fuzz: fuzz-build
	@FUZZ_TIME=$(FUZZ_TIME) SHARED=$(SHARED) \
	    bash tests/fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_TARGETS)

# The inputs the fuzzers found, replayed by the normal build (so `make
# asan` replays them under the sanitizers too): tests/fuzz/replay.c is a
# main() that feeds each file to a target's LLVMFuzzerTestOneInput.
REPLAY_BIN := $(FUZZ_TARGETS:%=$(BUILD)/fuzz/replay_%)

$(BUILD)/fuzz/replay_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c $(FUZZ_HDR) \
                        $(BUILD)/libkgmap.a | $(BUILD)/fuzz
	$(CC) $(CPPFLAGS) -Itests/fuzz $(ALL_CFLAGS) \
	    $(SERD_CFLAGS) $< tests/fuzz/replay.c \
	    $(BUILD)/libkgmap.a $(FUZZ_LIBS) -o $@

$(BUILD)/fuzz:
	mkdir -p $@

fuzz-regress: $(REPLAY_BIN)
	@bash tests/fuzz/regress.sh $(BUILD)/fuzz $(FUZZ_TARGETS)

format:
	clang-format -i src/*.c src/*.h tests/unit/*.c tests/unit/*.h \
	    tests/fuzz/*.c tests/fuzz/*.h

deps:
	bash scripts/install-deps.sh

clean:
	rm -rf build build-asan build-ubsan build-fuzz out
