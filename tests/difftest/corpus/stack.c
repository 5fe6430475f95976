// SPDX-License-Identifier: GPL-2.0
/* stack.c - the stack: spill and fill of scalars and pointers (whole,
 * partial, 32-bit), STACK_ZERO, uninitialized reads (allowed for a
 * privileged loader), variable-offset reads and writes, out-of-bounds and
 * misaligned accesses, the 512-byte frame. */
#include "difftest.h"

#define USE_R1_U64 "r0 += r1; r0 = *(u64 *)(r0 + 0); exit;"

/* @test st_spill_fill_const: a constant survives a spill and fill
 * @expect accept
 * @map big=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f
 */
ASM(st_spill_fill_const,
	GET_BIG
	"r1 = 40;"
	"*(u64 *)(r10 - 16) = r1;"
	"r1 = 0;"
	"r1 = *(u64 *)(r10 - 16);"
	USE_R1_U64)

/* @test st_spill_fill_bounded: the bounds of r & 0x38 survive a spill and fill
 * @expect accept
 * @ctx 3800000000000000
 * @map big=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f
 */
ASM(st_spill_fill_bounded,
	GET_BIG
	"r1 = *(u64 *)(r6 + 0);"
	"r1 &= 0x38;"
	"*(u64 *)(r10 - 16) = r1;"
	"r1 = *(u64 *)(r10 - 16);"
	USE_R1_U64)

/* @test st_spill32_fill32: a bounded scalar spilled and filled with 4-byte accesses keeps its bounds
 * @expect accept
 * @ctx 3800000000000000
 * @map big=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f
 */
ASM(st_spill32_fill32,
	GET_BIG
	"r1 = *(u64 *)(r6 + 0);"
	"r1 &= 0x38;"
	"*(u32 *)(r10 - 16) = r1;"
	"r1 = *(u32 *)(r10 - 16);"
	USE_R1_U64)

/* @test st_spill64_fill32: a 4-byte fill of the low half of a spilled bounded scalar
 * @expect accept
 * @ctx 3000000000000000
 * @map big=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f
 */
ASM(st_spill64_fill32,
	GET_BIG
	"r1 = *(u64 *)(r6 + 0);"
	"r1 &= 0x38;"
	"*(u64 *)(r10 - 16) = r1;"
	"r1 = *(u32 *)(r10 - 16);"
	USE_R1_U64)

/* @test st_spill64_fill32_high: a 4-byte fill of the high half of a spilled scalar gives an unknown u32
 * @expect reject
 */
ASM(st_spill64_fill32_high,
	GET_BIG
	"r1 = *(u64 *)(r6 + 0);"
	"r1 &= 0x38;"
	"*(u64 *)(r10 - 16) = r1;"
	"r1 = *(u32 *)(r10 - 12);"
	"r1 += 1;"
	USE_R1_U64)

/* @test st_fill_ptr: a ctx pointer spilled and filled is still the ctx
 * @expect accept
 * @ctx 0b00000000000000
 */
ASM(st_fill_ptr,
	"*(u64 *)(r10 - 8) = r1;"
	"r1 = 0;"
	"r2 = *(u64 *)(r10 - 8);"
	"r0 = *(u64 *)(r2 + 0);"
	"exit;")

/* @test st_fill_ptr_partial: a 4-byte fill of a spilled pointer
 * @expect reject
 * @msg invalid size of register fill
 */
ASM(st_fill_ptr_partial,
	"*(u64 *)(r10 - 8) = r1;"
	"r2 = *(u32 *)(r10 - 8);"
	"r0 = 0;"
	"exit;")

/* @test st_spill_ptr_partial: a 4-byte spill of a pointer
 * @expect reject
 * @msg invalid size of register spill
 */
ASM(st_spill_ptr_partial,
	"*(u32 *)(r10 - 8) = r1;"
	"r0 = 0;"
	"exit;")

/* @test st_spill_ptr_misaligned: an 8-byte spill at fp-12 is misaligned
 * @expect reject
 * @msg misaligned stack access
 */
