// SPDX-License-Identifier: GPL-2.0
/* ptr_arith.c - pointer arithmetic: what may be added to which pointer, and
 * what the kernel refuses (ALU on pointers other than add/sub, 32-bit ALU on
 * pointers, pointer + pointer, scalar - pointer, arithmetic on map pointers
 * and on map_value_or_null, modified ctx pointers, r10). */
#include "difftest.h"

/* @test pa_stack_const: fp - 16 + 8 addresses fp-8
 * @expect accept
 * @ctx 0000000000000000
 */
ASM(pa_stack_const,
	"r2 = r10;"
	"r2 += -16;"
	"r3 = 42;"
	"*(u64 *)(r2 + 8) = r3;"
	"r0 = *(u64 *)(r10 - 8);"
	"exit;")

/* @test pa_stack_const_oob: fp + 8 - 8 is fp itself: an 8-byte write there is out of the frame
 * @expect reject
 * @msg invalid write to stack
 */
ASM(pa_stack_const_oob,
	"r2 = r10;"
	"r2 += 8;"
	"r3 = 42;"
	"*(u64 *)(r2 - 8) = r3;"
	"r0 = 0;"
	"exit;")

/* @test pa_ctx_const_deref: a ctx pointer moved by a constant may not be dereferenced
 * @expect reject
 * @msg dereference of modified ctx ptr
 */
ASM(pa_ctx_const_deref,
	"r1 += 8;"
	"r0 = *(u64 *)(r1 + 0);"
	"exit;")

/* @test pa_ctx_var_deref: ctx plus a bounded variable may not be dereferenced
 * @expect reject
 */
ASM(pa_ctx_var_deref,
	"r2 = *(u64 *)(r1 + 0);"
	"r2 &= 8;"
	"r1 += r2;"
	"r0 = *(u64 *)(r1 + 0);"
	"exit;")

/* @test pa_ctx_add_zero: ctx + 0 is still the ctx
 * @expect accept
 * @ctx 2a00000000000000
 */
ASM(pa_ctx_add_zero,
	"r1 += 0;"
	"r0 = *(u64 *)(r1 + 0);"
	"exit;")

/* @test pa_ptr_plus_ptr: pointer += pointer
 * @expect reject
 * @msg pointer += pointer prohibited
 */
ASM(pa_ptr_plus_ptr,
	"r2 = r10;"
	"r2 += r1;"
	"r0 = 0;"
	"exit;")

/* @test pa_ptr_minus_ptr_same: ctx - ctx is a scalar (0) for a privileged loader
 * @expect accept
 * @ctx 0000000000000000
 */
ASM(pa_ptr_minus_ptr_same,
	"r2 = r1;"
	"r3 = r1;"
	"r2 -= r3;"
	"*(u64 *)(r1 + 0) = r2;"
	"r0 = r2;"
	"exit;")

/* @test pa_stack_minus_stack: (fp - 8) - (fp - 24) = 16
 * @expect accept
 * @ctx 0000000000000000
 */
ASM(pa_stack_minus_stack,
	"r2 = r10; r2 += -8;"
	"r3 = r10; r3 += -24;"
	"r2 -= r3;"
	"*(u64 *)(r1 + 0) = r2;"
	"r0 = r2;"
	"exit;")

/* @test pa_ptr_diff_deref: the difference of two pointers is a scalar and cannot be dereferenced
 * @expect reject
 * @msg invalid mem access 'scalar'
 */
ASM(pa_ptr_diff_deref,
	"r2 = r10;"
	"r3 = r1;"
	"r2 -= r3;"
	"r0 = *(u64 *)(r2 + 0);"
	"exit;")

/* @test pa_ptr_mul: pointer *= 2
 * @expect reject
 * @msg pointer arithmetic with *= operator prohibited
 */
ASM(pa_ptr_mul,
	"r2 = r10;"
	"r2 *= 2;"
	"r0 = 0;"
	"exit;")

/* @test pa_ptr_and: pointer &= mask
 * @expect reject
 * @msg bitwise operator &= on pointer prohibited
 */
ASM(pa_ptr_and,
	"r2 = r10;"
	"r2 &= -8;"
	"r0 = 0;"
	"exit;")

/* @test pa_ptr_or: pointer |= 0
 * @expect reject
 * @msg bitwise operator |= on pointer prohibited
 */
