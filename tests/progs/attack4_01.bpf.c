// SPDX-License-Identifier: GPL-2.0
/*
 * attack4_01 - a syscall program's ctx pointer is assumed non-NULL, but a run
 * with an empty ctx (ctx_size_in == 0) passes r1 = NULL.
 *
 *   r6 = 0x41414141000   (a wild address)
 *   if r1 != 0 goto ok   ; verifier: r1 is ctx, "never NULL" -> always taken
 *   *(u64 *)(r6 + 0) = 1 ; never verified: the branch is "dead"
 * ok:
 *   r0 = 0; exit
 *
 * The program touches no ctx byte, so max_ctx_off = 0 and run.c accepts a
 * run without a ctx buffer: ctx = NULL (core/run.c: ctx is malloc'ed only
 * when ctx_size_in != 0).  The fall-through is then executed without ever
 * having been verified: a store to an arbitrary host address.
 *
 * Expected: the fall-through is explored (kernel: reg_not_null() does not
 * list PTR_TO_CTX, so is_branch_taken() returns -1 for ctx vs 0) and the
 * store through a scalar is rejected ("R6 invalid mem access 'scalar'").
 * Actual: accepted; `ibpf run` with no --ctx segfaults the host (store to
 * 0x41414141000), interpreter and JIT.
 *   make build/ibpf build/progs/attack4_01.o
 *   build/ibpf verify build/progs/attack4_01.o            # rc 0 (accepted)
 *   build/ibpf run build/progs/attack4_01.o               # SIGSEGV (interp/JIT)
 *   build/ibpf run build/progs/attack4_01.o --engine jit  # SIGSEGV
 * Root cause: verifier.c check_cond_jmp decides "a non-NULL pointer against
 * 0" for every pointer type except PTR_TO_MEM; PTR_TO_CTX of a syscall
 * program may be NULL at run time (no ctx given).  Either treat ctx vs 0 as
 * undecided (as the kernel does), or never run a syscall program with a
 * NULL ctx (run.c could always pass a non-NULL, possibly zero-length,
 * buffer).  Kernel 6.18 (bpftool prog load): "R6 invalid mem access
 * 'scalar'", rejected.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("syscall") int attack4_01(void *ctx)
{
	int ret;

	asm volatile (
		"r6 = 0x41414141000 ll;"
		"if r1 != 0 goto 1f;"
		"r2 = 1;"
		"*(u64 *)(r6 + 0) = r2;"
		"1:"
		"%[ret] = 0;"
		: [ret] "=r"(ret) : : "r1", "r2", "r6");
	return ret;
}

char _license[] SEC("license") = "GPL";
