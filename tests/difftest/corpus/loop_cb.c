// SPDX-License-Identifier: GPL-2.0
/* loop_cb.c - bpf_loop (helper 181) and its callback: the callback is
 * verified with r1 = the index (a u32 scalar) and r2 = the callback ctx
 * (what the caller passed: a stack pointer or NULL); its r0 must be in [0, 1];
 * a callback argument must be a function; nested loops; results at run time. */
#include "difftest.h"

/* ASM with extra operands (the callbacks) */
#define LASM(name, body, ...) ASM_PROG(name) { asm volatile(body :: ASM_OPS, __VA_ARGS__ : "memory"); }

SUB(cb_ret0, "r0 = 0; exit;")
SUB(cb_ret1, "r0 = 1; exit;")
SUB(cb_ret2, "r0 = 2; exit;")
SUB(cb_ret_neg, "r0 = -1; exit;")
SUB(cb_ret_index, "r0 = r1; exit;")
SUB(cb_ret_index_bit, "r0 = r1; r0 &= 1; exit;")
SUB(cb_no_r0, "r1 += 1; exit;")
/* *(u64 *)ctx += index */
SUB(cb_sum, "r3 = *(u64 *)(r2 + 0); r3 += r1; *(u64 *)(r2 + 0) = r3; r0 = 0; exit;")
/* writes ctx + 8: past the 8-byte slot the caller passes */
SUB(cb_write_past, "r3 = 1; *(u64 *)(r2 + 8) = r3; r0 = 0; exit;")
/* reads below the 16 bytes the caller passes? (r2 - 8) */
SUB(cb_read_below, "r0 = *(u64 *)(r2 - 8); r0 = 0; exit;")
/* dereferences ctx without a NULL check */
SUB(cb_deref_ctx, "r0 = *(u64 *)(r2 + 0); r0 = 0; exit;")
/* stops after index 4 */
SUB(cb_stop_at_4, "r0 = 0; if r1 < 4 goto 1f; r0 = 1; 1: exit;")
/* uses the index as an offset into a 64-byte map value (unbounded u32) */
SUB(cb_index_offset, "r6 = r1;"
	"r1 = 0; *(u32 *)(r10 - 4) = r1;"
	"r2 = r10; r2 += -4;"
	"r1 = %[big] ll;"
	"call %[bpf_map_lookup_elem];"
	"if r0 == 0 goto 1f;"
	"r0 += r6;"
	"r0 = *(u8 *)(r0 + 0);"
	"1: r0 = 0; exit;")
/* the same with index & 63 */
SUB(cb_index_masked, "r6 = r1;"
	"r1 = 0; *(u32 *)(r10 - 4) = r1;"
	"r2 = r10; r2 += -4;"
	"r1 = %[big] ll;"
	"call %[bpf_map_lookup_elem];"
	"if r0 == 0 goto 1f;"
	"r6 &= 63;"
	"r0 += r6;"
	"r0 = *(u8 *)(r0 + 0);"
	"1: r0 = 0; exit;")
/* runs an inner bpf_loop of 3 iterations of cb_sum on the same ctx */
ASM_SUB(cb_nested)
{
	asm volatile("r3 = r2; r1 = 3; r2 = %[cb_sum] ll; r4 = 0; call %[bpf_loop]; r0 = 0; exit;"
		     :: ASM_OPS, [cb_sum] "i"(cb_sum) : "memory");
}

/* @test lc_basic: 10 iterations of a callback returning 0: bpf_loop returns 10
 * @expect accept
 */
LASM(lc_basic,
	"r1 = 10; r2 = %[cb_ret0] ll; r3 = 0; r4 = 0;"
	"call %[bpf_loop];"
	"exit;", [cb_ret0] "i"(cb_ret0))

/* @test lc_ret1_stops: a callback returning 1 stops after the first call
 * @expect accept
 */
LASM(lc_ret1_stops,
	"r1 = 10; r2 = %[cb_ret1] ll; r3 = 0; r4 = 0;"
	"call %[bpf_loop];"
	"exit;", [cb_ret1] "i"(cb_ret1))

/* @test lc_ret2: a callback returning 2
 * @expect reject
 * @msg should have been in [0, 1]
 */
LASM(lc_ret2,
	"r1 = 10; r2 = %[cb_ret2] ll; r3 = 0; r4 = 0;"
	"call %[bpf_loop];"
	"exit;", [cb_ret2] "i"(cb_ret2))

/* @test lc_ret_neg: a callback returning -1
 * @expect reject
 * @msg should have been in [0, 1]
 */