ASM(st_spill_ptr_misaligned,
	"*(u64 *)(r10 - 12) = r1;"
	"r0 = 0;"
	"exit;")

/* @test st_ptr_overwritten_byte: one byte written over a spilled pointer turns the slot into data
 * @expect reject
 * @msg invalid mem access
 */
ASM(st_ptr_overwritten_byte,
	"*(u64 *)(r10 - 8) = r1;"
	"r2 = 0;"
	"*(u8 *)(r10 - 5) = r2;"
	"r2 = *(u64 *)(r10 - 8);"
	"r0 = *(u64 *)(r2 + 0);"
	"exit;")

/* @test st_ptr_overwritten_scalar: a scalar spilled over a pointer
 * @expect reject
 * @msg invalid mem access 'scalar'
 */
ASM(st_ptr_overwritten_scalar,
	"*(u64 *)(r10 - 8) = r1;"
	"r2 = 8;"
	"*(u64 *)(r10 - 8) = r2;"
	"r2 = *(u64 *)(r10 - 8);"
	"r0 = *(u64 *)(r2 + 0);"
	"exit;")

/* @test st_fill_other_slot: a pointer spilled at fp-8 and filled from fp-16 (never written)
 * @expect reject
 */
ASM(st_fill_other_slot,
	"*(u64 *)(r10 - 8) = r1;"
	"r2 = *(u64 *)(r10 - 16);"
	"r0 = *(u64 *)(r2 + 0);"
	"exit;")

/* @test st_spill_fp: r10 itself spilled and filled is a stack pointer
 * @expect accept
 * @ctx 0000000000000000
 */
ASM(st_spill_fp,
	"*(u64 *)(r10 - 8) = r10;"
	"r2 = *(u64 *)(r10 - 8);"
	"r3 = 33;"
	"*(u64 *)(r2 - 16) = r3;"
	"r0 = *(u64 *)(r10 - 16);"
	"exit;")

/* @test st_spill_via_copy: a spill through r2 = fp - 8 and a fill through r10
 * @expect accept
 * @ctx 0c00000000000000
 */
ASM(st_spill_via_copy,
	"r2 = r10;"
	"r2 += -8;"
	"*(u64 *)(r2 + 0) = r1;"
	"r3 = *(u64 *)(r10 - 8);"
	"r0 = *(u64 *)(r3 + 0);"
	"exit;")

/* @test st_zero_imm: an immediate 0 stored to the stack fills back as the known constant 0
 * @expect accept
 */
ASM(st_zero_imm,
	"*(u64 *)(r10 - 8) = 0;"
	"r1 = *(u64 *)(r10 - 8);"
	"if r1 != 0 goto 1f;"
	"r0 = 1; exit;"
	"1: r2 = 0; r0 = *(u64 *)(r2 + 0); exit;")

/* @test st_const_imm: an immediate 7 stored to the stack: known after the fill?
 * @expect accept
 */
ASM(st_const_imm,
	"*(u64 *)(r10 - 8) = 7;"
	"r1 = *(u64 *)(r10 - 8);"
	"if r1 == 7 goto 1f;"
	"r2 = 0; r0 = *(u64 *)(r2 + 0); exit;"
	"1: r0 = 1; exit;")

/* @test st_zero_halves: two 4-byte stores of a zero register: the kernel does not see a
 * known-zero 8-byte slot (the first is a 4-byte spill), so the bad branch is live
 * @expect reject
 * @msg invalid mem access 'scalar'
 */
ASM(st_zero_halves,
	"r1 = 0;"
	"*(u32 *)(r10 - 8) = r1;"
	"*(u32 *)(r10 - 4) = r1;"
	"r1 = *(u64 *)(r10 - 8);"
	"if r1 != 0 goto 1f;"
	"r0 = 1; exit;"
	"1: r2 = 0; r0 = *(u64 *)(r2 + 0); exit;")

/* @test st_uninit_read: reading never-written stack is allowed for a privileged loader
 * @expect accept
 * @nondet
 */
