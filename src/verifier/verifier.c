/* verifier.c - the driver of ibpf's verifier.
 *
 * How it works (the kernel's algorithm, in ibpf's files):
 *
 * 1. check_cfg (cfg.c) walks the control flow once: every instruction must be
 *    reachable, jumps stay inside their function, calls land on functions.
 * 2. analyze (analysis.c) computes, backwards over the flow, which registers
 *    and stack slots may still be read at each instruction (liveness) and
 *    whose exact value may still matter for a safety decision (precision).
 * 3. do_check walks every path of the program with an abstract state: each
 *    register is NOT_INIT, a SCALAR with a tnum and bounds, or a typed
 *    pointer; each stack byte is invalid, misc, zero or part of a spilled
 *    register.  Every instruction is checked against the state (the checks
 *    in alu.c, mem.c, calls.c reject with the kernel's message) and then
 *    applied to it.  A conditional jump whose outcome is unknown queues the
 *    other side as a pending branch; a known outcome follows one side only.
 * 4. At prune points (jump targets, after calls) the state is compared with
 *    states already explored there (prune.c).  If an explored state covers
 *    the current one -- every live register and slot at least as general,
 *    scalars compared only where precision matters -- the path is safe and
 *    stops.  A state equal to one still being explored on the same path is
 *    an infinite loop.  Bounded loops are walked iteration by iteration.
 * 5. A path ends at the main function's exit.  Verification ends when no
 *    branch is pending, or fails at the first violation, or when more than
 *    1,000,000 instructions were processed.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "verifier/env.h"

struct pending {
	struct vstate *st;
	struct checkpoint *parent;
	uint32_t prev_insn;
	size_t trail_len;       /* the path up to the fork */
};

/* ---- states ------------------------------------------------------------ */

static struct func_state *frame_copy(const struct func_state *f)
{
	struct func_state *n = malloc(sizeof(*n));
	if (!n)
		return NULL;
	*n = *f;
	n->slots = NULL;
	if (f->nslots) {
		n->slots = malloc((size_t)f->nslots * sizeof(*n->slots));
		if (!n->slots) {
			free(n);
			return NULL;
		}
		memcpy(n->slots, f->slots, (size_t)f->nslots * sizeof(*n->slots));
	}
	return n;
}

static void frame_free(struct func_state *f)
{
	if (f) {
		free(f->slots);
		free(f);
	}
}

struct vstate *state_copy(const struct vstate *s)
{
	struct vstate *n = calloc(1, sizeof(*n));
	if (!n)
		return NULL;
	n->curframe = s->curframe;
	n->insn_idx = s->insn_idx;
	for (int i = 0; i <= s->curframe; i++) {
		n->frame[i] = frame_copy(s->frame[i]);
		if (!n->frame[i]) {
			state_free(n);
			return NULL;
		}
	}
	return n;
}

void state_free(struct vstate *s)
{
	if (!s)
		return;
	for (int i = 0; i < MAX_CALL_FRAMES; i++)
		frame_free(s->frame[i]);
	free(s);
}

struct func_state *cur_frame(struct env *e) { return e->cur->frame[e->cur->curframe]; }
struct reg_state *cur_regs(struct env *e) { return cur_frame(e)->regs; }
uint32_t new_id(struct env *e) { return ++e->id_gen; }

void mark_reg_not_init(struct reg_state *r)
{
	memset(r, 0, sizeof(*r));
	r->type = NOT_INIT;
}

int check_reg_read(struct env *e, int regno)
{
	if (cur_regs(e)[regno].type == NOT_INIT)
		return verr(e, -EACCES, "R%d !read_ok", regno);
	return 0;
}

struct vstate *push_branch(struct env *e, uint32_t insn)
{
	struct vstate *st;

	if (e->stack_len == e->stack_cap) {
		size_t cap = e->stack_cap ? e->stack_cap * 2 : 64;
		struct pending *n;
		if (cap > 8192) {
			verr(e, -E2BIG, "The sequence of %zu jumps is too complex.", e->stack_len);
			return NULL;
		}
		n = realloc(e->stack, cap * sizeof(*n));
		if (!n) {
			e->err = -ENOMEM;
			return NULL;
		}
		e->stack = n;
		e->stack_cap = cap;
	}
	st = state_copy(e->cur);
	if (!st) {
		e->err = -ENOMEM;
		return NULL;
	}
	st->insn_idx = insn;
	e->stack[e->stack_len++] = (struct pending){ st, e->cur_parent, e->prev_insn, e->trail_len };
	if (e->cur_parent)
		prune_branch_added(e->cur_parent);
	return st;
}

