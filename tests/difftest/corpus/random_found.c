// SPDX-License-Identifier: GPL-2.0
/* random_found.c - programs found by tests/difftest/random.sh (seed 1, 2000
 * programs) on which ibpf and the kernel disagreed, kept as they were
 * generated (see random_gen.py for their shape: r6 = ctx, r7 = &big[0], r8/r9
 * scalars from the ctx, a zeroed stack).  Reduced tests for the same rules live
 * in the themed files where the cause was clear. */
#include "difftest.h"

SUB(rs_mask, "r0 = r1; r0 &= 63; exit;")
SUB(rs_add, "r0 = r1; r0 += r2; exit;")
SUB(rs_store, "*(u64 *)(r1 + 0) = r2; r0 = 0; exit;")
SUB(rs_load, "r0 = *(u64 *)(r1 + 0); exit;")
SUB(rs_cb, "r0 = r1; r0 &= 1; exit;")
SUB(rs_cb_bad, "r0 = r1; r0 &= 3; exit;")

#define RASM(name, body) ASM_PROG(name) { asm volatile(body :: ASM_OPS, \
	[rs_cb] "i"(rs_cb), [rs_cb_bad] "i"(rs_cb_bad) : "memory"); }

/* @test rnd1_863: a branch the kernel proves infeasible (r1 = -(r9 << 56) + r8, signed and unsigned bounds that cannot both hold) is explored, and its access is refused
 * @expect accept
 * @ctx c0ffffffffffffffac74e5348b5f33b649318eeede74930503892a3af13667437168b88d18ed2cb5000000000000008040000000000000002c18ccd3ec99b522
 * @map big=fefffffffffffffff65d706b0365434a549d28f867601f17eab16bb264597f6a00000000000000000f000000000000008c545b72eb1631147d1bd63caaf13d0410000000000000002d7c7862d1cd90cb037e5887895a7ec1ecc5108d2c7afb3e11b2f8d2fc30ab2b3bbd6f3142ea373210000000000000002c9639b1086eb26a0700000000000000acbeb28842c571b6155da2fb95fc4ff26c30b2339df62f96ab62f868c79925a900010000000000005ba6783a49a7db494374a8aa1bb17443c0fffffffffffffffeffffffffffffff33967b1aca5cce7802000000000000003f000000000000000100000000000000a32c6585179631bc4000000000000000
 */
RASM(rnd1_863,
	"r6 = r1;"
	"r1 = 0;"
	"*(u64 *)(r10 - 8) = r1;"
	"*(u64 *)(r10 - 16) = r1;"
	"*(u64 *)(r10 - 24) = r1;"
	"*(u64 *)(r10 - 32) = r1;"
	"*(u64 *)(r10 - 40) = r1;"
	"*(u64 *)(r10 - 48) = r1;"
	"*(u64 *)(r10 - 56) = r1;"
	"*(u64 *)(r10 - 64) = r1;"
	"*(u32 *)(r10 - 72) = r1;"
	"r2 = r10;"
	"r2 += -72;"
	"r1 = %[big] ll;"
	"call %[bpf_map_lookup_elem];"
	"if r0 != 0 goto .Lrnd1_863_1;"
	"exit;"
	".Lrnd1_863_1:"
	"r7 = r0;"
	"r0 = 0;"
	"r8 = *(u64 *)(r6 + 0);"
	"r9 = *(u32 *)(r6 + 56);"
	"if r9 s> 255 goto .Lrnd1_863_2;"
	"r9 <<= 56;"
	"if w8 s< 0 goto .Lrnd1_863_3;"
	"r8 &= r8;"
	"r8 &= 60;"
	"r0 *= 1;"
	".Lrnd1_863_3:"
	".Lrnd1_863_2:"
	"r0 >>= 6;"
	"r9 = -r9;"
	"r1 = r9;"
	"r2 = r8;"
	"call rs_add;"
	"r1 = r0;"
	"r1 &= 62;"
	"r2 = r7;"
	"r2 += r1;"
	"*(u16 *)(r2 +0) = r0;"
	"*(u64 *)(r10 -64) = r0;"
	"r1 = r0;"
	"if r1 s> 62 goto .Lrnd1_863_4;"
	"if r1 s< 0 goto .Lrnd1_863_4;"
	"r1 &= -2;"
	"r2 = r7;"
	"r2 += r1;"
	"r8 = *(u16 *)(r2 +0);"
	".Lrnd1_863_4:"
	"r1 = r8;"
	"if r1 > 63 goto .Lrnd1_863_5;"
	"r2 = r7;"
	"r2 += r1;"
	"r0 = *(u8 *)(r2 +0);"
	".Lrnd1_863_5:"
	"*(u64 *)(r6 + 56) = r8;"
	"r0 = r1;"
	"exit;")

