// SPDX-License-Identifier: GPL-2.0
/* alu_exec.c - what ALU instructions compute: every program here is accepted
 * and writes its results into the ctx, so the run compares ibpf's engines
 * with the kernel's JIT on edge cases (division by a zero register, signed
 * overflow, shift amounts past the width, zero extension, byte swaps, sign
 * extension, atomics). */
#include "difftest.h"

/* @test exec_div_zero_reg: division by a zero register gives 0, modulo leaves dst (64 and 32 bit)
 * @expect accept
 * @ctx 0700000000000000 ffffffffffffffff 00000000000000000000000000000000 00000000000000000000000000000000
 */
ASM(exec_div_zero_reg,
	"r2 = *(u64 *)(r1 + 0);"
	"r3 = *(u64 *)(r1 + 8);"
	"r4 = 0;"
	"r5 = r2; r5 /= r4; *(u64 *)(r1 + 16) = r5;"
	"r5 = r3; r5 %%= r4; *(u64 *)(r1 + 24) = r5;"
	"w5 = w3; w5 /= w4; *(u64 *)(r1 + 32) = r5;"
	"r5 = r3; w5 %%= w4; *(u64 *)(r1 + 40) = r5;"
	"r0 = 0; exit;")

/* @test exec_sdiv_smod: signed division and modulo, INT64_MIN / -1, negative operands, by zero
 * @expect accept
 * @ctx 0000000000000080 ffffffffffffffff f9ffffffffffffff 0200000000000000 0000000000000000 0000000000000000 0000000000000000 0000000000000000
 */
ASM(exec_sdiv_smod,
	"r2 = *(u64 *)(r1 + 0);"
	"r3 = *(u64 *)(r1 + 8);"
	"r4 = *(u64 *)(r1 + 16);"
	"r5 = *(u64 *)(r1 + 24);"
	"r0 = r2; r0 s/= r3; *(u64 *)(r1 + 32) = r0;"
	"r0 = r2; r0 s%%= r3; *(u64 *)(r1 + 40) = r0;"
	"r0 = r4; r0 s/= r5; *(u64 *)(r1 + 48) = r0;"
	"r0 = r4; r0 s%%= r5; *(u64 *)(r1 + 56) = r0;"
	"r0 = r4; r3 = 0; r0 s/= r3; r4 s%%= r3; r0 += r4;"
	"exit;")

/* @test exec_sdiv32: 32-bit signed division: INT32_MIN / -1, -7 / 2, -7 % 2, by an immediate
 * @expect accept
 * @ctx 00000080ffffffff f9ffffff02000000 0000000000000000 0000000000000000
 */
ASM(exec_sdiv32,
	"r2 = *(u32 *)(r1 + 0);"
	"r3 = *(u32 *)(r1 + 4);"
	"r4 = *(u32 *)(r1 + 8);"
	"r5 = *(u32 *)(r1 + 12);"
	"w0 = w2; w0 s/= w3; *(u32 *)(r1 + 16) = r0;"
	"w0 = w4; w0 s/= w5; *(u32 *)(r1 + 20) = r0;"
	"w0 = w4; w0 s%%= w5; *(u32 *)(r1 + 24) = r0;"
	"w0 = w4; w0 s/= -3; *(u32 *)(r1 + 28) = r0;"
	"r0 = r4; r0 s%%= -3;"
	"exit;")

/* @test exec_shift_masked: shift amounts in registers are masked (64: & 63, 32: & 31)
 * @expect accept
 * @ctx 0f0000000000008041000000000000002100000000000000 0000000000000000 0000000000000000 0000000000000000 0000000000000000 0000000000000000
 */
ASM(exec_shift_masked,
	"r2 = *(u64 *)(r1 + 0);"
	"r3 = *(u64 *)(r1 + 8);"
	"r4 = *(u64 *)(r1 + 16);"
	"r0 = r2; r0 <<= r3; *(u64 *)(r1 + 24) = r0;"
	"r0 = r2; r0 >>= r3; *(u64 *)(r1 + 32) = r0;"
	"r0 = r2; r0 s>>= r3; *(u64 *)(r1 + 40) = r0;"
	"w0 = w2; w0 <<= w4; *(u64 *)(r1 + 48) = r0;"
	"r0 = r2; w0 s>>= w4; *(u64 *)(r1 + 56) = r0;"
	"r0 = 1; exit;")

