#!/usr/bin/env bash
# tests/progs/kernel_ref/run.sh [PROGDIR] - the running kernel as the oracle.
#
# Builds kernel_ref (gcc + libbpf), then runs the examples that need no callx
# (calculon_switch, loop_callback) in the kernel through examples/run.sh -
# the same checks ibpf's run of the examples must pass - and reports the
# kernel's verified_insns for them.  Finally it reports (without failing)
# whether the kernel still rejects the callx examples.
#
#   PROGDIR   objects built by `make progs` (default build/progs); objects
#             missing there are compiled into a temporary directory with the
#             Makefile's flags.
# Environment: CC (gcc), CLANG19 (clang-19), CLANG14 (clang-14),
#              KERNEL_REF (use this kernel_ref binary instead of building one).
#
# Exit: 0 all kernel results as expected, or kernel BPF unavailable (prints
# "SKIP"); 1 a mismatch; 2 build problem.
set -u

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
PROGDIR=${1:-$root/build/progs}
CC=${CC:-gcc}
CLANG19=${CLANG19:-clang-19}
CLANG14=${CLANG14:-clang-14}

TMP=$(mktemp -d "${TMPDIR:-/tmp}/kernel-ref.XXXXXX") || exit 2
trap 'rm -rf "$TMP"' EXIT

if [ -n "${KERNEL_REF:-}" ]; then
	kref=$KERNEL_REF
else
	kref=$TMP/kernel_ref
	if ! "$CC" -O2 -Wall -Wextra -o "$kref" "$here/kernel_ref.c" -lbpf; then
		echo "kernel_ref: build failed (needs libbpf-dev)" >&2
		exit 2
	fi
fi

# Objects: take PROGDIR's, compile the missing ones.
multiarch=$("$CC" -dumpmachine 2>/dev/null)
bpf_cflags=(--target=bpf -O2 -g -mcpu=v3 "-I/usr/include/$multiarch" "-I$root/examples/include" -Wall)
objdir=$TMP/progs
mkdir -p "$objdir"
for ex in calculon_switch loop_callback simple_test calculon table_test rodata_ops; do
	for v in "$ex.o:$CLANG19" "$ex.clang14.o:$CLANG14"; do
		obj=${v%%:*} cc=${v#*:}
		if [ -f "$PROGDIR/$obj" ]; then
			cp "$PROGDIR/$obj" "$objdir/$obj"
		elif ! "$cc" "${bpf_cflags[@]}" -c "$root/examples/$ex.bpf.c" -o "$objdir/$obj"; then
			echo "kernel_ref: cannot compile examples/$ex.bpf.c with $cc" >&2
			exit 2
		fi
	done
done

# Is the kernel's bpf() usable here?
"$kref" run "$objdir/loop_callback.o" --ctx 00000000000000000000000000000000 >/dev/null 2>"$TMP/probe"
rc=$?
if [ $rc -eq 3 ]; then
	echo "SKIP: kernel BPF unavailable: $(tail -n 1 "$TMP/probe")"
	exit 0
fi

echo "== kernel $(uname -r): examples without callx"
EXAMPLES="calculon_switch loop_callback" "$root/examples/run.sh" "$kref" "$objdir"
status=$?

echo "== kernel verified_insns"
for o in calculon_switch.o calculon_switch.clang14.o loop_callback.o loop_callback.clang14.o; do
	prog=${o%%.*}
	insns=$("$kref" run "$objdir/$o" --prog "$prog" --ctx 00000000000000000000000000000000 --json 2>/dev/null |
		python3 -c 'import json, sys; print(json.load(sys.stdin)["verified_insns"])' 2>/dev/null)
	echo "$o: verified_insns ${insns:-?}"
done

echo "== kernel on the callx examples (informational)"
for o in simple_test.o simple_test.clang14.o calculon.o table_test.o rodata_ops.o; do
	if "$kref" run "$objdir/$o" --ctx 00000000000000000000000000000000 >/dev/null 2>"$TMP/err"; then
		echo "$o: accepted by the kernel"
	else
		why=$(grep -m1 -E 'unknown opcode|not supported|bad map relo|invalid' "$TMP/err")
		echo "$o: rejected (${why:-$(tail -n 1 "$TMP/err")})"
	fi
done

exit $status