ASM(st_uninit_read,
	"r0 = *(u64 *)(r10 - 8);"
	"r0 = 0;"
	"exit;")

/* @test st_uninit_deref: a value read from uninitialized stack is not a pointer
 * @expect reject
 * @msg invalid mem access
 */
ASM(st_uninit_deref,
	"r2 = *(u64 *)(r10 - 8);"
	"r0 = *(u64 *)(r2 + 0);"
	"exit;")

/* @test st_read_oob_520: fp-520 is below the 512-byte frame
 * @expect reject
 * @msg invalid read from stack
 */
ASM(st_read_oob_520,
	"r0 = *(u64 *)(r10 - 520);"
	"exit;")

/* @test st_write_oob_520: writing at fp-520
 * @expect reject
 * @msg invalid write to stack
 */
ASM(st_write_oob_520,
	"r1 = 0;"
	"*(u64 *)(r10 - 520) = r1;"
	"r0 = 0;"
	"exit;")

/* @test st_write_fp0: writing 8 bytes at fp+0 (above the frame)
 * @expect reject
 * @msg invalid write to stack
 */
ASM(st_write_fp0,
	"r1 = 0;"
	"*(u64 *)(r10 + 0) = r1;"
	"r0 = 0;"
	"exit;")

/* @test st_write_across_fp: a 4-byte write at fp-2 would cross the frame's top (and is misaligned)
 * @expect reject
 * @msg misaligned stack access
 */
ASM(st_write_across_fp,
	"r1 = 0;"
	"*(u32 *)(r10 - 2) = r1;"
	"r0 = 0;"
	"exit;")

/* @test st_edge_512: fp-512 is the last valid 8 bytes
 * @expect accept
 */
ASM(st_edge_512,
	"r1 = 5;"
	"*(u64 *)(r10 - 512) = r1;"
	"r0 = *(u64 *)(r10 - 512);"
	"exit;")

/* @test st_edge_513: a byte at fp-513
 * @expect reject
 */
ASM(st_edge_513,
	"r1 = 5;"
	"*(u8 *)(r10 - 513) = r1;"
	"r0 = 0;"
	"exit;")

/* @test st_misaligned_u32: a 4-byte access at fp-6 is misaligned (the stack is always strict)
 * @expect reject
 * @msg misaligned stack access
 */
ASM(st_misaligned_u32,
	"r1 = 5;"
	"*(u32 *)(r10 - 6) = r1;"
	"r0 = 0;"
	"exit;")

/* @test st_var_write: a variable-offset write in [fp-64, fp-8]
 * @expect accept
 * @ctx 2000000000000000
 */
ASM(st_var_write,
	"r2 = *(u64 *)(r1 + 0);"
	"r2 &= 0x38;"
	"r3 = r10;"
	"r3 += -64;"
	"r3 += r2;"
	"r4 = 9;"
	"*(u64 *)(r3 + 0) = r4;"
	"r0 = *(u64 *)(r10 - 32);"
	"exit;")

/* @test st_var_read_init: a variable-offset read of initialized stack
 * @expect accept
 * @ctx 1000000000000000
 */
ASM(st_var_read_init,
	"r2 = *(u64 *)(r1 + 0);"
	"r2 &= 0x18;"
	"r4 = 11; *(u64 *)(r10 - 32) = r4;"
	"r4 = 12; *(u64 *)(r10 - 24) = r4;"
	"r4 = 13; *(u64 *)(r10 - 16) = r4;"
	"r4 = 14; *(u64 *)(r10 - 8) = r4;"
	"r3 = r10;"
	"r3 += -32;"
	"r3 += r2;"
	"r0 = *(u64 *)(r3 + 0);"
	"exit;")

/* @test st_var_read_uninit: a variable-offset read over uninitialized stack (privileged: allowed)
 * @expect accept
 * @nondet
 */
ASM(st_var_read_uninit,
	"r2 = *(u64 *)(r1 + 0);"
	"r2 &= 0x18;"
	"r3 = r10;"
	"r3 += -32;"
	"r3 += r2;"
	"r0 = *(u64 *)(r3 + 0);"
	"r0 = 0;"
	"exit;")

