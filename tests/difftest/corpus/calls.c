// SPDX-License-Identifier: GPL-2.0
/* calls.c - bpf-to-bpf calls: frames, arguments, r0 returned, r1-r5
 * clobbered, r6-r9 kept, pointers into the caller's stack, recursion, the
 * 8-frame limit and the 512-byte combined stack. */
#include "difftest.h"

SUB(sub_inc, "r0 = r1; r0 += 1; exit;")
SUB(sub_clobber_r6, "r6 = 99; r7 = 98; r0 = 0; exit;")
SUB(sub_no_r0, "r1 += 1; exit;")
SUB(sub_reads_r2, "r0 = r2; exit;")
SUB(sub_write_arg, "r2 = 21; *(u64 *)(r1 + 0) = r2; r0 = 0; exit;")
SUB(sub_read_arg_oob, "r0 = *(u64 *)(r1 + 8); exit;")
SUB(sub_ret_arg, "r0 = r1; exit;")
SUB(sub_ret_own_stack, "r0 = r10; r0 += -8; exit;")
SUB(sub_sum5, "r0 = r1; r0 += r2; r0 += r3; r0 += r4; r0 += r5; exit;")
SUB(sub_mask7, "r0 = r1; r0 &= 7; exit;")
SUB(sub_own_stack, "r1 = 5; *(u64 *)(r10 - 8) = r1; r0 = *(u64 *)(r10 - 8); exit;")
SUB(sub_uninit_stack, "r0 = *(u64 *)(r10 - 16); r0 = 1; exit;")
SUB(sub_recurse, "r1 += 1; call sub_recurse; exit;")
SUB(sub_mutual_b, "call sub_mutual_a; exit;")
SUB(sub_mutual_a, "r0 = 1; if r1 == 0 goto 1f; call sub_mutual_b; 1: exit;")
SUB(sub_stack_304, "r1 = 0; *(u64 *)(r10 - 304) = r1; r0 = 0; exit;")
SUB(sub_stack_256, "r1 = 0; *(u64 *)(r10 - 256) = r1; r0 = 0; exit;")
SUB(sub_stack_272, "r1 = 0; *(u64 *)(r10 - 272) = r1; r0 = 0; exit;")
SUB(sub_store_r2, "*(u64 *)(r1 + 0) = r2; r0 = 0; exit;")
SUB(sub_ret_ctx_field, "r0 = *(u64 *)(r1 + 0); exit;")

/* a chain: d1 calls d2 ... d7 calls d8 (main is frame 0) */
SUB(d8, "r0 = 8; exit;")
SUB(d7, "call d8; r0 += 1; exit;")
SUB(d6, "call d7; r0 += 1; exit;")
SUB(d5, "call d6; r0 += 1; exit;")
SUB(d4, "call d5; r0 += 1; exit;")
SUB(d3, "call d4; r0 += 1; exit;")
SUB(d2, "call d3; r0 += 1; exit;")
SUB(d1, "call d2; r0 += 1; exit;")

/* @test call_simple: a subprogram returns its argument + 1
 * @expect accept
 */
ASM(call_simple,
	"r1 = 41;"
	"call sub_inc;"
	"exit;")

/* @test call_r6_kept: r6-r9 survive a call (the callee writes its own r6/r7)
 * @expect accept
 * @ctx 0d00000000000000
 */
ASM(call_r6_kept,
	"r6 = r1;"
	"r7 = 3;"
	"call sub_clobber_r6;"
	"r0 = *(u64 *)(r6 + 0);"
	"r0 += r7;"
	"exit;")

/* @test call_r1_clobbered: r1 is not readable after a call
 * @expect reject
 * @msg R1 !read_ok
 */
ASM(call_r1_clobbered,
	"r1 = 5;"
	"call sub_inc;"
	"r0 = r1;"
	"exit;")

/* @test call_r5_clobbered: r5 is not readable after a call either
 * @expect reject
 * @msg R5 !read_ok
 */
ASM(call_r5_clobbered,
	"r1 = 5; r5 = 1;"
	"call sub_inc;"
	"r0 += r5;"
	"exit;")

/* @test call_sub_no_r0: the callee exits without setting r0
 * @expect reject
 * @msg R0 !read_ok
 */
ASM(call_sub_no_r0,
	"r1 = 5;"
	"call sub_no_r0;"
	"exit;")

/* @test call_sub_uninit_arg: the callee reads r2, which the caller never set
 * @expect reject
 * @msg R2 !read_ok
 */
ASM(call_sub_uninit_arg,
	"r1 = 5;"
	"call sub_reads_r2;"
	"exit;")

/* @test call_stack_arg: the callee writes through a pointer into the caller's stack
 * @expect accept
 */
ASM(call_stack_arg,
	"r1 = r10;"
	"r1 += -8;"
	"call sub_write_arg;"
	"r0 = *(u64 *)(r10 - 8);"
	"exit;")

/* @test call_stack_arg_oob: the callee reads 8 bytes past the caller's fp-8 (at the caller's fp)
 * @expect reject
 */
ASM(call_stack_arg_oob,
	"r1 = r10;"
	"r1 += -8;"
	"r2 = 0; *(u64 *)(r10 - 8) = r2;"
	"call sub_read_arg_oob;"
	"exit;")

/* @test call_ret_ptr: a callee returns the ctx pointer it was given
 * @expect accept
 * @ctx 1f00000000000000
 */
ASM(call_ret_ptr,
	"call sub_ret_arg;"
	"r0 = *(u64 *)(r0 + 0);"
	"exit;")

/* @test call_ret_own_stack: a callee returns a pointer into its own (dead) frame
 * @expect reject
 * @msg cannot return stack pointer to the caller
 */
