// SPDX-License-Identifier: GPL-2.0
/*
 * attack3_02 - an endless loop around bpf_loop() is accepted: the in-flight
 * RANGE pruning at a callback's entry mistakes the callback's entry from an
 * EARLIER bpf_loop CALL (previous iteration of the caller's own loop) for an
 * earlier iteration of the same bpf_loop, and widening makes the caller's
 * loop counter converge.
 *
 *   for (;;) { n++; flag = 0; bpf_loop(1, cb, &flag, 0); if (!flag) break; }
 *   cb: *ctx = 1
 *
 * At run time the callback always sets flag, so the program never ends.
 * Verifier (prune.c prune_check, a->callback_entry): the 2nd call's callback
 * entry finds the 1st call's entry checkpoint in flight (same frames: same
 * callsite, same subprog), widen_imprecise() turns the caller's counter w6
 * (1 vs 2, imprecise) into an unknown scalar; at the 3rd call's entry the
 * state is RANGE-within the 2nd's -> "safe" and mark_all_precise().  The
 * zero-iteration branch sees flag == 0 and leaves the loop, so the exact
 * infinite-loop check never fires.  bpf_loop bounds the iterations of ONE
 * call; nothing bounds how often the caller's loop calls it.
 *
 * Expected: rejected (kernel 6.18: "BPF program is too large. Processed
 * 1000001 insn"; the kernel widens only for open-coded iterators).
 * Actual: accepted; ibpf run never returns (host thread spins forever; no
 * run-time instruction budget).  Not memory corruption, but an accepted
 * program that does not terminate.
 *   make build/ibpf build/progs/attack3_02.o
 *   build/ibpf verify build/progs/attack3_02.o                      # rc 0
 *   timeout 10 build/ibpf run build/progs/attack3_02.o --ctx 00     # rc 124
 *   timeout 10 build/ibpf run build/progs/attack3_02.o --engine jit --ctx 00  # rc 124
 * Root cause: prune.c treats every in-flight checkpoint at a callback entry
 * with the same frame chain as a previous iteration of the same bpf_loop
 * call (both for RANGE pruning and for widen_imprecise).  It must only match
 * entries since the current bpf_loop call began (e.g. record the helper
 * call's trail position / a per-call generation in the callback frame and
 * compare it), so that a loop in the caller around the call still needs the
 * exact loop check or the complexity limit to end.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

/* ctx points at the caller's flag: set it. */
static __attribute__((noinline, used)) int a3_02_cb(__u32 i, void *ctx)
{
	*(volatile __u64 *)ctx = 1;
	return 0;
}

SEC("syscall") int attack3_02(void *ctx)
{
	volatile __u64 flag;
	__u64 n = 0;

	for (;;) {
		n++;
		flag = 0;
		bpf_loop(1, a3_02_cb, (void *)&flag, 0);
		if (flag == 0)
			break;
	}
	return (int)n;
}

char _license[] SEC("license") = "GPL";
