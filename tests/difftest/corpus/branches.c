// SPDX-License-Identifier: GPL-2.0
/* branches.c - branch refinement (reg/imm and reg/reg, 64- and 32-bit,
 * unsigned, signed, JSET, equality) and dead-branch pruning.  The refined
 * register indexes the 64-byte big[0] (value i at byte i): the verdict depends
 * on what the verifier learnt from the branch.  Dead branches hold code that
 * would be rejected if it were reachable. */
#include "difftest.h"

#define USE_R1_U64 "r0 += r1; r0 = *(u64 *)(r0 + 0); exit;"
#define USE_R1_U8  "r0 += r1; r0 = *(u8 *)(r0 + 0); exit;"
#define OUT "1: r0 = 0; exit;"
/* code the verifier must never reach */
#define BAD "r2 = 0; r0 = *(u64 *)(r2 + 0); exit;"

/* @test br_jgt_imm: if r > 56 goto out: the fall-through has [0,56]
 * @expect accept
 * @ctx 3800000000000000
 * @map big=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f
 */
ASM(br_jgt_imm,
	GET_BIG
	"r1 = *(u64 *)(r6 + 0);"
	"if r1 > 56 goto 1f;"
	USE_R1_U64
	OUT)

/* @test br_jgt_imm_off1: if r > 57 goto out leaves 57: one byte too far
 * @expect reject
 * @msg invalid access to map value
 */
ASM(br_jgt_imm_off1,
	GET_BIG
	"r1 = *(u64 *)(r6 + 0);"
	"if r1 > 57 goto 1f;"
	USE_R1_U64
	OUT)

/* @test br_jge_imm: if r >= 57 goto out
 * @expect accept
 * @ctx 2000000000000000
 * @map big=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f
 */
ASM(br_jge_imm,
	GET_BIG
	"r1 = *(u64 *)(r6 + 0);"
	"if r1 >= 57 goto 1f;"
	USE_R1_U64
	OUT)

/* @test br_jlt_imm: if r < 57 goto use: the taken branch has [0,56]
 * @expect accept
 * @ctx 0800000000000000
 * @map big=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f
 */
ASM(br_jlt_imm,
	GET_BIG
	"r1 = *(u64 *)(r6 + 0);"
	"if r1 < 57 goto 2f;"
	"r0 = 0; exit;"
	"2:"
	USE_R1_U64)

/* @test br_jle_imm: if r <= 56 goto use
 * @expect accept
 * @ctx 3800000000000000
 * @map big=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f
 */
ASM(br_jle_imm,
	GET_BIG
	"r1 = *(u64 *)(r6 + 0);"
	"if r1 <= 56 goto 2f;"
	"r0 = 0; exit;"
	"2:"
	USE_R1_U64)

/* @test br_jle_imm_wrong_side: the fall-through of if r <= 56 is r > 56
 * @expect reject
 */
ASM(br_jle_imm_wrong_side,
	GET_BIG
	"r1 = *(u64 *)(r6 + 0);"
	"if r1 <= 56 goto 1f;"
	USE_R1_U8
	OUT)

/* @test br_jsgt_only: if r s> 56 goto out bounds only the top: r may be negative
 * @expect reject
 */
ASM(br_jsgt_only,
	GET_BIG
	"r1 = *(u64 *)(r6 + 0);"
	"if r1 s> 56 goto 1f;"
	USE_R1_U64
	OUT)

/* @test br_jsgt_jslt: s> 56 and s< 0 exits leave [0,56]
 * @expect accept
 * @ctx 1000000000000000
 * @map big=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f
 */
ASM(br_jsgt_jslt,
	GET_BIG
	"r1 = *(u64 *)(r6 + 0);"
	"if r1 s> 56 goto 1f;"
	"if r1 s< 0 goto 1f;"
	USE_R1_U64
	OUT)

/* @test br_jsle_jsge: taken s<= 56 then taken s>= 0 gives [0,56]
 * @expect accept
 * @ctx 3000000000000000
 * @map big=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f
 */
