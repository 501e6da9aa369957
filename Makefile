# zapbench: `make bench` runs the quick suite, `make test` the tests.
# Both first install any missing Debian package (scripts/deps).

CC	?= gcc
CXX	?= g++
BUILD	:= build
CFLAGS	?= -O2 -g
# make SAN=1: ASan+UBSan, in build-san/ so its objects never mix with
# build/'s; any report is an error (make sanitize runs the host tests).
ifeq ($(SAN),1)
BUILD	:= build-san
override CFLAGS += -O1 -fsanitize=address,undefined -fno-sanitize-recover=all \
	   -fno-omit-frame-pointer
endif
WARN	:= -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	   -Wformat=2 -Wno-format-nonliteral -Wundef
# libpq: the history's PostgreSQL store (Debian's headers are in include/postgresql).
PQ_CFLAGS := $(shell pkg-config --cflags libpq 2>/dev/null)
PQ_LIBS	:= $(or $(shell pkg-config --libs libpq 2>/dev/null),-lpq)
ZB_CFLAGS := -std=gnu11 -D_GNU_SOURCE $(WARN) -Iharness -Ibench -Ikmod/uapi -I$(BUILD) -MMD -MP \
	     $(PQ_CFLAGS)
LDLIBS	:= -lm -lpthread -lsqlite3 $(PQ_LIBS) -lpfm -ljansson

# Kernel-style quiet build; `make V=1` shows the commands.
ifeq ($(V),1)
Q :=
say := @true
else
Q := @
say := @printf '  %-7s %s\n'
endif