static int pop_branch(struct env *e, uint32_t *idx)
{
	struct pending p;

	if (!e->stack_len)
		return 0;
	p = e->stack[--e->stack_len];
	state_free(e->cur);
	e->cur = p.st;
	e->cur_parent = p.parent;
	e->trail_len = p.trail_len;
	*idx = p.st->insn_idx;
	if (e->log_level >= 2) {
		vlog(e, "from %u to %u:", p.prev_insn, *idx);
		vlog_state(e, e->cur, -1);
	}
	return 1;
}

/* ---- conditional jumps ------------------------------------------------- */

/* Copies share an id: what a branch learns about one applies to all. */
static void sync_ids(struct vstate *st, const struct reg_state *known, uint32_t id)
{
	for (int f = 0; f <= st->curframe; f++) {
		struct func_state *fs = st->frame[f];
		for (int i = 0; i < 10; i++)
			if (fs->regs[i].id == id && fs->regs[i].type == known->type)
				fs->regs[i] = *known;
		for (int s = 0; s < fs->nslots; s++)
			if (fs->slots[s].type[0] == STACK_SPILL && fs->slots[s].spilled.id == id &&
			    fs->slots[s].spilled.type == known->type)
				fs->slots[s].spilled = *known;
	}
}

/* A NULL check on a maybe-NULL pointer: on one side it is NULL (a scalar 0),
 * on the other a valid pointer; every copy with the same id follows. */
static void mark_null_side(struct vstate *st, uint32_t id, int is_null)
{
	for (int f = 0; f <= st->curframe; f++) {
		struct func_state *fs = st->frame[f];
		for (int i = 0; i < 10; i++) {
			struct reg_state *r = &fs->regs[i];
			if (r->id != id || !r->maybe_null)
				continue;
			if (is_null)
				reg_mark_const(r, 0);
			else {
				r->maybe_null = 0;
				if (r->type != PTR_TO_FUNC)
					r->id = 0;
			}
		}
		for (int s = 0; s < fs->nslots; s++) {
			struct reg_state *r = &fs->slots[s].spilled;
			if (fs->slots[s].type[0] != STACK_SPILL || r->id != id || !r->maybe_null)
				continue;
			if (is_null)
				reg_mark_const(r, 0);
			else {
				r->maybe_null = 0;
				r->id = 0;
			}
		}
	}
}

static int is_pointer(const struct reg_state *r)
{
	return r->type != SCALAR_VALUE && r->type != NOT_INIT;
}

/* Registers and spilled slots sharing scalar id `id` in every frame (the
 * ones sync_ids refines together), noted on the branch for precision
 * tracking.  Nothing for id 0 or a register alone. */
static int note_linked(struct env *e, uint32_t id)
{
	struct link_set l;
	int n = 0;

	if (!id)
		return 0;
	memset(&l, 0, sizeof(l));
	for (int fr = 0; fr <= e->cur->curframe; fr++) {
		const struct func_state *f = e->cur->frame[fr];
		for (int i = 0; i < 10; i++)
			if (f->regs[i].type == SCALAR_VALUE && f->regs[i].id == id) {
				l.regs[fr] |= (uint16_t)(1u << i);
				n++;
			}
		for (int k = 0; k < f->nslots && k < 64; k++)
			if (f->slots[k].type[0] == STACK_SPILL &&
			    f->slots[k].spilled.type == SCALAR_VALUE && f->slots[k].spilled.id == id) {
				l.slots[fr] |= 1ull << k;
				n++;
			}
	}
	return n > 1 ? trail_note_linked(e, &l) : 0;
}