ASM(br_jsle_jsge,
	GET_BIG
	"r1 = *(u64 *)(r6 + 0);"
	"if r1 s<= 56 goto 2f;"
	"r0 = 0; exit;"
	"2: if r1 s>= 0 goto 3f;"
	"r0 = 0; exit;"
	"3:"
	USE_R1_U64)

/* @test br_jsge_off1: s>= 0 and s<= 57 leave 57
 * @expect reject
 */
ASM(br_jsge_off1,
	GET_BIG
	"r1 = *(u64 *)(r6 + 0);"
	"if r1 s> 57 goto 1f;"
	"if r1 s< 0 goto 1f;"
	USE_R1_U64
	OUT)

/* @test br_jeq_imm: if r == 40 goto use makes r the constant 40
 * @expect accept
 * @ctx 2800000000000000
 * @map big=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f
 */
ASM(br_jeq_imm,
	GET_BIG
	"r1 = *(u64 *)(r6 + 0);"
	"if r1 == 40 goto 2f;"
	"r0 = 0; exit;"
	"2:"
	USE_R1_U64)

/* @test br_jne_imm: the fall-through of if r != 40 has r == 40
 * @expect accept
 * @ctx 2800000000000000
 * @map big=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f
 */
ASM(br_jne_imm,
	GET_BIG
	"r1 = *(u64 *)(r6 + 0);"
	"if r1 != 40 goto 1f;"
	USE_R1_U64
	OUT)

/* @test br_jeq_imm_oob: r == 60 is a constant out of bounds for an 8-byte load
 * @expect reject
 * @msg invalid access to map value
 */
ASM(br_jeq_imm_oob,
	GET_BIG
	"r1 = *(u64 *)(r6 + 0);"
	"if r1 == 60 goto 2f;"
	"r0 = 0; exit;"
	"2:"
	USE_R1_U64)

/* @test br_jne_taken_unbounded: the taken side of if r != 40 knows nothing
 * @expect reject
 */
ASM(br_jne_taken_unbounded,
	GET_BIG
	"r1 = *(u64 *)(r6 + 0);"
	"if r1 != 40 goto 2f;"
	"r0 = 0; exit;"
	"2:"
	USE_R1_U8)

/* @test br_jset_false: the fall-through of if r & ~0x38 has r's bits within 0x38
 * @expect accept
 * @ctx 1800000000000000
 * @map big=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f
 */
ASM(br_jset_false,
	GET_BIG
	"r1 = *(u64 *)(r6 + 0);"
	"if r1 & -57 goto 1f;"
	USE_R1_U64
	OUT)

/* @test br_jset_true: the taken side of if r & 8 bounds nothing
 * @expect reject
 */
ASM(br_jset_true,
	GET_BIG
	"r1 = *(u64 *)(r6 + 0);"
	"if r1 & 8 goto 2f;"
	"r0 = 0; exit;"
	"2:"
	USE_R1_U8)

/* @test br_rr_const: if r1 > r2 with r2 = 56
 * @expect accept
 * @ctx 0800000000000000
 * @map big=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f
 */
ASM(br_rr_const,
	GET_BIG
	"r1 = *(u64 *)(r6 + 0);"
	"r2 = 56;"
	"if r1 > r2 goto 1f;"
	USE_R1_U64
	OUT)

/* @test br_rr_bounded: if r1 > r2 with r2 in [0,56] bounds r1 by 56
 * @expect accept
 * @ctx 1000000000000000 3800000000000000
 * @map big=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f
 */
ASM(br_rr_bounded,
	GET_BIG
	"r1 = *(u64 *)(r6 + 0);"
	"r2 = *(u64 *)(r6 + 8);"
	"r2 &= 0x38;"
	"if r1 > r2 goto 1f;"
	USE_R1_U64
	OUT)

/* @test br_rr_bounded_over: if r1 > r2 with r2 in [0,63]
 * @expect reject
 * @msg invalid access to map value
 */
ASM(br_rr_bounded_over,
	GET_BIG
	"r1 = *(u64 *)(r6 + 0);"
	"r2 = *(u64 *)(r6 + 8);"
	"r2 &= 0x3f;"
	"if r1 > r2 goto 1f;"
	USE_R1_U64
	OUT)