# harness/ is layered (README "Layout", tests/layering): each layer is
# one archive, linked from the top down, so an object that calls up a
# layer fails to link.  bench/<family>.c are the benchmarks; bench/cli/
# the zapbench command line.  A binary gets only the objects it calls,
# and SQLite or libpfm4 only if one of them needs it (--as-needed).
LAYERS      := report history compare record core counters stats
LAYER_LIBS  := $(LAYERS:%=$(BUILD)/lib/%.a) $(BUILD)/lib/top.a
BENCH_SRC   := $(wildcard bench/*.c)
# gbench_main.c is zapbench-gbench's main(), main.c zapbench's.
CLI_SRC     := $(filter-out bench/cli/gbench_main.c bench/cli/main.c,$(wildcard bench/cli/*.c))
BENCH_LIB   := $(BUILD)/lib/bench.a
CLI_LIB     := $(BUILD)/lib/cli.a
# what every zapbench binary links, in link order
LIBS        := $(CLI_LIB) $(BENCH_LIB) $(LAYER_LIBS)
ZAPBENCH    := $(BUILD)/zapbench
GBENCH      := $(BUILD)/zapbench-gbench
GBENCH_OBJ  := $(BUILD)/bench/cli/gbench_main.o $(BUILD)/harness/gbench/gbench.o
LDLIBS_ALL  := -Wl,--as-needed $(LDLIBS) -Wl,--no-as-needed

TEST_SRC    := $(wildcard tests/test_*.c)
TEST_BIN    := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)

# What scripts/vm packs into the guest besides zaptest.ko.
GUEST_TEST_SRC := $(wildcard tests/guest/test_*.c)
GUEST_TEST_BIN := $(GUEST_TEST_SRC:tests/guest/%.c=$(BUILD)/tests/guest/%)
ZB_EXIT        := $(BUILD)/guest/zb-exit
# tests/vm-guest's way to silence the results channel (the stall detector)
ZB_TTYSTOP     := $(BUILD)/tests/guest/zb-ttystop
COMPAT32       := $(BUILD)/tests/guest/test_compat32

.PHONY: all guest bench bench-vm baseline test sanitize plots dashboard deps install clean FORCE

all: $(ZAPBENCH) $(GBENCH) $(TEST_BIN) $(BUILD)/tests/gen_record

deps:
	@scripts/deps bench

guest: $(ZAPBENCH) $(GUEST_TEST_BIN) $(COMPAT32) $(ZB_EXIT) $(ZB_TTYSTOP)

$(ZB_TTYSTOP): tests/guest/zb-ttystop.c
	@mkdir -p $(dir $@)
	$(say) CCLD $@
	$(Q)$(CC) $(CFLAGS) $(WARN) -o $@ $<

# Static: it must run before anything else works in the guest.
$(ZB_EXIT): scripts/guest/exit.c
	@mkdir -p $(dir $@)
	$(say) CCLD $@
	$(Q)$(CC) $(CFLAGS) $(WARN) -static -o $@ $<

# They speak to the module through the benchmarks' own kmod_dev helpers.
$(BUILD)/tests/guest/%: tests/guest/%.c tests/guest/zt.h tests/guest/zt_fuzz.h tests/zbtest.h $(LIBS)
	@mkdir -p $(dir $@)
	$(say) CCLD $@
	$(Q)$(CC) $(CFLAGS) $(ZB_CFLAGS) -Itests -o $@ $< $(LIBS) $(LDLIBS_ALL)

# A 32-bit caller for the module's .compat_ioctl: static, so the guest
# needs no 32-bit libraries, and alone (libzb is 64-bit).  Without a gcc
# that links -m32 (gcc-multilib, scripts/deps vm) it is a script that
# reports the test skipped and why; a compile error still fails the build.
M32_PROBE := printf 'int main(void){return 0;}\n' | $(CC) -m32 -static -x c -o /dev/null - 2>/dev/null
$(COMPAT32): tests/guest/compat/test_compat32.c tests/zbtest.h kmod/uapi/zaptest.h
	@mkdir -p $(dir $@)
	$(say) CCLD $@
	$(Q)if $(M32_PROBE); then \
		$(CC) $(CFLAGS) -std=gnu11 -D_GNU_SOURCE $(WARN) -Itests -Ikmod/uapi -m32 -static \
			-o $@ $< -lm; \
	else \
		printf '%s\n' '#!/bin/sh' 'echo "TAP version 13"; echo "1..1"' \
			'echo "ok 1 compat_ioctls_answer_a_32_bit_caller # SKIP no gcc -m32 (gcc-multilib: scripts/deps vm)"' \
			'echo "# $$0: 0 passed, 0 failed, 1 skipped"' > $@ && chmod +x $@; \
	fi

# The commit goes into every record; rewrite the header only when it changes.
$(BUILD)/commit.h: FORCE
	@mkdir -p $(BUILD)
	@c=$$(git describe --always --dirty 2>/dev/null || echo unknown); \
	 l="#define ZB_GIT_COMMIT \"$$c\""; \
	 [ "$$(cat $@ 2>/dev/null)" = "$$l" ] || echo "$$l" > $@

$(BUILD)/harness/record/context.o: ZB_CFLAGS += -include $(BUILD)/commit.h
$(BUILD)/harness/record/context.o: $(BUILD)/commit.h

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(say) CC $<
	$(Q)$(CC) $(CFLAGS) $(ZB_CFLAGS) -c -o $@ $<

obj = $(patsubst %.c,$(BUILD)/%.o,$(1))
$(foreach l,$(LAYERS),$(eval $(BUILD)/lib/$(l).a: $(call obj,$(wildcard harness/$(l)/*.c))))
$(BUILD)/lib/top.a: $(call obj,$(wildcard harness/*.c))
$(BENCH_LIB): $(call obj,$(BENCH_SRC))
$(CLI_LIB): $(call obj,$(CLI_SRC))

$(BUILD)/lib/%.a:
	@mkdir -p $(dir $@)
	$(say) AR $@
	$(Q)rm -f $@
	$(Q)$(AR) rcs $@ $^

$(ZAPBENCH): $(BUILD)/bench/cli/main.o $(LIBS)
	$(say) LD $@
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIBS) $(LDLIBS_ALL)

# The Google Benchmark shim: the one C++ file, and its binary.
$(BUILD)/harness/gbench/gbench.o: harness/gbench/gbench.cc
	@mkdir -p $(dir $@)
	$(say) CXX $<
	$(Q)$(CXX) $(CFLAGS) -std=c++17 -D_GNU_SOURCE -Wall -Wextra -Werror -Iharness -Ibench \
		-I$(BUILD) -MMD -MP -c -o $@ $<

$(GBENCH): $(GBENCH_OBJ) $(LIBS)
	$(say) LD $@
	$(Q)$(CXX) $(CFLAGS) $(LDFLAGS) -o $@ $(GBENCH_OBJ) $(LIBS) -lbenchmark $(LDLIBS_ALL)

# Tests link the libraries (not a main()): each gets what it calls.
# test_zbtest runs zbtest_selfcheck, tests that misbehave on purpose.
$(BUILD)/tests/test_zbtest: $(BUILD)/tests/zbtest_selfcheck
$(BUILD)/tests/%: tests/%.c tests/zbtest.h $(LIBS)
	@mkdir -p $(dir $@)
	$(say) CCLD $@
	$(Q)$(CC) $(CFLAGS) $(ZB_CFLAGS) -Itests -o $@ $< $(LIBS) $(LDLIBS_ALL)

# The quick suite in 10 interleaved rounds (repetitions): compare's unit is
# the round, each point's median in it (harness/compare/compare.h).  Against
# a stored baseline the rounds are unpaired: 10 against 10 lets the exact
# Mann-Whitney interval reach the Holm-adjusted level over ~74 points
# (2/C(20,10) = 1.1e-5 against 0.05/74).  Short rounds, many of them:
# between-round noise is what a verdict must see through, and samples
# beyond a few per round do not shrink it.  100 raw samples a point keep
# a baseline small.  The throughput phase is one 20 ms interval a round:
# ten over the rounds, for a tenth more time.
BENCH_ARGS ?= --quick --repetitions 10 --interleave --min-time 0.02 --min-samples 5 \
	      --keep-samples 100 --tput-intervals 1 --tput-interval 0.02

# make bench KERNEL=new BASE_KERNEL=old [KDIR= BASE_KDIR=]: instead, the two
# kernels booted alternately in the scripts/vm guest and compared paired
# (zapbench ab --kernel, KAB_ARGS); its directory holds the report for a mail.
KAB_ARGS ?= --quick

ifneq ($(KERNEL)$(BASE_KERNEL),)
bench:
	@[ -n "$(KERNEL)" ] && [ -n "$(BASE_KERNEL)" ] || \
	 { echo "make bench: KERNEL= and BASE_KERNEL= go together" >&2; exit 2; }
	@scripts/deps bench vm
	@$(MAKE) --no-print-directory $(ZAPBENCH)
	@$(ZAPBENCH) ab --kernel '$(BASE_KERNEL)$(if $(BASE_KDIR),:$(BASE_KDIR))' \
	 --kernel '$(KERNEL)$(if $(KDIR),:$(KDIR))' $(KAB_ARGS)
else
bench: deps
	@$(MAKE) --no-print-directory $(ZAPBENCH)
	@mkdir -p datasets/runs
	@f=datasets/runs/$$(date -u +%Y%m%dT%H%M%SZ)-bench.json; \
	 $(ZAPBENCH) run $(BENCH_ARGS) --out $$f && scripts/bench-gate $$f
endif

# Store a run as this machine's newest baseline (datasets/baselines/<machine id>/).
baseline: deps
	@$(MAKE) --no-print-directory $(ZAPBENCH)
	@d=datasets/baselines/$$($(ZAPBENCH) machine --id); mkdir -p $$d; \
	 f=$$d/$$(date -u +%Y%m%dT%H%M%SZ)-$$(git describe --always --dirty 2>/dev/null || echo unknown).json; \
	 $(ZAPBENCH) run $(BENCH_ARGS) --out $$f && echo "make baseline: stored $$f"

# The kernel-side quick suite in the scripts/vm guest (TCG here: ratios
# only).  Not gated: TCG timings move 2-3x from boot to boot.
bench-vm:
	@scripts/deps bench vm
	@$(MAKE) --no-print-directory $(ZAPBENCH)
	@$(ZAPBENCH) run --vm --quick --repetitions 3 --interleave

# The guest tests boot the module in QEMU (scripts/vm): deps "test" has vm.
test:
	@scripts/deps test
	@$(MAKE) --no-print-directory all guest
	@tests/run $(TEST_BIN) tests/layering tests/readme-figures tests/kmod-style tests/vm-lib \
		tests/install tests/wis-compare tests/history-pg tests/scale tests/kbuild \
		tests/fuzz-long tests/vm-guest tests/vm-ab tests/signals tests/sanitize-build

# The host tests (not the guest or VM ones) built with SAN=1 and run under
# ASan+UBSan (+LSan), every report fatal (but a SIGSEGV stays one: the
# runner's tests kill workers with it); the tests spawn the sanitized
# zapbench, zapbench-gbench and zbtest_selfcheck (the env vars below).
SAN_DIR	:= $(CURDIR)/build-san
SAN_ENV	:= ASAN_OPTIONS=halt_on_error=1:abort_on_error=1:detect_leaks=1:handle_segv=0 \
	   UBSAN_OPTIONS=halt_on_error=1:abort_on_error=1:print_stacktrace=1 \
	   ZAPBENCH=$(SAN_DIR)/zapbench ZAPBENCH_GBENCH=$(SAN_DIR)/zapbench-gbench \
	   ZBTEST_SELFCHECK=$(SAN_DIR)/tests/zbtest_selfcheck

sanitize:
	@scripts/deps test
	@$(MAKE) --no-print-directory SAN=1 all
	@$(SAN_ENV) tests/run tests/sanitize-build $(TEST_BIN:$(BUILD)/%=build-san/%)

# Figures of the newest run in datasets/runs/ (else the reference record),
# CDFs against the reference: build/plots/*.png, *.svg.
PLOT_REF := datasets/reference/kvm-2vcpu.json
PLOT_NEW = $(or $(lastword $(sort $(wildcard datasets/runs/*.json))),$(PLOT_REF))

plots:
	@scripts/deps bench plot
	@$(MAKE) --no-print-directory $(ZAPBENCH)
	$(ZAPBENCH) plot all --out $(BUILD)/plots --format png,svg $(PLOT_NEW) \
		$(filter-out $(PLOT_NEW),$(PLOT_REF))

# Every reference, baseline and local run into datasets/history.db (importing
# is idempotent), then the static page build/dashboard/index.html.
dashboard:
	@scripts/deps bench plot
	@$(MAKE) --no-print-directory $(ZAPBENCH)
	$(ZAPBENCH) history import $(wildcard datasets/reference/*.json) \
		$(wildcard datasets/baselines/*/*.json) $(sort $(wildcard datasets/runs/*.json))
	$(ZAPBENCH) history dashboard --out $(BUILD)/dashboard

# make install PREFIX=/usr/local DESTDIR=: the two binaries, their gnuplot
# scripts in share/zapbench (which is how the binary knows it is installed:
# records then go to $XDG_DATA_HOME/zapbench, not datasets/runs; util.h
# zb_share_dir), the man page, and libzb: every harness layer in one
# archive, its headers in include/zapbench/ in their layer folders (as
# they include each other: "core/runner.h"), a pkg-config file libzb.pc.
PREFIX	?= /usr/local
DESTDIR	?=
LIBZB	:= $(BUILD)/libzb.a
MANPAGE	:= $(BUILD)/zapbench.1
LIBZB_HDRS := $(wildcard harness/*.h $(LAYERS:%=harness/%/*.h))

# One archive keeps every member: "ar r" of the objects would let two
# layers' files of the same name replace each other; ADDLIB does not.
$(LIBZB): $(LAYER_LIBS)
	$(say) AR $@
	$(Q)rm -f $@
	$(Q){ echo "CREATE $@"; for l in $^; do echo "ADDLIB $$l"; done; echo SAVE; echo END; } | \
		$(AR) -M

$(MANPAGE): $(ZAPBENCH) $(GBENCH) scripts/manpage
	$(say) GEN $@
	$(Q)scripts/manpage $(ZAPBENCH) $(GBENCH) > $@.tmp && mv $@.tmp $@

# The .pc is written here, for this PREFIX.  libzb is static only: its
# libraries are in Libs, not Libs.private, or a plain --libs would miss them.
install: $(ZAPBENCH) $(GBENCH) $(LIBZB) $(MANPAGE)
	@d='$(DESTDIR)$(PREFIX)'; set -e; \
	 install -d "$$d/bin" "$$d/share/zapbench" "$$d/share/man/man1" \
		"$$d/share/doc/zapbench" "$$d/lib/pkgconfig"; \
	 install -m 755 $(ZAPBENCH) $(GBENCH) "$$d/bin/"; \
	 install -m 644 plots/*.gp "$$d/share/zapbench/"; \
	 install -m 644 $(MANPAGE) "$$d/share/man/man1/"; \
	 install -m 644 LICENSE COPYING README.md "$$d/share/doc/zapbench/"; \
	 install -m 644 $(LIBZB) "$$d/lib/"; \
	 for h in $(LIBZB_HDRS); do \
		t="$$d/include/zapbench/$${h#harness/}"; \
		install -d "$${t%/*}"; install -m 644 "$$h" "$$t"; \
	 done; \
	 { echo 'prefix=$(PREFIX)'; echo 'libdir=$${prefix}/lib'; \
	   echo 'includedir=$${prefix}/include'; echo; \
	   echo 'Name: libzb'; \
	   echo 'Description: zapbench harness: runner, statistics, records, comparison, reports'; \
	   echo 'Version: '$$(sed -n 's/^#define ZB_VERSION[^"]*"\(.*\)"/\1/p' harness/version.h); \
	   echo 'Cflags: -I$${includedir}/zapbench -D_GNU_SOURCE'; \
	   echo 'Libs: -L$${libdir} -lzb -lsqlite3 -lpq -lpfm -ljansson -lpthread -lm'; \
	 } > "$$d/lib/pkgconfig/libzb.pc"; \
	 echo "make install: installed in $$d"

clean:
	rm -rf $(BUILD)

# only our objects' dependency files: build/ also holds kernel trees (kbuild)
-include $(shell find $(BUILD) \( -path $(BUILD)/kbuild -o -path $(BUILD)/kernels -o \
	-path $(BUILD)/vm \) -prune -o -name "*.d" -type f -print 2>/dev/null)
