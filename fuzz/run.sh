#!/usr/bin/env bash
# fuzz/run.sh SECONDS [TARGET...] - build the libFuzzer targets into
# build-fuzz/ and run each for SECONDS seconds (default 60) from a seed corpus.
#
#   TARGET   loader (fuzz_loader.c: ELF objects) and/or raw (fuzz_raw.c: bare
#            instruction streams); default both.
#
# Seeds: loader - every object in build/progs (made by `make progs`, run here
# when the directory is missing) and every reproducer in tests/bad_objs/;
# raw - the executable sections of those objects plus a few hand-made
# streams.  The corpus lives in a temporary directory (deleted at the end;
# set FUZZ_KEEP_CORPUS=DIR to keep the grown corpus in DIR/TARGET).
#
# A finding (crash, leak, UB report, timeout, out-of-memory) is saved as
# build-fuzz/findings/TARGET-crash-... (plus a minimized copy, *.min, and
# the report, *.log); the script then exits 1.  Exit 0: every target ran its
# time clean.  Exit 2: build problem.
#
# Environment: FUZZ_CC (default clang-14; clang-19 works too when
# libclang-rt-19-dev is installed), LDLIBS (default "-lelf -lz -lm", the
# Makefile's), FUZZ_TIMEOUT (seconds one input may take, default 30),
# FUZZ_INSN_LIMIT (checked-mode instruction cap compiled into the fuzz build,
# default 1000000; takes effect where src/vm/vm.h lets it be overridden).
set -u

secs=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(loader raw)
case $secs in ''|*[!0-9]*) echo "usage: fuzz/run.sh SECONDS [loader|raw]..." >&2; exit 2;; esac

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 2
CC=${FUZZ_CC:-clang-14}
LIBS=${LDLIBS:--lelf -lz -lm}
TIMEOUT=${FUZZ_TIMEOUT:-30}
OUT=build-fuzz
JOBS=$(nproc 2>/dev/null || echo 2)

if ! command -v "$CC" >/dev/null; then
	echo "fuzz: $CC not found (apt-get install clang-14 libclang-rt-14-dev)" >&2
	exit 2
fi

# ---- build --------------------------------------------------------------
# Library sources compiled once with coverage + ASan + UBSan; each target
# linked with libFuzzer's main.
# shellcheck disable=SC2054
CFLAGS=(-std=gnu11 -g -O1 -fno-omit-frame-pointer -fno-strict-aliasing
	-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
	-Iinclude -Isrc "-DIBPF_CHECKED_INSN_LIMIT=${FUZZ_INSN_LIMIT:-1000000}ull"
	-Wno-macro-redefined)
mkdir -p "$OUT/obj" "$OUT/findings" || exit 2
if ! grep -q '^#ifndef IBPF_CHECKED_INSN_LIMIT' src/vm/vm.h; then
	echo "fuzz: warning: src/vm/vm.h does not let the fuzz build lower the checked-mode" \
	     "instruction cap: every endless loop runs the full cap (slow, may time out)" >&2