/* @test br_rr_jlt: if r1 < r2 (r2 in [0,57]) goto use: r1 <= 56
 * @expect accept
 * @ctx 0800000000000000 3900000000000000
 * @map big=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f
 */
ASM(br_rr_jlt,
	GET_BIG
	"r1 = *(u64 *)(r6 + 0);"
	"r2 = *(u64 *)(r6 + 8);"
	"if r2 > 57 goto 1f;"
	"if r1 < r2 goto 2f;"
	"r0 = 0; exit;"
	"2:"
	USE_R1_U64
	OUT)

/* @test br_rr_swapped: if r2 < r1 (r2 = 56) goto out: the constant on the left
 * @expect accept
 * @ctx 3800000000000000
 * @map big=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f
 */
ASM(br_rr_swapped,
	GET_BIG
	"r1 = *(u64 *)(r6 + 0);"
	"r2 = 56;"
	"if r2 < r1 goto 1f;"
	USE_R1_U64
	OUT)

/* @test br_rr_jeq: if r1 == r2 (r2 = 40) makes r1 known
 * @expect accept
 * @ctx 2800000000000000
 * @map big=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f
 */
ASM(br_rr_jeq,
	GET_BIG
	"r1 = *(u64 *)(r6 + 0);"
	"r2 = 40;"
	"if r1 == r2 goto 2f;"
	"r0 = 0; exit;"
	"2:"
	USE_R1_U64)

/* @test br_rr_jne_bounded: fall-through of r1 != r2 (r2 in [0,56]): r1 = r2
 * @expect accept
 * @ctx 1800000000000000 1800000000000000
 * @map big=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f
 */
ASM(br_rr_jne_bounded,
	GET_BIG
	"r1 = *(u64 *)(r6 + 0);"
	"r2 = *(u64 *)(r6 + 8);"
	"r2 &= 0x38;"
	"if r1 != r2 goto 1f;"
	USE_R1_U64
	OUT)

/* @test br_rr_jeq_unknown: r1 == r2 with both unknown bounds nothing
 * @expect reject
 */
ASM(br_rr_jeq_unknown,
	GET_BIG
	"r1 = *(u64 *)(r6 + 0);"
	"r2 = *(u64 *)(r6 + 8);"
	"if r1 == r2 goto 2f;"
	"r0 = 0; exit;"
	"2:"
	USE_R1_U8)

/* @test br_rr_signed: r1 s> r2 (r2 = -1) gives r1 >= 0; then r1 s<= 56
 * @expect accept
 * @ctx 3800000000000000
 * @map big=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f
 */
ASM(br_rr_signed,
	GET_BIG
	"r1 = *(u64 *)(r6 + 0);"
	"r2 = -1;"
	"if r1 s> r2 goto 2f;"
	"r0 = 0; exit;"
	"2: if r1 s> 56 goto 1f;"
	USE_R1_U64
	OUT)

/* @test br32_upper_unknown: if w1 > 56 bounds only the low half: r1 is still unknown
 * @expect reject
 */
ASM(br32_upper_unknown,
	GET_BIG
	"r1 = *(u64 *)(r6 + 0);"
	"if w1 > 56 goto 1f;"
	USE_R1_U64
	OUT)

/* @test br32_upper_zero: r1 from a 4-byte load: if w1 > 56 bounds all of r1
 * @expect accept
 * @ctx 3800000000000000
 * @map big=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f
 */
ASM(br32_upper_zero,
	GET_BIG
	"r1 = *(u32 *)(r6 + 0);"
	"if w1 > 56 goto 1f;"
	USE_R1_U64
	OUT)

/* @test br32_then_zext: if w1 > 56, then w1 = w1 drops the unknown upper half
 * @expect accept
 * @ctx 38000000ffffffff
 * @map big=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f
 */
ASM(br32_then_zext,
	GET_BIG
	"r1 = *(u64 *)(r6 + 0);"
	"if w1 > 56 goto 1f;"
	"w1 = w1;"
	USE_R1_U64
	OUT)

