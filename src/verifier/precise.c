/* precise.c - precision tracking, the kernel's idea: a scalar's exact range
 * only matters for pruning if some safety decision depended on it (pointer
 * arithmetic, a branch whose outcome was known, a helper's size argument, a
 * callback's return value).  When a check uses a scalar that way, walk the
 * current path backwards (the trail of executed instructions) to find the
 * registers and stack slots the value came from, and mark them precise in
 * the checkpoints along the path.  Checkpoints compare imprecise scalars
 * loosely, which is what lets loops with differing but irrelevant values
 * prune. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "helpers/helpers.h"
#include "verifier/env.h"

struct bt {
	uint16_t regs[MAX_CALL_FRAMES];
	uint64_t slots[MAX_CALL_FRAMES];
	/* A bpf_loop callback in this frame needs its ctx argument: it came
	 * from the caller's r3 at the helper call, however many iterations
	 * back that is. */
	uint8_t cb_ctx[MAX_CALL_FRAMES];
};

static int bt_empty(const struct bt *b)
{
	for (int f = 0; f < MAX_CALL_FRAMES; f++)
		if (b->regs[f] || b->slots[f] || b->cb_ctx[f])
			return 0;
	return 1;
}

/* Mark the values named by b precise in checkpoint state st; values that are
 * not scalars there leave b (precision means nothing for pointers).  Returns
 * how many were newly marked: 0 means everything left was already precise,
 * so the walk further back was done before. */
static int apply(struct vstate *st, struct bt *b)
{
	int fresh = 0;

	for (int f = 0; f <= st->curframe; f++) {
		struct func_state *fs = st->frame[f];
		for (int i = 0; i < 10; i++) {
			if (!((b->regs[f] >> i) & 1))
				continue;
			if (fs->regs[i].type != SCALAR_VALUE)
				b->regs[f] &= (uint16_t)~(1u << i);
			else if (!fs->regs[i].precise) {
				fs->regs[i].precise = 1;
				fresh++;
			}
		}
		for (int s = 0; s < 64; s++) {
			if (!((b->slots[f] >> s) & 1))
				continue;
			if (s >= fs->nslots || fs->slots[s].type[0] != STACK_SPILL ||
			    fs->slots[s].spilled.type != SCALAR_VALUE)
				b->slots[f] &= ~(1ull << s);
			else if (!fs->slots[s].spilled.precise) {
				fs->slots[s].spilled.precise = 1;
				fresh++;
			}
		}
	}
	return fresh;
}

#define SET(m, r) ((m) |= (uint16_t)(1u << (r)))
#define CLR(m, r) ((m) &= (uint16_t)~(1u << (r)))
#define HAS(m, r) (((m) >> (r)) & 1)

static void sync_linked(struct env *e, const struct trail_entry *t, struct bt *b);

