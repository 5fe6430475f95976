// SPDX-License-Identifier: GPL-2.0
/* malformed.c - encodings the kernel refuses before or while verifying:
 * unknown opcodes, reserved fields, bad registers, broken ld_imm64 pairs,
 * jumps out of range or into the middle of an ld_imm64, a program that falls
 * off its end.  Raw instructions are emitted with .quad: byte 0 is the opcode,
 * byte 1 holds dst (low nibble) and src (high nibble), bytes 2-3 the offset,
 * bytes 4-7 the immediate, all little-endian. */
#include "difftest.h"

/* @test mf_unknown_opcode: opcode 0xff
 * @expect reject
 * @msg unknown opcode ff
 */
ASM(mf_unknown_opcode,
	"r0 = 0;"
	".quad 0x00000000000000ff;"
	"exit;")

/* @test mf_unknown_alu_op: ALU64 operation 0xe (opcode 0xe7)
 * @expect reject
 */
ASM(mf_unknown_alu_op,
	"r0 = 0;"
	".quad 0x00000000000000e7;"
	"exit;")

/* @test mf_mov_reserved_src: r0 = 0 (0xb7) with src_reg = 1
 * @expect reject
 * @msg uses reserved fields
 */
ASM(mf_mov_reserved_src,
	".quad 0x00000000000010b7;"
	"exit;")

/* @test mf_add_reserved_off: r0 += 1 (0x07) with off = 1
 * @expect reject
 * @msg uses reserved fields
 */
ASM(mf_add_reserved_off,
	"r0 = 0;"
	".quad 0x0000000100010007;"
	"exit;")

/* @test mf_ldx_reserved_imm: r0 = *(u64 *)(r10 - 8) (0x79) with imm = 1
 * @expect reject
 * @msg uses reserved fields
 */
ASM(mf_ldx_reserved_imm,
	"r1 = 0; *(u64 *)(r10 - 8) = r1;"
	".quad 0x00000001fff8a079;"
	"exit;")

/* @test mf_exit_reserved_imm: exit with imm = 1
 * @expect reject
 * @msg uses reserved fields
 */
ASM(mf_exit_reserved_imm,
	"r0 = 0;"
	".quad 0x0000000100000095;")

/* @test mf_bad_dst_reg: r11 = 0
 * @expect reject
 * @msg invalid
 */
ASM(mf_bad_dst_reg,
	".quad 0x0000000000000bb7;"
	"r0 = 0;"
	"exit;")

/* @test mf_bad_src_reg: r0 = r12
 * @expect reject
 */
ASM(mf_bad_src_reg,
	".quad 0x00000000000000c0bf;"
	"exit;")

/* @test mf_end_bad_imm: be with width 17
 * @expect reject
 * @msg uses reserved fields
 */
ASM(mf_end_bad_imm,
	"r0 = 0;"
	".quad 0x00000011000000dc;"
	"exit;")

/* @test mf_atomic_bad_op: an atomic (0xdb) with operation 0xff
 * @expect reject
 */
ASM(mf_atomic_bad_op,
	"r1 = 0; *(u64 *)(r10 - 8) = r1;"
	".quad 0x000000fffff81adb;"
	"r0 = 0;"
	"exit;")

/* @test mf_ldimm64_second_half_bad: ld_imm64 whose second slot has a non-zero opcode
 * @expect reject
 * @msg invalid bpf_ld_imm64 insn
 */
ASM(mf_ldimm64_second_half_bad,
	".quad 0x0000000000000018;"
	".quad 0x00000000000000b7;"
	"r0 = 0;"
	"exit;")

/* @test mf_ldimm64_last: ld_imm64 as the last instruction, without its second slot
 * @expect reject
 */
ASM(mf_ldimm64_last,
	"r0 = 0;"
	"exit;"
	".quad 0x0000000000000018;")

/* @test mf_ldimm64_bad_src: ld_imm64 with src_reg = 7 (no such pseudo)
 * @expect reject
 */
ASM(mf_ldimm64_bad_src,
	".quad 0x0000000000007018;"
	".quad 0x0000000000000000;"
	"r0 = 0;"
	"exit;")

/* @test mf_jump_out_of_range: goto +100 from insn 1
 * @expect reject
 * @msg jump out of range
 */
ASM(mf_jump_out_of_range,
	"r0 = 0;"
	".quad 0x0000000000640005;"
	"exit;")

/* @test mf_jump_backward_out: goto -5 from insn 1
 * @expect reject
 * @msg jump out of range
 */
ASM(mf_jump_backward_out,
	"r0 = 0;"
	".quad 0x00000000fffb0005;"
	"exit;")

/* @test mf_cond_jump_out_of_range: if r0 == 0 goto +50 from insn 1
 * @expect reject
 * @msg jump out of range
 */
ASM(mf_cond_jump_out_of_range,
	"r0 = 0;"
	".quad 0x0000000000320015;"
	"exit;")

/* @test mf_jump_into_ldimm64: a jump to the second slot of an ld_imm64
 * @expect reject
 * @msg jump into the middle of ldimm64
 */
ASM(mf_jump_into_ldimm64,
	"r0 = 0;"
	".quad 0x0000000000010015;"
	"r1 = 0x1234567890 ll;"
	"exit;")

/* @test mf_fall_off_end: the last instruction is not an exit or a jump
 * @expect reject
 * @msg last insn is not an exit or jmp
 */
ASM(mf_fall_off_end,
	"r0 = 0;")

/* @test mf_call_reserved: call helper 5 with dst_reg = 1
 * @expect reject
 */
ASM(mf_call_reserved,
	".quad 0x0000000500000185;"
	"r0 = 0;"
	"exit;")

/* @test mf_ja_reserved_imm: ja +0 (0x05) with imm = 1
 * @expect reject
 * @msg uses reserved fields
 */
ASM(mf_ja_reserved_imm,
	"r0 = 0;"
	".quad 0x0000000100000005;"
	"exit;")

/* @test mf_st_reserved_src: *(u64 *)(r10 - 8) = 0 (0x7a) with src_reg = 1
 * @expect reject
 * @msg uses reserved fields
 */
ASM(mf_st_reserved_src,
	".quad 0x00000000fff81a7a;"
	"r0 = 0;"
	"exit;")

/* @test mf_ldx_bad_size_mode: opcode 0x99 (BPF_LDX | BPF_DW | mode 0x80): unknown mode
 * @expect reject
 */
ASM(mf_ldx_bad_size_mode,
	"r1 = 0; *(u64 *)(r10 - 8) = r1;"
	".quad 0x00000000fff8a0f9;"
	"exit;")

/* @test mf_valid_raw: a well-formed raw instruction (r0 = 42) next to the others: the object still loads
 * @expect accept
 */
ASM(mf_valid_raw,
	".quad 0x0000002a000000b7;"
	"exit;")