ASM(pa_ptr_or,
	"r2 = r1;"
	"r2 |= 0;"
	"r0 = 0;"
	"exit;")

/* @test pa_ptr_xor_reg: pointer ^= scalar
 * @expect reject
 * @msg bitwise operator ^= on pointer prohibited
 */
ASM(pa_ptr_xor_reg,
	"r2 = r1;"
	"r3 = 0;"
	"r2 ^= r3;"
	"r0 = 0;"
	"exit;")

/* @test pa_ptr_lsh: pointer <<= 1
 * @expect reject
 * @msg pointer arithmetic with <<= operator prohibited
 */
ASM(pa_ptr_lsh,
	"r2 = r10;"
	"r2 <<= 1;"
	"r0 = 0;"
	"exit;")

/* @test pa_ptr_rsh: pointer >>= 1
 * @expect reject
 * @msg pointer arithmetic with >>= operator prohibited
 */
ASM(pa_ptr_rsh,
	"r2 = r1;"
	"r2 >>= 1;"
	"r0 = 0;"
	"exit;")

/* @test pa_ptr_div: pointer /= 2
 * @expect reject
 * @msg pointer arithmetic with /= operator prohibited
 */
ASM(pa_ptr_div,
	"r2 = r1;"
	"r2 /= 2;"
	"r0 = 0;"
	"exit;")

/* @test pa_ptr_neg: -pointer: a privileged loader may negate a pointer (it becomes a scalar)
 * @expect accept
 */
ASM(pa_ptr_neg,
	"r2 = r10;"
	"r2 = -r2;"
	"r0 = 0;"
	"exit;")

/* @test pa_ptr_alu32: 32-bit add on a pointer
 * @expect reject
 * @msg 32-bit pointer arithmetic prohibited
 */
ASM(pa_ptr_alu32,
	"r2 = r10;"
	"w2 += -8;"
	"r0 = 0;"
	"exit;")

/* @test pa_ptr_mov32: a 32-bit move of a pointer makes a scalar that cannot be dereferenced
 * @expect reject
 * @msg invalid mem access 'scalar'
 */
ASM(pa_ptr_mov32,
	"w2 = w1;"
	"r0 = *(u64 *)(r2 + 0);"
	"exit;")

/* @test pa_scalar_plus_ptr: scalar += fp makes a stack pointer
 * @expect accept
 * @ctx 0000000000000000
 */
ASM(pa_scalar_plus_ptr,
	"r2 = -8;"
	"r2 += r10;"
	"r3 = 7;"
	"*(u64 *)(r2 + 0) = r3;"
	"r0 = *(u64 *)(r10 - 8);"
	"exit;")

/* @test pa_scalar_minus_ptr: scalar -= pointer
 * @expect reject
 * @msg tried to subtract pointer from scalar
 */
ASM(pa_scalar_minus_ptr,
	"r2 = 8;"
	"r2 -= r10;"
	"r0 = 0;"
	"exit;")

/* @test pa_map_ptr_arith: arithmetic on a map pointer (ld_imm64 of a map)
 * @expect reject
 * @msg pointer arithmetic on map_ptr prohibited
 */
ASM(pa_map_ptr_arith,
	"r1 = %[arr] ll;"
	"r1 += 8;"
	"r0 = 0;"
	"exit;")

/* @test pa_or_null_arith: arithmetic on map_value_or_null before the NULL check
 * @expect reject
 * @msg pointer arithmetic on map_value_or_null prohibited
 */
ASM(pa_or_null_arith,
	"r1 = 0; *(u32 *)(r10 - 4) = r1;"
	"r2 = r10; r2 += -4;"
	"r1 = %[hsh] ll;"
	"call %[bpf_map_lookup_elem];"
	"r0 += 8;"
	"if r0 == 0 goto 1f;"
	"r0 = *(u64 *)(r0 + 0);"
	"1: exit;")

/* @test pa_stack_unbounded: fp + an unbounded scalar is refused at the addition (no access follows)
 * @expect reject
 * @msg unbounded min value
 */
ASM(pa_stack_unbounded,
	"r2 = *(u64 *)(r1 + 0);"
	"r3 = r10;"
	"r3 += r2;"
	"r0 = 0;"
	"exit;")

/* @test pa_fp_write: r10 is read-only
 * @expect reject
 * @msg frame pointer is read only
 */
ASM(pa_fp_write,
	"r10 += -8;"
	"r0 = 0;"
	"exit;")