/* @test br32_signed: 32-bit s> 56 and s< 0 on a zero-extended value
 * @expect accept
 * @ctx 2000000000000000
 * @map big=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f
 */
ASM(br32_signed,
	GET_BIG
	"r1 = *(u32 *)(r6 + 0);"
	"if w1 s> 56 goto 1f;"
	"if w1 s< 0 goto 1f;"
	USE_R1_U64
	OUT)

/* @test br32_signed_only_top: 32-bit s> 56 alone: 0x80000000 and up still pass
 * @expect reject
 */
ASM(br32_signed_only_top,
	GET_BIG
	"r1 = *(u32 *)(r6 + 0);"
	"if w1 s> 56 goto 1f;"
	USE_R1_U64
	OUT)

/* @test br32_rr: 32-bit reg/reg compare with w2 = 56 on a zero-extended value
 * @expect accept
 * @ctx 0100000000000000
 * @map big=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f
 */
ASM(br32_rr,
	GET_BIG
	"r1 = *(u32 *)(r6 + 0);"
	"w2 = 56;"
	"if w1 > w2 goto 1f;"
	USE_R1_U64
	OUT)

/* @test br32_jeq_upper_unknown: if w1 == 40 says nothing about r1's upper half
 * @expect reject
 */
ASM(br32_jeq_upper_unknown,
	GET_BIG
	"r1 = *(u64 *)(r6 + 0);"
	"if w1 == 40 goto 2f;"
	"r0 = 0; exit;"
	"2:"
	USE_R1_U64)

/* @test br32_jne_known: r1 from a 4-byte load; fall-through of w1 != 40 is 40
 * @expect accept
 * @ctx 2800000000000000
 * @map big=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f
 */
ASM(br32_jne_known,
	GET_BIG
	"r1 = *(u32 *)(r6 + 0);"
	"if w1 != 40 goto 1f;"
	USE_R1_U64
	OUT)

/* @test br32_jset_false: 32-bit jset on a zero-extended value bounds the bits
 * @expect accept
 * @ctx 3800000000000000
 * @map big=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f
 */
ASM(br32_jset_false,
	GET_BIG
	"r1 = *(u32 *)(r6 + 0);"
	"if w1 & -57 goto 1f;"
	USE_R1_U64
	OUT)

/* @test br_copy_refined: r2 = r1; a bound learnt on r2 applies to r1 (same id)
 * @expect accept
 * @ctx 3000000000000000
 * @map big=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f
 */
ASM(br_copy_refined,
	GET_BIG
	"r1 = *(u64 *)(r6 + 0);"
	"r2 = r1;"
	"if r2 > 56 goto 1f;"
	USE_R1_U64
	OUT)

/* @test br_copy_broken: r2 = r1, then r2 changes: a bound on r2 says nothing about r1
 * @expect reject
 */
ASM(br_copy_broken,
	GET_BIG
	"r1 = *(u64 *)(r6 + 0);"
	"r2 = r1;"
	"r2 &= 0xff;"
	"if r2 > 56 goto 1f;"
	USE_R1_U64
	OUT)

/* @test br_copy_delta: r2 = r1 + 8 (r1 from a 4-byte load); r2 <= 64 gives r1 <= 56 (linked registers with a delta)
 * @expect accept
 * @ctx 3800000000000000
 * @map big=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f
 */
ASM(br_copy_delta,
	GET_BIG
	"r1 = *(u32 *)(r6 + 0);"
	"r2 = r1;"
	"r2 += 8;"
	"if r2 > 64 goto 1f;"
	USE_R1_U64
	OUT)

/* @test br_spill_refined: r1 spilled, bounded, filled back: the fill keeps the bound
 * @expect accept
 * @ctx 2000000000000000
 * @map big=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f
 */
ASM(br_spill_refined,
	GET_BIG
	"r1 = *(u64 *)(r6 + 0);"
	"*(u64 *)(r10 - 16) = r1;"
	"if r1 > 56 goto 1f;"
	"r1 = *(u64 *)(r10 - 16);"
	USE_R1_U64
	OUT)

