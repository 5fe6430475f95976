// SPDX-License-Identifier: GPL-2.0
/* alu_bounds.c - scalar bounds and tnum arithmetic, 64-bit ALU.  Each program
 * computes an offset from an unknown ctx value, stores it to ctx[8] (so the
 * run compares the arithmetic too) and reads a 64-byte map value at that
 * offset: the verdict depends on how precisely the verifier bounds the
 * offset.  big[0] holds 0x00, 0x01, ... 0x3f. */
#include "difftest.h"


/* @test bnd_and_mask: r &= 0x38 gives [0,56]: an 8-byte load at +r fits
 * @expect accept
 * @ctx ffffffffffffffff0000000000000000
 * @map big=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f
 */
ASM(bnd_and_mask,
	GET_BIG
	"r1 = *(u64 *)(r6 + 0);"
	"r1 &= 0x38;"
	"*(u64 *)(r6 + 8) = r1;"
	"r0 += r1;"
	"r0 = *(u64 *)(r0 + 0);"
	"exit;")

/* @test bnd_and_mask_over: r &= 0x3c gives [0,60]: an 8-byte load at +60 overruns the 64-byte value
 * @expect reject
 * @msg invalid access to map value
 */
ASM(bnd_and_mask_over,
	GET_BIG
	"r1 = *(u64 *)(r6 + 0);"
	"r1 &= 0x3c;"
	"r0 += r1;"
	"r0 = *(u64 *)(r0 + 0);"
	"exit;")

/* @test bnd_and_lsh: (r & 7) << 3 gives [0,56]
 * @expect accept
 * @ctx 0500000000000000 0000000000000000
 * @map big=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f
 */
ASM(bnd_and_lsh,
	GET_BIG
	"r1 = *(u64 *)(r6 + 0);"
	"r1 &= 7;"
	"r1 <<= 3;"
	"*(u64 *)(r6 + 8) = r1;"
	"r0 += r1;"
	"r0 = *(u64 *)(r0 + 0);"
	"exit;")

/* @test bnd_and_lsh_over: (r & 15) << 2 gives [0,60], too far for an 8-byte load
 * @expect reject
 * @msg invalid access to map value
 */
ASM(bnd_and_lsh_over,
	GET_BIG
	"r1 = *(u64 *)(r6 + 0);"
	"r1 &= 15;"
	"r1 <<= 2;"
	"r0 += r1;"
	"r0 = *(u64 *)(r0 + 0);"
	"exit;")

/* @test bnd_and_lsh_u32: (r & 15) << 2 gives [0,60]: a 4-byte load fits exactly
 * @expect accept
 * @ctx 0f00000000000000 0000000000000000
 * @map big=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f
 */
ASM(bnd_and_lsh_u32,
	GET_BIG
	"r1 = *(u64 *)(r6 + 0);"
	"r1 &= 15;"
	"r1 <<= 2;"
	"*(u64 *)(r6 + 8) = r1;"
	"r0 += r1;"
	"r0 = *(u32 *)(r0 + 0);"
	"exit;")

/* @test bnd_rsh_58: an unknown u64 >> 58 is in [0,63]: a byte load fits
 * @expect accept
 * @ctx ffffffffffffffff 0000000000000000
 * @map big=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f
 */
ASM(bnd_rsh_58,
	GET_BIG
	"r1 = *(u64 *)(r6 + 0);"
	"r1 >>= 58;"
	"*(u64 *)(r6 + 8) = r1;"
	"r0 += r1;"
	"r0 = *(u8 *)(r0 + 0);"
	"exit;")

/* @test bnd_rsh_57: an unknown u64 >> 57 is in [0,127]: a byte load may overrun
 * @expect reject
 * @msg invalid access to map value
 */
ASM(bnd_rsh_57,
	GET_BIG
	"r1 = *(u64 *)(r6 + 0);"
	"r1 >>= 57;"
	"r0 += r1;"
	"r0 = *(u8 *)(r0 + 0);"
	"exit;")

/* @test bnd_mul_const: (r & 7) * 8 gives [0,56]
 * @expect accept
 * @ctx 0300000000000000 0000000000000000
 * @map big=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f
 */
ASM(bnd_mul_const,
	GET_BIG
	"r1 = *(u64 *)(r6 + 0);"
	"r1 &= 7;"
	"r1 *= 8;"
	"*(u64 *)(r6 + 8) = r1;"
	"r0 += r1;"
	"r0 = *(u64 *)(r0 + 0);"
	"exit;")

