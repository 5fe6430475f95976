# ibpf - build, test, install.  `make` builds build/ibpf and the libraries;
# `make check` runs every test, then again under ASan + UBSan.

CC       ?= cc
CLANG19  ?= clang-19
CLANG14  ?= clang-14
BUILD    ?= build
PREFIX   ?= /usr/local
OPT      ?= -O2
SANITIZE ?=
JOBS     ?= $(shell nproc 2>/dev/null || echo 2)
CFLAGS_BASE = -std=gnu11 -g $(OPT) -Wall -Wextra -Werror -fPIC -Iinclude -Isrc \
              -fno-strict-aliasing -pthread $(SANITIZE)
LDLIBS   = -lelf -lz -lm -pthread
MULTIARCH := $(shell $(CC) -dumpmachine 2>/dev/null)
BPF_CFLAGS = --target=bpf -O2 -g -mcpu=v3 -I/usr/include/$(MULTIARCH) -Iexamples/include -Wall \
             -Wno-incompatible-function-pointer-types -Wno-incompatible-pointer-types

LIB_SRC  := $(sort $(wildcard src/*/*.c))
CLI_SRC  := $(sort $(wildcard tools/ibpf/*.c))
TEST_SRC := $(sort $(wildcard tests/*.c))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
# The shared library exports exactly the IBPF_API functions of include/ibpf/
# (hidden by default, then the version script); SONAME libibpf.so.$(SO_MAJOR).
# The static library holds the same objects: the CLI and the test runner link
# it and may use internal symbols.
SO_MAJOR := 0
SO_VERSION := $(SO_MAJOR).1.0
SO_REAL  := libibpf.so.$(SO_VERSION)
SO_NAME  := libibpf.so.$(SO_MAJOR)
$(LIB_OBJ): CFLAGS_VIS := -fvisibility=hidden
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/%.o)
TEST_OBJ := $(TEST_SRC:%.c=$(BUILD)/%.o)
HDRS     := $(wildcard include/ibpf/*.h src/*/*.h src/*/*.def tools/ibpf/*.h tests/*.h)

# BPF test programs: every examples/*.bpf.c and tests/progs/*.bpf.c, compiled
# by clang-19 (NAME.o) and by clang-14 (NAME.clang14.o).
BPF_SRC  := $(sort $(wildcard examples/*.bpf.c tests/progs/*.bpf.c))
BPF_OBJ  := $(foreach s,$(BPF_SRC),$(BUILD)/progs/$(notdir $(s:.bpf.c=.o)) \
                                  $(BUILD)/progs/$(notdir $(s:.bpf.c=.clang14.o)))

.PHONY: all check test test-asan test-tsan examples clean install install-check bench fuzz deps progs
all: $(BUILD)/ibpf $(BUILD)/libibpf.a $(BUILD)/libibpf.so

# Installs what a fresh Debian 12 machine lacks (no-op when all is there).
deps:
	@scripts/install-deps.sh

# V=1 shows the full commands.  Each object's header dependencies are
# recorded by the compiler (-MMD) next to it and read back below.
Q = $(if $(V),,@)
$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(if $(V),,@echo "  CC      $@")
	$(Q)$(CC) $(CFLAGS_BASE) $(CFLAGS_VIS) $(CFLAGS) -MMD -MP -c $< -o $@
-include $(wildcard $(BUILD)/src/*/*.d $(BUILD)/tools/ibpf/*.d $(BUILD)/tests/*.d)

$(BUILD)/libibpf.a: $(LIB_OBJ)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/$(SO_REAL): $(LIB_OBJ) src/libibpf.map
	$(CC) -shared $(SANITIZE) -Wl,-soname,$(SO_NAME) -Wl,--version-script=src/libibpf.map \
	  -o $@ $(LIB_OBJ) $(LDLIBS)

$(BUILD)/libibpf.so: $(BUILD)/$(SO_REAL)
	ln -sf $(SO_REAL) $(BUILD)/$(SO_NAME)
	ln -sf $(SO_REAL) $@

$(BUILD)/ibpf: $(CLI_OBJ) $(BUILD)/libibpf.a
	$(CC) $(SANITIZE) -o $@ $^ $(LDLIBS) -lZydis

$(BUILD)/test_runner: $(TEST_OBJ) $(BUILD)/libibpf.a
	$(CC) $(SANITIZE) -o $@ $^ $(LDLIBS)

vpath %.bpf.c examples tests/progs bench
$(BUILD)/progs/%.o: %.bpf.c $(wildcard examples/include/*.h tests/progs/*.h)
	@mkdir -p $(dir $@)
	$(if $(V),,@echo "  CLANG19 $@")
	$(Q)$(CLANG19) $(BPF_CFLAGS) -c $< -o $@
$(BUILD)/progs/%.clang14.o: %.bpf.c $(wildcard examples/include/*.h tests/progs/*.h)
	@mkdir -p $(dir $@)
	$(if $(V),,@echo "  CLANG14 $@")
	$(Q)$(CLANG14) $(BPF_CFLAGS) -c $< -o $@

progs: $(BPF_OBJ)

# The test suite: plain build, then the same tests under ASan + UBSan.
test: deps
	$(MAKE) -j$(JOBS) $(BUILD)/test_runner $(BUILD)/ibpf progs
	@echo '== unit and example tests'
	IBPF_TEST_OBJDIR=$(BUILD)/progs IBPF_CLI=$(BUILD)/ibpf $(BUILD)/test_runner
	IBPF_TEST_OBJDIR=$(BUILD)/progs IBPF=$(BUILD)/ibpf tests/cli/run.sh
	examples/run.sh $(BUILD)/ibpf $(BUILD)/progs
	$(MAKE) install-check

test-asan: deps
	$(MAKE) -j$(JOBS) progs
	@echo '== the same tests under ASan + UBSan'
	$(MAKE) -j$(JOBS) BUILD=build-asan OPT=-O1 \
	  SANITIZE="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
	  build-asan/test_runner build-asan/ibpf
	ASAN_OPTIONS=detect_leaks=1 IBPF_TEST_OBJDIR=$(BUILD)/progs IBPF_CLI=build-asan/ibpf build-asan/test_runner
	ASAN_OPTIONS=detect_leaks=1 IBPF_TEST_OBJDIR=$(BUILD)/progs IBPF=build-asan/ibpf tests/cli/run.sh

# ThreadSanitizer over the tests that run programs and use maps from several
# threads at once (tests/test_maps_reclaim.c).  Not part of `check`.
test-tsan: deps
	$(MAKE) -j$(JOBS) progs
	$(MAKE) -j$(JOBS) BUILD=build-tsan OPT=-O1 SANITIZE="-fsanitize=thread" build-tsan/test_runner
	TSAN_OPTIONS=halt_on_error=1 IBPF_TEST_OBJDIR=$(BUILD)/progs build-tsan/test_runner maps_reclaim

# difftest prints SKIP and passes where the kernel's bpf() is not usable.
# One after the other: they share build/progs, so `make -j check` must not
# run them side by side (each builds in parallel inside).
check: deps
	$(MAKE) test
	$(MAKE) test-asan
	$(MAKE) difftest

examples: deps
	$(MAKE) -j$(JOBS) $(BUILD)/ibpf progs
	examples/run.sh $(BUILD)/ibpf $(BUILD)/progs

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib $(DESTDIR)$(PREFIX)/include/ibpf \
	  $(DESTDIR)$(PREFIX)/lib/pkgconfig
	install -m 755 $(BUILD)/ibpf $(DESTDIR)$(PREFIX)/bin/
	install -m 644 $(BUILD)/libibpf.a $(DESTDIR)$(PREFIX)/lib/
	install -m 755 $(BUILD)/$(SO_REAL) $(DESTDIR)$(PREFIX)/lib/
	ln -sf $(SO_REAL) $(DESTDIR)$(PREFIX)/lib/$(SO_NAME)
	ln -sf $(SO_REAL) $(DESTDIR)$(PREFIX)/lib/libibpf.so
	install -m 644 include/ibpf/*.h $(DESTDIR)$(PREFIX)/include/ibpf/
	sed -e 's|@PREFIX@|$(PREFIX)|' ibpf.pc.in > $(DESTDIR)$(PREFIX)/lib/pkgconfig/ibpf.pc

# make install into a scratch prefix, then build and run a user program with
# pkg-config against the shared and the static library.
install-check:
	CC="$(CC)" MAKE="$(MAKE)" BUILD=$(BUILD) IBPF_TEST_OBJDIR=$(BUILD)/progs \
	  tests/install_check.sh $(abspath $(BUILD))/install-check

# ns per calculon character: ibpf's engines beside the kernel JIT (prints only).
$(BUILD)/bench: bench/bench.c $(BUILD)/libibpf.a include/ibpf/ibpf.h
	$(CC) -std=gnu11 -O2 -Wall -Wextra -Werror -Iinclude -o $@ bench/bench.c \
	  $(BUILD)/libibpf.a -lbpf $(LDLIBS)

# The benchmark's own BPF programs (bench/*.bpf.c), not part of `progs`.
BENCH_BPF_OBJ := $(patsubst bench/%.bpf.c,$(BUILD)/progs/%.o,$(wildcard bench/*.bpf.c))

bench: deps
	$(MAKE) -j$(JOBS) $(BUILD)/bench progs $(BENCH_BPF_OBJ)
	$(BUILD)/bench --objdir $(BUILD)/progs

# libFuzzer targets (fuzz/), FUZZ_SECONDS each, built with clang-14 into build-fuzz/.
FUZZ_SECONDS ?= 60
fuzz: deps
	$(MAKE) -j$(JOBS) progs
	LDLIBS="$(LDLIBS)" fuzz/run.sh $(FUZZ_SECONDS)

.PHONY: difftest difftest-random
# The verifier against the running kernel over tests/difftest/corpus
# (prints SKIP without root or bpf()); fails under 98% agreement or on any
# false accept.
difftest: deps
	$(MAKE) -j$(JOBS) $(BUILD)/ibpf
	IBPF=$(BUILD)/ibpf tests/difftest/run.sh

N ?= 2000
SEED ?=
# Random programs through both verifiers; empty SEED = a new seed, printed.
difftest-random: deps
	$(MAKE) -j$(JOBS) $(BUILD)/ibpf
	IBPF=$(BUILD)/ibpf tests/difftest/random.sh $(N) $(SEED)
include tests/vfuzz/vfuzz.mk

clean:
	rm -rf build build-asan build-tsan build-fuzz