/* Undo one instruction: which values before it made the values after it. */
static void backtrack_insn(struct env *e, const struct trail_entry *t,
			   const struct trail_entry *next, struct bt *b)
{
	const struct ibpf_insn *in = &e->code[t->idx];
	enum ibpf_shape s = ibpf_ops[in->op].shape;
	int f = t->frame;

	/* Leaving a callee backwards: we were at its first instruction. */
	if (next && next->frame == f + 1) {
		uint16_t callee = b->regs[f + 1];
		b->regs[f + 1] = 0;
		b->slots[f + 1] = 0;
		if (s == IBPF_SHAPE_CALL_HELPER) {        /* bpf_loop callback (index, ctx) */
			if (HAS(callee, 2) || b->cb_ctx[f + 1])
				SET(b->regs[f], 3);
			b->cb_ctx[f + 1] = 0;
		} else {
			b->regs[f] |= callee & 0x3e;      /* r1..r5 were the arguments */
		}
		return;
	}
	/* A callback re-entered backwards: the exit of the previous iteration
	 * is followed by the callback's entry in the same frame.  The entry's
	 * r1 (the index) has no source, r2 is the ctx argument of the call;
	 * nothing else of the frame carries over. */
	if (next && next->frame == f && s == IBPF_SHAPE_EXIT) {
		if (HAS(b->regs[f], 2))
			b->cb_ctx[f] = 1;
		b->regs[f] = 0;
		b->slots[f] = 0;
		return;
	}
	/* Entering a callee backwards: we were just after its exit. */
	if (next && next->frame + 1 == f && s == IBPF_SHAPE_EXIT) {
		uint16_t caller = b->regs[f - 1];
		const struct trail_entry *callsite = next;
		int was_cb = e->code[callsite->idx - 1].op == IBPF_OP_CALL;
		b->regs[f - 1] = (uint16_t)(caller & 0x3c0);   /* r6..r9 survive */
		if (HAS(caller, 0) && !was_cb)
			SET(b->regs[f], 0);
		return;
	}
	switch (s) {
	case IBPF_SHAPE_ALU_K:
		if (BPF_OP(ibpf_ops[in->op].code) == BPF_MOV)
			CLR(b->regs[f], in->dst);
		break;
	case IBPF_SHAPE_ALU_X:
		if (!HAS(b->regs[f], in->dst))
			break;
		if (BPF_OP(ibpf_ops[in->op].code) == BPF_MOV)
			CLR(b->regs[f], in->dst);
		SET(b->regs[f], in->src);
		break;
	case IBPF_SHAPE_LD_IMM64:
		CLR(b->regs[f], in->dst);
		break;
	case IBPF_SHAPE_LDX:
		if (!HAS(b->regs[f], in->dst))
			break;
		CLR(b->regs[f], in->dst);
		if (t->spi >= 0)
			b->slots[t->sframe] |= 1ull << t->spi;
		break;
	case IBPF_SHAPE_ST:
	case IBPF_SHAPE_STX:
		if (t->spi < 0 || !((b->slots[t->sframe] >> t->spi) & 1))
			break;
		b->slots[t->sframe] &= ~(1ull << t->spi);
		if (s == IBPF_SHAPE_STX)
			SET(b->regs[f], in->src);
		break;
	case IBPF_SHAPE_ATOMIC:
		if (in->imm == BPF_CMPXCHG)
			CLR(b->regs[f], 0);
		else if (in->imm & BPF_FETCH)
			CLR(b->regs[f], in->src);
		break;
	case IBPF_SHAPE_JMP_X:
		if (HAS(b->regs[f], in->dst) || HAS(b->regs[f], in->src)) {
			SET(b->regs[f], in->dst);
			SET(b->regs[f], in->src);
		}
		sync_linked(e, t, b);
		break;
	case IBPF_SHAPE_JMP_K:
		sync_linked(e, t, b);
		break;
	case IBPF_SHAPE_CALL_HELPER:
	case IBPF_SHAPE_CALL_LOCAL:
	case IBPF_SHAPE_CALLX:
		b->regs[f] &= (uint16_t)~0x3f;    /* r0..r5 are set by the call */
		break;
	default:
		break;
	}
}

/* Walk back from the current instruction with the needs in b. */
static void backtrack(struct env *e, struct bt *b)
{
	struct checkpoint *ck = e->cur_parent;
	long pos = (long)e->trail_len - 1;

	/* A checkpoint at the current instruction holds the state we start from. */
	while (ck && (long)ck->trail_pos >= pos) {
		apply(ck->st, b);
		ck = ck->parent;
	}
	for (pos = pos - 1; pos >= 0 && !bt_empty(b); pos--) {
		backtrack_insn(e, &e->trail[pos], &e->trail[pos + 1], b);
		while (ck && (long)ck->trail_pos >= pos) {
			int fresh = apply(ck->st, b);
			ck = ck->parent;
			if (!fresh)
				return;   /* already propagated from here on */
		}
	}
}

/* The mark in the current state is not a shortcut: a value may carry it
 * from a copy while the instruction that made it has sources never tracked.
 * Only marks in checkpoints stop the walk (backtrack). */
/* The self-check compares a scalar's bounds only where the value decided
 * something on every path that reaches the instruction: uses like pointer
 * arithmetic, sizes and keys (need=1).  A branch decided on some paths may
 * be unknown and explored both ways on others (its edges are checked
 * instead), so branch decisions pass need=0. */
static int mark_precise_need(struct env *e, int regno, int need)
{
	struct reg_state *r = &cur_regs(e)[regno];
	struct bt b;

	if (r->type != SCALAR_VALUE)
		return 0;
	if (need && e->trail_len)
		facts_need(e, e->trail[e->trail_len - 1].idx, (uint16_t)(1u << regno), 0);
	r->precise = 1;
	memset(&b, 0, sizeof(b));
	SET(b.regs[e->cur->curframe], regno);
	backtrack(e, &b);
	return 0;
}

int mark_precise(struct env *e, int regno)
{
	return mark_precise_need(e, regno, 1);
}

int mark_precise_branch(struct env *e, int regno)
{
	return mark_precise_need(e, regno, 0);
}

/* A spilled scalar whose exact value decided something (a constant map key). */
int mark_precise_slot(struct env *e, int frame, int spi)
{
	struct func_state *f = e->cur->frame[frame];
	struct bt b;

	if (spi < 0 || spi >= 64 || spi >= f->nslots || f->slots[spi].type[0] != STACK_SPILL ||
	    f->slots[spi].spilled.type != SCALAR_VALUE)
		return 0;
	f->slots[spi].spilled.precise = 1;
	if (frame == e->cur->curframe && e->trail_len)
		facts_need(e, e->trail[e->trail_len - 1].idx, 0, 1ull << spi);
	memset(&b, 0, sizeof(b));
	b.slots[frame] = 1ull << spi;
	backtrack(e, &b);
	return 0;
}