/* @test exec_shift_imm: shifts by immediates at the edges (0, 31, 63)
 * @expect accept
 * @ctx 8100000000000080 0000000000000000 0000000000000000 0000000000000000 0000000000000000 0000000000000000 0000000000000000 0000000000000000
 */
ASM(exec_shift_imm,
	"r2 = *(u64 *)(r1 + 0);"
	"r0 = r2; r0 <<= 63; *(u64 *)(r1 + 8) = r0;"
	"r0 = r2; r0 >>= 63; *(u64 *)(r1 + 16) = r0;"
	"r0 = r2; r0 s>>= 63; *(u64 *)(r1 + 24) = r0;"
	"r0 = r2; w0 <<= 31; *(u64 *)(r1 + 32) = r0;"
	"r0 = r2; w0 s>>= 31; *(u64 *)(r1 + 40) = r0;"
	"r0 = r2; w0 >>= 0; *(u64 *)(r1 + 48) = r0;"
	"r0 = r2; r0 s>>= 7; *(u64 *)(r1 + 56) = r0;"
	"r0 = 2; exit;")

/* @test exec_alu32_zext: every 32-bit ALU op clears the upper half
 * @expect accept
 * @ctx ffffffffffffffff 0300000000000000 0000000000000000 0000000000000000 0000000000000000 0000000000000000 0000000000000000 0000000000000000
 */
ASM(exec_alu32_zext,
	"r2 = *(u64 *)(r1 + 0);"
	"r3 = *(u64 *)(r1 + 8);"
	"r0 = r2; w0 += w3; *(u64 *)(r1 + 8) = r0;"
	"r0 = r2; w0 -= 1; *(u64 *)(r1 + 16) = r0;"
	"r0 = r2; w0 *= w3; *(u64 *)(r1 + 24) = r0;"
	"r0 = r2; w0 |= 0; *(u64 *)(r1 + 32) = r0;"
	"r0 = r2; w0 = -w0; *(u64 *)(r1 + 40) = r0;"
	"r0 = r2; w0 = w0; *(u64 *)(r1 + 48) = r0;"
	"w0 = -1; *(u64 *)(r1 + 56) = r0;"
	"r0 = -1; exit;")

/* @test exec_mul_wrap: 64- and 32-bit multiplication overflow
 * @expect accept
 * @ctx ffffffffffffff7f 0300000000000000 0000000000000000 0000000000000000 0000000000000000
 */
ASM(exec_mul_wrap,
	"r2 = *(u64 *)(r1 + 0);"
	"r3 = *(u64 *)(r1 + 8);"
	"r0 = r2; r0 *= r3; *(u64 *)(r1 + 16) = r0;"
	"r0 = r2; w0 *= w3; *(u64 *)(r1 + 24) = r0;"
	"r0 = r2; r0 *= -1; *(u64 *)(r1 + 32) = r0;"
	"exit;")

/* @test exec_bswap: be16/be32/be64, le16/le32 (truncate), bswap16/32/64
 * @expect accept
 * @ctx 0102030405060708 0000000000000000 0000000000000000 0000000000000000 0000000000000000 0000000000000000 0000000000000000 0000000000000000
 */
ASM(exec_bswap,
	"r2 = *(u64 *)(r1 + 0);"
	"r0 = r2; r0 = be16 r0; *(u64 *)(r1 + 8) = r0;"
	"r0 = r2; r0 = be32 r0; *(u64 *)(r1 + 16) = r0;"
	"r0 = r2; r0 = be64 r0; *(u64 *)(r1 + 24) = r0;"
	"r0 = r2; r0 = le16 r0; *(u64 *)(r1 + 32) = r0;"
	"r0 = r2; r0 = le32 r0; *(u64 *)(r1 + 40) = r0;"
	"r0 = r2; r0 = bswap16 r0; *(u64 *)(r1 + 48) = r0;"
	"r0 = r2; r0 = bswap32 r0; *(u64 *)(r1 + 56) = r0;"
	"r0 = r2; r0 = bswap64 r0; r0 >>= 32;"
	"exit;")

