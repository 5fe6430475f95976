// SPDX-License-Identifier: GPL-2.0
/* misc.c - r0 at exit, division by a constant zero, invalid shift
 * amounts, unreachable instructions, reads of uninitialized registers. */
#include "difftest.h"

/* @test ex_r0_uninit: exit without setting r0
 * @expect reject
 * @msg R0 !read_ok
 */
ASM(ex_r0_uninit,
	"exit;")

/* @test ex_r0_uninit_one_path: r0 is set on one path only
 * @expect reject
 * @msg R0 !read_ok
 */
ASM(ex_r0_uninit_one_path,
	"r2 = *(u64 *)(r1 + 0);"
	"if r2 > 5 goto 1f;"
	"r0 = 1;"
	"1: exit;")

/* @test ex_r0_ctx_ptr: the ctx pointer as the return value: a privileged loader may return a pointer
 * @expect accept
 * @nondet
 */
ASM(ex_r0_ctx_ptr,
	"r0 = r1;"
	"exit;")

/* @test ex_r0_stack_ptr: a stack pointer as the return value (privileged: allowed)
 * @expect accept
 * @nondet
 */
ASM(ex_r0_stack_ptr,
	"r0 = r10;"
	"exit;")

/* @test ex_r0_map_value: a map value pointer as the return value (privileged: allowed)
 * @expect accept
 * @nondet
 */
ASM(ex_r0_map_value,
	GET_BIG
	"exit;")

/* @test ex_r0_ptr_diff: the difference of two pointers is a scalar: a fine return value
 * @expect accept
 */
ASM(ex_r0_ptr_diff,
	"r0 = r10;"
	"r2 = r10;"
	"r2 += -40;"
	"r0 -= r2;"
	"exit;")

/* @test div_zero_imm64: r0 /= 0
 * @expect reject
 * @msg div by zero
 */
ASM(div_zero_imm64,
	"r0 = 5;"
	"r0 /= 0;"
	"exit;")

/* @test div_zero_imm32: w0 /= 0
 * @expect reject
 * @msg div by zero
 */
ASM(div_zero_imm32,
	"w0 = 5;"
	"w0 /= 0;"
	"exit;")

/* @test mod_zero_imm64: r0 %= 0
 * @expect reject
 * @msg div by zero
 */
ASM(mod_zero_imm64,
	"r0 = 5;"
	"r0 %%= 0;"
	"exit;")

/* @test mod_zero_imm32: w0 %= 0
 * @expect reject
 * @msg div by zero
 */
ASM(mod_zero_imm32,
	"w0 = 5;"
	"w0 %%= 0;"
	"exit;")

/* @test sdiv_zero_imm: r0 s/= 0
 * @expect reject
 * @msg div by zero
 */
ASM(sdiv_zero_imm,
	"r0 = 5;"
	"r0 s/= 0;"
	"exit;")

/* @test smod_zero_imm32: w0 s%= 0
 * @expect reject
 * @msg div by zero
 */
ASM(smod_zero_imm32,
	"w0 = 5;"
	"w0 s%%= 0;"
	"exit;")

/* @test div_zero_dead: a division by a constant zero in a dead branch is never checked
 * @expect accept
 */
ASM(div_zero_dead,
	"r0 = 5;"
	"if r0 == 5 goto 1f;"
	"r0 /= 0;"
	"1: exit;")

/* @test shift_lsh64_64: r0 <<= 64
 * @expect reject
 * @msg invalid shift 64
 */
ASM(shift_lsh64_64,
	"r0 = 1;"
	"r0 <<= 64;"
	"exit;")

/* @test shift_rsh32_32: w0 >>= 32
 * @expect reject
 * @msg invalid shift 32
 */
ASM(shift_rsh32_32,
	"w0 = 1;"
	"w0 >>= 32;"
	"exit;")

/* @test shift_arsh64_100: r0 s>>= 100
 * @expect reject
 * @msg invalid shift 100
 */
ASM(shift_arsh64_100,
	"r0 = 1;"
	"r0 s>>= 100;"
	"exit;")

/* @test shift_lsh32_neg: w0 <<= -1 (an immediate of 0xffffffff)
 * @expect reject
 * @msg invalid shift
 */
ASM(shift_lsh32_neg,
	"w0 = 1;"
	"w0 <<= -1;"
	"exit;")

/* @test shift_lsh64_63: r0 <<= 63 is the largest valid 64-bit shift
 * @expect accept
 */
ASM(shift_lsh64_63,
	"r0 = 3;"
	"r0 <<= 63;"
	"r0 >>= 32;"
	"exit;")

