// SPDX-License-Identifier: GPL-2.0
/* prune.c - state pruning, liveness and precision: 20 sequential diamonds
 * make 2^20 paths, far past the 1,000,000-instruction limit unless the
 * verifier prunes states at the joins.  Pruning works when what differs
 * between the paths does not matter: a register never read again (liveness),
 * a scalar whose exact value no check depended on (precision), a dead stack
 * slot.  When the value does matter (it becomes a map offset), the states
 * must stay apart but the number of distinct values stays small. */
#include "difftest.h"

/* bit n of r8 picks r7 = 1 or r7 = 2 */
#define DIAMOND_R7(n)							\
	"r2 = r8; r2 &= " #n "; if r2 == 0 goto 1f;"			\
	"r7 = 1; goto 2f;"						\
	"1: r7 = 2;"							\
	"2:"
/* bit n of r8 picks r7 += 1 or r7 += 2 */
#define DIAMOND_ADD(n)							\
	"r2 = r8; r2 &= " #n "; if r2 == 0 goto 1f;"			\
	"r7 += 1; goto 2f;"						\
	"1: r7 += 2;"							\
	"2:"
/* bit n of r8 picks what is stored at fp-16 */
#define DIAMOND_STACK(n)						\
	"r2 = r8; r2 &= " #n "; if r2 == 0 goto 1f;"			\
	"r3 = 1; *(u64 *)(r10 - 16) = r3; goto 2f;"			\
	"1: r3 = 2; *(u64 *)(r10 - 16) = r3;"				\
	"2:"
#define TWENTY(D) D(0x1) D(0x2) D(0x4) D(0x8) D(0x10) D(0x20) D(0x40) D(0x80)	\
	D(0x100) D(0x200) D(0x400) D(0x800) D(0x1000) D(0x2000) D(0x4000)	\
	D(0x8000) D(0x10000) D(0x20000) D(0x40000) D(0x80000)

/* @test pr_dead_reg: 20 diamonds set r7 to 1 or 2, then r7 is overwritten: liveness prunes
 * @expect accept
 * @ctx 5555550000000000
 */
ASM(pr_dead_reg,
	"r8 = *(u64 *)(r1 + 0);"
	"r7 = 0;"
	TWENTY(DIAMOND_R7)
	"r7 = 5;"
	"r0 = r7;"
	"exit;")

/* @test pr_imprecise: 20 diamonds set r7 to 1 or 2 and r7 is returned: no check depends on
 * its value, so it is not precise and the states prune
 * @expect accept
 * @ctx 0f0f0f0000000000
 */
ASM(pr_imprecise,
	"r8 = *(u64 *)(r1 + 0);"
	"r7 = 0;"
	TWENTY(DIAMOND_R7)
	"r0 = r7;"
	"exit;")

/* @test pr_imprecise_sum: r7 accumulates 20 steps of +1 or +2 and is returned (imprecise)
 * @expect accept
 * @ctx 0f0f0f0000000000
 */
ASM(pr_imprecise_sum,
	"r8 = *(u64 *)(r1 + 0);"
	"r7 = 0;"
	TWENTY(DIAMOND_ADD)
	"r0 = r7;"
	"exit;")

/* @test pr_precise_sum: the sum (20..40) becomes a map offset: precise, but only 21 values
 * @expect accept
 * @ctx 0f0f0f0000000000
 * @map big=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f
 */
ASM(pr_precise_sum,
	"r6 = r1;"
	"r1 = 0; *(u32 *)(r10 - 4) = r1;"
	"r2 = r10; r2 += -4;"
	"r1 = %[big] ll;"
	"call %[bpf_map_lookup_elem];"
	"if r0 != 0 goto 3f;"
	"exit;"
	"3: r9 = r0;"
	"r8 = *(u64 *)(r6 + 0);"
	"r7 = 0;"
	TWENTY(DIAMOND_ADD)
	"r9 += r7;"
	"r0 = *(u8 *)(r9 + 0);"
	"exit;")

/* @test pr_precise_sum_oob: the same sum (up to 40) + 20 may pass the 64-byte value's end
 * @expect reject
 * @msg invalid access to map value
 */
ASM(pr_precise_sum_oob,
	"r6 = r1;"
	"r1 = 0; *(u32 *)(r10 - 4) = r1;"
	"r2 = r10; r2 += -4;"
	"r1 = %[big] ll;"
	"call %[bpf_map_lookup_elem];"
	"if r0 != 0 goto 3f;"
	"exit;"
	"3: r9 = r0;"
	"r8 = *(u64 *)(r6 + 0);"
	"r7 = 20;"
	TWENTY(DIAMOND_ADD)
	"r9 += r7;"
	"r0 = *(u64 *)(r9 + 0);"
	"exit;")

/* @test pr_dead_stack: 20 diamonds store 1 or 2 at fp-16, never read again: stack liveness prunes
 * @expect accept
 * @ctx 3300000000000000
 */
ASM(pr_dead_stack,
	"r8 = *(u64 *)(r1 + 0);"
	TWENTY(DIAMOND_STACK)
	"r0 = 7;"
	"exit;")

/* @test pr_read_stack: the same, then fp-16 is returned (read, but not precise)
 * @expect accept
 * @ctx 3300000000000000
 */
ASM(pr_read_stack,
	"r8 = *(u64 *)(r1 + 0);"
	TWENTY(DIAMOND_STACK)
	"r0 = *(u64 *)(r10 - 16);"
	"exit;")

/* @test pr_loop_imprecise: 100 iterations of a loop whose body branches on unknown bits
 * @expect accept
 * @ctx ffffffffffffffff
 */
ASM(pr_loop_imprecise,
	"r8 = *(u64 *)(r1 + 0);"
	"r6 = 0; r7 = 0;"
	"1: r2 = r8; r2 &= 1; if r2 == 0 goto 2f;"
	"r7 += 3;"
	"2: r8 >>= 1;"
	"r6 += 1;"
	"if r6 < 100 goto 1b;"
	"r0 = r7;"
	"exit;")