/* @test pa_fp_mov: r10 cannot be assigned
 * @expect reject
 * @msg frame pointer is read only
 */
ASM(pa_fp_mov,
	"r10 = r1;"
	"r0 = 0;"
	"exit;")

/* @test pa_map_value_sub_var: (value + 56) - (r & 0x38) is in [0,56], but the kernel's
 * unsigned bounds of pointer - variable wrap: it calls the access unbounded
 * @expect reject
 * @msg unbounded memory access
 */
ASM(pa_map_value_sub_var,
	GET_BIG
	"r1 = *(u64 *)(r6 + 0);"
	"r1 &= 0x38;"
	"r0 += 56;"
	"r0 -= r1;"
	"r0 = *(u64 *)(r0 + 0);"
	"exit;")

/* @test pa_map_value_sub_var_neg: value - (r & 0x38) may be before the value
 * @expect reject
 */
ASM(pa_map_value_sub_var_neg,
	GET_BIG
	"r1 = *(u64 *)(r6 + 0);"
	"r1 &= 0x38;"
	"r0 += 48;"
	"r0 -= r1;"
	"r0 = *(u64 *)(r0 + 0);"
	"exit;")

/* @test pa_map_value_out_and_back: value + 100 - 50 is back in bounds (privileged: no sanitation)
 * @expect accept
 * @map big=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f
 */
ASM(pa_map_value_out_and_back,
	GET_BIG
	"r0 += 100;"
	"r0 += -50;"
	"r0 = *(u64 *)(r0 + 0);"
	"exit;")

/* @test pa_map_value_huge_const: value + 2^29 is refused at the addition, even if undone later
 * @expect reject
 * @msg is not allowed
 */
ASM(pa_map_value_huge_const,
	GET_BIG
	"r1 = 0x20000000;"
	"r0 += r1;"
	"r0 -= r1;"
	"r0 = *(u64 *)(r0 + 0);"
	"exit;")

/* @test pa_insn_off_oob: value + 0 with an instruction offset of 64 reads past the value
 * @expect reject
 * @msg invalid access to map value
 */
ASM(pa_insn_off_oob,
	GET_BIG
	"r0 = *(u8 *)(r0 + 64);"
	"exit;")

/* @test pa_insn_off_neg: an instruction offset of -1 on a map value
 * @expect reject
 * @msg invalid access to map value
 */
ASM(pa_insn_off_neg,
	GET_BIG
	"r0 = *(u8 *)(r0 - 1);"
	"exit;")

/* @test pa_ptr_compare: comparing two pointers (privileged) is allowed
 * @expect accept
 * @ctx 0000000000000000
 */
ASM(pa_ptr_compare,
	"r2 = r10;"
	"r0 = 3;"
	"if r2 == r1 goto 1f;"
	"r0 = 3;"
	"1: exit;")

/* @test pa_ptr_compare_imm: comparing a pointer with a non-zero constant (privileged)
 * @expect accept
 * @ctx 0000000000000000
 */
ASM(pa_ptr_compare_imm,
	"r0 = 5;"
	"if r1 > 100 goto 1f;"
	"r0 = 5;"
	"1: exit;")

/* @test pa_scalar_deref: dereferencing a constant
 * @expect reject
 * @msg invalid mem access 'scalar'
 */
ASM(pa_scalar_deref,
	"r2 = 4096;"
	"r0 = *(u64 *)(r2 + 0);"
	"exit;")

/* @test pa_store_ptr_ctx: a pointer stored into the ctx (allowed for root; the value is an address)
 * @expect accept
 * @nondet
 * @ctx 0000000000000000
 */
ASM(pa_store_ptr_ctx,
	"*(u64 *)(r1 + 0) = r10;"
	"r0 = 0;"
	"exit;")

/* @test pa_store_ptr_map: a pointer stored into a map value (allowed for root)
 * @expect accept
 * @nondet
 */
ASM(pa_store_ptr_map,
	GET_BIG
	"*(u64 *)(r0 + 8) = r6;"
	"r0 = 0;"
	"exit;")

/* @test pa_copy_keeps_type: arithmetic on a copy leaves the original ctx pointer usable
 * @expect accept
 * @ctx 0900000000000000
 */
ASM(pa_copy_keeps_type,
	"r2 = r1;"
	"r2 += 8;"
	"r0 = *(u64 *)(r1 + 0);"
	"exit;")
