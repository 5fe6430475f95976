// SPDX-License-Identifier: GPL-2.0
/* alu32.c - 32-bit sub-register semantics: ALU32 zero-extends into the upper
 * half, 32-bit bounds wrap at 2^32, sign extension (v4 movsx, ldsx).  As in
 * alu_bounds.c, the computed offset indexes the 64-byte big[0] and is stored
 * to ctx[8]. */
#include "difftest.h"

/* @test w_and_zext: w1 &= 0x3f clears the upper half: [0,63]
 * @expect accept
 * @ctx ffffffffffffffff0000000000000000
 * @map big=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f
 */
ASM(w_and_zext,
	GET_BIG
	"r1 = *(u64 *)(r6 + 0);"
	"w1 &= 0x3f;"
	"*(u64 *)(r6 + 8) = r1;"
	"r0 += r1;"
	"r0 = *(u8 *)(r0 + 0);"
	"exit;")

/* @test w_mov_zext_rsh: w1 = w1 zero-extends, so r1 >> 26 is in [0,63]
 * @expect accept
 * @ctx fffffffffffffffe0000000000000000
 * @map big=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f
 */
ASM(w_mov_zext_rsh,
	GET_BIG
	"r1 = *(u64 *)(r6 + 0);"
	"w1 = w1;"
	"r1 >>= 26;"
	"*(u64 *)(r6 + 8) = r1;"
	"r0 += r1;"
	"r0 = *(u8 *)(r0 + 0);"
	"exit;")

/* @test w_no_zext_rsh: without the w1 = w1 the upper half is unknown: r1 >> 26 is too big
 * @expect reject
 * @msg unbounded memory access
 */
ASM(w_no_zext_rsh,
	GET_BIG
	"r1 = *(u64 *)(r6 + 0);"
	"r1 >>= 26;"
	"r0 += r1;"
	"r0 = *(u8 *)(r0 + 0);"
	"exit;")

/* @test w_ldx32_zext: a 4-byte load zero-extends: r1 >> 26 is in [0,63]
 * @expect accept
 * @ctx ffffffff000000000000000000000000
 * @map big=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f
 */
ASM(w_ldx32_zext,
	GET_BIG
	"r1 = *(u32 *)(r6 + 0);"
	"r1 >>= 26;"
	"*(u64 *)(r6 + 8) = r1;"
	"r0 += r1;"
	"r0 = *(u8 *)(r0 + 0);"
	"exit;")

/* @test w_add_wrap: (w & 0x3f) + 0xffffffff wraps in 32 bits: the 64-bit value may be 4G-1
 * @expect reject
 */
ASM(w_add_wrap,
	GET_BIG
	"r1 = *(u64 *)(r6 + 0);"
	"w1 &= 0x3f;"
	"w1 += -1;"
	"r0 += r1;"
	"r0 = *(u8 *)(r0 + 0);"
	"exit;")

/* @test w_sub_wrap: (w & 0x3f) - 1 may wrap to 0xffffffff, zero-extended
 * @expect reject
 */
ASM(w_sub_wrap,
	GET_BIG
	"r1 = *(u64 *)(r6 + 0);"
	"w1 &= 0x3f;"
	"w1 -= 1;"
	"r0 += r1;"
	"r0 = *(u8 *)(r0 + 0);"
	"exit;")

/* @test w_sub_wrap_masked: ((w & 0x3f) - 1) & 0x3f is back in [0,63]
 * @expect accept
 * @ctx 0000000000000000 0000000000000000
 * @map big=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f
 */
ASM(w_sub_wrap_masked,
	GET_BIG
	"r1 = *(u64 *)(r6 + 0);"
	"w1 &= 0x3f;"
	"w1 -= 1;"
	"w1 &= 0x3f;"
	"*(u64 *)(r6 + 8) = r1;"
	"r0 += r1;"
	"r0 = *(u8 *)(r0 + 0);"
	"exit;")

/* @test w_shift_pair: (w << 28) >> 26 in 32 bits is in [0,60]
 * @expect accept
 * @ctx 0f00000000000000 0000000000000000
 * @map big=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f
 */
ASM(w_shift_pair,
	GET_BIG
	"r1 = *(u64 *)(r6 + 0);"
	"w1 <<= 28;"
	"w1 >>= 26;"
	"*(u64 *)(r6 + 8) = r1;"
	"r0 += r1;"
	"r0 = *(u8 *)(r0 + 0);"
	"exit;")

