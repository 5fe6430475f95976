// SPDX-License-Identifier: GPL-2.0
/* loops.c - bounded loops (explored iteration by iteration, or pruned),
 * infinite loops (the kernel's "infinite loop detected"), loops whose
 * accesses run out of bounds on the last iteration, and the 1,000,000
 * processed-instruction limit. */
#include "difftest.h"

SUB(sub_add3, "r0 = r1; r0 += 3; exit;")

/* @test lp_count_10: sum of 0..9
 * @expect accept
 */
ASM(lp_count_10,
	"r6 = 0; r7 = 0;"
	"1: r7 += r6;"
	"r6 += 1;"
	"if r6 < 10 goto 1b;"
	"r0 = r7;"
	"exit;")

/* @test lp_count_ctx: a loop whose trip count (0..15) comes from the ctx
 * @expect accept
 * @ctx 0b00000000000000
 */
ASM(lp_count_ctx,
	"r6 = *(u64 *)(r1 + 0);"
	"r6 &= 15;"
	"r0 = 0;"
	"if r6 == 0 goto 2f;"
	"1: r0 += 2;"
	"r6 -= 1;"
	"if r6 != 0 goto 1b;"
	"2: exit;")

/* @test lp_down_count: count down from 100
 * @expect accept
 */
ASM(lp_down_count,
	"r6 = 100; r0 = 0;"
	"1: r0 += r6;"
	"r6 -= 1;"
	"if r6 != 0 goto 1b;"
	"exit;")

/* @test lp_jmp32_counter: a 32-bit counter and a 32-bit compare
 * @expect accept
 */
ASM(lp_jmp32_counter,
	"w6 = 0; w0 = 1;"
	"1: w0 *= 3;"
	"w6 += 1;"
	"if w6 < 7 goto 1b;"
	"exit;")

/* @test lp_signed_counter: a signed counter from -5 to 4
 * @expect accept
 */
ASM(lp_signed_counter,
	"r6 = -5; r0 = 0;"
	"1: r0 += r6;"
	"r6 += 1;"
	"if r6 s< 5 goto 1b;"
	"exit;")

/* @test lp_nested: 10 x 10 nested loops
 * @expect accept
 */
ASM(lp_nested,
	"r6 = 0; r0 = 0;"
	"1: r7 = 0;"
	"2: r0 += 1;"
	"r7 += 1;"
	"if r7 < 10 goto 2b;"
	"r6 += 1;"
	"if r6 < 10 goto 1b;"
	"exit;")

/* @test lp_stack_fill: write fp-64 + 8*i for i in 0..7, then read one back
 * @expect accept
 */
ASM(lp_stack_fill,
	"r6 = 0;"
	"1: r2 = r6;"
	"r2 <<= 3;"
	"r3 = r10;"
	"r3 += -64;"
	"r3 += r2;"
	"*(u64 *)(r3 + 0) = r6;"
	"r6 += 1;"
	"if r6 < 8 goto 1b;"
	"r0 = *(u64 *)(r10 - 16);"
	"exit;")

/* @test lp_stack_fill_oob: the same for i in 0..8: the last write lands at fp+0
 * @expect reject
 */
ASM(lp_stack_fill_oob,
	"r6 = 0;"
	"1: r2 = r6;"
	"r2 <<= 3;"
	"r3 = r10;"
	"r3 += -64;"
	"r3 += r2;"
	"*(u64 *)(r3 + 0) = r6;"
	"r6 += 1;"
	"if r6 <= 8 goto 1b;"
	"r0 = 0;"
	"exit;")

/* @test lp_map_value_sum: sum the 64 bytes of a map value, one per iteration
 * @expect accept
 * @map big=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f
 */
ASM(lp_map_value_sum,
	GET_BIG
	"r7 = 0; r8 = 0;"
	"1: r2 = r0;"
	"r2 += r7;"
	"r3 = *(u8 *)(r2 + 0);"
	"r8 += r3;"
	"r7 += 1;"
	"if r7 < 64 goto 1b;"
	"r0 = r8;"
	"exit;")