/* Every scalar of the current state matters: after pruning against a state
 * whose exploration is not finished, where every scalar was compared. */
int mark_all_precise(struct env *e)
{
	struct bt b;

	memset(&b, 0, sizeof(b));
	for (int fr = 0; fr <= e->cur->curframe; fr++) {
		struct func_state *f = e->cur->frame[fr];
		for (int i = 0; i < 10; i++)
			if (f->regs[i].type == SCALAR_VALUE) {
				f->regs[i].precise = 1;
				SET(b.regs[fr], i);
			}
		for (int sp = 0; sp < f->nslots && sp < 64; sp++)
			if (f->slots[sp].type[0] == STACK_SPILL &&
			    f->slots[sp].spilled.type == SCALAR_VALUE) {
				f->slots[sp].spilled.precise = 1;
				b.slots[fr] |= 1ull << sp;
			}
	}
	backtrack(e, &b);
	return 0;
}

/* After pruning against `old`: whatever was precise there must be precise
 * on this path too. */
int propagate_precision(struct env *e, const struct vstate *old)
{
	struct bt b;

	memset(&b, 0, sizeof(b));
	for (int f = 0; f <= old->curframe; f++) {
		const struct func_state *of = old->frame[f];
		struct func_state *cf = e->cur->frame[f];
		for (int i = 0; i < 10; i++)
			if (of->regs[i].type == SCALAR_VALUE && of->regs[i].precise &&
			    cf->regs[i].type == SCALAR_VALUE) {
				cf->regs[i].precise = 1;
				SET(b.regs[f], i);
			}
		for (int s = 0; s < of->nslots && s < cf->nslots && s < 64; s++)
			if (of->slots[s].type[0] == STACK_SPILL && of->slots[s].spilled.precise &&
			    cf->slots[s].type[0] == STACK_SPILL &&
			    cf->slots[s].spilled.type == SCALAR_VALUE) {
				cf->slots[s].spilled.precise = 1;
				b.slots[f] |= 1ull << s;
			}
	}
	if (!bt_empty(&b))
		backtrack(e, &b);
	return 0;
}

int trail_push(struct env *e, uint32_t idx)
{
	if (e->trail_len == e->trail_cap) {
		size_t cap = e->trail_cap ? e->trail_cap * 2 : 4096;
		struct trail_entry *n = realloc(e->trail, cap * sizeof(*n));
		if (!n)
			return -ENOMEM;
		e->trail = n;
		e->trail_cap = cap;
	}
	e->trail[e->trail_len++] = (struct trail_entry){ idx, (uint8_t)e->cur->curframe, 0, -1, 0 };
	return 0;
}

/* A branch refined copies that share an id: if any of them matters later,
 * all of them do (the bound on one came from the others). */
/* Record on the current trail entry the copies a branch refined together
 * (merged with those of the other operand, if both were linked). */
int trail_note_linked(struct env *e, const struct link_set *l)
{
	struct trail_entry *t;

	if (!e->trail_len)
		return 0;
	t = &e->trail[e->trail_len - 1];
	if (!t->link) {
		if (e->nlinks + 1 >= e->links_cap) {
			uint32_t cap = e->links_cap ? e->links_cap * 2 : 64;
			struct link_set *n = realloc(e->links, cap * sizeof(*n));
			if (!n)
				return -ENOMEM;
			e->links = n;
			e->links_cap = cap;
		}
		if (!e->nlinks)
			e->nlinks = 1;
		t->link = e->nlinks++;
		memset(&e->links[t->link], 0, sizeof(*l));
	}
	for (int f = 0; f < MAX_CALL_FRAMES; f++) {
		e->links[t->link].regs[f] |= l->regs[f];
		e->links[t->link].slots[f] |= l->slots[f];
	}
	return 0;
}

/* At a branch that refined linked copies (in any frame): one needed means
 * all are. */
static void sync_linked(struct env *e, const struct trail_entry *t, struct bt *b)
{
	const struct link_set *l;
	int hit = 0;

	if (!t->link)
		return;
	l = &e->links[t->link];
	for (int f = 0; f < MAX_CALL_FRAMES; f++)
		hit |= (b->regs[f] & l->regs[f]) || (b->slots[f] & l->slots[f]);
	if (hit)
		for (int f = 0; f < MAX_CALL_FRAMES; f++) {
			b->regs[f] |= l->regs[f];
			b->slots[f] |= l->slots[f];
		}
}

void trail_note_stack(struct env *e, int frame, int spi)
{
	if (e->trail_len) {
		e->trail[e->trail_len - 1].sframe = (uint8_t)frame;
		e->trail[e->trail_len - 1].spi = (int16_t)(spi < 64 ? spi : -1);
	}
}
