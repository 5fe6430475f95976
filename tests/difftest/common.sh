# shellcheck shell=bash disable=SC2034,SC2154
# common.sh - sourced by run.sh and random.sh: find or build ibpf and
# kernel_ref, check the tools, and find out whether the kernel is reachable.
# Sets IBPF, KREF, DT_OUT and DT_SKIP (1: print SKIP and exit 0).
# Expects $here (tests/difftest) and $root (the repository).

dt_prepare() {
	DT_OUT=${DIFFTEST_OUT:-$root/build/difftest}
	IBPF=${IBPF:-$root/build/ibpf}
	CC=${CC:-gcc}
	CLANG19=${CLANG19:-clang-19}
	export CLANG19
	DT_SKIP=0
	mkdir -p "$DT_OUT" || return 2

	for tool in python3 "$CLANG19" llvm-objdump-19; do
		if ! command -v "$tool" >/dev/null 2>&1; then
			echo "difftest: $tool not found (scripts/install-deps.sh installs it)" >&2
			return 2
		fi
	done
	if [ ! -x "$IBPF" ]; then
		echo "difftest: building ibpf"
		make -C "$root" -j"$(nproc 2>/dev/null || echo 2)" all >/dev/null || return 2
	fi

	if [ -n "${KERNEL_REF:-}" ]; then
		KREF=$KERNEL_REF
	else
		KREF=$DT_OUT/kernel_ref
		src=$root/tests/progs/kernel_ref/kernel_ref.c
		if [ ! -x "$KREF" ] || [ "$src" -nt "$KREF" ]; then
			if [ ! -e /usr/include/bpf/libbpf.h ]; then
				echo "SKIP: difftest: libbpf-dev is not installed, no kernel loader"
				DT_SKIP=1
				return 0
			fi
			"$CC" -O2 -Wall -Wextra -o "$KREF" "$src" -lbpf || {
				echo "difftest: cannot build kernel_ref" >&2
				return 2
			}
		fi
	fi

	# Is the kernel's bpf() usable?  kernel_ref exits 3 when it is not.
	if [ "$(id -u)" != 0 ]; then
		echo "SKIP: difftest: not root, the kernel's bpf() is not usable here"
		DT_SKIP=1
		return 0
	fi
	local probe=$DT_OUT/probe.o
	if [ ! -s "$probe" ] || [ "$here/probe.c" -nt "$probe" ]; then
		"$CLANG19" --target=bpf -O2 -g -mcpu=v3 "-I/usr/include/$("$CC" -dumpmachine)" \
			-c "$here/probe.c" -o "$probe" || return 2
	fi
	"$KREF" run "$probe" --ctx 0000000000000000 >/dev/null 2>"$DT_OUT/probe.err"
	case $? in
	0) ;;
	3)
		echo "SKIP: difftest: kernel BPF unavailable: $(tail -n 1 "$DT_OUT/probe.err")"
		DT_SKIP=1
		;;
	*)
		echo "SKIP: difftest: the kernel refuses even a trivial program: $(tail -n 1 "$DT_OUT/probe.err")"
		DT_SKIP=1
		;;
	esac
	return 0
}
