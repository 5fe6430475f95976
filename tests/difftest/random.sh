#!/usr/bin/env bash
# tests/difftest/random.sh [N [SEED]] [-v] - randomized differential
# verification: N random programs (default 200) from SEED (default: a new one,
# printed), each loaded into the kernel and into ibpf; verdicts and results
# compared; every program ibpf accepts also runs in ibpf's checked mode on
# random ctx and map contents.  ibpf-accept/kernel-reject programs and
# checked-mode faults are printed as reproducers and saved under
# tests/difftest/repro/ (corpus format: copy one into corpus/ to keep it).
#
# Environment: as run.sh (IBPF, KERNEL_REF, DIFFTEST_OUT, CC, CLANG19);
#   CHECKED_RUNS (random inputs per accepted program, default 2).
# Exit: 0 no false accept and no checked-mode fault (or the kernel is not
#   reachable: "SKIP"); 1 otherwise; 2 build problems.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$here/common.sh"

n=200
seed=
extra=()
for a in "$@"; do
	case $a in
	-*) extra+=("$a") ;;
	*) if [ -z "${n_set:-}" ]; then n=$a; n_set=1; else seed=$a; fi ;;
	esac
done
if [ -z "$seed" ]; then
	seed=$(( $(date +%s) % 1000000 ))
fi
echo "random difftest: $n programs, seed $seed (rerun: tests/difftest/random.sh $n $seed)"

dt_prepare || exit $?
[ "$DT_SKIP" = 1 ] && exit 0
exec python3 "$here/random_gen.py" --ibpf "$IBPF" --kref "$KREF" --workdir "$DT_OUT/random" \
	--n "$n" --seed "$seed" --checked-runs "${CHECKED_RUNS:-2}" "${extra[@]}"