/* @test w_arsh_zext: (w << 26) s>> 26 is in [-32,31] as s32, but zero-extended it may be 0xffffffe0
 * @expect reject
 */
ASM(w_arsh_zext,
	GET_BIG
	"r1 = *(u64 *)(r6 + 0);"
	"w1 <<= 26;"
	"w1 s>>= 26;"
	"r0 += r1;"
	"r0 = *(u8 *)(r0 + 0);"
	"exit;")

/* @test w_arsh_sext64: (w << 26) s>> 26, sign-extended to 64 bits, + 32 is in [0,63]
 * @expect accept
 * @ctx 2000000000000000 0000000000000000
 * @map big=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f
 */
ASM(w_arsh_sext64,
	GET_BIG
	"r1 = *(u64 *)(r6 + 0);"
	"w1 <<= 26;"
	"w1 s>>= 26;"
	"r1 <<= 32;"
	"r1 s>>= 32;"
	"r1 += 32;"
	"*(u64 *)(r6 + 8) = r1;"
	"r0 += r1;"
	"r0 = *(u8 *)(r0 + 0);"
	"exit;")

/* @test w_mul_bounded: (w & 0xff) * 0xff >> 10 is in [0,63]
 * @expect accept
 * @ctx ff00000000000000 0000000000000000
 * @map big=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f
 */
ASM(w_mul_bounded,
	GET_BIG
	"r1 = *(u64 *)(r6 + 0);"
	"w1 &= 0xff;"
	"w1 *= 0xff;"
	"w1 >>= 10;"
	"*(u64 *)(r6 + 8) = r1;"
	"r0 += r1;"
	"r0 = *(u8 *)(r0 + 0);"
	"exit;")

/* @test w_mul_big: (w & 0x7f) << 25 then >> 25 is in [0,127]: too far for a byte load
 * @expect reject
 * @msg invalid access to map value
 */
ASM(w_mul_big,
	GET_BIG
	"r1 = *(u64 *)(r6 + 0);"
	"w1 &= 0x7f;"
	"w1 *= 0x2000000;"
	"w1 >>= 25;"
	"r0 += r1;"
	"r0 = *(u8 *)(r0 + 0);"
	"exit;")

/* @test w_trunc_const: w1 = w1 drops bit 32 of 0x100000005: the offset is 5
 * @expect accept
 * @map big=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f
 */
ASM(w_trunc_const,
	GET_BIG
	"r1 = 0x100000005 ll;"
	"w1 = w1;"
	"*(u64 *)(r6 + 8) = r1;"
	"r0 += r1;"
	"r0 = *(u8 *)(r0 + 0);"
	"exit;")

/* @test w_no_trunc_const: without truncation 0x100000005 is far out of bounds
 * @expect reject
 */
ASM(w_no_trunc_const,
	GET_BIG
	"r1 = 0x100000005 ll;"
	"r0 += r1;"
	"r0 = *(u8 *)(r0 + 0);"
	"exit;")

/* @test w_add_reg: (a & 31) + (b & 31) in 32 bits is in [0,62]
 * @expect accept
 * @ctx 1f00000000000000 1f00000000000000
 * @map big=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f
 */
ASM(w_add_reg,
	GET_BIG
	"r1 = *(u64 *)(r6 + 0);"
	"r2 = *(u64 *)(r6 + 8);"
	"w1 &= 31;"
	"w2 &= 31;"
	"w1 += w2;"
	"*(u64 *)(r6 + 8) = r1;"
	"r0 += r1;"
	"r0 = *(u8 *)(r0 + 0);"
	"exit;")

/* @test w_unknown_zext: a zero-extended unknown u32 is up to 4G-1: out of bounds
 * @expect reject
 */
ASM(w_unknown_zext,
	GET_BIG
	"r1 = *(u64 *)(r6 + 0);"
	"w1 = w1;"
	"r0 += r1;"
	"r0 = *(u8 *)(r0 + 0);"
	"exit;")

/* @test w_movsx8: (s8) of a byte is in [-128,127]; + 128 >> 2 is in [0,63]
 * @expect accept
 * @ctx 8000000000000000 0000000000000000
 * @map big=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f
 */