/* @test st_var_oob: fp - 512 + (r & 0x3f8) may reach past fp
 * @expect reject
 */
ASM(st_var_oob,
	"r2 = *(u64 *)(r1 + 0);"
	"r2 &= 0x3f8;"
	"r3 = r10;"
	"r3 += -512;"
	"r3 += r2;"
	"r4 = 0;"
	"*(u64 *)(r3 + 0) = r4;"
	"r0 = 0;"
	"exit;")

/* @test st_var_oob_low: fp - 520 + (r & 0x38) may be below the frame
 * @expect reject
 */
ASM(st_var_oob_low,
	"r2 = *(u64 *)(r1 + 0);"
	"r2 &= 0x38;"
	"r3 = r10;"
	"r3 += -520;"
	"r3 += r2;"
	"r0 = *(u64 *)(r3 + 0);"
	"exit;")

/* @test st_var_write_kills_spill: a variable-offset write that may hit a spilled ctx pointer destroys it
 * @expect reject
 * @msg invalid mem access
 */
ASM(st_var_write_kills_spill,
	"r2 = *(u64 *)(r1 + 0);"
	"*(u64 *)(r10 - 8) = r1;"
	"r2 &= 8;"
	"r3 = r10;"
	"r3 += -16;"
	"r3 += r2;"
	"r4 = 0;"
	"*(u64 *)(r3 + 0) = r4;"
	"r1 = *(u64 *)(r10 - 8);"
	"r0 = *(u64 *)(r1 + 0);"
	"exit;")

/* @test st_var_read_over_ptr: a variable-offset read over a spilled pointer (privileged: allowed, gives a scalar)
 * @expect accept
 * @ctx 0800000000000000
 */
ASM(st_var_read_over_ptr,
	"r2 = *(u64 *)(r1 + 0);"
	"*(u64 *)(r10 - 8) = r1;"
	"*(u64 *)(r10 - 16) = r1;"
	"r2 &= 8;"
	"r3 = r10;"
	"r3 += -16;"
	"r3 += r2;"
	"r0 = *(u64 *)(r3 + 0);"
	"r0 = 0;"
	"exit;")

/* @test st_var_read_ptr_deref: what a variable-offset read returns is never a pointer
 * @expect reject
 * @msg invalid mem access 'scalar'
 */
ASM(st_var_read_ptr_deref,
	"r2 = *(u64 *)(r1 + 0);"
	"*(u64 *)(r10 - 8) = r1;"
	"*(u64 *)(r10 - 16) = r1;"
	"r2 &= 8;"
	"r3 = r10;"
	"r3 += -16;"
	"r3 += r2;"
	"r4 = *(u64 *)(r3 + 0);"
	"r0 = *(u64 *)(r4 + 0);"
	"exit;")

/* @test st_var_unaligned: fp - 32 + (r & 0x1f): a variable offset with unknown alignment (8-byte access)
 * @expect accept
 * @ctx 0300000000000000
 */
ASM(st_var_unaligned,
	"r2 = *(u64 *)(r1 + 0);"
	"r2 &= 0x17;"
	"r3 = 0;"
	"*(u64 *)(r10 - 32) = r3;"
	"*(u64 *)(r10 - 24) = r3;"
	"*(u64 *)(r10 - 16) = r3;"
	"*(u64 *)(r10 - 8) = r3;"
	"r3 = r10;"
	"r3 += -32;"
	"r3 += r2;"
	"r0 = *(u8 *)(r3 + 0);"
	"exit;")

/* @test st_big_frame: the whole 512-byte frame written and read back
 * @expect accept
 */
ASM(st_big_frame,
	"r1 = 1;"
	"*(u64 *)(r10 - 8) = r1;"
	"*(u64 *)(r10 - 256) = r1;"
	"*(u64 *)(r10 - 504) = r1;"
	"*(u64 *)(r10 - 512) = r1;"
	"r0 = *(u64 *)(r10 - 8);"
	"r1 = *(u64 *)(r10 - 256);"
	"r0 += r1;"
	"r1 = *(u64 *)(r10 - 504);"
	"r0 += r1;"
	"r1 = *(u64 *)(r10 - 512);"
	"r0 += r1;"
	"exit;")

