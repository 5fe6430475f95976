/* disasm.c - one printer for decoded instructions, two dialects (see
 * disasm.h).  The operation's shape (opcodes.def) says which fields are
 * printed; the operator spelling comes from the BPF_OP bits of the op's
 * table entry, the way both the kernel and llvm spell them. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

#include "disasm.h"

/* An output buffer that counts what it could not hold, like snprintf. */
struct out {
	char *buf;
	size_t size;
	size_t len;
};

__attribute__((format(printf, 2, 3)))
static void put(struct out *o, const char *fmt, ...)
{
	size_t room = o->len < o->size ? o->size - o->len : 0;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(room ? o->buf + o->len : NULL, room, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->len += (size_t)n;
}

/* Operator of an ALU / jump opcode, indexed by BPF_OP(code) >> 4. */
static const char *const alu_op[16] = {
	"+=", "-=", "*=", "/=", "|=", "&=", "<<=", ">>=",
	NULL /* neg */, "%=", "^=", "=", "s>>=", NULL /* end */, NULL, NULL,
};
static const char *const jmp_op[16] = {
	NULL /* ja */, "==", ">", ">=", "&", "!=", "s>", "s>=",
	NULL /* call */, NULL /* exit */, "<", "<=", "s<", "s<=", NULL, NULL,
};

static const char *size_name(unsigned size, int sign)
{
	switch (size) {
	case 1: return sign ? "s8" : "u8";
	case 2: return sign ? "s16" : "u16";
	case 4: return sign ? "s32" : "u32";
	default: return sign ? "s64" : "u64";
	}
}

static uint8_t code_of(const struct ibpf_insn *in)
{
	return ibpf_ops[in->op].code;
}

/* sdiv/smod and movsx share their opcode byte with div/mod/mov; off says. */
static const char *alu_operator(const struct ibpf_insn *in)
{
	uint8_t op = BPF_OP(code_of(in));

	if (ibpf_ops[in->op].disc == IBPF_DISC_OFF && op != BPF_MOV && in->off == 1)
		return op == BPF_DIV ? "s/=" : "s%=";
	return alu_op[op >> 4];
}

static int is_movsx(const struct ibpf_insn *in)
{
	return BPF_OP(code_of(in)) == BPF_MOV && ibpf_ops[in->op].disc == IBPF_DISC_OFF &&
	       in->off != 0;
}

/* "le16", "be32", "bswap64" */
static void put_end(struct out *o, const struct ibpf_insn *in)
{
	uint8_t code = code_of(in);
	const char *kind = BPF_CLASS(code) == BPF_ALU64 ? "bswap" :
			   BPF_SRC(code) == BPF_TO_BE ? "be" : "le";

	put(o, "r%d = %s%d r%d", in->dst, kind, in->imm, in->dst);
}

static int is_memsx(const struct ibpf_insn *in)
{
	return BPF_MODE(code_of(in)) == BPF_MEMSX;
}

/* Atomic operation names, from imm without BPF_FETCH. */
static const char *atomic_name(int32_t imm)
{
	switch (imm & ~BPF_FETCH) {
	case BPF_ADD: return "add";
	case BPF_OR:  return "or";
	case BPF_AND: return "and";
	case BPF_XOR: return "xor";
	default:      return "?";
	}
}

/* ---- the kernel's (bpftool's) dialect ---------------------------------- */

static void xlated_ld_imm64(struct out *o, const struct ibpf_insn *in, size_t pc,
			    const struct ibpf_disasm_cbs *cbs)
{
	char scratch[128];
	const char *text = NULL;
	int32_t hi = (int32_t)(uint32_t)(in->imm64 >> 32);

	if (cbs && cbs->ld_imm64)
		text = cbs->ld_imm64(cbs->ctx, in, pc, scratch, sizeof(scratch));
	if (!text) {
		text = scratch;
		switch (in->src) {
		case BPF_PSEUDO_MAP_FD:
			snprintf(scratch, sizeof(scratch), "map[id:%d]", in->imm);
			break;
		case BPF_PSEUDO_MAP_VALUE:
			snprintf(scratch, sizeof(scratch), "map[id:%d][0]+%d", in->imm, hi);
			break;
		case BPF_PSEUDO_MAP_IDX_VALUE:
			snprintf(scratch, sizeof(scratch), "map[idx:%d]+%d", in->imm, hi);
			break;
		case BPF_PSEUDO_FUNC:
			snprintf(scratch, sizeof(scratch), "subprog[%+d]", in->imm);
			break;
		default:
			snprintf(scratch, sizeof(scratch), "0x%llx",
				 (unsigned long long)in->imm64);
			break;
		}
	}
	put(o, "r%d = %s", in->dst, text);
}

static void xlated_call(struct out *o, const struct ibpf_insn *in, size_t pc,
			const struct ibpf_disasm_cbs *cbs)
{
	char scratch[128];
	const char *text = NULL;

	if (in->op == IBPF_OP_CALL_LOCAL) {
		if (cbs && cbs->local_call)
			text = cbs->local_call(cbs->ctx, in, pc, scratch, sizeof(scratch));
		if (!text) {
			snprintf(scratch, sizeof(scratch), "%+d", in->imm);
			text = scratch;
		}
		put(o, "call pc%s", text);
		return;
	}
	if (cbs && cbs->call_name)
		text = cbs->call_name(cbs->ctx, in);
	if (!text)
		text = in->op == IBPF_OP_CALL_KFUNC ? "kernel-function" : "unknown";
	put(o, "call %s#%d", text, in->imm);
}

static void xlated_atomic(struct out *o, const struct ibpf_insn *in)
{
	const char *sz = size_name(in->size, 0);
	const char *w64 = in->size == 8 ? "64" : "";

	if (in->imm == BPF_XCHG)
		put(o, "r%d = atomic%s_xchg((%s *)(r%d %+d), r%d)",
		    in->src, w64, sz, in->dst, in->off, in->src);
	else if (in->imm == BPF_CMPXCHG)
		put(o, "r0 = atomic%s_cmpxchg((%s *)(r%d %+d), r0, r%d)",
		    w64, sz, in->dst, in->off, in->src);
	else if (in->imm & BPF_FETCH)
		put(o, "r%d = atomic%s_fetch_%s((%s *)(r%d %+d), r%d)",
		    in->src, w64, atomic_name(in->imm), sz, in->dst, in->off, in->src);
	else
		put(o, "lock *(%s *)(r%d %+d) %s r%d", sz, in->dst, in->off,
		    alu_op[(in->imm & 0xf0) >> 4], in->src);
}

static void xlated(struct out *o, const struct ibpf_insn *in, size_t pc,
		   const struct ibpf_disasm_cbs *cbs)
{
	const struct ibpf_op_info *oi = &ibpf_ops[in->op];
	char r = ibpf_op_is_alu32(in->op) ? 'w' : 'r';

	put(o, "(%02x) ", oi->code);
	switch ((enum ibpf_shape)oi->shape) {
	case IBPF_SHAPE_ALU_K:
		put(o, "%c%d %s %d", r, in->dst, alu_operator(in), in->imm);
		break;
	case IBPF_SHAPE_ALU_X:
		if (is_movsx(in))
			put(o, "%c%d = (s%d)%c%d", r, in->dst, in->off, r, in->src);
		else
			put(o, "%c%d %s %c%d", r, in->dst, alu_operator(in), r, in->src);
		break;
	case IBPF_SHAPE_ALU_NEG:
		put(o, "%c%d = -%c%d", r, in->dst, r, in->dst);
		break;
	case IBPF_SHAPE_ALU_END:
		put_end(o, in);
		break;
	case IBPF_SHAPE_JMP_A:
		put(o, "goto pc%+d", in->off);
		break;
	case IBPF_SHAPE_JMP_A32:
		put(o, "gotol pc%+d", in->imm);
		break;
	case IBPF_SHAPE_JMP_K:
		put(o, "if %c%d %s 0x%x goto pc%+d", r, in->dst,
		    jmp_op[BPF_OP(oi->code) >> 4], (uint32_t)in->imm, in->off);
		break;
	case IBPF_SHAPE_JMP_X:
		put(o, "if %c%d %s %c%d goto pc%+d", r, in->dst,
		    jmp_op[BPF_OP(oi->code) >> 4], r, in->src, in->off);
		break;
	case IBPF_SHAPE_CALL_HELPER:
	case IBPF_SHAPE_CALL_LOCAL:
		xlated_call(o, in, pc, cbs);
		break;
	case IBPF_SHAPE_CALLX:
		put(o, "callx r%d", in->src);
		break;
	case IBPF_SHAPE_EXIT:
		put(o, "exit");
		break;
	case IBPF_SHAPE_LD_IMM64:
		xlated_ld_imm64(o, in, pc, cbs);
		break;
	case IBPF_SHAPE_LDX:
		put(o, "r%d = *(%s *)(r%d %+d)", in->dst,
		    size_name(in->size, is_memsx(in)), in->src, in->off);
		break;
	case IBPF_SHAPE_ST:
		put(o, "*(%s *)(r%d %+d) = %d", size_name(in->size, 0), in->dst,
		    in->off, in->imm);
		break;
	case IBPF_SHAPE_STX:
		put(o, "*(%s *)(r%d %+d) = r%d", size_name(in->size, 0), in->dst,
		    in->off, in->src);
		break;
	case IBPF_SHAPE_ATOMIC:
		xlated_atomic(o, in);
		break;
	}
}

/* ---- llvm-objdump's dialect -------------------------------------------- */

/* llvm prints immediates as signed hex: "0x3", "-0x5". */
static void put_shex(struct out *o, int64_t v)
{
	if (v < 0)
		put(o, "-0x%llx", (unsigned long long)(0 - (uint64_t)v));
	else
		put(o, "0x%llx", (unsigned long long)v);
}

/* Address "r10 - 0x8", "r1 + 0x0"; as a memory operand in parentheses. */
static void put_addr(struct out *o, int reg, int16_t off)
{
	if (off < 0)
		put(o, "r%d - 0x%x", reg, (unsigned)-(int)off);
	else
		put(o, "r%d + 0x%x", reg, (unsigned)off);
}

static void put_mem(struct out *o, int reg, int16_t off)
{
	put(o, "(");
	put_addr(o, reg, off);
	put(o, ")");
}

/* Jump offset "+0x2" / "-0x3", then the target's label if the caller has one. */
static void put_jump(struct out *o, const struct ibpf_insn *in, size_t pc, int32_t off,
		     const struct ibpf_disasm_cbs *cbs)
{
	long target = ibpf_branch_target(in, (long)pc);
	char scratch[128];
	const char *label = NULL;

	if (off >= 0)
		put(o, "+0x%x", (unsigned)off);
	else
		put(o, "-0x%x", (unsigned)(0 - (uint32_t)off));
	if (cbs && cbs->jump_label && target >= 0)
		label = cbs->jump_label(cbs->ctx, (size_t)target, scratch, sizeof(scratch));
	if (label)
		put(o, " <%s>", label);
}

static void llvm_atomic(struct out *o, const struct ibpf_insn *in)
{
	char r = in->size == 8 ? 'r' : 'w';
	const char *sz = size_name(in->size, 0);

	if (in->imm == BPF_XCHG) {
		put(o, "%c%d = xchg%s(", r, in->src, in->size == 8 ? "_64" : "32_32");
		put_addr(o, in->dst, in->off);
		put(o, ", %c%d)", r, in->src);
	} else if (in->imm == BPF_CMPXCHG) {
		put(o, "%c0 = cmpxchg%s(", r, in->size == 8 ? "_64" : "32_32");
		put_addr(o, in->dst, in->off);
		put(o, ", %c0, %c%d)", r, r, in->src);
	} else if (in->imm & BPF_FETCH) {
		put(o, "%c%d = atomic_fetch_%s((%s *)", r, in->src, atomic_name(in->imm), sz);
		put_mem(o, in->dst, in->off);
		put(o, ", %c%d)", r, in->src);
	} else {
		put(o, "lock *(%s *)", sz);
		put_mem(o, in->dst, in->off);
		put(o, " %s %c%d", alu_op[(in->imm & 0xf0) >> 4], r, in->src);
	}
}

static void llvm(struct out *o, const struct ibpf_insn *in, size_t pc,
		 const struct ibpf_disasm_cbs *cbs)
{
	const struct ibpf_op_info *oi = &ibpf_ops[in->op];
	char r = ibpf_op_is_alu32(in->op) ? 'w' : 'r';
	char nr = in->size == 8 || is_memsx(in) ? 'r' : 'w';   /* narrow access */

	switch ((enum ibpf_shape)oi->shape) {
	case IBPF_SHAPE_ALU_K:
		put(o, "%c%d %s ", r, in->dst, alu_operator(in));
		put_shex(o, in->imm);
		break;
	case IBPF_SHAPE_ALU_X:
		if (is_movsx(in))
			put(o, "%c%d = (s%d)%c%d", r, in->dst, in->off, r, in->src);
		else
			put(o, "%c%d %s %c%d", r, in->dst, alu_operator(in), r, in->src);
		break;
	case IBPF_SHAPE_ALU_NEG:
		put(o, "%c%d = -%c%d", r, in->dst, r, in->dst);
		break;
	case IBPF_SHAPE_ALU_END:
		put_end(o, in);
		break;
	case IBPF_SHAPE_JMP_A:
		put(o, "goto ");
		put_jump(o, in, pc, in->off, cbs);
		break;
	case IBPF_SHAPE_JMP_A32:
		put(o, "gotol ");
		put_jump(o, in, pc, in->imm, cbs);
		break;
	case IBPF_SHAPE_JMP_K:
		put(o, "if %c%d %s ", r, in->dst, jmp_op[BPF_OP(oi->code) >> 4]);
		put_shex(o, in->imm);
		put(o, " goto ");
		put_jump(o, in, pc, in->off, cbs);
		break;
	case IBPF_SHAPE_JMP_X:
		put(o, "if %c%d %s %c%d goto ", r, in->dst, jmp_op[BPF_OP(oi->code) >> 4],
		    r, in->src);
		put_jump(o, in, pc, in->off, cbs);
		break;
	case IBPF_SHAPE_CALL_HELPER:
	case IBPF_SHAPE_CALL_LOCAL:
		put(o, "call ");
		put_shex(o, in->imm);
		break;
	case IBPF_SHAPE_CALLX:
		put(o, "callx r%d", in->src);
		break;
	case IBPF_SHAPE_EXIT:
		put(o, "exit");
		break;
	case IBPF_SHAPE_LD_IMM64:
		if (in->src) {
			put(o, "ld_pseudo\tr%d, 0x%x, 0x%x", in->dst, in->src, (uint32_t)in->imm);
		} else {
			put(o, "r%d = ", in->dst);
			put_shex(o, (int64_t)in->imm64);
			put(o, " ll");
		}
		break;
	case IBPF_SHAPE_LDX:
		put(o, "%c%d = *(%s *)", nr, in->dst, size_name(in->size, is_memsx(in)));
		put_mem(o, in->src, in->off);
		break;
	case IBPF_SHAPE_ST:
		put(o, "*(%s *)", size_name(in->size, 0));
		put_mem(o, in->dst, in->off);
		put(o, " = ");
		put_shex(o, in->imm);
		break;
	case IBPF_SHAPE_STX:
		put(o, "*(%s *)", size_name(in->size, 0));
		put_mem(o, in->dst, in->off);
		put(o, " = %c%d", nr, in->src);
		break;
	case IBPF_SHAPE_ATOMIC:
		llvm_atomic(o, in);
		break;
	}
}

int ibpf_disasm(const struct ibpf_insn *in, size_t pc, enum ibpf_dialect d,
		const struct ibpf_disasm_cbs *cbs, char *buf, size_t size)
{
	struct out o = { buf, size, 0 };

	if (size)
		buf[0] = '\0';
	if (in->op >= IBPF_OP__COUNT || in->second_half)
		return -EINVAL;
	if (d == IBPF_DIALECT_LLVM)
		llvm(&o, in, pc, cbs);
	else
		xlated(&o, in, pc, cbs);
	return (int)o.len;
}

int ibpf_disasm_hex(const struct bpf_insn *raw, size_t n, char *buf, size_t size)
{
	struct out o = { buf, size, 0 };
	const unsigned char *p = (const unsigned char *)raw;

	if (size)
		buf[0] = '\0';
	for (size_t i = 0; i < n * sizeof(*raw); i++)
		put(&o, i ? " %02x" : "%02x", p[i]);
	return (int)o.len;
}