fi
echo "fuzz: building with $CC into $OUT/"
lib_objs=()
pids=()
fail=0
for src in src/*/*.c; do
	obj=$OUT/obj/$(echo "${src%.c}" | tr / _).o
	lib_objs+=("$obj")
	if [ ${#pids[@]} -ge "$JOBS" ]; then   # at most JOBS compilers at once
		wait "${pids[0]}" || fail=1
		pids=("${pids[@]:1}")
	fi
	"$CC" "${CFLAGS[@]}" -c "$src" -o "$obj" &
	pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid" || fail=1; done
if [ $fail -ne 0 ]; then
	echo "fuzz: building the library failed" >&2
	exit 2
fi
for t in "${targets[@]}"; do
	if [ ! -f "fuzz/fuzz_$t.c" ]; then
		echo "fuzz: no target '$t' (fuzz/fuzz_$t.c)" >&2
		exit 2
	fi
	# shellcheck disable=SC2086
	"$CC" "${CFLAGS[@]}" -fsanitize=fuzzer "fuzz/fuzz_$t.c" "${lib_objs[@]}" -o "$OUT/fuzz_$t" $LIBS ||
		{ echo "fuzz: linking fuzz_$t failed" >&2; exit 2; }
done

# ---- seeds ----------------------------------------------------------------
if ! ls build/progs/*.o >/dev/null 2>&1; then
	echo "fuzz: build/progs is empty: running make progs"
	make -s progs >/dev/null || { echo "fuzz: make progs failed" >&2; exit 2; }
fi
TMP=$(mktemp -d "${TMPDIR:-/tmp}/ibpf-fuzz.XXXXXX") || exit 2
trap 'rm -rf "$TMP"' EXIT

seed_loader() {
	cp build/progs/*.o "$1"/
	cp tests/bad_objs/*.elf "$1"/ 2>/dev/null
	return 0
}
# Raw seeds: [memory length][memory][instructions] (see fuzz_raw.c).
seed_raw() {
	python3 - "$1" build/progs/*.o <<'EOF'
import struct, sys, os
out = sys.argv[1]
def ins(code, dst=0, src=0, off=0, imm=0):
    return struct.pack('<BBhi', code, (src << 4) | dst, off, imm)
def emit(name, mem, code):
    with open(os.path.join(out, name), 'wb') as f:
        f.write(bytes([len(mem)]) + mem + code)
n = 0
for path in sys.argv[2:]:
    data = open(path, 'rb').read()
    try:
        shoff, = struct.unpack_from('<Q', data, 0x28)
        shentsize, shnum = struct.unpack_from('<HH', data, 0x3a)
        for i in range(shnum):
            (name, typ, flags, addr, off, size) = struct.unpack_from('<IIQQQQ', data, shoff + i * shentsize)
            if typ == 1 and flags & 4 and size:
                emit('sec%03d' % n, bytes(16), data[off:off + size])
                n += 1
    except struct.error:
        pass
# r0 = *(u64 *)(r1 + 0); r0 += r2; exit
emit('load', bytes(range(16)), ins(0x79, 0, 1, 0) + ins(0x0f, 0, 2) + ins(0x95))
# store, atomic add, load back
emit('atomic', bytes(8), ins(0xb7, 3, 0, 0, 5) + ins(0x7b, 1, 3, 0) +
     ins(0xdb, 1, 3, 0, 0) + ins(0x79, 0, 1, 0) + ins(0x95))
# a loop of 1000 rounds
emit('loop', b'', ins(0xb7, 0, 0, 0, 0) + ins(0x07, 0, 0, 0, 1) +
     ins(0x55, 0, 0, -2, 1000) + ins(0x95))
# ld_imm64 of a function address, callx
emit('callx', b'', ins(0x18, 2, 4, 0, 3) + ins(0, 0, 0, 0, 0) + ins(0x8d, 2) +
     ins(0x95) + ins(0xb7, 0, 0, 0, 7) + ins(0x95))
# local call, stack use
emit('call', bytes(4), ins(0x85, 0, 1, 0, 1) + ins(0x95) +
     ins(0x7a, 10, 0, -8, 3) + ins(0x79, 0, 10, -8) + ins(0x95))
EOF
}

# ---- run --------------------------------------------------------------------
# Findings are crash-, leak-, timeout- and oom- files; libFuzzer's slow-unit-
# files (an input that took over 10 s) are only reported.
findings() {
	find "$OUT/findings" -maxdepth 1 -type f \( -name '*-crash-*' -o -name '*-leak-*' \
		-o -name '*-timeout-*' -o -name '*-oom-*' \) ! -name '*.log' ! -name '*.min' | wc -l
}
status=0
summary=()
for t in "${targets[@]}"; do
	corpus=$TMP/corpus-$t
	mkdir -p "$corpus"
	"seed_$t" "$corpus" || { echo "fuzz: seeding $t failed" >&2; exit 2; }
	nseeds=$(ls "$corpus" | wc -l)
	log=$TMP/$t.log
	before=$(findings)
	echo "fuzz: $t: ${secs}s from $nseeds seeds"
	ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1} \
	UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
		"$OUT/fuzz_$t" -max_total_time="$secs" -timeout="$TIMEOUT" \
		-rss_limit_mb=4096 -print_final_stats=1 -dict=fuzz/"$t".dict \
		-artifact_prefix="$OUT/findings/$t-" "$corpus" >"$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+' "$log" | tail -1)
	after=$(findings)
	slow=$(grep -c "^Slowest unit" "$log")
	[ "$slow" = 0 ] && slow=
	if [ "$rc" -ne 0 ] || [ "$after" -gt "$before" ]; then
		status=1
		art=$(grep -oE "Test unit written to [^ ]+" "$log" | tail -1 | sed 's/Test unit written to //')
		echo "fuzz: $t: FINDING (exit $rc)"
		grep -E '^==[0-9]+==ERROR|runtime error|SUMMARY|ALARM|out-of-memory|deadly signal' "$log" | head -5
		if [ -n "$art" ] && [ -f "$art" ]; then
			cp "$log" "$art.log"
			# Minimize it for the report (bounded time).
			"$OUT/fuzz_$t" -minimize_crash=1 -max_total_time=60 -timeout="$TIMEOUT" \
				-exact_artifact_path="$art.min" "$art" >"$TMP/$t.min.log" 2>&1
			[ -f "$art.min" ] || cp "$art" "$art.min"
			echo "fuzz: $t: reproducer $art ($(stat -c %s "$art") bytes), minimized" \
			     "$art.min ($(stat -c %s "$art.min") bytes), report $art.log"
			echo "fuzz: $t: reproduce with: $OUT/fuzz_$t $art.min"
		else
			tail -30 "$log"
		fi
		summary+=("$t: FINDING after ${runs:-?} runs ($cov)")
	else
		summary+=("$t: clean, ${runs:-?} runs in ${secs}s ($cov)${slow:+, $slow slow input(s)}")
	fi
	if [ -n "${FUZZ_KEEP_CORPUS:-}" ]; then
		mkdir -p "$FUZZ_KEEP_CORPUS/$t" && cp "$corpus"/* "$FUZZ_KEEP_CORPUS/$t"/
	fi
done
echo "== fuzz summary"
printf '  %s\n' "${summary[@]}"
exit $status