/* @test st_spilled_bounds_partial_overwrite: a byte written into a spilled bounded scalar makes it unknown
 * @expect reject
 */
ASM(st_spilled_bounds_partial_overwrite,
	GET_BIG
	"r1 = *(u64 *)(r6 + 0);"
	"r1 &= 0x38;"
	"*(u64 *)(r10 - 16) = r1;"
	"r2 = 0xff;"
	"*(u8 *)(r10 - 16) = r2;"
	"r1 = *(u64 *)(r10 - 16);"
	USE_R1_U64)

/* @test st_stack_ptr_far: a stack pointer 1000 bytes below fp is fine until used
 * @expect accept
 */
ASM(st_stack_ptr_far,
	"r2 = r10;"
	"r2 += -1000;"
	"r0 = 0;"
	"exit;")

/* @test st_zero_imm_halves: two 4-byte immediate-zero stores: the first is a 4-byte "fake spill"
 * of the constant, so the kernel does not see a known-zero 8-byte slot
 * @expect reject
 * @msg invalid mem access 'scalar'
 */
ASM(st_zero_imm_halves,
	"*(u32 *)(r10 - 8) = 0;"
	"*(u32 *)(r10 - 4) = 0;"
	"r1 = *(u64 *)(r10 - 8);"
	"if r1 != 0 goto 1f;"
	"r0 = 1; exit;"
	"1: r2 = 0; r0 = *(u64 *)(r2 + 0); exit;")

/* @test st_zero_imm_bytes_partial: seven immediate-zero bytes and one unknown byte: not zero
 * @expect reject
 * @msg invalid mem access 'scalar'
 */
ASM(st_zero_imm_bytes_partial,
	"r3 = *(u8 *)(r1 + 0);"
	"*(u32 *)(r10 - 8) = 0;"
	"*(u16 *)(r10 - 4) = 0;"
	"*(u8 *)(r10 - 2) = 0;"
	"*(u8 *)(r10 - 1) = r3;"
	"r1 = *(u64 *)(r10 - 8);"
	"if r1 != 0 goto 1f;"
	"r0 = 1; exit;"
	"1: r2 = 0; r0 = *(u64 *)(r2 + 0); exit;")

/* @test st_ptr_overwritten_imm_byte: an immediate byte (BPF_ST) stored over a spilled pointer
 * turns the slot into data (found by random.sh)
 * @expect reject
 * @msg invalid mem access 'scalar'
 */
ASM(st_ptr_overwritten_imm_byte,
	"*(u64 *)(r10 - 8) = r1;"
	"*(u8 *)(r10 - 8) = 0;"
	"r2 = *(u64 *)(r10 - 8);"
	"r0 = *(u8 *)(r2 + 0);"
	"exit;")

/* @test st_ptr_overwritten_imm_word: an immediate 4-byte store over the low half of a spilled pointer
 * @expect reject
 * @msg invalid mem access 'scalar'
 */
ASM(st_ptr_overwritten_imm_word,
	"*(u64 *)(r10 - 8) = r1;"
	"*(u32 *)(r10 - 8) = 0;"
	"r2 = *(u64 *)(r10 - 8);"
	"r0 = *(u8 *)(r2 + 0);"
	"exit;")

/* @test st_spill_zero_fill16: a 2-byte fill from inside a spilled zero register is the constant 0
 * (reduced from random.sh's rnd1_1429)
 * @expect accept
 */
ASM(st_spill_zero_fill16,
	"r1 = 0;"
	"*(u64 *)(r10 - 24) = r1;"
	"r2 = *(u16 *)(r10 - 22);"
	"if r2 == 0 goto 1f;"
	"r2 = 0; r0 = *(u64 *)(r2 + 0); exit;"
	"1: r0 = 4; exit;")