/* @test bnd_mul_const_over: (r & 7) * 9 gives [0,63], too far for an 8-byte load
 * @expect reject
 * @msg invalid access to map value
 */
ASM(bnd_mul_const_over,
	GET_BIG
	"r1 = *(u64 *)(r6 + 0);"
	"r1 &= 7;"
	"r1 *= 9;"
	"r0 += r1;"
	"r0 = *(u64 *)(r0 + 0);"
	"exit;")

/* @test bnd_mul_reg: (a & 7) * (b & 7) is in [0,49]
 * @expect accept
 * @ctx 0600000000000000 0700000000000000
 * @map big=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f
 */
ASM(bnd_mul_reg,
	GET_BIG
	"r1 = *(u64 *)(r6 + 0);"
	"r2 = *(u64 *)(r6 + 8);"
	"r1 &= 7;"
	"r2 &= 7;"
	"r1 *= r2;"
	"*(u64 *)(r6 + 8) = r1;"
	"r0 += r1;"
	"r0 = *(u64 *)(r0 + 0);"
	"exit;")

/* @test bnd_mul_reg_over: (a & 7) * (b & 15) is in [0,105]
 * @expect reject
 * @msg invalid access to map value
 */
ASM(bnd_mul_reg_over,
	GET_BIG
	"r1 = *(u64 *)(r6 + 0);"
	"r2 = *(u64 *)(r6 + 8);"
	"r1 &= 7;"
	"r2 &= 15;"
	"r1 *= r2;"
	"r0 += r1;"
	"r0 = *(u8 *)(r0 + 0);"
	"exit;")

/* @test bnd_add_const: (r & 31) + 24 is in [24,55]
 * @expect accept
 * @ctx 1f00000000000000 0000000000000000
 * @map big=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f
 */
ASM(bnd_add_const,
	GET_BIG
	"r1 = *(u64 *)(r6 + 0);"
	"r1 &= 31;"
	"r1 += 24;"
	"*(u64 *)(r6 + 8) = r1;"
	"r0 += r1;"
	"r0 = *(u64 *)(r0 + 0);"
	"exit;")

/* @test bnd_add_const_over: (r & 31) + 26 is in [26,57]
 * @expect reject
 * @msg invalid access to map value
 */
ASM(bnd_add_const_over,
	GET_BIG
	"r1 = *(u64 *)(r6 + 0);"
	"r1 &= 31;"
	"r1 += 26;"
	"r0 += r1;"
	"r0 = *(u64 *)(r0 + 0);"
	"exit;")

/* @test bnd_sub_from_const: 56 - (r & 31) is in [25,56]
 * @expect accept
 * @ctx 0800000000000000 0000000000000000
 * @map big=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f
 */
ASM(bnd_sub_from_const,
	GET_BIG
	"r1 = *(u64 *)(r6 + 0);"
	"r1 &= 31;"
	"r2 = 56;"
	"r2 -= r1;"
	"*(u64 *)(r6 + 8) = r2;"
	"r0 += r2;"
	"r0 = *(u64 *)(r0 + 0);"
	"exit;")

/* @test bnd_sub_neg: (r & 31) - 8 is in [-8,23]: negative offsets are refused
 * @expect reject
 * @msg min value is negative
 */
ASM(bnd_sub_neg,
	GET_BIG
	"r1 = *(u64 *)(r6 + 0);"
	"r1 &= 31;"
	"r1 -= 8;"
	"r0 += r1;"
	"r0 = *(u64 *)(r0 + 0);"
	"exit;")

/* @test bnd_sub_reg_neg: (a & 31) - (b & 31) is in [-31,31]
 * @expect reject
 * @msg min value is negative
 */
ASM(bnd_sub_reg_neg,
	GET_BIG
	"r1 = *(u64 *)(r6 + 0);"
	"r2 = *(u64 *)(r6 + 8);"
	"r1 &= 31;"
	"r2 &= 31;"
	"r1 -= r2;"
	"r0 += r1;"
	"r0 = *(u8 *)(r0 + 0);"
	"exit;")

/* @test bnd_add_reg: (a & 31) + (b & 24) is in [0,55]
 * @expect accept
 * @ctx 1f00000000000000 1800000000000000
 * @map big=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f
 */