/* @test shift_reg_64: a shift by a register holding 64 is allowed (masked at run time)
 * @expect accept
 */
ASM(shift_reg_64,
	"r0 = 3;"
	"r1 = 65;"
	"r0 <<= r1;"
	"exit;")

/* @test unreachable_tail: instructions after the final exit that nothing reaches
 * @expect reject
 * @msg unreachable insn
 */
ASM(unreachable_tail,
	"r0 = 0;"
	"exit;"
	"r0 = 1;"
	"exit;")

/* @test unreachable_middle: a block jumped over unconditionally
 * @expect reject
 * @msg unreachable insn
 */
ASM(unreachable_middle,
	"r0 = 0;"
	"goto 1f;"
	"r0 = 1;"
	"1: exit;")

/* @test uninit_reg_mov: r0 = r2 with r2 never written
 * @expect reject
 * @msg R2 !read_ok
 */
ASM(uninit_reg_mov,
	"r0 = r2;"
	"exit;")

/* @test uninit_reg_alu: r3 += 1 with r3 never written
 * @expect reject
 * @msg R3 !read_ok
 */
ASM(uninit_reg_alu,
	"r3 += 1;"
	"r0 = 0;"
	"exit;")

/* @test uninit_reg_store: storing a never-written register
 * @expect reject
 * @msg R3 !read_ok
 */
ASM(uninit_reg_store,
	"*(u64 *)(r10 - 8) = r3;"
	"r0 = 0;"
	"exit;")

/* @test uninit_reg_base: a never-written register as a load base
 * @expect reject
 * @msg R4 !read_ok
 */
ASM(uninit_reg_base,
	"r0 = *(u64 *)(r4 + 0);"
	"exit;")

/* @test uninit_reg_jmp: a compare of a never-written register
 * @expect reject
 * @msg R5 !read_ok
 */
ASM(uninit_reg_jmp,
	"r0 = 0;"
	"if r5 > 3 goto 1f;"
	"r0 = 1;"
	"1: exit;")

/* @test uninit_reg_mov32: w0 = w7 with r7 never written
 * @expect reject
 * @msg R7 !read_ok
 */
ASM(uninit_reg_mov32,
	"w0 = w7;"
	"exit;")

/* @test uninit_reg_overwritten: a never-read register written before use is fine
 * @expect accept
 */
ASM(uninit_reg_overwritten,
	"r3 = 4;"
	"r3 += 1;"
	"r0 = r3;"
	"exit;")

/* @test atomic_uninit_stack: an atomic add on never-written stack (privileged: the read is allowed)
 * @expect accept
 * @nondet
 */
ASM(atomic_uninit_stack,
	"r1 = 1;"
	"lock *(u64 *)(r10 - 8) += r1;"
	"r0 = 0;"
	"exit;")

/* @test atomic_fetch_ptr: an atomic fetch_add on a slot that holds a spilled pointer (privileged: allowed)
 * @expect accept
 */
ASM(atomic_fetch_ptr,
	"*(u64 *)(r10 - 8) = r1;"
	"r2 = 1;"
	"r2 = atomic_fetch_add((u64 *)(r10 - 8), r2);"
	"r0 = 0;"
	"exit;")

/* @test atomic_cmpxchg_r0_uninit: cmpxchg reads r0, never written
 * @expect reject
 * @msg R0 !read_ok
 */
ASM(atomic_cmpxchg_r0_uninit,
	"r1 = 0;"
	"*(u64 *)(r10 - 8) = r1;"
	"r1 = 2;"
	"r0 = cmpxchg_64(r10 - 8, r0, r1);"
	"exit;")

/* @test atomic_stack_oob: an atomic add at fp+0
 * @expect reject
 */
ASM(atomic_stack_oob,
	"r1 = 1;"
	"lock *(u64 *)(r10 + 0) += r1;"
	"r0 = 0;"
	"exit;")

/* @test atomic_misaligned: an 8-byte atomic at fp-12
 * @expect reject
 * @msg misaligned
 */
ASM(atomic_misaligned,
	"r1 = 0;"
	"*(u64 *)(r10 - 16) = r1;"
	"*(u64 *)(r10 - 8) = r1;"
	"r1 = 1;"
	"lock *(u64 *)(r10 - 12) += r1;"
	"r0 = 0;"
	"exit;")

/* @test atomic_map_value_oob: an atomic add at +8 of an 8-byte value
 * @expect reject
 * @msg invalid access to map value
 */
ASM(atomic_map_value_oob,
	GET_ARR
	"r1 = 1;"
	"lock *(u64 *)(r0 + 8) += r1;"
	"r0 = 0;"
	"exit;")
