/* selfcheck.c - the self-check run: before each instruction, the concrete
 * registers and stack of the running frame must lie inside what the verifier
 * proved there (verifier/facts.h).  A mismatch is a verifier bug: the run
 * stops with a fault naming the instruction, the location, the concrete
 * value and the proved fact. */
#include <stdio.h>
#include <string.h>

#include "isa/isa.h"
#include "maps/maps.h"
#include "verifier/facts.h"
#include "verifier/state.h"
#include "vm/vm.h"


static int in_range(const struct val_fact *v, int64_t o)
{
	return o >= v->smin && o <= v->smax && tnum_in(v->var_off, tnum_const((uint64_t)o));
}

/* Does p point at an offset the fact allows from some value of map m (this
 * program's view)?  Pointers may lie outside their value as long as no
 * access goes there, so arrays try each element as the base; a hash pointer
 * outside every element cannot be tied to one and is let through. */
static int map_matches(const struct ibpf_vm *vm, const struct val_fact *v, uint64_t p)
{
	const struct ibpf_map *m = v->map;
	int64_t off;

	if (ibpf_map_is_array_like(m)) {
		uint64_t lo = (uint64_t)(uintptr_t)ibpf_program_map_data(vm->prog, m);
		uint32_t n = m->max_entries == 1 || m->type == IBPF_MAP_TYPE_INSN_SET ? 1
			     : m->max_entries;
		for (uint32_t k = 0; k < n && k < 4096; k++)
			if (in_range(v, (int64_t)(p - lo - (uint64_t)k * m->elem_size)))
				return 1;
		return n > 4096;
	}
	if (!ibpf_map_value_offset(m, (uintptr_t)p, &off))
		return 1;
	return in_range(v, off);
}

/* A stack pointer into frame `frame`; with relative frame numbers (global
 * functions verified on their own), into any frame up to the running one. */
static int stack_matches(const struct ibpf_vm *vm, const struct val_fact *v, uint64_t x, int rel)
{
	for (int k = rel ? 0 : v->frameno; k <= (rel ? vm->depth - 1 : v->frameno); k++) {
		/* the pointer itself may lie outside the frame: only accesses
		 * through it are bounded */
		int64_t o = (int64_t)(x - STACK_TOP(vm, k));
		if (in_range(v, o))
			return 1;
	}
	return 0;
}

static int matches(const struct ibpf_vm *vm, const struct ibpf_facts *facts,
		   const struct val_fact *v, uint64_t x, int need, int rel)
{
	int64_t o;

	if (v->type == SCALAR_VALUE) {
		if (!need)
			return 1;
		return (int64_t)x >= v->smin && (int64_t)x <= v->smax && x >= v->umin &&
		       x <= v->umax && tnum_in(v->var_off, tnum_const(x));
	}
	if (v->maybe_null && x == 0)
		return 1;
	switch (v->type) {
	case PTR_TO_STACK:
		return stack_matches(vm, v, x, rel);
	case PTR_TO_CTX:
		o = (int64_t)(x - (uint64_t)(uintptr_t)vm->ctx);
		return in_range(v, o);
	case PTR_TO_MEM:
		/* A raw program's memory, or a global function's sized pointer
		 * argument: memory the run may touch (checked-mode regions). */
		o = (int64_t)(x - (uint64_t)(uintptr_t)vm->ctx);
		return in_range(v, o) || (v->smin == v->smax &&
					  ibpf_vm_mem_ok((struct ibpf_vm *)vm, x - (uint64_t)v->smin,
							 v->mem_size ? v->mem_size : 1, 0));
	case PTR_TO_MAP_VALUE:
		return map_matches(vm, v, x);
	case CONST_PTR_TO_MAP:
		return x == (uint64_t)(uintptr_t)v->map;
	case PTR_TO_FUNC:
		if (v->fset >= facts->nsets)
			return 0;
		for (uint32_t i = 0; i < facts->sets[v->fset].n; i++) {
			uint32_t sp = facts->sets[v->fset].subprog[i];
			if (sp < vm->prog->subprog_cnt &&
			    (uint64_t)vm->prog->subprogs[sp].start * 8 == x)
				return 1;
		}
		return 0;
	default:
		return 1;      /* map keys: not tracked here */
	}
}

static const char *type_name(int t)
{
	static const char *const names[] = {
		"?", "scalar", "ctx", "map_ptr", "map_value", "map_key", "fp", "func", "mem",
	};
	return t >= 0 && t < (int)(sizeof(names) / sizeof(names[0])) ? names[t] : "?";
}

