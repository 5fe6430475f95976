#!/usr/bin/env bash
# tests/install_check.sh [PREFIX] - `make install` into PREFIX (default
# /tmp/ibpf-inst, emptied first), then build a tiny program the way a user
# would, with `pkg-config --cflags --libs ibpf`, against the shared library
# and against the static one, and run both: each opens simple_test.o, runs
# it with ctx x = 7 and reads .bss back (107).
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
for f in bin/ibpf lib/libibpf.a lib/libibpf.so include/ibpf/ibpf.h lib/pkgconfig/ibpf.pc; do
	[ -e "$PREFIX/$f" ] && ok "installed $f" || bad "installed $f" "missing $PREFIX/$f"
done
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

# Shared: what `pkg-config --cflags --libs ibpf` gives, plus an rpath
# because PREFIX is not in the loader's path.
# shellcheck disable=SC2046
if out=$("$CC" -Wall -Werror "$T/user.c" -o "$T/user_shared" $(pkg-config --cflags --libs ibpf) \
	-Wl,-rpath,"$PREFIX/lib" 2>&1); then
	ok "link against libibpf.so with pkg-config --cflags --libs"
	if ldd "$T/user_shared" | grep -q "$PREFIX/lib/libibpf.so"; then
		ok "user_shared uses $PREFIX/lib/libibpf.so"
	else
		bad "user_shared uses $PREFIX/lib/libibpf.so" "$(ldd "$T/user_shared")"
	fi
	out=$("$T/user_shared" "$OBJ" 2>&1) && ok "user_shared runs simple_test: $out" ||
		bad "user_shared runs simple_test" "$out"
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
