/* decode.c - raw instructions to struct ibpf_insn, with validation of the
 * encoding.  Everything after this file reads decoded instructions only. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "isa.h"

const struct ibpf_op_info ibpf_ops[IBPF_OP__COUNT] = {
#define OP(name, code, disc, val, shape, text) \
	{ #name, code, IBPF_DISC_##disc, val, IBPF_SHAPE_##shape, text },
#include "opcodes.def"
#undef OP
};

static int size_of_code(uint8_t code)
{
	switch (BPF_SIZE(code)) {
	case BPF_B: return 1;
	case BPF_H: return 2;
	case BPF_W: return 4;
	default:    return 8;
	}
}

/* Find the operation for an opcode byte plus its discriminating field. */
static int find_op(const struct bpf_insn *raw, int *code_known)
{
	*code_known = 0;
	for (int i = 0; i < IBPF_OP__COUNT; i++) {
		const struct ibpf_op_info *o = &ibpf_ops[i];
		int32_t v;

		if (o->code != raw->code)
			continue;
		*code_known = 1;
		switch (o->disc) {
		case IBPF_DISC_OFF: v = raw->off; break;
		case IBPF_DISC_IMM: v = raw->imm; break;
		case IBPF_DISC_SRC: v = raw->src_reg; break;
		default: return i;
		}
		if (v == o->disc_val)
			return i;
	}
	return -1;
}

#define FAIL(msg) do { *why = (msg); return -EINVAL; } while (0)

/* Reserved fields must be zero; which ones depends on the shape. */
static int check_fields(const struct ibpf_op_info *o, const struct bpf_insn *r,
			const char **why)
{
	int off_is_disc = o->disc == IBPF_DISC_OFF;

	switch (o->shape) {
	case IBPF_SHAPE_ALU_K:
		if (r->src_reg || (r->off && !off_is_disc))
			FAIL("BPF_ALU uses reserved fields");
		break;
	case IBPF_SHAPE_ALU_X:
		if (r->imm || (r->off && !off_is_disc))
			FAIL("BPF_ALU uses reserved fields");
		break;
	case IBPF_SHAPE_ALU_NEG:
		if (r->src_reg || r->off || r->imm)
			FAIL("BPF_NEG uses reserved fields");
		break;
	case IBPF_SHAPE_ALU_END:
		if (r->src_reg || r->off)
			FAIL("BPF_END uses reserved fields");
		break;
	case IBPF_SHAPE_JMP_A:
		if (r->dst_reg || r->src_reg || r->imm)
			FAIL("BPF_JA uses reserved fields");
		break;
	case IBPF_SHAPE_JMP_A32:
		if (r->dst_reg || r->src_reg || r->off)
			FAIL("BPF_JA uses reserved fields");
		break;
	case IBPF_SHAPE_JMP_K:
		if (r->src_reg)
			FAIL("BPF_JMP/JMP32 uses reserved fields");
		break;
	case IBPF_SHAPE_JMP_X:
		if (r->imm)
			FAIL("BPF_JMP/JMP32 uses reserved fields");
		break;
	case IBPF_SHAPE_CALL_HELPER:
	case IBPF_SHAPE_CALL_LOCAL:
		if (r->dst_reg || r->off)
			FAIL("BPF_CALL uses reserved fields");
		break;
	case IBPF_SHAPE_CALLX:
		if (r->src_reg || r->off)
			FAIL("BPF_CALLX uses reserved fields");
		if (r->dst_reg && r->imm && r->imm != r->dst_reg)
			FAIL("callx names two different registers (dst_reg and imm)");
		if (r->imm < 0 || r->imm > IBPF_MAX_REG)
			FAIL("callx register in imm out of range");
		break;
	case IBPF_SHAPE_EXIT:
		if (r->dst_reg || r->src_reg || r->off || r->imm)
			FAIL("BPF_EXIT uses reserved fields");
		break;
	case IBPF_SHAPE_LD_IMM64:
		if (r->off)
			FAIL("BPF_LD_IMM64 uses reserved fields");
		break;
	case IBPF_SHAPE_LDX:
	case IBPF_SHAPE_STX:
		if (r->imm)
			FAIL("BPF_LDX/STX uses reserved fields");
		break;
	case IBPF_SHAPE_ST:
		if (r->src_reg)
			FAIL("BPF_ST uses reserved fields");
		break;
	case IBPF_SHAPE_ATOMIC:
		break;
	}
	return 0;
}

/* Does the instruction write its dst register? (r10 must never be written) */
static int writes_dst(const struct ibpf_op_info *o)
{
	switch (o->shape) {
	case IBPF_SHAPE_ALU_K: case IBPF_SHAPE_ALU_X: case IBPF_SHAPE_ALU_NEG:
	case IBPF_SHAPE_ALU_END: case IBPF_SHAPE_LD_IMM64: case IBPF_SHAPE_LDX:
		return 1;
	default:
		return 0;
	}
}

int ibpf_decode_one(const struct bpf_insn *raw, const struct bpf_insn *next,
		    struct ibpf_insn *out, const char **why)
{
	int known, i = find_op(raw, &known);
	const struct ibpf_op_info *o;

