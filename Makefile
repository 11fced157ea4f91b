# kgmap - build, tests and tools.  Plain make, pkg-config for every library.
#
#   make            build build/kgmap
#   make check      every test layer (unit, cases, CLI, conformance, ...)
#   make graph      the diplomacy knowledge graph of the seed articles
#   make asan       the test suite under AddressSanitizer + UBSan
#   make valgrind   the tests (unit, cases, CLI, bad input, injection) under valgrind
#   make fuzz       every libFuzzer target for FUZZ_TIME seconds (clang)

PKGS     := raptor2 yaml-0.1 zlib libcurl
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

.PHONY: all test check unit cases cli daily targets parallel slurm bad injection kill \
        conformance data graph graph-check viz-check store asan ubsan valgrind clean \
        format bench bench-quick fuzz deps install
all: $(BUILD)/kgmap $(TOOL_BIN) $(BUILD)/bench/gen

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
check: unit cases cli daily targets parallel slurm bad injection kill conformance data \
       graph-check viz-check store fuzz-regress

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

# Day-to-day use: progress line, -v summary, man page, make install, bash
# completion.
.PHONY: daily
daily: $(BUILD)/kgmap
	@KGMAP=$(BUILD)/kgmap bash tests/run-daily.sh

# YARRRML local file targets (tests/targets/), each run in a copy.
targets: $(BUILD)/kgmap $(TOOL_BIN)
	@KGMAP=$(BUILD)/kgmap TOOLS=$(BUILD)/tools bash tests/run-targets.sh

# -j and --shard: byte-identical output, shards concatenate to one run.
parallel: $(BUILD)/kgmap $(BUILD)/bench/gen $(TOOL_BIN)
	@KGMAP=$(BUILD)/kgmap GEN=$(BUILD)/bench/gen TOOLS=$(BUILD)/tools \
	    bash tests/run-parallel.sh

# Sharded runs: GNU parallel, and a single-node Slurm cluster started and
# stopped by the test (tests/slurm/run.sh).
slurm: $(BUILD)/kgmap $(BUILD)/bench/gen $(TOOL_BIN)
	@KGMAP=$(BUILD)/kgmap GEN=$(BUILD)/bench/gen TOOLS=$(BUILD)/tools \
	    bash tests/slurm/run.sh

# Hostile and broken input (tests/bad/): exact errors, exit codes, no
# output left behind, bounded memory and time.
bad: $(BUILD)/kgmap
	@SANITIZED=$(if $(SANFLAGS),1,) KGMAP=$(BUILD)/kgmap bash tests/run-bad.sh

# No injection: 3000 seeded random hostile strings into literals and IRI
# templates, in every format, parsed back strictly (Oxigraph, serdi).
INJECTION_N ?= 3000
injection: $(BUILD)/kgmap node_modules/.package-lock.json
	@KGMAP=$(BUILD)/kgmap node tests/injection/roundtrip.mjs $(INJECTION_N)

# Nothing lost: SIGTERM, SIGINT, SIGHUP and SIGKILL during a long run with
# -o never leave a partial file at the -o path.
kill: $(BUILD)/kgmap
	@KGMAP=$(BUILD)/kgmap bash tests/run-kill.sh

# The RML-Core suite, then YARRRML parity: the hand-written YARRRML version
# of every case YARRRML can express must give the same result.
conformance: $(BUILD)/kgmap $(TOOL_BIN)
	@KGMAP=$(abspath $(BUILD)/kgmap) TOOLS=$(abspath $(BUILD)/tools) \
	    bash tests/conformance/run.sh $(CONFORMANCE_DIR)
	@KGMAP=$(abspath $(BUILD)/kgmap) TOOLS=$(abspath $(BUILD)/tools) \
	    bash tests/conformance/parity.sh $(CONFORMANCE_DIR)

# docs/conformance.md: the conformance results as a table of every case,
# then the YARRRML parity summary and its table.
.PHONY: conformance-doc
conformance-doc: $(BUILD)/kgmap $(TOOL_BIN)
	@KGMAP=$(abspath $(BUILD)/kgmap) TOOLS=$(abspath $(BUILD)/tools) \
	    bash tests/conformance/run.sh --markdown docs/conformance.md \
	    $(CONFORMANCE_DIR) | tail -1
	@KGMAP=$(abspath $(BUILD)/kgmap) TOOLS=$(abspath $(BUILD)/tools) \
	    bash tests/conformance/parity.sh --markdown docs/conformance.md \
	    $(CONFORMANCE_DIR) | tail -1

