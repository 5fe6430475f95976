#!/usr/bin/env bash
# tests/difftest/run.sh [-j N] [-k SUBSTR]... [-v] [CORPUS_FILE.c ...]
#
# The differential harness: builds kernel_ref and the corpus
# (tests/difftest/corpus/*.c, clang-19), then loads every corpus program into
# the running kernel and into ibpf and compares verdicts and results (the
# kernel's test run, ibpf's JIT and ibpf's interpreter).  Prints every
# disagreement (false accepts first), `N/M agree` and a FAIL line per failing
# program.
#
# Environment: IBPF (default build/ibpf, built with `make all` when missing),
#   KERNEL_REF (a kernel_ref binary; default: built into $DIFFTEST_OUT),
#   DIFFTEST_OUT (default build/difftest), CC, CLANG19.
# Exit: 0 agreement >= 98%, no false accept, no result mismatch, no
#   checked-mode fault, or the kernel is not reachable ("SKIP"); 1 otherwise;
#   2 build problems.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$here/common.sh"

dt_prepare || exit $?
[ "$DT_SKIP" = 1 ] && exit 0
exec python3 "$here/difftest.py" --ibpf "$IBPF" --kref "$KREF" --objdir "$DT_OUT/corpus" "$@"