	memset(out, 0, sizeof(*out));
	if (i < 0)
		FAIL(known ? "invalid field for this opcode" : "unknown opcode");
	o = &ibpf_ops[i];
	if (raw->dst_reg > IBPF_MAX_REG || raw->src_reg > IBPF_MAX_REG)
		FAIL("invalid register number");
	if (check_fields(o, raw, why))
		return -EINVAL;
	if (writes_dst(o) && raw->dst_reg == BPF_REG_10)
		FAIL("frame pointer is read only");

	out->op = (uint16_t)i;
	out->dst = raw->dst_reg;
	out->src = raw->src_reg;
	out->off = raw->off;
	out->imm = raw->imm;
	out->imm64 = (uint64_t)(int64_t)raw->imm;

	switch (o->shape) {
	case IBPF_SHAPE_LDX: case IBPF_SHAPE_ST: case IBPF_SHAPE_STX:
	case IBPF_SHAPE_ATOMIC:
		out->size = (uint8_t)size_of_code(raw->code);
		break;
	case IBPF_SHAPE_CALLX:
		/* LLVM <= 18 puts the register in imm with dst_reg 0. */
		out->src = raw->dst_reg ? raw->dst_reg : (uint8_t)raw->imm;
		out->dst = 0;
		out->imm = 0;
		break;
	case IBPF_SHAPE_LD_IMM64:
		if (!next || next->code || next->dst_reg || next->src_reg || next->off)
			FAIL("invalid bpf_ld_imm64 insn");
		switch (raw->src_reg) {
		case 0: case BPF_PSEUDO_FUNC:
		case BPF_PSEUDO_MAP_VALUE: case BPF_PSEUDO_MAP_IDX_VALUE:
			break;
		case BPF_PSEUDO_MAP_FD: case BPF_PSEUDO_MAP_IDX:
			if (next->imm)
				FAIL("map fd ld_imm64 with a non-zero second imm");
			break;
		default:
			FAIL("unsupported ld_imm64 pseudo source (BTF ids need a kernel)");
		}
		out->imm64 = (uint64_t)(uint32_t)raw->imm |
			     ((uint64_t)(uint32_t)next->imm << 32);
		break;
	default:
		break;
	}
	if (o->shape == IBPF_SHAPE_ATOMIC && (raw->imm & BPF_FETCH)) {
		uint8_t written = raw->imm == BPF_CMPXCHG ? BPF_REG_0 : raw->src_reg;
		if (written == BPF_REG_10)
			FAIL("frame pointer is read only");
	}
	return 0;
}

int ibpf_decode_program(const struct bpf_insn *raw, size_t n,
			struct ibpf_insn *out, char *err, size_t errsz)
{
	const char *why = NULL;
	size_t i;

	if (n == 0) {
		snprintf(err, errsz, "program has no instructions");
		return -EINVAL;
	}
	for (i = 0; i < n; i++) {
		const struct bpf_insn *next = i + 1 < n ? &raw[i + 1] : NULL;

		if (ibpf_decode_one(&raw[i], next, &out[i], &why)) {
			snprintf(err, errsz, "insn %zu: %s (code 0x%02x)", i, why,
				 raw[i].code);
			return -EINVAL;
		}
		if (out[i].op == IBPF_OP_LD_IMM64) {
			out[i + 1] = out[i];
			out[i + 1].second_half = 1;
			i++;
		}
	}
	/* Control flow: every branch lands on a real instruction. */
	for (i = 0; i < n; i++) {
		enum ibpf_shape s = ibpf_ops[out[i].op].shape;
		long t;

		if (out[i].second_half)
			continue;
		if (s == IBPF_SHAPE_JMP_A || s == IBPF_SHAPE_JMP_A32 ||
		    s == IBPF_SHAPE_JMP_K || s == IBPF_SHAPE_JMP_X ||
		    s == IBPF_SHAPE_CALL_LOCAL) {
			t = ibpf_branch_target(&out[i], (long)i);
		} else if (s == IBPF_SHAPE_LD_IMM64 && out[i].src == BPF_PSEUDO_FUNC) {
			t = (long)i + 1 + out[i].imm;
		} else {
			continue;
		}
		if (t < 0 || t >= (long)n) {
			snprintf(err, errsz, "insn %zu: jump out of range from insn %zu to %ld",
				 i, i, t);
			return -EINVAL;
		}
		if (out[t].second_half) {
			snprintf(err, errsz, "insn %zu: jump into the middle of ldimm64 insn %ld",
				 i, t - 1);
			return -EINVAL;
		}
	}
	{
		const struct ibpf_insn *last = &out[n - 1];
		enum ibpf_shape s = ibpf_ops[last->op].shape;

		if (last->second_half || (s != IBPF_SHAPE_EXIT && s != IBPF_SHAPE_JMP_A &&
					  s != IBPF_SHAPE_JMP_A32)) {
			snprintf(err, errsz, "insn %zu: last insn is not an exit or jmp", n - 1);
			return -EINVAL;
		}
	}
	return 0;
}
