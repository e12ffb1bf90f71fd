# rnnkit - Unix filters for recurrent neural networks.
# make            build the library and every tool into bin/
# make demo       install missing packages, build, run the demo pipeline
# make check      install missing packages, build, run every test, then
#                 again under AddressSanitizer + UndefinedBehaviorSanitizer
# make fuzz SECONDS=N  run each libFuzzer target N s (default 60; clang)
# make replay     run the fuzz targets over their corpora (no clang)
# make bench      speed against PyTorch / numpy on this machine
# make bench-forecast  forecast accuracy against simple forecasts and
#                 statsmodels ETS / ARIMA (needs python3-statsmodels)
# make install PREFIX=/usr/local DESTDIR=
# make MPI=1      the tools built by mpicc with MPI (lib/nets/dist.h), into
#                 build/mpi/bin: rnn-train then trains under mpirun

# MPI=1: mpicc and -DRK_MPI, in a build of its own (objects differ)
ifeq ($(MPI),1)
CC      = mpicc
BUILD  ?= build/mpi
BIN    ?= build/mpi/bin
MPIDEF  = -DRK_MPI
endif

PREFIX  ?= /usr/local
DESTDIR ?=
CC      ?= cc
OPT     ?= -O2
CFLAGS  ?=
BUILD   ?= build
BIN     ?= bin

# lib/ by subsystem: core (threads, rng, gemm, CLI helpers), io (CSV,
# streams, time columns), nets (the RNNs and their training), memories
# (Hopfield, BAM), forecast (series, transforms, intervals, state)
LIBDIRS = core io nets memories forecast
CPPFLAGS_ALL = -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE $(LIBDIRS:%=-Ilib/%) $(MPIDEF) $(CPPFLAGS)
CFLAGS_ALL   = -std=c11 -Wall -Wextra -Werror $(OPT) $(KERNEL) -pthread $(CFLAGS)
LDLIBS_ALL   = -lcsv -lz -lm -pthread $(LDLIBS)