static void describe(const struct loc_fact *l, char *buf, size_t size)
{
	size_t o = 0;

	buf[0] = 0;
	for (int i = 0; i < l->n && o < size; i++) {
		const struct val_fact *v = &l->v[i];
		int n = snprintf(buf + o, size - o, "%s%s%s(off=[%lld,%lld] var=(%#llx;%#llx)",
				 i ? " | " : "", type_name(v->type), v->maybe_null ? "_or_null" : "",
				 (long long)v->smin, (long long)v->smax,
				 (unsigned long long)v->var_off.value,
				 (unsigned long long)v->var_off.mask);
		if (n < 0)
			break;
		o += (size_t)n;
		if (o < size && v->type == SCALAR_VALUE)
			o += (size_t)snprintf(buf + o, size - o, " u=[%llu,%llu])",
					      (unsigned long long)v->umin,
					      (unsigned long long)v->umax);
		else if (o < size)
			o += (size_t)snprintf(buf + o, size - o, ")");
	}
}

static int check_loc(struct ibpf_vm *vm, uint32_t pc, const char *what, int no,
		     const struct loc_fact *l, uint64_t x, int need, int rel)
{
	char desc[512];

	if (l->any)
		return 0;
	for (int i = 0; i < l->n; i++)
		if (matches(vm, vm->facts, &l->v[i], x, need, rel))
			return 0;
	describe(l, desc, sizeof(desc));
	ibpf_vm_fault(vm, "self-check: insn %u: %s%d = %#llx is outside what the verifier "
		      "proved: %s", pc, what, no, (unsigned long long)x, desc);
	return -1;
}

int ibpf_selfcheck_insn(struct ibpf_vm *vm, uint32_t pc, const uint64_t *r)
{
	const struct ibpf_facts *facts = vm->facts;
	const struct insn_fact *f;
	int frame = vm->depth - 1;

	if (pc >= facts->n || !(f = &facts->insn[pc])->states) {
		ibpf_vm_fault(vm, "self-check: insn %u runs, but the verifier never reached it", pc);
		return -1;
	}
	if (vm->sc_prev_jump >= 0) {
		uint32_t j = (uint32_t)vm->sc_prev_jump;
		int edge = pc == j + 1 ? 1 : 2;
		vm->sc_prev_jump = -1;
		if (!(facts->insn[j].edges & edge)) {
			ibpf_vm_fault(vm, "self-check: insn %u: the jump went to %u, a way the "
				      "verifier never explored", j, pc);
			return -1;
		}
	}
	if (frame < 0 || frame > 7 || (!f->rel_frames && !((f->frames >> frame) & 1))) {
		ibpf_vm_fault(vm, "self-check: insn %u runs in frame %d, never seen there", pc,
			      frame);
		return -1;
	}
	for (int i = 0; i <= 10; i++)
		if (((f->live_regs >> i) & 1) && check_loc(vm, pc, "R", i, &f->regs[i], r[i], (f->need_regs >> i) & 1,
			      f->rel_frames))
			return -1;
	const uint8_t *top = (const uint8_t *)(uintptr_t)r[10];
	for (int spi = 0; spi < 64; spi++) {
		uint8_t z = (uint8_t)(f->zero[spi / 8] >> (8 * (spi % 8)));
		for (int b = 0; z && b < 8; b++)
			if (((z >> b) & 1) && top[-8 * (spi + 1) + b]) {
				ibpf_vm_fault(vm, "self-check: insn %u: stack byte fp%d is %#x, but "
					      "the verifier proved it zero", pc, -8 * (spi + 1) + b,
					      top[-8 * (spi + 1) + b]);
				return -1;
			}
	}
	for (uint32_t k = 0; k < f->nslots; k++) {
		uint64_t x;
		int spi = f->slots[k].spi;
		memcpy(&x, top - 8 * (spi + 1), 8);
		if (check_loc(vm, pc, "fp-", 8 * (spi + 1), &f->slots[k].val, x,
			      (int)((f->need_slots >> spi) & 1), f->rel_frames))
			return -1;
	}
	/* A conditional jump leaves its pc for the next check, which knows
	 * which way it went. */
	enum ibpf_shape sh = ibpf_ops[vm->code[pc].op].shape;
	if (sh == IBPF_SHAPE_JMP_K || sh == IBPF_SHAPE_JMP_X)
		vm->sc_prev_jump = (int64_t)pc;
	return 0;
}