/* @test dead_const: r1 = 5; if r1 > 4 always jumps: the fall-through is never verified
 * @expect accept
 */
ASM(dead_const,
	"r1 = 5;"
	"if r1 > 4 goto 1f;"
	BAD
	"1: r0 = 1; exit;")

/* @test dead_const_live: r1 = 3; if r1 > 4 never jumps: the bad code is reached
 * @expect reject
 * @msg invalid mem access 'scalar'
 */
ASM(dead_const_live,
	"r1 = 3;"
	"if r1 > 4 goto 1f;"
	BAD
	"1: r0 = 1; exit;")

/* @test dead_range: r & 7 is never > 7
 * @expect accept
 */
ASM(dead_range,
	"r1 = *(u64 *)(r1 + 0);"
	"r1 &= 7;"
	"if r1 > 7 goto 1f;"
	"r0 = 2; exit;"
	"1:"
	BAD)

/* @test dead_range_live: r & 15 may be > 7
 * @expect reject
 * @msg invalid mem access 'scalar'
 */
ASM(dead_range_live,
	"r1 = *(u64 *)(r1 + 0);"
	"r1 &= 15;"
	"if r1 > 7 goto 1f;"
	"r0 = 2; exit;"
	"1:"
	BAD)

/* @test dead_range32: w & 7 is never > 7 in 32 bits
 * @expect accept
 */
ASM(dead_range32,
	"r1 = *(u64 *)(r1 + 0);"
	"w1 &= 7;"
	"if w1 > 7 goto 1f;"
	"r0 = 2; exit;"
	"1:"
	BAD)

/* @test dead_jeq_out_of_range: r & 0x38 is never 60
 * @expect accept
 */
ASM(dead_jeq_out_of_range,
	"r1 = *(u64 *)(r1 + 0);"
	"r1 &= 0x38;"
	"if r1 == 60 goto 1f;"
	"r0 = 3; exit;"
	"1:"
	BAD)

/* @test dead_jeq_tnum: r & 0x38 is never 9 (in range, but the low bits are known zero)
 * @expect accept
 */
ASM(dead_jeq_tnum,
	"r1 = *(u64 *)(r1 + 0);"
	"r1 &= 0x38;"
	"if r1 == 9 goto 1f;"
	"r0 = 3; exit;"
	"1:"
	BAD)

/* @test dead_signed: r & 0xff is never s< 0
 * @expect accept
 */
ASM(dead_signed,
	"r1 = *(u64 *)(r1 + 0);"
	"r1 &= 0xff;"
	"if r1 s< 0 goto 1f;"
	"r0 = 4; exit;"
	"1:"
	BAD)

/* @test dead_signed_live: an unknown r may be s< 0: the bad code is reachable
 * @expect reject
 */
ASM(dead_signed_live,
	"r1 = *(u64 *)(r1 + 0);"
	"if r1 s< 0 goto 1f;"
	"r0 = 4; exit;"
	"1:"
	BAD)

/* @test dead_jset: r & 0x38 has no bit of 7 set
 * @expect accept
 */
ASM(dead_jset,
	"r1 = *(u64 *)(r1 + 0);"
	"r1 &= 0x38;"
	"if r1 & 7 goto 1f;"
	"r0 = 5; exit;"
	"1:"
	BAD)

/* @test dead_jset_always: r | 4 always has bit 2 set: the fall-through is dead
 * @expect accept
 */
ASM(dead_jset_always,
	"r1 = *(u64 *)(r1 + 0);"
	"r1 |= 4;"
	"if r1 & 4 goto 1f;"
	BAD
	"1: r0 = 5; exit;")

/* @test dead_rr_consts: 5 > 6 is false for two known registers
 * @expect accept
 */
ASM(dead_rr_consts,
	"r1 = 5;"
	"r2 = 6;"
	"if r1 > r2 goto 1f;"
	"r0 = 6; exit;"
	"1:"
	BAD)

/* @test dead_rr_ranges: [0,7] > [8,15] is never true
 * @expect accept
 */
