# tests/unit/Makefile.frag - unit tests of the rnnkit numeric core.
# Standalone use:  make -f tests/unit/Makefile.frag check-unit
# or `include tests/unit/Makefile.frag` and make `check` depend on check-unit.
# Builds test_rnn four ways: float / double (-DRK_REAL_DOUBLE, which also runs
# the gradient checks of every cell), each plain and with ASan+UBSan.

RK_UNIT_OUT ?= tests/unit
RK_UNIT_CC ?= gcc
RK_UNIT_CFLAGS = -std=c11 -Wall -Wextra -Werror -O2 -D_POSIX_C_SOURCE=200809L -pthread -Ilib
RK_UNIT_SAN = -fsanitize=address,undefined -fno-sanitize-recover=all
RK_CORE_SRC = lib/gemm.c lib/rng.c lib/rnn.c lib/rnn_train.c lib/rnn_ref.c lib/rnn_optim.c
RK_CORE_HDR = lib/real.h lib/gemm.h lib/rng.h lib/rnn.h lib/rnn_internal.h
RK_UNIT_DEPS = tests/unit/test_rnn.c $(RK_CORE_SRC) $(RK_CORE_HDR)
RK_UNIT_BINS = $(RK_UNIT_OUT)/test_rnn $(RK_UNIT_OUT)/test_rnn64 \
               $(RK_UNIT_OUT)/test_rnn-san $(RK_UNIT_OUT)/test_rnn64-san

$(RK_UNIT_OUT)/test_rnn: $(RK_UNIT_DEPS)
	$(RK_UNIT_CC) $(RK_UNIT_CFLAGS) -o $@ tests/unit/test_rnn.c $(RK_CORE_SRC) -lm
$(RK_UNIT_OUT)/test_rnn64: $(RK_UNIT_DEPS)
	$(RK_UNIT_CC) $(RK_UNIT_CFLAGS) -DRK_REAL_DOUBLE -o $@ tests/unit/test_rnn.c $(RK_CORE_SRC) -lm
$(RK_UNIT_OUT)/test_rnn-san: $(RK_UNIT_DEPS)
	$(RK_UNIT_CC) $(RK_UNIT_CFLAGS) $(RK_UNIT_SAN) -o $@ tests/unit/test_rnn.c $(RK_CORE_SRC) -lm
$(RK_UNIT_OUT)/test_rnn64-san: $(RK_UNIT_DEPS)
	$(RK_UNIT_CC) $(RK_UNIT_CFLAGS) $(RK_UNIT_SAN) -DRK_REAL_DOUBLE -o $@ tests/unit/test_rnn.c $(RK_CORE_SRC) -lm

check-unit: $(RK_UNIT_BINS)
	@for t in $(RK_UNIT_BINS); do \
	    out=$$($$t); rc=$$?; echo "$$t:"; echo "$$out" | grep -E '^FAIL|checks,'; \
	    [ $$rc -eq 0 ] || { echo "$$t failed"; exit 1; }; done

bench-unit: $(RK_UNIT_OUT)/test_rnn
	$(RK_UNIT_OUT)/test_rnn --bench lstm 128 50 32 1
	$(RK_UNIT_OUT)/test_rnn --bench lstm 128 50 32 2

.PHONY: check-unit bench-unit