ASM(bnd_add_reg,
	GET_BIG
	"r1 = *(u64 *)(r6 + 0);"
	"r2 = *(u64 *)(r6 + 8);"
	"r1 &= 31;"
	"r2 &= 24;"
	"r1 += r2;"
	"*(u64 *)(r6 + 8) = r1;"
	"r0 += r1;"
	"r0 = *(u64 *)(r0 + 0);"
	"exit;")

/* @test bnd_add_reg_over: (a & 31) + (b & 31) is in [0,62]
 * @expect reject
 * @msg invalid access to map value
 */
ASM(bnd_add_reg_over,
	GET_BIG
	"r1 = *(u64 *)(r6 + 0);"
	"r2 = *(u64 *)(r6 + 8);"
	"r1 &= 31;"
	"r2 &= 31;"
	"r1 += r2;"
	"r0 += r1;"
	"r0 = *(u64 *)(r0 + 0);"
	"exit;")

/* @test bnd_or_const: (r & 0x30) | 8 is at most 56 (tnum)
 * @expect accept
 * @ctx 3000000000000000 0000000000000000
 * @map big=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f
 */
ASM(bnd_or_const,
	GET_BIG
	"r1 = *(u64 *)(r6 + 0);"
	"r1 &= 0x30;"
	"r1 |= 8;"
	"*(u64 *)(r6 + 8) = r1;"
	"r0 += r1;"
	"r0 = *(u64 *)(r0 + 0);"
	"exit;")

/* @test bnd_or_const_over: (r & 0x38) | 4 may be 60
 * @expect reject
 * @msg invalid access to map value
 */
ASM(bnd_or_const_over,
	GET_BIG
	"r1 = *(u64 *)(r6 + 0);"
	"r1 &= 0x38;"
	"r1 |= 4;"
	"r0 += r1;"
	"r0 = *(u64 *)(r0 + 0);"
	"exit;")

/* @test bnd_or_reg: (a & 0x18) | (b & 0x20) is at most 0x38
 * @expect accept
 * @ctx 1800000000000000 2000000000000000
 * @map big=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f
 */
ASM(bnd_or_reg,
	GET_BIG
	"r1 = *(u64 *)(r6 + 0);"
	"r2 = *(u64 *)(r6 + 8);"
	"r1 &= 0x18;"
	"r2 &= 0x20;"
	"r1 |= r2;"
	"*(u64 *)(r6 + 8) = r1;"
	"r0 += r1;"
	"r0 = *(u64 *)(r0 + 0);"
	"exit;")

/* @test bnd_xor_const: (r & 0x38) ^ 0x38 stays in [0,56]
 * @expect accept
 * @ctx 1000000000000000 0000000000000000
 * @map big=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f
 */
ASM(bnd_xor_const,
	GET_BIG
	"r1 = *(u64 *)(r6 + 0);"
	"r1 &= 0x38;"
	"r1 ^= 0x38;"
	"*(u64 *)(r6 + 8) = r1;"
	"r0 += r1;"
	"r0 = *(u64 *)(r0 + 0);"
	"exit;")

/* @test bnd_xor_reg_over: (a & 0x38) ^ (b & 0x07) may be 63
 * @expect reject
 * @msg invalid access to map value
 */
ASM(bnd_xor_reg_over,
	GET_BIG
	"r1 = *(u64 *)(r6 + 0);"
	"r2 = *(u64 *)(r6 + 8);"
	"r1 &= 0x38;"
	"r2 &= 7;"
	"r1 ^= r2;"
	"r0 += r1;"
	"r0 = *(u64 *)(r0 + 0);"
	"exit;")

/* @test bnd_and_neg_mask: r & -8 is unbounded
 * @expect reject
 * @msg unbounded min value
 */
ASM(bnd_and_neg_mask,
	GET_BIG
	"r1 = *(u64 *)(r6 + 0);"
	"r1 &= -8;"
	"r0 += r1;"
	"r0 = *(u64 *)(r0 + 0);"
	"exit;")

/* @test bnd_unknown: an unknown ctx value as an offset
 * @expect reject
 * @msg unbounded min value
 */
ASM(bnd_unknown,
	GET_BIG
	"r1 = *(u64 *)(r6 + 0);"
	"r0 += r1;"
	"r0 = *(u8 *)(r0 + 0);"
	"exit;")