/* @test rnd1_1429: a 2-byte fill from inside a spilled zero register (fp-22 of fp-24) is 0 for the kernel,
 * unknown for ibpf, and the offset built from it is too wide (see stack.c st_spill_zero_fill16)
 * @expect accept
 * @ctx f72662c6b1dac64fdc898343956dd0dd000000800000000077939d0abaa3ec2bad3ac41ded3a964d3f000000000000003f000000000000008222d8996c462edb
 * @map big=02000000000000008cfe218f660359544000000000000000000000000000008040ca33cd09d0d306ffffffffffffffffe328eed02aea6effffa90e3535bf1bdd4f6fcd52a6e5bd5d4b074025a60a23ad1f000000000000002ad7902f4a5c1b99fefffffffffffffff534f5a341c1ae81f8ffffffffffffff0000000001000000010000000000000000000000000000003f000000000000002ebc09beb5c56a3c657a3d07a922f253fc454b2fc8299c23080598d02d07483f4c2138cd7f90a4fc00000080000000004000000000000000c1b433a4a8e2abbb0700000000000000b323f45594a89044c4a370a3cb7b292b0700000000000000017baf1d864a3735
 */
RASM(rnd1_1429,
	"r6 = r1;"
	"r1 = 0;"
	"*(u64 *)(r10 - 8) = r1;"
	"*(u64 *)(r10 - 16) = r1;"
	"*(u64 *)(r10 - 24) = r1;"
	"*(u64 *)(r10 - 32) = r1;"
	"*(u64 *)(r10 - 40) = r1;"
	"*(u64 *)(r10 - 48) = r1;"
	"*(u64 *)(r10 - 56) = r1;"
	"*(u64 *)(r10 - 64) = r1;"
	"*(u32 *)(r10 - 72) = r1;"
	"r2 = r10;"
	"r2 += -72;"
	"r1 = %[big] ll;"
	"call %[bpf_map_lookup_elem];"
	"if r0 != 0 goto .Lrnd1_1429_1;"
	"exit;"
	".Lrnd1_1429_1:"
	"r7 = r0;"
	"r0 = 0;"
	"r8 = *(u64 *)(r6 + 40);"
	"r9 = *(u8 *)(r6 + 56);"
	"r8 = *(u16 *)(r10 -22);"
	"r1 = r8;"
	"if r1 s> 63 goto .Lrnd1_1429_2;"
	"w1 = w1;"
	"r1 &= -2;"
	"r2 = r7;"
	"r2 += r1;"
	"r0 = *(u16 *)(r2 +0);"
	".Lrnd1_1429_2:"
	"r1 = r9;"
	"r1 &= 24;"
	"r2 = r7;"
	"r2 += r1;"
	"r4 = *(u8 *)(r2 +0);"
	"r1 = r8;"
	"call rs_mask;"
	"r1 = r0;"
	"if r1 s> 60 goto .Lrnd1_1429_3;"
	"if r1 s< 0 goto .Lrnd1_1429_3;"
	"r1 &= -4;"
	"r2 = r7;"
	"r2 += r1;"
	"*(u32 *)(r2 +4) = r0;"
	".Lrnd1_1429_3:"
	"if r1 s> 7 goto .Lrnd1_1429_4;"
	"r3 = *(u32 *)(r6 + 52);"
	"r9 &= 56;"
	".Lrnd1_1429_4:"
	"*(u64 *)(r10 -40) = r1;"
	"w2 = 451982497;"
	"r4 = *(u64 *)(r10 -40);"
	"*(u64 *)(r6 + 56) = r2;"
	"r0 = r4;"
	"exit;")

