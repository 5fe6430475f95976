/* cfg.c - control-flow checks before exploration, and the static facts the
 * explorer uses: where to consider pruning, and which registers are live.
 *
 * check_cfg: jumps stay inside their function, each function ends in exit or
 * a jump, every instruction is reachable (the kernel's "unreachable insn").
 * analyze: live registers per instruction, by a backward fixpoint over each
 * function's flow graph (calls read r1..r5 and clobber r0..r5). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "helpers/helpers.h"
#include "verifier/env.h"

static int is_cond_jump(enum ibpf_shape s)
{
	return s == IBPF_SHAPE_JMP_K || s == IBPF_SHAPE_JMP_X;
}

static int is_jump(enum ibpf_shape s)
{
	return is_cond_jump(s) || s == IBPF_SHAPE_JMP_A || s == IBPF_SHAPE_JMP_A32;
}

static uint32_t insn_len(const struct ibpf_insn *in)
{
	return in->op == IBPF_OP_LD_IMM64 ? 2 : 1;
}

int check_cfg(struct env *e)
{
	const struct ibpf_program *p = e->prog;
	uint32_t *work;
	size_t top = 0;
	uint8_t *seen;
	int err = 0;

	/* Which function holds each instruction. */
	for (size_t s = 0; s < p->subprog_cnt; s++) {
		const struct ibpf_subprog *sp = &p->subprogs[s];
		for (uint32_t i = sp->start; i < sp->start + sp->len && i < e->n; i++)
			e->aux[i].subprog = (int32_t)s;
		uint32_t last = sp->start + sp->len - 1;
		if (sp->len == 0 || last >= e->n)
			return verr(e, -EINVAL, "function %s has no instructions", sp->name);
		enum ibpf_shape ls = ibpf_ops[e->code[last].op].shape;
		if (e->code[last].second_half ||
		    (ls != IBPF_SHAPE_EXIT && ls != IBPF_SHAPE_JMP_A && ls != IBPF_SHAPE_JMP_A32))
			return verr(e, -EINVAL, "last insn is not an exit or jmp");
		e->aux[sp->start].prune_point = 1;
		/* Calls reach a function from many states: checkpoint its entry. */
		if (s)
			e->aux[sp->start].force_checkpoint = 1;
	}
	seen = calloc(e->n, 1);
	work = malloc((e->n + 1) * sizeof(*work));
	if (!seen || !work) {
		free(seen);
		free(work);
		return -ENOMEM;
	}
	/* Every linked function is reachable by construction (the linker only
	 * brings in what is referenced); walk each from its start. */
	for (size_t s = 0; s < p->subprog_cnt; s++) {
		work[top++] = p->subprogs[s].start;
		seen[p->subprogs[s].start] = 1;
	}
	while (top && !err) {
		uint32_t i = work[--top];
		const struct ibpf_insn *in = &e->code[i];
		enum ibpf_shape s = ibpf_ops[in->op].shape;
		uint32_t succ[2];
		int ns = 0;

		if (is_jump(s)) {
			long t = ibpf_branch_target(in, (long)i);
			if (t < 0 || (uint32_t)t >= e->n || e->aux[t].subprog != e->aux[i].subprog) {
				err = verr(e, -EINVAL, "jump out of range from insn %u to %ld", i, t);
				break;
			}
			succ[ns++] = (uint32_t)t;
			e->aux[t].prune_point = 1;
			if ((uint32_t)t <= i)     /* loop head: iterations meet here */
				e->aux[t].loop_head = 1;
			if (is_cond_jump(s)) {
				succ[ns++] = i + 1;
				e->aux[i + 1].prune_point = 1;
			}
		} else if (s != IBPF_SHAPE_EXIT) {
			uint32_t nx = i + insn_len(in);
			if (nx >= e->n || e->aux[nx].subprog != e->aux[i].subprog) {
				err = verr(e, -EINVAL, "insn %u: falls off the end of function %s", i,
					   p->subprogs[e->aux[i].subprog].name);
				break;
			}
			succ[ns++] = nx;
			if (s == IBPF_SHAPE_CALL_LOCAL || s == IBPF_SHAPE_CALLX ||
			    (s == IBPF_SHAPE_CALL_HELPER && in->imm == 181))
				e->aux[nx].prune_point = e->aux[nx].force_checkpoint = 1;
		}
		for (int k = 0; k < ns; k++)
			if (!seen[succ[k]]) {
				seen[succ[k]] = 1;
				work[top++] = succ[k];
			}
	}
	for (uint32_t i = 0; i < e->n && !err; i++) {
		if (!seen[i] && !e->code[i].second_half)
			err = verr(e, -EINVAL, "unreachable insn %u", i);
	}
	free(seen);
	free(work);
	return err;
}