/* @test bnd_ldx_u8: a byte loaded from ctx is in [0,255], too far for 64 bytes
 * @expect reject
 * @msg invalid access to map value
 */
ASM(bnd_ldx_u8,
	GET_BIG
	"r1 = *(u8 *)(r6 + 0);"
	"r0 += r1;"
	"r0 = *(u8 *)(r0 + 0);"
	"exit;")

/* @test bnd_ldx_u8_masked: a byte loaded from ctx, & 63
 * @expect accept
 * @ctx 7f00000000000000 0000000000000000
 * @map big=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f
 */
ASM(bnd_ldx_u8_masked,
	GET_BIG
	"r1 = *(u8 *)(r6 + 0);"
	"r1 &= 63;"
	"*(u64 *)(r6 + 8) = r1;"
	"r0 += r1;"
	"r0 = *(u8 *)(r0 + 0);"
	"exit;")

/* @test bnd_lsh_reg: a shift by a non-constant amount makes the result unknown
 * @expect reject
 * @msg unbounded min value
 */
ASM(bnd_lsh_reg,
	GET_BIG
	"r1 = *(u64 *)(r6 + 0);"
	"r2 = *(u64 *)(r6 + 8);"
	"r1 &= 7;"
	"r2 &= 3;"
	"r1 <<= r2;"
	"r0 += r1;"
	"r0 = *(u8 *)(r0 + 0);"
	"exit;")

/* @test bnd_rsh_reg: (r & 63) >> (s & 3): shift by a non-constant
 * @expect reject
 * @msg unbounded min value
 */
ASM(bnd_rsh_reg,
	GET_BIG
	"r1 = *(u64 *)(r6 + 0);"
	"r2 = *(u64 *)(r6 + 8);"
	"r1 &= 63;"
	"r2 &= 3;"
	"r1 >>= r2;"
	"r0 += r1;"
	"r0 = *(u8 *)(r0 + 0);"
	"exit;")

/* @test bnd_div_const: (r & 127) / 2: the kernel does not bound a division (unknown result)
 * @expect reject
 * @msg unbounded min value
 */
ASM(bnd_div_const,
	GET_BIG
	"r1 = *(u64 *)(r6 + 0);"
	"r1 &= 127;"
	"r1 /= 2;"
	"r0 += r1;"
	"r0 = *(u8 *)(r0 + 0);"
	"exit;")

/* @test bnd_mod_const: r % 57: the kernel does not bound a modulo (unknown result)
 * @expect reject
 * @msg unbounded min value
 */
ASM(bnd_mod_const,
	GET_BIG
	"r1 = *(u64 *)(r6 + 0);"
	"r1 %%= 57;"
	"r0 += r1;"
	"r0 = *(u64 *)(r0 + 0);"
	"exit;")

/* @test bnd_arsh: (r << 56) s>> 58 is in [-32,31]; + 32 gives [0,63]
 * @expect accept
 * @ctx 00000000000000ff 0000000000000000
 * @map big=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f
 */
ASM(bnd_arsh,
	GET_BIG
	"r1 = *(u64 *)(r6 + 0);"
	"r1 <<= 56;"
	"r1 s>>= 58;"
	"r1 += 32;"
	"*(u64 *)(r6 + 8) = r1;"
	"r0 += r1;"
	"r0 = *(u8 *)(r0 + 0);"
	"exit;")

/* @test bnd_arsh_over: (r << 56) s>> 57 is in [-64,63]; + 32 may be negative
 * @expect reject
 * @msg min value is negative
 */
ASM(bnd_arsh_over,
	GET_BIG
	"r1 = *(u64 *)(r6 + 0);"
	"r1 <<= 56;"
	"r1 s>>= 57;"
	"r1 += 32;"
	"r0 += r1;"
	"r0 = *(u8 *)(r0 + 0);"
	"exit;")

/* @test bnd_neg: -(r & 7) + 7 is in [0,7]
 * @expect accept
 * @ctx 0500000000000000 0000000000000000
 * @map big=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f
 */
ASM(bnd_neg,
	GET_BIG
	"r1 = *(u64 *)(r6 + 0);"
	"r1 &= 7;"
	"r1 = -r1;"
	"r1 += 7;"
	"*(u64 *)(r6 + 8) = r1;"
	"r0 += r1;"
	"r0 = *(u8 *)(r0 + 0);"
	"exit;")

