// SPDX-License-Identifier: GPL-2.0
/*
 * attack3_01 - precision does not follow a scalar link across call frames.
 *
 * "r1 = r6; call sub" gives the caller's r6 and the callee's r1 one scalar
 * id (enter_function copies r1..r5 with their ids).  In the callee,
 * "if r1 > 7" refines r1 and, through sync_ids() (verifier.c), which walks
 * EVERY frame, also the caller's r6 to [0,7].  But note_linked() records
 * only the registers/slots of the running frame in the trail's 'linked'
 * masks, and sync_linked() (precise.c) only looks at frame t->frame.  So
 * when the caller later does "r0 += r6" -> mark_precise(r6), the walk back
 * through the callee never makes the callee's r1 (nor, at the call, the
 * caller's r1) precise.  The checkpoint at the call (insn 7) keeps r1
 * imprecise while r6 is precise-but-unbounded.
 *
 * Path A (r9 != 0, explored first): r1 = r6 (linked), callee bounds both.
 * Path B (r9 == 0): r6 unknown with an id of its own (r7 = r6), r1 = 0.  At
 * insn 7 regsafe(): r1 imprecise -> matches anything; r6 precise, unbounded
 * in both -> "7: safe".  At run time the callee checks the harmless 0 and the
 * caller adds an arbitrary r6 to the map value pointer.
 *
 * Expected: rejected (the kernel 6.18 says at insn 17: "math between
 * map_value pointer and register with unbounded min value is not allowed";
 * the kernel's collect_linked_regs() records linked registers of all frames).
 * Actual: accepted; OOB access from an 8-byte map value.
 *   make build/ibpf build/progs/attack3_01.o
 *   build/ibpf verify build/progs/attack3_01.o               # rc 0
 *   build/ibpf run build/progs/attack3_01.o --self-check --ctx 00000000010000000000000000000000
 *     -> self-check: insn 17: R6 = 0x100000000 is outside what the verifier
 *        proved: scalar(off=[0,7] ...)
 *   build/ibpf run build/progs/attack3_01.o --engine jit --ctx 00000000001000000000000000000000
 *     -> SIGSEGV
 * Root cause: verifier.c note_linked() collects linked copies of the current
 * frame only, while sync_ids() propagates the refinement to all frames;
 * precise.c sync_linked() likewise works per frame.  The trail needs the
 * linked registers/slots of every frame (frame + regno, as the kernel's
 * linked_regs in the jump history).
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} a3_01_map SEC(".maps");

/* r1 is linked (same scalar id) with the caller's r6 on path A. */
__attribute__((naked, noinline, used)) static int a3_01_sub(void)
{
	asm volatile (
		"if r1 > 7 goto l_out_%=;"
		"r0 = 1;"
		"exit;"
	"l_out_%=:"
		"r0 = 0;"
		"exit;"
		::: "memory");
}

SEC("syscall") __attribute__((naked)) int attack3_01(void *ctx)
{
	asm volatile (
		"r6 = *(u64 *)(r1 + 0);"
		"r9 = *(u64 *)(r1 + 8);"
		"if r9 == 0 goto l_b_%=;"
		"r1 = r6;"              /* path A: r1 and r6 linked */
		"goto l_call_%=;"
	"l_b_%=:"
		"r7 = r6;"              /* path B: r6 gets an id of its own */
		"r1 = 0;"               /* ... and the callee checks a harmless 0 */
	"l_call_%=:"
		"call a3_01_sub;"
		"if r0 == 0 goto l_exit_%=;"
		"r1 = 0;"
		"*(u32 *)(r10 - 4) = r1;"
		"r2 = r10;"
		"r2 += -4;"
		"r1 = %[map] ll;"
		"call %[lookup];"
		"if r0 == 0 goto l_exit_%=;"
		"r0 += r6;"
		"r0 = *(u8 *)(r0 + 0);"
		"exit;"
	"l_exit_%=:"
		"r0 = 0;"
		"exit;"
		:
		: [map] "i"(&a3_01_map), [lookup] "i"(BPF_FUNC_map_lookup_elem)
		: "memory");
}

char _license[] SEC("license") = "GPL";
