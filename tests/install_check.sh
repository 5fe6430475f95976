#!/usr/bin/env bash
# tests/install_check.sh [PREFIX] - `make install` into PREFIX (default
# /tmp/ibpf-inst, emptied first), then build a tiny program the way a user
# would, with `pkg-config --cflags --libs ibpf`, against the shared library
# and against the static one, and run both: each opens simple_test.o, runs
# it with ctx x = 7 and reads .bss back (107).
#
# The library boundary: libibpf.so must export exactly the functions declared
# in include/ibpf/*.h, each marked IBPF_API, and src/libibpf.map must list
# exactly those; the .so carries a SONAME with the usual symlinks installed,
# and an application defining functions named like the library's internals
# (analyze, check_alu, ...) must not replace them.
#
# Needs build/progs/simple_test.o (make progs).  Environment: CC (cc),
# MAKE (make), BUILD (the Makefile's build directory, default build),
# IBPF_TEST_OBJDIR (build/progs).  Prints "N passed, N failed";
# exits 1 on any failure, 2 when it cannot even install.
set -u
cd "$(dirname "$0")/.." || exit 2
PREFIX=${1:-/tmp/ibpf-inst}
CC=${CC:-cc}
MAKE=${MAKE:-make}
OBJ=${IBPF_TEST_OBJDIR:-build/progs}/simple_test.o
T=$(mktemp -d "${TMPDIR:-/tmp}/ibpf-install.XXXXXX") || exit 2
trap 'rm -rf "$T"' EXIT
pass=0 fail=0
ok()  { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; shift; printf '  %s\n' "$@"; }

case $PREFIX in /|/usr|/usr/local) echo "install_check: refusing to empty $PREFIX" >&2; exit 2;; esac
[ -f "$OBJ" ] || { echo "install_check: $OBJ missing (make progs)" >&2; exit 2; }
rm -rf "$PREFIX"
if ! out=$("$MAKE" -s install PREFIX="$PREFIX" ${BUILD:+BUILD="$BUILD"} 2>&1); then
	echo "install_check: make install PREFIX=$PREFIX failed:" >&2
	echo "$out" >&2
	exit 2
fi
for f in bin/ibpf lib/libibpf.a lib/libibpf.so lib/libibpf.so.0 include/ibpf/ibpf.h \
	lib/pkgconfig/ibpf.pc; do
	[ -e "$PREFIX/$f" ] && ok "installed $f" || bad "installed $f" "missing $PREFIX/$f"
done