LASM(lc_ret_neg,
	"r1 = 10; r2 = %[cb_ret_neg] ll; r3 = 0; r4 = 0;"
	"call %[bpf_loop];"
	"exit;", [cb_ret_neg] "i"(cb_ret_neg))

/* @test lc_ret_index: a callback returning its index (any u32)
 * @expect reject
 * @msg should have been in [0, 1]
 */
LASM(lc_ret_index,
	"r1 = 10; r2 = %[cb_ret_index] ll; r3 = 0; r4 = 0;"
	"call %[bpf_loop];"
	"exit;", [cb_ret_index] "i"(cb_ret_index))

/* @test lc_ret_index_bit: a callback returning index & 1 (stops at index 1)
 * @expect accept
 */
LASM(lc_ret_index_bit,
	"r1 = 10; r2 = %[cb_ret_index_bit] ll; r3 = 0; r4 = 0;"
	"call %[bpf_loop];"
	"exit;", [cb_ret_index_bit] "i"(cb_ret_index_bit))

/* @test lc_no_r0: a callback that never sets r0
 * @expect reject
 * @msg R0 not a scalar value
 */
LASM(lc_no_r0,
	"r1 = 10; r2 = %[cb_no_r0] ll; r3 = 0; r4 = 0;"
	"call %[bpf_loop];"
	"exit;", [cb_no_r0] "i"(cb_no_r0))

/* @test lc_sum: the callback adds its index into a u64 on the caller's stack: 0+1+..+(n-1)
 * @expect accept
 * @ctx 0c00000000000000
 */
LASM(lc_sum,
	"r6 = r1;"
	"r1 = *(u64 *)(r6 + 0);"
	"r2 = 0; *(u64 *)(r10 - 8) = r2;"
	"r2 = %[cb_sum] ll; r3 = r10; r3 += -8; r4 = 0;"
	"call %[bpf_loop];"
	"r1 = *(u64 *)(r10 - 8);"
	"*(u64 *)(r6 + 0) = r1;"
	"exit;", [cb_sum] "i"(cb_sum))

/* @test lc_write_past_ctx: the callback writes 8 bytes past the caller's 8-byte slot at fp-8 (at fp)
 * @expect reject
 */
LASM(lc_write_past_ctx,
	"r1 = 2;"
	"r2 = 0; *(u64 *)(r10 - 8) = r2;"
	"r2 = %[cb_write_past] ll; r3 = r10; r3 += -8; r4 = 0;"
	"call %[bpf_loop];"
	"exit;", [cb_write_past] "i"(cb_write_past))

/* @test lc_write_in_caller_frame: the callback writes 8 bytes after fp-16: still in the caller's frame
 * @expect accept
 */
LASM(lc_write_in_caller_frame,
	"r1 = 2;"
	"r2 = 0; *(u64 *)(r10 - 8) = r2; *(u64 *)(r10 - 16) = r2;"
	"r2 = %[cb_write_past] ll; r3 = r10; r3 += -16; r4 = 0;"
	"call %[bpf_loop];"
	"r0 = *(u64 *)(r10 - 8);"
	"exit;", [cb_write_past] "i"(cb_write_past))

/* @test lc_null_ctx_deref: the callback dereferences a NULL callback ctx
 * @expect reject
 */
LASM(lc_null_ctx_deref,
	"r1 = 2;"
	"r2 = %[cb_deref_ctx] ll; r3 = 0; r4 = 0;"
	"call %[bpf_loop];"
	"exit;", [cb_deref_ctx] "i"(cb_deref_ctx))

/* @test lc_stop_early: the callback stops at index 4: bpf_loop returns 5
 * @expect accept
 */
LASM(lc_stop_early,
	"r1 = 100; r2 = %[cb_stop_at_4] ll; r3 = 0; r4 = 0;"
	"call %[bpf_loop];"
	"exit;", [cb_stop_at_4] "i"(cb_stop_at_4))

/* @test lc_index_unbounded: the index (a u32) used as an offset into a 64-byte value
 * @expect reject
 */
LASM(lc_index_unbounded,
	"r1 = 4; r2 = %[cb_index_offset] ll; r3 = 0; r4 = 0;"
	"call %[bpf_loop];"
	"exit;", [cb_index_offset] "i"(cb_index_offset))

/* @test lc_index_masked: the index & 63 as an offset into a 64-byte value
 * @expect accept
 */
LASM(lc_index_masked,
	"r1 = 4; r2 = %[cb_index_masked] ll; r3 = 0; r4 = 0;"
	"call %[bpf_loop];"
	"exit;", [cb_index_masked] "i"(cb_index_masked))