ASM(dead_rr_ranges,
	"r2 = *(u64 *)(r1 + 8);"
	"r1 = *(u64 *)(r1 + 0);"
	"r1 &= 7;"
	"r2 &= 7;"
	"r2 += 8;"
	"if r1 > r2 goto 1f;"
	"r0 = 6; exit;"
	"1:"
	BAD)

/* @test dead_rr_ranges_live: [0,15] > [8,15] may be true
 * @expect reject
 */
ASM(dead_rr_ranges_live,
	"r2 = *(u64 *)(r1 + 8);"
	"r1 = *(u64 *)(r1 + 0);"
	"r1 &= 15;"
	"r2 &= 7;"
	"r2 += 8;"
	"if r1 > r2 goto 1f;"
	"r0 = 6; exit;"
	"1:"
	BAD)

/* @test dead_after_refine: after if r > 10 goto out, r > 20 is impossible
 * @expect accept
 */
ASM(dead_after_refine,
	"r1 = *(u64 *)(r1 + 0);"
	"if r1 > 10 goto 2f;"
	"if r1 > 20 goto 1f;"
	"r0 = 7; exit;"
	"1:"
	BAD
	"2: r0 = 8; exit;")

/* @test dead_jmp32_const: w1 of 0x100000005 is 5: if w1 == 5 always jumps
 * @expect accept
 */
ASM(dead_jmp32_const,
	"r1 = 0x100000005 ll;"
	"if w1 == 5 goto 1f;"
	BAD
	"1: r0 = 9; exit;")

/* @test dead_jmp32_const_live: the 64-bit compare of 0x100000005 with 5 is false: the bad code is reached
 * @expect reject
 */
ASM(dead_jmp32_const_live,
	"r1 = 0x100000005 ll;"
	"if r1 == 5 goto 1f;"
	BAD
	"1: r0 = 9; exit;")

/* @test br_ja_unreachable: ja and gotol jump over code no path reaches: unreachable instructions
 * @expect reject
 * @msg unreachable insn
 */
ASM(br_ja_unreachable,
	"goto 1f;"
	BAD
	"1: gotol 2f;"
	BAD
	"2: r0 = 10; exit;")

/* @test br_gotol: gotol (v4, 32-bit offset) and ja in a diamond
 * @expect accept
 * @ctx 0900000000000000
 */
ASM(br_gotol,
	"r2 = *(u64 *)(r1 + 0);"
	"if r2 > 5 goto 1f;"
	"r0 = 1;"
	"gotol 2f;"
	"1: r0 = 2;"
	"goto 2f;"
	"2: exit;")

/* @test br_infeasible_signed: r | 0x80000000 with r s<= 62 must be negative, so "s< 0" always
 * jumps: the fall-through (which would index by r) is dead (found by random.sh)
 * @expect accept
 * @ctx 0000000000000000
 * @map big=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f
 */
ASM(br_infeasible_signed,
	GET_BIG
	"r1 = *(u64 *)(r6 + 0);"
	"r1 |= 0x80000000;"
	"if r1 s> 62 goto 1f;"
	"if r1 s< 0 goto 1f;"
	USE_R1_U8
	OUT)

/* @test br_infeasible_unsigned: r | 0x80 is never <= 0x7f: the fall-through is dead
 * @expect accept
 */
ASM(br_infeasible_unsigned,
	"r1 = *(u64 *)(r1 + 0);"
	"r1 |= 0x80;"
	"if r1 > 0x7f goto 1f;"
	BAD
	"1: r0 = 3; exit;")

/* @test br_sync_32_64: after "if w1 s< -1000" (32-bit signed), "s> 62" and "s< 0" on r1 give
 * [0,62]: the 32-bit bound must not spoil the 64-bit one (reduced from random.sh's rnd1_1847)
 * @expect accept
 * @ctx 2a00000000000000
 * @map big=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f
 */
ASM(br_sync_32_64,
	GET_BIG
	"r1 = *(u64 *)(r6 + 0);"
	"if w1 s< -1000 goto 1f;"
	"if r1 s> 62 goto 1f;"
	"if r1 s< 0 goto 1f;"
	USE_R1_U8
	OUT)