ASM(call_ret_own_stack,
	"call sub_ret_own_stack;"
	"r0 = 0;"
	"exit;")

/* @test call_five_args: five arguments summed by the callee
 * @expect accept
 */
ASM(call_five_args,
	"r1 = 1; r2 = 2; r3 = 3; r4 = 4; r5 = 5;"
	"call sub_sum5;"
	"exit;")

/* @test call_ret_bounds: the callee's r0 = r1 & 7 keeps its bounds in the caller
 * @expect accept
 * @ctx 0600000000000000
 * @map big=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f
 */
ASM(call_ret_bounds,
	GET_BIG
	"r7 = r0;"
	"r1 = *(u64 *)(r6 + 0);"
	"call sub_mask7;"
	"r7 += r0;"
	"r0 = *(u64 *)(r7 + 0);"
	"exit;")

/* @test call_callee_frame: the callee's fp-8 is its own: the caller's fp-8 is unchanged
 * @expect accept
 */
ASM(call_callee_frame,
	"r1 = 40;"
	"*(u64 *)(r10 - 8) = r1;"
	"call sub_own_stack;"
	"r1 = *(u64 *)(r10 - 8);"
	"r0 += r1;"
	"exit;")

/* @test call_callee_uninit_stack: the callee reads its own never-written stack (privileged)
 * @expect accept
 */
ASM(call_callee_uninit_stack,
	"call sub_uninit_stack;"
	"exit;")

/* @test call_recursion: a subprogram that calls itself (the kernel follows it until 9 frames)
 * @expect reject
 * @msg too deep
 */
ASM(call_recursion,
	"r1 = 0;"
	"call sub_recurse;"
	"exit;")

/* @test call_mutual_recursion: a calls b calls a
 * @expect reject
 */
ASM(call_mutual_recursion,
	"r1 = 1;"
	"call sub_mutual_a;"
	"exit;")

/* @test call_depth_8: main + 7 nested calls = 8 frames
 * @expect accept
 */
ASM(call_depth_8,
	"call d2;"
	"exit;")

/* @test call_depth_9: main + 8 nested calls = 9 frames
 * @expect reject
 * @msg too deep
 */
ASM(call_depth_9,
	"call d1;"
	"exit;")

/* @test call_combined_stack_ok: 256 + 256 bytes of stack in two frames
 * @expect accept
 */
ASM(call_combined_stack_ok,
	"r1 = 0;"
	"*(u64 *)(r10 - 256) = r1;"
	"call sub_stack_256;"
	"exit;")

/* @test call_combined_stack_too_big: 256 + 304 bytes of stack in two frames
 * @expect reject
 * @msg combined stack size
 */
ASM(call_combined_stack_too_big,
	"r1 = 0;"
	"*(u64 *)(r10 - 256) = r1;"
	"call sub_stack_304;"
	"exit;")

/* @test call_ctx_to_sub: the ctx passed to a subprogram is still the ctx there
 * @expect accept
 * @ctx 2300000000000000
 */
ASM(call_ctx_to_sub,
	"call sub_ret_ctx_field;"
	"exit;")

/* @test call_scalar_to_sub_deref: the callee dereferences an argument that is a scalar
 * @expect reject
 * @msg invalid mem access 'scalar'
 */
ASM(call_scalar_to_sub_deref,
	"r1 = 64;"
	"call sub_ret_ctx_field;"
	"exit;")

/* @test call_two_paths: the same load in a subprogram used once with the ctx, once with a stack
 * pointer: the kernel refuses (it rewrites ctx loads per instruction)
 * @expect reject
 * @msg same insn cannot be used with different pointers
 * @ctx 0400000000000000
 */
ASM(call_two_paths,
	"r6 = r1;"
	"r2 = *(u64 *)(r1 + 0);"
	"*(u64 *)(r10 - 8) = r2;"
	"if r2 > 3 goto 1f;"
	"r1 = r6;"
	"goto 2f;"
	"1: r1 = r10; r1 += -8;"
	"2: call sub_ret_ctx_field;"
	"exit;")

/* @test call_combined_stack_rounding: 240 + 272 = 512 bytes: fits when each frame is rounded to
 * 16 bytes (the kernel, JIT requested), not when rounded to 32
 * @expect accept
 */
ASM(call_combined_stack_rounding,
	"r1 = 0;"
	"*(u64 *)(r10 - 240) = r1;"
	"call sub_stack_272;"
	"exit;")

/* @test call_spill_stack_ptr_to_caller: a callee stores a stack pointer into the caller's frame
 * (found by random.sh)
 * @expect reject
 * @msg cannot spill pointers to stack into stack frame of the caller
 */
ASM(call_spill_stack_ptr_to_caller,
	"r1 = r10;"
	"r1 += -16;"
	"r2 = r1;"
	"call sub_store_r2;"
	"exit;")

/* @test call_spill_ctx_to_caller: a callee stores the ctx pointer into the caller's frame (allowed)
 * @expect accept
 * @ctx 1500000000000000
 */
ASM(call_spill_ctx_to_caller,
	"r6 = r1;"
	"r2 = r1;"
	"r1 = r10;"
	"r1 += -16;"
	"call sub_store_r2;"
	"r1 = *(u64 *)(r10 - 16);"
	"r0 = *(u64 *)(r1 + 0);"
	"exit;")

/* @test call_spill_scalar_to_caller: a callee stores a scalar into the caller's frame
 * @expect accept
 */
ASM(call_spill_scalar_to_caller,
	"r1 = r10;"
	"r1 += -16;"
	"r2 = 37;"
	"call sub_store_r2;"
	"r0 = *(u64 *)(r10 - 16);"
	"exit;")