/* ---- liveness --------------------------------------------------------- */

/* Registers an instruction reads (use) and writes (def). */
static void use_def(const struct env *e, const struct ibpf_insn *in, uint16_t *use, uint16_t *def)
{
	enum ibpf_shape s = ibpf_ops[in->op].shape;
	uint16_t u = 0, d = 0;

#define R(x) ((uint16_t)(1u << (x)))
	switch (s) {
	case IBPF_SHAPE_ALU_K:
		if (BPF_OP(ibpf_ops[in->op].code) != BPF_MOV)
			u |= R(in->dst);
		d |= R(in->dst);
		break;
	case IBPF_SHAPE_ALU_X:
		u |= R(in->src);
		if (BPF_OP(ibpf_ops[in->op].code) != BPF_MOV)
			u |= R(in->dst);
		d |= R(in->dst);
		break;
	case IBPF_SHAPE_ALU_NEG: case IBPF_SHAPE_ALU_END:
		u |= R(in->dst);
		d |= R(in->dst);
		break;
	case IBPF_SHAPE_LD_IMM64:
		d |= R(in->dst);
		break;
	case IBPF_SHAPE_LDX:
		u |= R(in->src);
		d |= R(in->dst);
		break;
	case IBPF_SHAPE_ST:
		u |= R(in->dst);
		break;
	case IBPF_SHAPE_STX:
		u |= R(in->dst) | R(in->src);
		break;
	case IBPF_SHAPE_ATOMIC:
		u |= R(in->dst) | R(in->src);
		if (in->imm == BPF_CMPXCHG) {
			u |= R(0);
			d |= R(0);
		} else if (in->imm & BPF_FETCH) {
			d |= R(in->src);
		}
		break;
	case IBPF_SHAPE_JMP_K:
		u |= R(in->dst);
		break;
	case IBPF_SHAPE_JMP_X:
		u |= R(in->dst) | R(in->src);
		break;
	case IBPF_SHAPE_CALL_HELPER: {
		const struct ibpf_helper *h = ibpf_helper_by_id(in->imm);
		for (int i = 0; h && i < 5 && h->args[i]; i++)
			u |= R(i + 1);
		/* trace_printk's r3..r5 are read by its format: checked, so live */
		if (in->imm == BPF_FUNC_trace_printk)
			u |= R(3) | R(4) | R(5);
		d |= R(0) | R(1) | R(2) | R(3) | R(4) | R(5);
		break;
	}
	case IBPF_SHAPE_CALL_LOCAL:
	case IBPF_SHAPE_CALLX:
		u |= R(1) | R(2) | R(3) | R(4) | R(5);
		if (s == IBPF_SHAPE_CALLX)
			u |= R(in->src);
		d |= R(0) | R(1) | R(2) | R(3) | R(4) | R(5);
		break;
	case IBPF_SHAPE_EXIT:
		u |= R(0);
		break;
	default:
		break;
	}
#undef R
	(void)e;
	*use = u & 0x3ff;
	*def = d & 0x3ff;
}

int analyze(struct env *e)
{
	int changed = 1;

	/* Backward fixpoint; instructions are visited in reverse order, which
	 * converges fast for the mostly-forward code clang emits. */
	while (changed) {     /* monotone: the sets only grow, so this ends */
		changed = 0;
		for (uint32_t k = e->n; k-- > 0;) {
			const struct ibpf_insn *in = &e->code[k];
			enum ibpf_shape s = ibpf_ops[in->op].shape;
			uint16_t use, def, out = 0, live;

			if (in->second_half)
				continue;
			use_def(e, in, &use, &def);
			if (is_jump(s))
				out |= e->aux[ibpf_branch_target(in, (long)k)].live_regs;
			if (s != IBPF_SHAPE_EXIT && s != IBPF_SHAPE_JMP_A && s != IBPF_SHAPE_JMP_A32) {
				uint32_t nx = k + insn_len(in);
				if (nx < e->n && e->aux[nx].subprog == e->aux[k].subprog)
					out |= e->aux[nx].live_regs;
			}
			live = (uint16_t)(use | (out & ~def));
			if (live != e->aux[k].live_regs) {
				e->aux[k].live_regs = live;
				changed = 1;
			}
		}
	}
	return 0;
}