/* @test exec_movsx: movsx r (s8/s16/s32) and w (s8/s16)
 * @expect accept
 * @ctx 8180ff7f0080ffff 0000000000000000 0000000000000000 0000000000000000 0000000000000000 0000000000000000 0000000000000000 0000000000000000
 */
ASM(exec_movsx,
	"r2 = *(u64 *)(r1 + 0);"
	"r0 = (s8)r2; *(u64 *)(r1 + 8) = r0;"
	"r0 = (s16)r2; *(u64 *)(r1 + 16) = r0;"
	"r0 = (s32)r2; *(u64 *)(r1 + 24) = r0;"
	"w0 = (s8)w2; *(u64 *)(r1 + 32) = r0;"
	"w0 = (s16)w2; *(u64 *)(r1 + 40) = r0;"
	"r3 = r2; r3 >>= 32; r0 = (s32)r3; *(u64 *)(r1 + 48) = r0;"
	"r0 = (s8)r3;"
	"exit;")

/* @test exec_ldsx: sign-extending loads from the ctx (s8, s16, s32)
 * @expect accept
 * @ctx 80ff00800000ff7f 0000000000000000 0000000000000000 0000000000000000
 */
ASM(exec_ldsx,
	"r0 = *(s8 *)(r1 + 0); *(u64 *)(r1 + 8) = r0;"
	"r0 = *(s16 *)(r1 + 2); *(u64 *)(r1 + 16) = r0;"
	"r0 = *(s32 *)(r1 + 4); *(u64 *)(r1 + 24) = r0;"
	"r0 = *(s8 *)(r1 + 1);"
	"exit;")

/* @test exec_neg: 64- and 32-bit negation, of 0, INT_MIN and small values
 * @expect accept
 * @ctx 0000000000000080 0000008000000000 0500000000000000 0000000000000000 0000000000000000 0000000000000000
 */
ASM(exec_neg,
	"r2 = *(u64 *)(r1 + 0);"
	"r3 = *(u64 *)(r1 + 8);"
	"r4 = *(u64 *)(r1 + 16);"
	"r0 = r2; r0 = -r0; *(u64 *)(r1 + 24) = r0;"
	"w0 = w3; w0 = -w0; *(u64 *)(r1 + 32) = r0;"
	"r0 = r4; r0 = -r0; *(u64 *)(r1 + 40) = r0;"
	"r0 = 0; r0 = -r0;"
	"exit;")

/* @test exec_unsigned_divmod: unsigned division and modulo of negative numbers, by immediates
 * @expect accept
 * @ctx f9ffffffffffffff 0000000000000000 0000000000000000 0000000000000000 0000000000000000
 */
ASM(exec_unsigned_divmod,
	"r2 = *(u64 *)(r1 + 0);"
	"r0 = r2; r0 /= 3; *(u64 *)(r1 + 8) = r0;"
	"r0 = r2; r0 %%= 3; *(u64 *)(r1 + 16) = r0;"
	"r0 = r2; w0 /= 3; *(u64 *)(r1 + 24) = r0;"
	"r0 = r2; w0 %%= 3; *(u64 *)(r1 + 32) = r0;"
	"r0 = r2; r0 /= -1;"
	"exit;")

/* @test exec_ld_imm64: 64-bit immediates, and a 32-bit mov of a negative immediate
 * @expect accept
 * @ctx 0000000000000000 0000000000000000 0000000000000000
 */
ASM(exec_ld_imm64,
	"r2 = 0x123456789abcdef0 ll; *(u64 *)(r1 + 0) = r2;"
	"r2 = -2; *(u64 *)(r1 + 8) = r2;"
	"w2 = -2; *(u64 *)(r1 + 16) = r2;"
	"r0 = 0xfedcba98 ll;"
	"exit;")

/* @test exec_atomic_stack: atomic add/or/and/xor, fetch forms, xchg and cmpxchg on the stack
 * @expect accept
 * @ctx 0a00000000000000 0300000000000000 0000000000000000 0000000000000000 0000000000000000 0000000000000000 0000000000000000 0000000000000000
 */