static int check_cond_jmp(struct env *e, const struct ibpf_insn *in, uint32_t *idx)
{
	const struct ibpf_op_info *o = &ibpf_ops[in->op];
	int op = BPF_OP(o->code), is32 = BPF_CLASS(o->code) == BPF_JMP32;
	struct reg_state *regs = cur_regs(e), srcv, *dst = &regs[in->dst], *src;
	uint32_t target = (uint32_t)ibpf_branch_target(in, *idx), next = *idx + 1;
	int taken, err;

	if ((err = check_reg_read(e, in->dst)))
		return err;
	if (o->shape == IBPF_SHAPE_JMP_X) {
		if ((err = check_reg_read(e, in->src)))
			return err;
		src = &regs[in->src];
	} else {
		reg_mark_const(&srcv, in->imm64);
		if (is32)
			reg_mark_const(&srcv, (uint32_t)in->imm);
		src = &srcv;
	}
	/* A register standing for the constant 0 of a NULL check, or against a
	 * function pointer, decides by its exact value: mark it precise. */
	if (o->shape == IBPF_SHAPE_JMP_X && is_pointer(dst) && reg_is_const(src) &&
	    src->var_off.value == 0 && (err = mark_precise_branch(e, in->src)))
		return err;
	if (o->shape == IBPF_SHAPE_JMP_X && is_pointer(src) && reg_is_const(dst) &&
	    dst->var_off.value == 0 && (err = mark_precise_branch(e, in->dst)))
		return err;
	/* A function pointer may only be compared with 0 (a NULL check). */
	if ((dst->type == PTR_TO_FUNC || src->type == PTR_TO_FUNC) &&
	    !((dst->type == PTR_TO_FUNC && reg_is_const(src) && src->var_off.value == 0) ||
	      (src->type == PTR_TO_FUNC && reg_is_const(dst) && dst->var_off.value == 0)))
		return verr(e, -EACCES, "R%d pointer comparison prohibited: a function pointer may "
			    "only be compared with 0", dst->type == PTR_TO_FUNC ? in->dst : in->src);
	/* NULL checks on maybe-NULL pointers. */
	if (dst->maybe_null && reg_is_const(src) && src->var_off.value == 0 &&
	    (op == BPF_JEQ || op == BPF_JNE) && !is32) {
		uint32_t id = dst->id;
		struct vstate *other = push_branch(e, target);
		if (!other)
			return e->err;
		/* JEQ 0 taken: NULL on the target side. */
		facts_edge(e, *idx, 0);
		facts_edge(e, *idx, 1);
		mark_null_side(other, id, op == BPF_JEQ);
		mark_null_side(e->cur, id, op != BPF_JEQ);
		*idx = next;
		return 0;
	}
	if (is_pointer(dst) || is_pointer(src)) {
		/* The privileged kernel lets pointers be compared; nothing is
		 * learned unless both sides are known exactly.  A non-NULL
		 * pointer against 0 is decided. */
		taken = -1;
		if (is_pointer(dst) && !dst->maybe_null && reg_is_const(src) &&
		    src->var_off.value == 0 && (op == BPF_JEQ || op == BPF_JNE) &&
		    dst->type != PTR_TO_MEM && dst->type != PTR_TO_CTX &&  /* a run may pass none */
		    !is32)   /* the low half of a pointer may be 0 */
			taken = op == BPF_JNE;
	} else {
		taken = branch_taken(dst, src, op, is32);
	}
	if (taken >= 0) {
		/* The outcome depended on the exact values: they matter. */
		if (dst->type == SCALAR_VALUE && (err = mark_precise_branch(e, in->dst)))
			return err;
		if (o->shape == IBPF_SHAPE_JMP_X && src->type == SCALAR_VALUE &&
		    (err = mark_precise_branch(e, in->src)))
			return err;
		facts_edge(e, *idx, taken);
		*idx = taken ? target : next;
		return 0;
	}
	facts_edge(e, *idx, 0);
	facts_edge(e, *idx, 1);
	struct vstate *other = push_branch(e, target);
	if (!other)
		return e->err;
	if (!is_pointer(dst) && !is_pointer(src)) {
		struct reg_state *od = &other->frame[other->curframe]->regs[in->dst];
		struct reg_state *os = o->shape == IBPF_SHAPE_JMP_X
			? &other->frame[other->curframe]->regs[in->src] : &srcv;
		struct reg_state srcv2 = srcv;
		if (o->shape != IBPF_SHAPE_JMP_X)
			os = &srcv2;
		branch_refine(od, os, op, is32, 1);
		branch_refine(dst, src, op, is32, 0);
		/* Bounds now flow between linked copies: precision must too. */
		if ((err = note_linked(e, dst->id)) ||
		    (o->shape == IBPF_SHAPE_JMP_X && (err = note_linked(e, src->id))))
			return err;
		if (od->id)
			sync_ids(other, od, od->id);
		if (o->shape == IBPF_SHAPE_JMP_X && os->id)
			sync_ids(other, os, os->id);
		if (dst->id)
			sync_ids(e->cur, dst, dst->id);
		if (o->shape == IBPF_SHAPE_JMP_X && src->id)
			sync_ids(e->cur, src, src->id);
	}
	*idx = next;
	return 0;
}