ASM(w_movsx8,
	GET_BIG
	"r1 = *(u8 *)(r6 + 0);"
	"r1 = (s8)r1;"
	"r1 += 128;"
	"r1 >>= 2;"
	"*(u64 *)(r6 + 8) = r1;"
	"r0 += r1;"
	"r0 = *(u8 *)(r0 + 0);"
	"exit;")

/* @test w_movsx8_neg: (s8) of a byte may be negative
 * @expect reject
 * @msg min value is negative
 */
ASM(w_movsx8_neg,
	GET_BIG
	"r1 = *(u8 *)(r6 + 0);"
	"r1 = (s8)r1;"
	"r1 += 64;"
	"r0 += r1;"
	"r0 = *(u8 *)(r0 + 0);"
	"exit;")

/* @test w_ldsx8: a sign-extending byte load is in [-128,127]
 * @expect accept
 * @ctx fe00000000000000 0000000000000000
 * @map big=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f
 */
ASM(w_ldsx8,
	GET_BIG
	"r1 = *(s8 *)(r6 + 0);"
	"r1 += 128;"
	"r1 >>= 2;"
	"*(u64 *)(r6 + 8) = r1;"
	"r0 += r1;"
	"r0 = *(u8 *)(r0 + 0);"
	"exit;")

/* @test w_movsx32_64: r1 = (s32)w of a masked value 0x3f stays in [0,63]
 * @expect accept
 * @ctx 3fffffff000000000000000000000000
 * @map big=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f
 */
ASM(w_movsx32_64,
	GET_BIG
	"r1 = *(u64 *)(r6 + 0);"
	"w1 &= 0x3f;"
	"r1 = (s32)r1;"
	"*(u64 *)(r6 + 8) = r1;"
	"r0 += r1;"
	"r0 = *(u8 *)(r0 + 0);"
	"exit;")

/* @test w_movsx16_32: w1 = (s16)w1 of an unknown may be negative: zero-extended it is huge
 * @expect reject
 */
ASM(w_movsx16_32,
	GET_BIG
	"r1 = *(u16 *)(r6 + 0);"
	"w1 = (s16)w1;"
	"r0 += r1;"
	"r0 = *(u8 *)(r0 + 0);"
	"exit;")

/* @test w_neg32: -(w & 7) in 32 bits, zero-extended, is 0 or near 4G
 * @expect reject
 */
ASM(w_neg32,
	GET_BIG
	"r1 = *(u64 *)(r6 + 0);"
	"w1 &= 7;"
	"w1 = -w1;"
	"r0 += r1;"
	"r0 = *(u8 *)(r0 + 0);"
	"exit;")

/* @test w_xor_or: ((w & 0x30) | 0x0c) ^ 0x04 stays under 0x3f
 * @expect accept
 * @ctx 3000000000000000 0000000000000000
 * @map big=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f
 */
ASM(w_xor_or,
	GET_BIG
	"r1 = *(u64 *)(r6 + 0);"
	"w1 &= 0x30;"
	"w1 |= 0x0c;"
	"w1 ^= 0x04;"
	"*(u64 *)(r6 + 8) = r1;"
	"r0 += r1;"
	"r0 = *(u8 *)(r0 + 0);"
	"exit;")

/* @test w_64bit_mask_trunc: (r & 0x100000003f) truncated to 32 bits is in [0,63]
 * @expect accept
 * @ctx 3f00000010000000 0000000000000000
 * @map big=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f
 */
ASM(w_64bit_mask_trunc,
	GET_BIG
	"r1 = *(u64 *)(r6 + 0);"
	"r2 = 0x100000003f ll;"
	"r1 &= r2;"
	"w1 = w1;"
	"*(u64 *)(r6 + 8) = r1;"
	"r0 += r1;"
	"r0 = *(u8 *)(r0 + 0);"
	"exit;")

/* @test w_64bit_mask_no_trunc: (r & 0x100000003f) without truncation may be 4G+63
 * @expect reject
 */
ASM(w_64bit_mask_no_trunc,
	GET_BIG
	"r1 = *(u64 *)(r6 + 0);"
	"r2 = 0x100000003f ll;"
	"r1 &= r2;"
	"r0 += r1;"
	"r0 = *(u8 *)(r0 + 0);"
	"exit;")