/* @test rnd1_1847: after a 32-bit signed compare, s> 62 and s< 0 bound r1 to [0,62] for the kernel;
 * ibpf ends with umin=2^31 and calls the stack access unbounded (branches.c br_sync_32_64 is a
 * simpler form ibpf gets right)
 * @expect accept
 * @ctx 8703535382b3642c000000000000000022fa68ead49ee408a017132bfc7bf579b987f683e555a32e0700000000000000ffffffffffffffff0200000000000000
 * @map big=49a15ad2e29873b7b147db18981b8c26ffffffffffffff7f44adcff2028bebc5ff0000000000000040000000000000009fbe53131dadda7dcef8007ffd402eac4f6b8c4881b752aa1661c2b5ebb9e0afffffffffffffffffffffffffffffffffae66f78f745e45c540c345d59c7da76772c20fbc10acdf553081b031f9a8e3720700000000000000feffffffffffffffd008786246614a4bfffffffffffffffff8ffffffffffffff773dffb031634e48c0ffffffffffffff597d5c782722d713c816af29d5121e19b2a4f4c21685abb4587d45c1fa10b7fbfe0653d8549dfb59ee213ca3ce5cd57fff00000000000000ffffff7f000000009e02983158bb5d37
 */
RASM(rnd1_1847,
	"r6 = r1;"
	"r1 = 0;"
	"*(u64 *)(r10 - 8) = r1;"
	"*(u64 *)(r10 - 16) = r1;"
	"*(u64 *)(r10 - 24) = r1;"
	"*(u64 *)(r10 - 32) = r1;"
	"*(u64 *)(r10 - 40) = r1;"
	"*(u64 *)(r10 - 48) = r1;"
	"*(u64 *)(r10 - 56) = r1;"
	"*(u64 *)(r10 - 64) = r1;"
	"*(u32 *)(r10 - 72) = r1;"
	"r2 = r10;"
	"r2 += -72;"
	"r1 = %[big] ll;"
	"call %[bpf_map_lookup_elem];"
	"if r0 != 0 goto .Lrnd1_1847_1;"
	"exit;"
	".Lrnd1_1847_1:"
	"r7 = r0;"
	"r0 = 0;"
	"r8 = *(u64 *)(r6 + 56);"
	"r9 = *(u64 *)(r6 + 0);"
	"r9 += 56;"
	"*(u64 *)(r10 -56) = r7;"
	"r3 = *(u64 *)(r10 -56);"
	"r4 = *(u8 *)(r3 + 8);"
	"*(u64 *)(r10 -56) = 0;"
	"r1 = r4;"
	"r1 &= 28;"
	"r1 += 0;"
	"r2 = r7;"
	"r2 += r1;"
	"r0 = *(u32 *)(r2 +0);"
	"if w9 s< -1102571306 goto .Lrnd1_1847_2;"
	"r3 = r2;"
	".Lrnd1_1847_2:"
	"if r1 s<= r1 goto .Lrnd1_1847_3;"
	"*(u16 *)(r10 -16) = r8;"
	"r1 = r8;"
	"call rs_mask;"
	".Lrnd1_1847_3:"
	"r1 = r8;"
	"if r1 s> 56 goto .Lrnd1_1847_4;"
	"if r1 s< 0 goto .Lrnd1_1847_4;"
	"r1 &= -8;"
	"r2 = r7;"
	"r2 += r1;"
	"*(u64 *)(r2 +0) = r1;"
	".Lrnd1_1847_4:"
	"r8 += r9;"
	"r1 = r9;"
	"if r1 s> 62 goto .Lrnd1_1847_5;"
	"if r1 s< 0 goto .Lrnd1_1847_5;"
	"r1 &= -2;"
	"r2 = r10;"
	"r2 += -64;"
	"r2 += r1;"
	"r8 = *(u16 *)(r2 +0);"
	".Lrnd1_1847_5:"
	"*(u64 *)(r6 + 56) = r1;"
	"r0 = r9;"
	"exit;")