/* ---- the main loop ---------------------------------------------------- */

static int do_check(struct env *e)
{
	uint32_t idx = e->cur->insn_idx;
	int err;

	for (;;) {
		const struct ibpf_insn *in;
		enum ibpf_shape shape;
		int done = 0;

		if (idx >= e->n)
			return verr(e, -EFAULT, "invalid insn idx %u insn_cnt %u", idx, e->n);
		if (++e->insn_processed > BPF_COMPLEXITY_LIMIT_INSNS)
			return verr(e, -E2BIG, "BPF program is too large. Processed %u insn",
				    e->insn_processed);
		in = &e->code[idx];
		e->aux[idx].seen = 1;
		if ((err = trail_push(e, idx)))
			return err;
		if (e->facts && (err = facts_record(e, idx)))
			return err;
		if (e->aux[idx].prune_point) {
			err = prune_check(e, idx);
			if (err < 0)
				return err;
			if (err > 0) {
				if (e->log_level >= 2)
					vlog(e, "%u: safe\n", idx);
				done = 1;
				goto path_end;
			}
		}
		if (e->log_level >= 2 && e->prev_insn + 1 != idx && idx) {
			vlog(e, "%u:", idx);
			vlog_state(e, e->cur, -1);
		}
		vlog_insn(e, idx);
		e->prev_insn = idx;
		shape = ibpf_ops[in->op].shape;
		if (BPF_CLASS(ibpf_ops[in->op].code) == BPF_JMP ||
		    BPF_CLASS(ibpf_ops[in->op].code) == BPF_JMP32)
			e->jmps_processed++;
		switch (shape) {
		case IBPF_SHAPE_ALU_K: case IBPF_SHAPE_ALU_X: case IBPF_SHAPE_ALU_NEG:
		case IBPF_SHAPE_ALU_END:
			err = check_alu(e, in);
			idx++;
			break;
		case IBPF_SHAPE_LD_IMM64:
			err = check_ld_imm64(e, in);
			idx += 2;
			break;
		case IBPF_SHAPE_LDX:
			err = check_load(e, in);
			idx++;
			break;
		case IBPF_SHAPE_ST: case IBPF_SHAPE_STX:
			err = check_store(e, in);
			idx++;
			break;
		case IBPF_SHAPE_ATOMIC:
			err = check_atomic(e, in);
			idx++;
			break;
		case IBPF_SHAPE_JMP_A: case IBPF_SHAPE_JMP_A32:
			err = 0;
			idx = (uint32_t)ibpf_branch_target(in, idx);
			break;
		case IBPF_SHAPE_JMP_K: case IBPF_SHAPE_JMP_X:
			err = check_cond_jmp(e, in, &idx);
			break;
		case IBPF_SHAPE_CALL_HELPER:
			err = check_helper_call(e, in, idx);
			if (err == 1) {          /* entered a callback */
				idx = e->cur->insn_idx;
				err = 0;
			} else {
				idx++;
			}
			break;
		case IBPF_SHAPE_CALL_LOCAL:
			err = check_local_call(e, in, &idx);
			break;
		case IBPF_SHAPE_CALLX:
			err = check_callx(e, in, &idx);
			break;
		case IBPF_SHAPE_EXIT:
			err = check_exit(e, &idx, &done);
			break;
		default:
			err = verr(e, -EINVAL, "unknown insn class");
		}
		if (err)
			return err;
		if (e->log_level >= 2 && !done && shape != IBPF_SHAPE_JMP_A &&
		    shape != IBPF_SHAPE_JMP_A32 && shape != IBPF_SHAPE_EXIT) {
			vlog(e, "%u:", idx);
			vlog_state(e, e->cur, e->cur->curframe);
			e->prev_insn = idx - 1;
		}
		if (!done)
			continue;
path_end:
		prune_path_done(e);
		if (!pop_branch(e, &idx))
			return 0;
	}
}

/* ---- setup -------------------------------------------------------------- */