# ---- the library boundary ---------------------------------------------------
SO=$(readlink -f "$PREFIX/lib/libibpf.so")
soname=$(readelf -d "$SO" 2>/dev/null | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
if [ "$soname" = libibpf.so.0 ] && [ -L "$PREFIX/lib/libibpf.so" ] && [ -L "$PREFIX/lib/libibpf.so.0" ] &&
	[ "$(readlink -f "$PREFIX/lib/libibpf.so.0")" = "$SO" ] && [ "${SO##*/}" != libibpf.so.0 ]; then
	ok "SONAME libibpf.so.0; libibpf.so and libibpf.so.0 link to ${SO##*/}"
else
	bad "SONAME and symlinks" "SONAME '$soname'" "$(ls -l "$PREFIX/lib/" 2>&1)"
fi

# Every top-level function declared in the installed headers, one per line as
# "NAME marked" or "NAME unmarked" (IBPF_API present or not): the headers are
# preprocessed with IBPF_API kept as a visible token, struct and function
# bodies are dropped, typedefs and static functions skipped, and each
# remaining declaration's name is its first `identifier(`.
header_api() {
	local h
	for h in "$PREFIX"/include/ibpf/*.h; do
		"$CC" -E -DIBPF_API=IBPF_API_MARK -I"$PREFIX/include" "$h" || return 1
	done | awk -v dir="$PREFIX/include/ibpf/" '
	/^# [0-9]+ "/ { f = $3; gsub(/"/, "", f); keep = index(f, dir) == 1; next }
	/^#/ { next }
	keep { buf = buf " " $0 }
	function emit(st,   name) {
		while (match(st, /__attribute__ *\(\([^()]*(\([^()]*\)[^()]*)*\)\)/))
			st = substr(st, 1, RSTART - 1) substr(st, RSTART + RLENGTH)
		if (st ~ /(^|[^A-Za-z0-9_])(typedef|static)[^A-Za-z0-9_]/ ||
		    !match(st, /[A-Za-z_][A-Za-z0-9_]*\(/))
			return
		name = substr(st, RSTART, RLENGTH - 1)
		print name, (st ~ /(^|[^A-Za-z0-9_])IBPF_API_MARK[^A-Za-z0-9_]/ ? "marked" : "unmarked")
	}
	END {
		n = length(buf); depth = 0; st = ""
		for (i = 1; i <= n; i++) {
			c = substr(buf, i, 1)
			if (c == "{") { depth++; continue }
			if (c == "}") { if (--depth == 0) { emit(st); st = "" } continue }
			if (depth) continue
			if (c == ";") { emit(st); st = ""; continue }
			st = st c
		}
	}' | sort -u
}
if ! api=$(header_api) || [ "$(printf '%s\n' "$api" | grep -c .)" -lt 10 ]; then
	bad "public API read from include/ibpf/*.h" "found: $api"
else
	ok "public API read from include/ibpf/*.h: $(printf '%s\n' "$api" | grep -c .) functions"
	unmarked=$(printf '%s\n' "$api" | awk '$2 == "unmarked" { print $1 }')
	# shellcheck disable=SC2086
	[ -z "$unmarked" ] && ok "every public function is marked IBPF_API" ||
		bad "every public function is marked IBPF_API" "unmarked:" $unmarked
	printf '%s\n' "$api" | awk '{ print $1 }' | sort -u >"$T/api.txt"
	sed -e 's|/\*.*\*/||' src/libibpf.map | awk '
		/global:/ { on = 1; next } /local:/ { on = 0 }
		on { gsub(/[;[:space:]]/, ""); if ($0 != "") print }' | sort -u >"$T/map.txt"
	if d=$(diff "$T/api.txt" "$T/map.txt"); then
		ok "src/libibpf.map lists exactly the public API"
	else
		bad "src/libibpf.map lists exactly the public API" "< headers, > libibpf.map:" "$d"
	fi
	nm -D --defined-only "$SO" | awk '$2 != "A" { sub(/@.*/, "", $3); print $3 }' |
		sort -u >"$T/so.txt"
	if d=$(diff "$T/api.txt" "$T/so.txt"); then
		ok "libibpf.so exports exactly the public API ($(wc -l <"$T/so.txt") symbols)"
	else
		bad "libibpf.so exports exactly the public API" "< headers, > nm -D --defined-only:" "$d"
	fi
	unversioned=$(nm -D --defined-only "$SO" | awk '$2 != "A" && $3 !~ /@@IBPF_0\.1$/' | head -3)
	[ -z "$unversioned" ] && ok "every exported symbol has version IBPF_0.1" ||
		bad "every exported symbol has version IBPF_0.1" "$unversioned"
fi
"$PREFIX/bin/ibpf" show "$OBJ" >/dev/null 2>&1 && ok "installed ibpf runs" ||
	bad "installed ibpf runs" "$PREFIX/bin/ibpf show $OBJ failed"

export PKG_CONFIG_PATH=$PREFIX/lib/pkgconfig
if ! command -v pkg-config >/dev/null; then
	bad "pkg-config" "pkg-config is not installed"
elif ! pkg-config --exists ibpf; then
	bad "pkg-config finds ibpf" "$(pkg-config --print-errors --exists ibpf 2>&1)"
else
	ok "pkg-config finds ibpf ($(pkg-config --modversion ibpf))"
fi

cat >"$T/user.c" <<'EOF'
/* A user of the installed library: open, run, read a map. */
#include <stdio.h>
#include <string.h>
#include <ibpf/ibpf.h>

int main(int argc, char **argv)
{
	char log[512] = "";
	IBPF_OPTS(ibpf_object_open_opts, oo, .log_buf = log, .log_size = sizeof(log));
	struct ibpf_object *obj = ibpf_object__open_file(argc > 1 ? argv[1] : "", &oo);
	struct ibpf_program *prog;
	struct ibpf_map *bss;
	unsigned long long ctx = 7, out = 0;
	unsigned key = 0;

	if (!obj) {
		fprintf(stderr, "open: %s\n", log);
		return 1;
	}
	prog = ibpf_object__find_program_by_name(obj, "simple_test");
	bss = ibpf_object__find_map_by_name(obj, ".bss");
	IBPF_OPTS(ibpf_test_run_opts, ro, .ctx_in = &ctx, .ctx_size_in = sizeof(ctx),
		  .log_buf = log, .log_size = sizeof(log));
	if (!prog || !bss || ibpf_prog_test_run_opts(prog, &ro) ||
	    ibpf_map__lookup_elem(bss, &key, sizeof(key), &out, sizeof(out), 0)) {
		fprintf(stderr, "run: %s\n", log);
		return 1;
	}
	printf("retval %lld, .bss %llu\n", (long long)ro.retval, out);
	ibpf_object__close(obj);
	return ro.retval == 0 && out == 107 ? 0 : 1;
}
EOF

# An application whose own functions share names with the library's
# internals (the verifier's liveness pass, its ALU checks, ...).  When
# libibpf.so exported those, the application's copies silently replaced the
# library's: here they abort.
cat >"$T/clash.c" <<'EOF'
#include <stdlib.h>
void analyze(void);
void check_alu(void);
void check_cfg(void);
void branch_taken(void);
void cur_regs(void);
void analyze(void) { abort(); }
void check_alu(void) { abort(); }
void check_cfg(void) { abort(); }
void branch_taken(void) { abort(); }
void cur_regs(void) { abort(); }
EOF

# Shared: what `pkg-config --cflags --libs ibpf` gives, plus an rpath
# because PREFIX is not in the loader's path.
# shellcheck disable=SC2046
if out=$("$CC" -Wall -Werror "$T/user.c" "$T/clash.c" -o "$T/user_shared" \
	$(pkg-config --cflags --libs ibpf) -Wl,-rpath,"$PREFIX/lib" 2>&1); then
	ok "link against libibpf.so with pkg-config --cflags --libs"
	if ldd "$T/user_shared" | grep -q "libibpf.so.0 => $PREFIX/lib/libibpf.so.0"; then
		ok "user_shared loads $PREFIX/lib/libibpf.so.0 (the SONAME)"
	else
		bad "user_shared loads $PREFIX/lib/libibpf.so.0 (the SONAME)" "$(ldd "$T/user_shared")"
	fi
	out=$("$T/user_shared" "$OBJ" 2>&1) &&
		ok "user_shared runs simple_test, its own analyze() etc. ignored: $out" ||
		bad "user_shared runs simple_test, its own analyze() etc. ignored" "$out"
else
	bad "link against libibpf.so with pkg-config --cflags --libs" "$out"
fi

# Static: libibpf.a, with the private dependencies pkg-config --static adds.
libs=$(pkg-config --static --libs ibpf | sed 's/-libpf\b/-Wl,-Bstatic -libpf -Wl,-Bdynamic/')
# shellcheck disable=SC2046,SC2086
if out=$("$CC" -Wall -Werror "$T/user.c" -o "$T/user_static" $(pkg-config --cflags ibpf) \
	$libs 2>&1); then
	ok "link against libibpf.a with pkg-config --static --libs"
	if ldd "$T/user_static" | grep -q libibpf; then
		bad "user_static does not need libibpf.so" "$(ldd "$T/user_static")"
	else
		ok "user_static does not need libibpf.so"
	fi
	out=$("$T/user_static" "$OBJ" 2>&1) && ok "user_static runs simple_test: $out" ||
		bad "user_static runs simple_test" "$out"
else
	bad "link against libibpf.a with pkg-config --static --libs" "$out"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