TOOLS = hop-store hop-recall bam-pair rnn-train rnn-predict grad-check
LIBSRC = $(foreach d,$(LIBDIRS),$(wildcard lib/$(d)/*.c))
HDR    = $(foreach d,$(LIBDIRS),$(wildcard lib/$(d)/*.h))
PUBHDR = $(filter-out lib/%_internal.h,$(HDR))
LIBOBJ   = $(LIBSRC:lib/%.c=$(BUILD)/f32/%.o)
LIBOBJ64 = $(LIBSRC:lib/%.c=$(BUILD)/f64/%.o)
LIB      = $(BUILD)/librnnkit.a
LIB64    = $(BUILD)/librnnkit-f64.a
BINS     = $(patsubst cmd/%.c,$(BIN)/%,$(wildcard cmd/*.c))
MAN1     = $(wildcard man/man1/*.1)
MAN5     = $(wildcard man/man5/*.5)
MAN7     = $(wildcard man/man7/*.7)
SAN      = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

all: $(BINS) $(LIB)

# The activation loops of the nets clamp and select: gcc if-converts and
# vectorizes them for AVX2 and SSE only with -fno-trapping-math (for
# AVX-512 it does anyway). Nothing here reads floating-point exception
# flags, so no result changes; NaN and Inf behave as before.
$(BUILD)/f32/nets/rnn_%.o $(BUILD)/f64/nets/rnn_%.o: KERNEL = -fno-trapping-math

$(BUILD)/f32/%.o: lib/%.c $(HDR)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_ALL) $(CFLAGS_ALL) -c -o $@ $<

$(BUILD)/f64/%.o: lib/%.c $(HDR)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_ALL) -DRK_REAL_DOUBLE $(CFLAGS_ALL) -c -o $@ $<

$(LIB): $(LIBOBJ)
	rm -f $@
	ar rc $@ $(LIBOBJ)
	ranlib $@

$(LIB64): $(LIBOBJ64)
	rm -f $@
	ar rc $@ $(LIBOBJ64)
	ranlib $@

# grad-check computes in double: it links the double build of the library
$(BIN)/grad-check: cmd/grad-check.c $(LIB64) $(HDR)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_ALL) -DRK_REAL_DOUBLE $(CFLAGS_ALL) -o $@ $< $(LIB64) $(LDFLAGS) $(LDLIBS_ALL)

$(BIN)/%: cmd/%.c $(LIB) $(HDR)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_ALL) $(CFLAGS_ALL) -o $@ $< $(LIB) $(LDFLAGS) $(LDLIBS_ALL)

# C unit tests of the numeric core
UNIT = $(patsubst tests/unit/%.c,$(BUILD)/unit/%,$(wildcard tests/unit/test_*.c))
$(BUILD)/unit/%: tests/unit/%.c $(LIB) $(LIB64) $(HDR)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_ALL) $(CFLAGS_ALL) -o $@ $< $(LIB) $(LDFLAGS) $(LDLIBS_ALL)
	$(CC) $(CPPFLAGS_ALL) -DRK_REAL_DOUBLE $(CFLAGS_ALL) -o $@-f64 $< $(LIB64) $(LDFLAGS) $(LDLIBS_ALL)

deps:
	@scripts/deps.sh

# Fuzz targets (tests/fuzz/README): csv, the weight-stream reader of each
# kind (hop, bam, rnn: fuzz_wstream.c three times), rnn-predict's state
# files and input detection.
# `make replay` runs each over its corpus with replay.c, a child process
# per file; `make check` does so in the sanitized build.
FUZZ = csv hop bam rnn state detect
fuzz_src = $(if $(filter hop bam rnn,$1),tests/fuzz/fuzz_wstream.c,tests/fuzz/fuzz_$1.c)
fuzz_kind = $(if $(filter hop,$1),-DFUZZ_KIND=0)$(if $(filter bam,$1),-DFUZZ_KIND=1)$(if $(filter rnn,$1),-DFUZZ_KIND=2)
FUZZDEP = $(wildcard tests/fuzz/*.c tests/fuzz/*.h)
REPLAY = $(FUZZ:%=$(BUILD)/fuzz/replay-%)

$(BUILD)/fuzz/replay-%: $(FUZZDEP) $(LIB) $(HDR)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_ALL) $(call fuzz_kind,$*) $(CFLAGS_ALL) -o $@ tests/fuzz/replay.c $(call fuzz_src,$*) $(LIB) $(LDFLAGS) $(LDLIBS_ALL)

replay: $(REPLAY)
	@set -e; for t in $(FUZZ); do \
	    printf '%s: ' $$t; $(BUILD)/fuzz/replay-$$t tests/fuzz/corpus/$$t/*; done

# libFuzzer: the library built by clang with coverage and the sanitizers
# (in build/fuzz), each target run SECONDS seconds; new inputs go to
# build/fuzz/corpus-T, the corpus in the tree seeds it
SECONDS ?= 60
FUZZ_CC ?= clang
FUZZ_SAN = -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_OPTS ?= -rss_limit_mb=512 -timeout=5 -close_fd_mask=2

$(BUILD)/fuzz-%: $(FUZZDEP) $(LIB) $(HDR)
	$(CC) $(CPPFLAGS_ALL) $(call fuzz_kind,$*) $(CFLAGS_ALL) -fsanitize=fuzzer -o $@ $(call fuzz_src,$*) $(LIB) $(LDFLAGS) $(LDLIBS_ALL)

fuzz-bins: $(FUZZ:%=$(BUILD)/fuzz-%)

fuzz:
	$(MAKE) CC=$(FUZZ_CC) BUILD=build/fuzz BIN=build/fuzz/bin OPT="-O1 -g" CFLAGS="$(FUZZ_SAN)" LDFLAGS="$(FUZZ_SAN)" fuzz-bins
	@set -e; for t in $(FUZZ); do mkdir -p build/fuzz/corpus-$$t; \
	    echo "== fuzz-$$t, $(SECONDS) s =="; \
	    build/fuzz/fuzz-$$t -max_total_time=$(SECONDS) $(FUZZ_OPTS) \
	        build/fuzz/corpus-$$t tests/fuzz/corpus/$$t; done

# test_rnn at every kernel level this CPU has (RNNKIT_CPU caps the level:
# cpu.h); the others at the best level only (avx512 caps nothing).
# UNIT_GEMM_ONLY=1 (the sanitized build of make check): below the best
# level, test_rnn runs its kernel tests only (test_rnn --gemm), as only
# the kernels differ between levels
UNIT_GEMM_ONLY ?=
unit: $(UNIT)
	@set -e; for t in $(UNIT); do levels=avx512; \
	    case $$t in */test_rnn) levels="baseline avx2 avx512";; esac; \
	    for cpu in $$levels; do arg=; \
	    if [ -n "$(UNIT_GEMM_ONLY)" ] && [ $$cpu != avx512 ]; then arg=--gemm; fi; \
	    echo "unit: $$t $$arg, RNNKIT_CPU=$$cpu"; \
	    RNNKIT_CPU=$$cpu $$t $$arg; RNNKIT_CPU=$$cpu $$t-f64 $$arg; done; done

manlint:
	@scripts/manlint.sh $(MAN1) $(MAN5) $(MAN7)

# bats runs two test files at once (-j, through GNU parallel, which make
# deps installs), the tests of a file one after another: bats 1.8 also
# runs a file's tests in parallel by default, through a semaphore that
# polls with sleep, and that took the plain tests from 128 s serial to
# 237 s with -j 2 (66 s without it); each test has a directory of its own
BATSJ = $(shell command -v parallel >/dev/null 2>&1 && echo -j 2 --no-parallelize-within-files)

bats: all mpi-bin
	RNNKIT_MPI_BIN=$(MPIBIN) RNNKIT_BIN=$(abspath $(BIN)) bats $(BATSJ) tests

# With mpicc, rnn-train built with MPI too, for tests/mpi.bats, in a few
# seconds: only dist.c differs with RK_MPI, so the plain archive serves
# (the dist.o given first keeps the archive's stub out).
MPIBIN = $(abspath $(BUILD)/mpicheck)
$(BUILD)/mpicheck/dist.o: lib/nets/dist.c $(HDR)
	@mkdir -p $(@D)
	mpicc $(CPPFLAGS_ALL) -DRK_MPI $(CFLAGS_ALL) -c -o $@ lib/nets/dist.c
$(BUILD)/mpicheck/rnn-train: cmd/rnn-train.c $(BUILD)/mpicheck/dist.o $(LIB) $(HDR)
	mpicc $(CPPFLAGS_ALL) $(CFLAGS_ALL) -o $@ $< $(BUILD)/mpicheck/dist.o $(LIB) $(LDFLAGS) $(LDLIBS_ALL)
mpi-bin:
	@if command -v mpicc >/dev/null; then \
	    $(MAKE) $(BUILD)/mpicheck/rnn-train; \
	else echo "no mpicc: the MPI tests will be skipped"; fi

check: deps
	$(MAKE) -j2 all
	$(MAKE) mpi-bin
	$(MAKE) unit
	$(MAKE) manlint
	RNNKIT_MPI_BIN=$(MPIBIN) RNNKIT_BIN=$(abspath $(BIN)) bats $(BATSJ) tests
	@echo "== again under AddressSanitizer + UndefinedBehaviorSanitizer =="
	$(MAKE) -j2 BUILD=build/san BIN=build/san/bin OPT="-O1 -g" CFLAGS="$(SAN)" LDFLAGS="$(SAN)" all
	$(MAKE) BUILD=build/san BIN=build/san/bin OPT="-O1 -g" CFLAGS="$(SAN)" LDFLAGS="$(SAN)" UNIT_GEMM_ONLY=1 unit
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
	    RNNKIT_SANITIZED=1 RNNKIT_BIN=$(abspath build/san/bin) bats $(BATSJ) tests
	@echo "== the fuzz corpora, replayed under the sanitizers =="
	@# no leak check: a target leaves by longjmp what a tool frees by exiting
	ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
	    $(MAKE) BUILD=build/san BIN=build/san/bin OPT="-O1 -g" CFLAGS="$(SAN)" LDFLAGS="$(SAN)" replay
	@echo "make check: all tests passed (plain and sanitized builds)"

demo: deps all
	@scripts/demo.sh
	@echo
	@scripts/demo-rnn.sh
	@echo
	@scripts/demo-text.sh

bench: all
	@scripts/bench.sh

bench-forecast: all
	@scripts/bench-forecast.sh

install: all
	mkdir -p $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib \
	    $(DESTDIR)$(PREFIX)/include/rnnkit \
	    $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/man/man5 \
	    $(DESTDIR)$(PREFIX)/share/man/man7
	cp -f $(BINS) $(DESTDIR)$(PREFIX)/bin/
	cp -f $(LIB) $(DESTDIR)$(PREFIX)/lib/
	cp -f $(PUBHDR) $(DESTDIR)$(PREFIX)/include/rnnkit/
	cp -f $(MAN1) $(DESTDIR)$(PREFIX)/share/man/man1/
	cp -f $(MAN5) $(DESTDIR)$(PREFIX)/share/man/man5/
	cp -f $(MAN7) $(DESTDIR)$(PREFIX)/share/man/man7/

clean:
	rm -rf $(BUILD) $(BIN)

.PHONY: mpi-bin all deps unit manlint bats check demo bench bench-forecast install clean fuzz fuzz-bins replay
.DELETE_ON_ERROR:
