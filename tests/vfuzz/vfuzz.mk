# tests/vfuzz/vfuzz.mk - the verifier fuzzer (tests/vfuzz/README.md).
#
#   make fuzz-verifier [FUZZ_SECONDS=N] [SEED=S] [VFUZZ_ARGS=...]
#       generate programs for N seconds (default 60) under ASan + UBSan,
#       exit non-zero if anything was found (written to tests/vfuzz/findings/)
#   make fuzz-verifier-regress
#       replay tests/vfuzz/regress/*.txt (fixed findings); part of `make check`
#   VFUZZ_ASAN=0 builds and runs the plain (faster) binary instead.

VFUZZ_ASAN ?= 1
VFUZZ_SAN   = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
VFUZZ_BUILD = $(if $(filter 1,$(VFUZZ_ASAN)),build-asan,$(BUILD))
VFUZZ_SRC   = tests/vfuzz/vfuzz.c tests/vfuzz/gen.c
VFUZZ_HDR   = tests/vfuzz/vfuzz.h $(HDRS)
VFUZZ_ENV   = ASAN_OPTIONS=detect_leaks=0:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

.PHONY: fuzz-verifier fuzz-verifier-regress vfuzz-lib
vfuzz-lib:
ifeq ($(VFUZZ_ASAN),1)
	$(MAKE) -j$(JOBS) BUILD=build-asan OPT=-O1 SANITIZE="$(VFUZZ_SAN)" build-asan/libibpf.a
else
	$(MAKE) -j$(JOBS) $(BUILD)/libibpf.a
endif

build-asan/vfuzz: $(VFUZZ_SRC) $(VFUZZ_HDR) build-asan/libibpf.a
	$(CC) -std=gnu11 -g -O1 -Wall -Wextra -Werror -Wno-format-truncation -Iinclude -Isrc -Itests/vfuzz $(VFUZZ_SAN) \
	  -o $@ $(VFUZZ_SRC) build-asan/libibpf.a $(LDLIBS)

ifneq ($(BUILD),build-asan)
$(BUILD)/vfuzz: $(VFUZZ_SRC) $(VFUZZ_HDR) $(BUILD)/libibpf.a
	$(CC) -std=gnu11 -g -O2 -Wall -Wextra -Werror -Wno-format-truncation -Iinclude -Isrc -Itests/vfuzz \
	  -o $@ $(VFUZZ_SRC) $(BUILD)/libibpf.a $(LDLIBS)
endif

fuzz-verifier: vfuzz-lib
	$(MAKE) $(VFUZZ_BUILD)/vfuzz
	$(VFUZZ_ENV) $(VFUZZ_BUILD)/vfuzz --seconds $(FUZZ_SECONDS) $(if $(SEED),--seed $(SEED)) $(VFUZZ_ARGS)

fuzz-verifier-regress: vfuzz-lib
	$(MAKE) $(VFUZZ_BUILD)/vfuzz
	@set -- tests/vfuzz/regress/*.txt; if [ ! -e "$$1" ]; then \
	  echo "vfuzz: no regressions in tests/vfuzz/regress/"; else \
	  $(VFUZZ_ENV) $(VFUZZ_BUILD)/vfuzz --replay "$$@"; fi

check: fuzz-verifier-regress