# The diplomacy knowledge graph of the seed articles (mappings/diplomacy/
# README.md).  The article mappings read the stream out/articles.yml, one
# `---` document per data/articles/*.yml, and put each article's facts in
# its own named graph: out/diplomacy.trig keeps them, out/diplomacy.ttl
# merges them into the default graph (--merge-graphs).
DIPLO_MAPS    := $(wildcard mappings/diplomacy/*.yml)
DIPLO_ARTICLES := $(sort $(wildcard data/articles/*.yml))

graph: deps
	$(MAKE) out/diplomacy.ttl out/diplomacy.trig out/diplomacy.cyjs out/diplomacy.png

# The graph's tests: strict parsing, writers, SHACL, competency questions.
graph-check: out/diplomacy.ttl out/diplomacy.trig $(BUILD)/kgmap $(TOOL_BIN) \
             node_modules/.package-lock.json
	@KGMAP=$(BUILD)/kgmap TOOLS=$(BUILD)/tools bash tests/graph/run.sh

# The visual formats read by Graphviz, networkx and JSON.parse
# (tests/viz/run.sh).
# The actor network page (viz/) is loaded in headless Chromium; its
# screenshot goes to out/diplomacy-viz.png (make screenshot: to docs/).
viz-check: $(BUILD)/kgmap node_modules/.package-lock.json out/diplomacy.cyjs
	@KGMAP=$(BUILD)/kgmap VIZ_DATA=out/diplomacy.cyjs bash tests/viz/run.sh

.PHONY: screenshot
screenshot: $(BUILD)/kgmap node_modules/.package-lock.json out/diplomacy.cyjs
	@KGMAP=$(BUILD)/kgmap VIZ_DATA=out/diplomacy.cyjs SHOT=docs/diplomacy-viz.png \
	    bash tests/viz/run.sh
# The graph in a real SPARQL store: Virtuoso on a free loopback port in a
# temporary directory, loaded over the Graph Store Protocol, every query.
store: out/diplomacy.ttl out/diplomacy.trig $(BUILD)/kgmap $(TOOL_BIN) \
       node_modules/.package-lock.json
	@KGMAP=$(BUILD)/kgmap TOOLS=$(BUILD)/tools bash tests/store/run.sh

out/articles.yml: $(DIPLO_ARTICLES)
	@mkdir -p $(@D)
	for f in $(DIPLO_ARTICLES); do echo '---'; cat "$$f"; echo; done > $@.tmp
	mv $@.tmp $@

out/diplomacy.ttl: $(BUILD)/kgmap out/articles.yml data/registry.yml $(DIPLO_MAPS)
	$(BUILD)/kgmap --merge-graphs -o $@ $(DIPLO_MAPS)

out/diplomacy.trig: $(BUILD)/kgmap out/articles.yml data/registry.yml $(DIPLO_MAPS)
	$(BUILD)/kgmap -o $@ $(DIPLO_MAPS)

# The drawings: the whole graph as Cytoscape.js elements for viz/index.html,
# and the actor network (scripts/network.gvpr) drawn by Graphviz.
out/diplomacy.cyjs out/diplomacy.dot: $(BUILD)/kgmap out/articles.yml data/registry.yml $(DIPLO_MAPS)
	$(BUILD)/kgmap -o $@ $(DIPLO_MAPS)

out/diplomacy.png: out/diplomacy.dot scripts/network.gvpr
	gvpr -c -f scripts/network.gvpr $< | neato -Goverlap=prism -Gsplines=true \
	    -Gsep=+4 -Gsize=24,16 -Gdpi=96 -Tpng -o $@

# The benchmark: the diplomacy mapping over generated extraction documents
# (bench/gen.c) from 10^4 to 10^6 documents, -j, rapper, callgrind; writes
# bench/results.md (minutes: not part of make check).  BENCH_SIZES="1000
# 10000" for a shorter run.  bench-quick: the people mapping, seconds.
BENCH_N ?= 150000
bench: $(BUILD)/kgmap $(BUILD)/bench/gen
	nice bash bench/run.sh $(BUILD)/kgmap $(BUILD)/bench/gen bench/results.md

bench-quick: $(BUILD)/kgmap
	bash bench/quick.sh $(BENCH_N) $(BUILD)/kgmap | tee bench/results-quick.txt

$(BUILD)/bench/gen: bench/gen.c | $(BUILD)/bench
	$(CC) $(ALL_CFLAGS) $< -o $@

$(BUILD)/bench:
	mkdir -p $@

# Under the sanitizers: every layer that runs kgmap or the library, and
# the diplomacy graph made by the sanitized kgmap.  The layers that only
# read that graph again with other programs (extraction schema, SHACL,
# Oxigraph and Virtuoso queries, Graphviz, the browser) and the Slurm
# cluster add nothing under ASan, and are left to `make check`.
SAN_CHECK := unit cases cli daily targets parallel bad injection kill \
             conformance fuzz-regress san-graph
.PHONY: san-graph
san-graph: $(BUILD)/kgmap out/articles.yml
	$(BUILD)/kgmap --merge-graphs -o out/diplomacy.ttl $(DIPLO_MAPS)
	$(BUILD)/kgmap -o out/diplomacy.trig $(DIPLO_MAPS)
	$(BUILD)/kgmap -o out/diplomacy.cyjs $(DIPLO_MAPS)

asan:
	$(MAKE) BUILD=build-asan OPT="-O1 -g" \
	    SANFLAGS="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -DKG_CHECK_CLEAN" \
	    $(SAN_CHECK)

ubsan:
	$(MAKE) BUILD=build-ubsan OPT="-O1 -g" \
	    SANFLAGS="-fsanitize=undefined -fno-sanitize-recover=all -DKG_CHECK_CLEAN" $(SAN_CHECK)

# The unit tests, cases, CLI, hostile-input and injection tests with kgmap
# under valgrind (a leak or memory error is exit 99, which fails the check).
# The tests/bad cases with generated input (big, deep, bombs) are skipped
# and the kill test, which is about timing, is not run.  The suites are
# independent targets: `make -j2 valgrind` runs two at a time (CI does).
VALGRIND_CMD = valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=99
VG_KGMAP = $(BUILD)/kgmap-valgrind
.PHONY: valgrind-unit valgrind-cases valgrind-cli valgrind-bad valgrind-injection
valgrind: valgrind-unit valgrind-cases valgrind-cli valgrind-bad valgrind-injection

$(VG_KGMAP): $(BUILD)/kgmap
	@printf '#!/bin/sh\nexec %s %s "$$@"\n' "$(VALGRIND_CMD)" "$(abspath $(BUILD)/kgmap)" >$@
	@chmod +x $@

valgrind-unit: $(UNIT_BIN)
	@VALGRIND=1 bash tests/run-unit.sh $(UNIT_BIN)
valgrind-cases: $(VG_KGMAP) $(TOOL_BIN)
	@KGMAP=$(VG_KGMAP) TOOLS=$(BUILD)/tools bash tests/run-cases.sh
valgrind-cli: $(VG_KGMAP)
	@KGMAP=$(VG_KGMAP) bash tests/run-cli.sh
valgrind-bad: $(VG_KGMAP)
	@VALGRIND=1 KGMAP=$(VG_KGMAP) bash tests/run-bad.sh
valgrind-injection: $(VG_KGMAP) node_modules/.package-lock.json
	@KGMAP=$(VG_KGMAP) node tests/injection/roundtrip.mjs 300

# libFuzzer targets, one per parser plus the whole pipeline (tests/fuzz/
# README.md).  Built by clang with ASan + UBSan in build-fuzz/, against the
# library sources; `make fuzz` seeds the corpora from the tests and runs
# each target for FUZZ_TIME seconds.
FUZZ_CC      ?= clang
FUZZ_BUILD   ?= build-fuzz
FUZZ_TIME    ?= 60
FUZZ_TARGETS := doc jsonpath template yarrrml rml pipeline
# KG_CHECK_CLEAN: the writer checks the IRIs the evaluator marks clean.
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=all \
                -fno-omit-frame-pointer -DKG_CHECK_CLEAN
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

# make install [PREFIX=/usr/local] [DESTDIR=]: the program, its man page
# and its bash completion.
PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
MAN1DIR ?= $(PREFIX)/share/man/man1
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
install: $(BUILD)/kgmap
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MAN1DIR) $(DESTDIR)$(BASHCOMPDIR)
	install -m 755 $(BUILD)/kgmap $(DESTDIR)$(BINDIR)/kgmap
	install -m 644 docs/kgmap.1 $(DESTDIR)$(MAN1DIR)/kgmap.1
	install -m 644 completions/kgmap.bash $(DESTDIR)$(BASHCOMPDIR)/kgmap

.PHONY: uninstall
uninstall:
	rm -f $(DESTDIR)$(BINDIR)/kgmap $(DESTDIR)$(MAN1DIR)/kgmap.1 \
	    $(DESTDIR)$(BASHCOMPDIR)/kgmap

clean:
	rm -rf build build-asan build-ubsan build-fuzz out