static int init_state(struct env *e)
{
	struct func_state *f;
	struct reg_state *r;

	e->cur = calloc(1, sizeof(*e->cur));
	f = calloc(1, sizeof(*f));
	if (!e->cur || !f) {
		free(f);
		return -ENOMEM;
	}
	e->cur->frame[0] = f;
	f->callsite = -1;
	r = f->regs;
	r[10].type = PTR_TO_STACK;
	r[10].frameno = 0;
	r[10].var_off = tnum_const(0);
	if (e->prog->type == IBPF_PROG_TYPE_RAW) {
		r[1].type = PTR_TO_MEM;
		r[1].mem_size = e->prog->raw_mem_size;
		r[1].var_off = tnum_const(0);
		reg_mark_const(&r[2], e->prog->raw_mem_size);
	} else {
		r[1].type = PTR_TO_CTX;
		r[1].var_off = tnum_const(0);
	}
	if (e->log_level >= 2) {
		vlog(e, "0:");
		vlog_state(e, e->cur, -1);
	}
	return 0;
}

static void env_free(struct env *e)
{
	while (e->stack_len)
		state_free(e->stack[--e->stack_len].st);
	free(e->stack);
	state_free(e->cur);
	prune_free_all(e);
	for (uint32_t i = 0; i < e->nfsets; i++)
		free(e->fsets[i].items);
	free(e->fsets);
	free(e->aux);
	free(e->stack_depth);
	free(e->trail);
	free(e->links);
	free(e->global_needed);
}

int ibpf_verify_program(struct ibpf_program *p, int log_level, char *log, size_t log_size,
			struct ibpf_verify_result *res)
{
	struct env e;
	int err;

	memset(&e, 0, sizeof(e));
	e.prog = p;
	e.code = p->decoded;
	e.raw = p->insns;
	e.n = (uint32_t)p->insn_cnt;
	e.log_level = log_level;
	e.log = log;
	e.log_size = log_size;
	if (log && log_size)
		log[0] = 0;
	if (res) {
		memset(res, 0, sizeof(*res));
		res->err_insn = -1;
	}
	if (p->decode_failed)
		return verr(&e, -EINVAL, "%s", p->decode_err);
	e.aux = calloc(e.n + 1, sizeof(*e.aux));
	e.stack_depth = calloc(p->subprog_cnt + 1, sizeof(*e.stack_depth));
	e.global_needed = calloc(p->subprog_cnt + 1, 1);
	e.fsets = calloc(1, sizeof(*e.fsets));
	if (!e.aux || !e.stack_depth || !e.fsets || !e.global_needed) {
		err = -ENOMEM;
		goto out;
	}
	e.nfsets = e.fsets_cap = 1;      /* set 0: empty */
	if (p->record_facts && (err = facts_begin(&e)))
		goto out;
	if ((err = check_cfg(&e)) || (err = analyze(&e)) || (err = init_state(&e)))
		goto out;
	err = do_check(&e);
	/* Global functions: each verified once on its own (global.c). */
	for (uint32_t sp = 1; !err && sp < p->subprog_cnt; sp++) {
		if (!is_global_func(&e, sp))
			continue;
		vlog(&e, "Validating %s() func#%u...\n", p->subprogs[sp].name, sp);
		state_free(e.cur);
		e.cur = NULL;
		e.cur_parent = NULL;
		e.trail_len = 0;
		e.facts_rel_frames = 1;
		if (!(err = init_global_state(&e, sp)))
			err = do_check(&e);
	}
	if (!err)
		err = check_stack_depth(&e);
out:
	if (err && res)
		res->err_insn = (int)e.prev_insn;
	if (e.log_level) {
		/* The closing line, as the kernel prints it. */
		int lvl = e.log_level;
		e.log_level = 1;
		vlog(&e, "processed %u insns (limit %u) max_states_per_insn %u total_states %u "
			 "peak_states %u mark_read 0\n", e.insn_processed,
		     BPF_COMPLEXITY_LIMIT_INSNS, e.max_states_per_insn, e.total_states,
		     e.peak_states);
		e.log_level = lvl;
	}
	if (res) {
		res->insn_processed = e.insn_processed;
		res->total_states = e.total_states;
		res->peak_states = e.peak_states;
		res->max_states_per_insn = e.max_states_per_insn;
		res->max_ctx_off = e.max_ctx_off;
		res->stack_depth = e.combined_stack;
	}
	if (!err) {
		p->verified = 1;
		p->max_ctx_off = e.max_ctx_off;
		if (e.facts) {
			ibpf_facts_free(p->facts);
			p->facts = NULL;
			err = facts_finish(&e, &p->facts);
			if (err)
				p->verified = 0;
		}
	}
	ibpf_facts_free(e.facts);
	env_free(&e);
	return err;
}