/* @test bnd_neg_neg: -(r & 7) is in [-7,0]
 * @expect reject
 * @msg min value is negative
 */
ASM(bnd_neg_neg,
	GET_BIG
	"r1 = *(u64 *)(r6 + 0);"
	"r1 &= 7;"
	"r1 = -r1;"
	"r0 += r1;"
	"r0 = *(u8 *)(r0 + 0);"
	"exit;")

/* @test bnd_const_fold: 3 * 8 - 1 = 23 is a known constant
 * @expect accept
 * @map big=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f
 */
ASM(bnd_const_fold,
	GET_BIG
	"r1 = 3;"
	"r1 *= 8;"
	"r1 -= 1;"
	"r0 += r1;"
	"r0 = *(u64 *)(r0 + 0);"
	"exit;")

/* @test bnd_const_fold_neg: 3 - 4 = -1 as an offset
 * @expect reject
 * @msg invalid access to map value
 */
ASM(bnd_const_fold_neg,
	GET_BIG
	"r1 = 3;"
	"r1 -= 4;"
	"r0 += r1;"
	"r0 = *(u8 *)(r0 + 0);"
	"exit;")

/* @test bnd_const_wrap: 0x7fffffffffffffff + 1 wraps to INT64_MIN
 * @expect reject
 */
ASM(bnd_const_wrap,
	GET_BIG
	"r1 = 0x7fffffffffffffff ll;"
	"r1 += 1;"
	"r0 += r1;"
	"r0 = *(u8 *)(r0 + 0);"
	"exit;")

/* @test bnd_and_after_add: (r + 5) & 0x38 is in [0,56] whatever r is
 * @expect accept
 * @ctx 3300000000000000 0000000000000000
 * @map big=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f
 */
ASM(bnd_and_after_add,
	GET_BIG
	"r1 = *(u64 *)(r6 + 0);"
	"r1 += 5;"
	"r1 &= 0x38;"
	"*(u64 *)(r6 + 8) = r1;"
	"r0 += r1;"
	"r0 = *(u64 *)(r0 + 0);"
	"exit;")

/* @test bnd_mul_overflow: (r & 0xffffffff) * 0x100000000 overflows 64 bits
 * @expect reject
 */
ASM(bnd_mul_overflow,
	GET_BIG
	"r1 = *(u64 *)(r6 + 0);"
	"r2 = 0xffffffff ll;"
	"r1 &= r2;"
	"r2 = 0x100000000 ll;"
	"r1 *= r2;"
	"r1 >>= 60;"
	"r1 *= 5;"
	"r0 += r1;"
	"r0 = *(u8 *)(r0 + 0);"
	"exit;")

/* @test bnd_and_reg_tnum: (a & 0x3f) & (b | 0xc0)... the tnum of an AND of two unknowns
 * stays under the mask
 * @expect accept
 * @ctx 3f00000000000000 0100000000000000
 * @map big=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f
 */
ASM(bnd_and_reg_tnum,
	GET_BIG
	"r1 = *(u64 *)(r6 + 0);"
	"r2 = *(u64 *)(r6 + 8);"
	"r1 &= 0x3f;"
	"r1 &= r2;"
	"*(u64 *)(r6 + 8) = r1;"
	"r0 += r1;"
	"r0 = *(u8 *)(r0 + 0);"
	"exit;")

/* @test bnd_bswap: a byte swap of a masked value: the verifier's bounds after BPF_END
 * @expect reject
 */
ASM(bnd_bswap,
	GET_BIG
	"r1 = *(u64 *)(r6 + 0);"
	"r1 &= 0x3f;"
	"r1 = be16 r1;"
	"r0 += r1;"
	"r0 = *(u8 *)(r0 + 0);"
	"exit;")

/* @test bnd_le_noop: le64 is a no-op on x86: the bounds of (r & 0x38) survive
 * @expect accept
 * @ctx 2800000000000000 0000000000000000
 * @map big=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f
 */
ASM(bnd_le_noop,
	GET_BIG
	"r1 = *(u64 *)(r6 + 0);"
	"r1 &= 0x38;"
	"r1 = le64 r1;"
	"*(u64 *)(r6 + 8) = r1;"
	"r0 += r1;"
	"r0 = *(u64 *)(r0 + 0);"
	"exit;")