/* @test lc_nested: a callback that runs bpf_loop itself: 4 x (0+1+2)
 * @expect accept
 * @ctx 0000000000000000
 */
LASM(lc_nested,
	"r6 = r1;"
	"r2 = 0; *(u64 *)(r10 - 8) = r2;"
	"r1 = 4; r2 = %[cb_nested] ll; r3 = r10; r3 += -8; r4 = 0;"
	"call %[bpf_loop];"
	"r1 = *(u64 *)(r10 - 8);"
	"*(u64 *)(r6 + 0) = r1;"
	"exit;", [cb_nested] "i"(cb_nested))

/* @test lc_flags_nonzero: flags must be 0: the call fails at run time with -EINVAL
 * @expect accept
 */
LASM(lc_flags_nonzero,
	"r1 = 3; r2 = %[cb_ret0] ll; r3 = 0; r4 = 1;"
	"call %[bpf_loop];"
	"exit;", [cb_ret0] "i"(cb_ret0))

/* @test lc_too_many: more than 1 << 23 iterations fails with -E2BIG
 * @expect accept
 */
LASM(lc_too_many,
	"r1 = 0x800001; r2 = %[cb_ret0] ll; r3 = 0; r4 = 0;"
	"call %[bpf_loop];"
	"exit;", [cb_ret0] "i"(cb_ret0))

/* @test lc_count_from_ctx: the iteration count from the ctx
 * @expect accept
 * @ctx 0700000000000000
 */
LASM(lc_count_from_ctx,
	"r1 = *(u64 *)(r1 + 0);"
	"r2 = %[cb_ret0] ll; r3 = 0; r4 = 0;"
	"call %[bpf_loop];"
	"exit;", [cb_ret0] "i"(cb_ret0))

/* @test lc_scalar_callback: a scalar where the callback is expected
 * @expect reject
 * @msg R2 type=scalar expected=func
 */
LASM(lc_scalar_callback,
	"r1 = 3; r2 = 0; r3 = 0; r4 = 0;"
	"call %[bpf_loop];"
	"exit;", [cb_ret0] "i"(cb_ret0))

/* @test lc_stack_callback: a stack pointer where the callback is expected
 * @expect reject
 * @msg expected=func
 */
LASM(lc_stack_callback,
	"r1 = 3; r2 = r10; r3 = 0; r4 = 0;"
	"call %[bpf_loop];"
	"exit;", [cb_ret0] "i"(cb_ret0))

/* @test lc_ctx_as_cb_ctx: the program's ctx as the callback ctx (it must be a stack pointer or NULL)
 * @expect reject
 */
LASM(lc_ctx_as_cb_ctx,
	"r3 = r1; r1 = 3; r2 = %[cb_ret0] ll; r4 = 0;"
	"call %[bpf_loop];"
	"exit;", [cb_ret0] "i"(cb_ret0))

/* @test lc_callback_r6_kept: the caller's r6 survives bpf_loop
 * @expect accept
 * @ctx 0b00000000000000
 */
LASM(lc_callback_r6_kept,
	"r6 = r1;"
	"r1 = 3; r2 = %[cb_index_masked] ll; r3 = 0; r4 = 0;"
	"call %[bpf_loop];"
	"r0 = *(u64 *)(r6 + 0);"
	"exit;", [cb_index_masked] "i"(cb_index_masked))

/* @test lc_zero_count_bad_cb: a callback returning 2, passed with a constant count of 0
 * (found by random.sh: the kernel does not reject it)
 * @expect accept
 */
LASM(lc_zero_count_bad_cb,
	"r1 = 0; r2 = %[cb_ret2] ll; r3 = 0; r4 = 0;"
	"call %[bpf_loop];"
	"exit;", [cb_ret2] "i"(cb_ret2))

/* @test lc_one_count_bad_cb: the same with a constant count of 1
 * @expect reject
 * @msg should have been in [0, 1]
 */
LASM(lc_one_count_bad_cb,
	"r1 = 1; r2 = %[cb_ret2] ll; r3 = 0; r4 = 0;"
	"call %[bpf_loop];"
	"exit;", [cb_ret2] "i"(cb_ret2))

/* @test lc_maybe_zero_count_bad_cb: the same with a count in [0, 1]
 * @expect reject
 * @msg should have been in [0, 1]
 */
LASM(lc_maybe_zero_count_bad_cb,
	"r1 = *(u64 *)(r1 + 0); r1 &= 1; r2 = %[cb_ret2] ll; r3 = 0; r4 = 0;"
	"call %[bpf_loop];"
	"exit;", [cb_ret2] "i"(cb_ret2))