/* @test lp_map_value_sum_oob: the same, one byte too far
 * @expect reject
 * @msg invalid access to map value
 */
ASM(lp_map_value_sum_oob,
	GET_BIG
	"r7 = 0; r8 = 0;"
	"1: r2 = r0;"
	"r2 += r7;"
	"r3 = *(u8 *)(r2 + 0);"
	"r8 += r3;"
	"r7 += 1;"
	"if r7 <= 64 goto 1b;"
	"r0 = r8;"
	"exit;")

/* @test lp_with_call: a loop calling a subprogram each iteration
 * @expect accept
 */
ASM(lp_with_call,
	"r6 = 0; r7 = 0;"
	"1: r1 = r7;"
	"call sub_add3;"
	"r7 = r0;"
	"r6 += 1;"
	"if r6 < 5 goto 1b;"
	"r0 = r7;"
	"exit;")

/* @test lp_infinite_self: a jump to itself
 * @expect reject
 * @msg infinite loop detected
 */
ASM(lp_infinite_self,
	"r0 = 0;"
	"1: goto 1b;")

/* @test lp_infinite_cond: if r1 == 0 goto back with r1 = 0 forever
 * @expect reject
 * @msg infinite loop detected
 */
ASM(lp_infinite_cond,
	"r0 = 0; r1 = 0;"
	"1: r0 += 1;"
	"r0 &= 0xff;"
	"if r1 == 0 goto 1b;"
	"exit;")

/* @test lp_wait_for_ctx: loop until an unchanging ctx value is 5: infinite for any other value
 * @expect reject
 * @msg infinite loop detected
 */
ASM(lp_wait_for_ctx,
	"r2 = *(u64 *)(r1 + 0);"
	"1: if r2 == 5 goto 2f;"
	"goto 1b;"
	"2: r0 = 0; exit;")

/* @test lp_20k: 20000 iterations of two instructions: about 40000 processed instructions
 * @expect accept
 */
ASM(lp_20k,
	"r0 = 0;"
	"1: r0 += 1;"
	"if r0 < 20000 goto 1b;"
	"exit;")

/* @test lp_too_many_insns: 600000 iterations: more than 1,000,000 processed instructions
 * @expect reject
 * @msg BPF program is too large
 */
ASM(lp_too_many_insns,
	"r0 = 0;"
	"1: r0 += 1;"
	"if r0 < 600000 goto 1b;"
	"exit;")

/* @test lp_pruned_unknown_body: 20 iterations with an unknown value in the body (states prune)
 * @expect accept
 * @ctx 0300000000000000
 */
ASM(lp_pruned_unknown_body,
	"r7 = *(u64 *)(r1 + 0);"
	"r6 = 0; r0 = 0;"
	"1: r2 = r7;"
	"r2 &= 1;"
	"if r2 == 0 goto 2f;"
	"r0 += 1;"
	"2: r7 >>= 1;"
	"r6 += 1;"
	"if r6 < 20 goto 1b;"
	"exit;")

/* @test lp_ctx_index: a loop over ctx[0..7] bytes (constant offsets after unrolling by the verifier)
 * @expect accept
 * @ctx 0102030405060708
 */
ASM(lp_ctx_index,
	"r6 = 0; r0 = 0;"
	"1: r2 = r1;"
	"r2 += r6;"
	"r3 = *(u8 *)(r1 + 0);"
	"r0 += r3;"
	"r6 += 1;"
	"if r6 < 8 goto 1b;"
	"exit;")

/* @test lp_ctx_var_ptr: a loop that dereferences ctx + i (a modified ctx pointer)
 * @expect reject
 * @msg dereference of modified ctx ptr
 */
ASM(lp_ctx_var_ptr,
	"r6 = 0; r0 = 0;"
	"1: r2 = r1;"
	"r2 += r6;"
	"r3 = *(u8 *)(r2 + 0);"
	"r0 += r3;"
	"r6 += 1;"
	"if r6 < 8 goto 1b;"
	"exit;")