ASM(exec_atomic_stack,
	"r2 = *(u64 *)(r1 + 0);"
	"r3 = *(u64 *)(r1 + 8);"
	"*(u64 *)(r10 - 8) = r2;"
	"lock *(u64 *)(r10 - 8) += r3;"
	"r4 = r3; r4 = atomic_fetch_or((u64 *)(r10 - 8), r4); *(u64 *)(r1 + 16) = r4;"
	"r4 = 6; r4 = atomic_fetch_and((u64 *)(r10 - 8), r4); *(u64 *)(r1 + 24) = r4;"
	"r4 = 0xff; r4 = atomic_fetch_xor((u64 *)(r10 - 8), r4); *(u64 *)(r1 + 32) = r4;"
	"r4 = 77; r4 = xchg_64(r10 - 8, r4); *(u64 *)(r1 + 40) = r4;"
	"r0 = 77; r4 = 99; r0 = cmpxchg_64(r10 - 8, r0, r4); *(u64 *)(r1 + 48) = r0;"
	"r0 = 1; r4 = 5; r0 = cmpxchg_64(r10 - 8, r0, r4); *(u64 *)(r1 + 56) = r0;"
	"r0 = *(u64 *)(r10 - 8);"
	"exit;")

/* @test exec_atomic32_stack: 32-bit atomics on the stack (fetch_add, xchg, cmpxchg), zero-extension
 * @expect accept
 * @ctx ffffffff00000000 0000000000000000 0000000000000000 0000000000000000
 */
ASM(exec_atomic32_stack,
	"r2 = *(u64 *)(r1 + 0);"
	"*(u32 *)(r10 - 4) = r2;"
	"w3 = 2; w3 = atomic_fetch_add((u32 *)(r10 - 4), w3); *(u64 *)(r1 + 8) = r3;"
	"w3 = 7; w3 = xchg32_32(r10 - 4, w3); *(u64 *)(r1 + 16) = r3;"
	"w0 = 7; w3 = 8; w0 = cmpxchg32_32(r10 - 4, w0, w3); *(u64 *)(r1 + 24) = r0;"
	"r0 = *(u32 *)(r10 - 4);"
	"exit;")

/* @test exec_atomic_map: atomic add and fetch_add on a map value, then read back
 * @expect accept
 * @ctx 0500000000000000 0000000000000000
 * @map arr=6400000000000000
 */
ASM(exec_atomic_map,
	GET_ARR
	"r1 = *(u64 *)(r6 + 0);"
	"lock *(u64 *)(r0 + 0) += r1;"
	"r1 = atomic_fetch_add((u64 *)(r0 + 0), r1);"
	"*(u64 *)(r6 + 8) = r1;"
	"r0 = *(u64 *)(r0 + 0);"
	"exit;")

/* @test exec_jmp32_signed: 32-bit signed compares look only at the low half
 * @expect accept
 * @ctx ffffffff00000001 0000000000000000
 */
ASM(exec_jmp32_signed,
	"r2 = *(u64 *)(r1 + 0);"
	"r0 = 0;"
	"if w2 s< 0 goto 1f;"
	"r0 |= 1;"
	"1: if r2 s< 0 goto 2f;"
	"r0 |= 2;"
	"2: if w2 > 0x7fffffff goto 3f;"
	"r0 |= 4;"
	"3: if r2 > 0x7fffffff goto 4f;"
	"r0 |= 8;"
	"4: if w2 & 0x80000000 goto 5f;"
	"r0 |= 16;"
	"5: exit;")

/* @test exec_retval_upper: the upper half of r0 is dropped from the return value
 * @expect accept
 */
ASM(exec_retval_upper,
	"r0 = 0x1234567800000009 ll;"
	"exit;")

/* @test exec_retval_negative: a negative return value
 * @expect accept
 */
ASM(exec_retval_negative,
	"r0 = -22;"
	"exit;")

/* @test exec_stack_bytes: byte/half/word stores read back as a u64 (little endian)
 * @expect accept
 * @ctx 0000000000000000
 */
ASM(exec_stack_bytes,
	"r2 = 0; *(u64 *)(r10 - 8) = r2;"
	"*(u8 *)(r10 - 8) = 0x11;"
	"*(u16 *)(r10 - 6) = 0x2233;"
	"*(u32 *)(r10 - 4) = 0x44556677;"
	"r0 = *(u64 *)(r10 - 8);"
	"*(u64 *)(r1 + 0) = r0;"
	"r0 >>= 8;"
	"exit;")
