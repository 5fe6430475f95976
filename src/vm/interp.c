/* interp.c - the interpreter: a computed-goto loop over decoded
 * instructions (interp_body.h), built twice: fast for verified programs,
 * checked for unverified ones.  Also the run-time services helpers use. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "helpers/helpers.h"
#include "vm/vm.h"


/* Signed division and modulo with BPF's rules: x/0 = 0, x%0 = x, and
 * INT_MIN / -1 wraps instead of trapping. */
static inline uint64_t sdiv64(uint64_t a, uint64_t b)
{
	if (!b)
		return 0;
	if ((int64_t)b == -1)
		return -a;
	return (uint64_t)((int64_t)a / (int64_t)b);
}
static inline uint64_t smod64(uint64_t a, uint64_t b)
{
	if (!b)
		return a;
	if ((int64_t)b == -1)
		return 0;
	return (uint64_t)((int64_t)a % (int64_t)b);
}
static inline uint32_t sdiv32(uint32_t a, uint32_t b)
{
	if (!b)
		return 0;
	if ((int32_t)b == -1)
		return -a;
	return (uint32_t)((int32_t)a / (int32_t)b);
}
static inline uint32_t smod32(uint32_t a, uint32_t b)
{
	if (!b)
		return a;
	if ((int32_t)b == -1)
		return 0;
	return (uint32_t)((int32_t)a % (int32_t)b);
}

#define CHECKED 0
#define INTERP_FN interp_fast
#include "vm/interp_body.h"
#undef CHECKED
#undef INTERP_FN
#define CHECKED 1
#define INTERP_FN interp_checked
#include "vm/interp_body.h"
#undef CHECKED
#undef INTERP_FN

uint64_t ibpf_interp_call(struct ibpf_vm *vm, uint32_t pc, const uint64_t args[5])
{
	return vm->checked ? interp_checked(vm, pc, args) : interp_fast(vm, pc, args);
}

uint64_t ibpf_vm_fault(struct ibpf_vm *vm, const char *fmt, ...)
{
	va_list ap;

	if (vm->faulted)
		return 0;      /* keep the first, innermost explanation */
	vm->faulted = 1;
	if (vm->err && vm->errsz) {
		va_start(ap, fmt);
		vsnprintf(vm->err, vm->errsz, fmt, ap);
		va_end(ap);
	}
	return 0;
}

long ibpf_vm_fptr_target(const struct ibpf_vm *vm, uint64_t fptr)
{
	const struct ibpf_program *p = vm->prog;
	uint64_t t = fptr / 8;

	/* Function pointers are byte offsets of functions in the linked
	 * program; the entry program (offset 0, i.e. NULL) is never a target. */
	if (fptr % 8 || t == 0 || t >= p->insn_cnt || p->subprog_of[t] <= 0)
		return -1;
	return (long)t;
}

uint64_t ibpf_vm_call_ptr(struct ibpf_vm *vm, uint64_t fptr, const uint64_t args[5])
{
	long t = ibpf_vm_fptr_target(vm, fptr);

	if (t < 0)
		return ibpf_vm_fault(vm, "callback 0x%llx is not a function pointer",
				     (unsigned long long)fptr);
	if (vm->call)
		return vm->call(vm, (uint32_t)t, args);
	return ibpf_interp_call(vm, (uint32_t)t, args);
}

static int in_range(uint64_t p, uint64_t size, const void *base, size_t len)
{
	uint64_t lo = (uint64_t)(uintptr_t)base;
	return base && p >= lo && p - lo <= len && size <= len - (p - lo);
}

int ibpf_vm_mem_ok(struct ibpf_vm *vm, uint64_t p, uint64_t size, int write)
{
	const struct ibpf_object *obj = vm->prog->obj;

	if (!vm->checked)
		return 1;
	if (in_range(p, size, vm->stack, (size_t)vm->depth * IBPF_STACK_SIZE))
		return 1;
	if (in_range(p, size, vm->ctx, vm->ctx_size))
		return 1;
	for (size_t i = 0; i < vm->prog->view_cnt; i++) {
		const struct ibpf_map_view *v = &vm->prog->views[i];
		if (in_range(p, size, v->data, (size_t)v->map->max_entries * v->map->elem_size))
			return !write;    /* views are of frozen tables */
	}
	for (size_t i = 0; i < obj->map_cnt; i++) {
		const struct ibpf_map *m = obj->maps[i];
		if (!ibpf_map_contains(m, (uintptr_t)p, size))
			continue;
		/* Read-only data and call tables may be read, never written. */
		return !write || !(m->frozen || (m->map_flags & BPF_F_RDONLY_PROG));
	}
	return 0;
}

/* Bytes from p to base + len, or 0 if p is outside [base, base + len). */
static uint64_t span_left(uint64_t p, const void *base, size_t len)
{
	uint64_t lo = (uint64_t)(uintptr_t)base;
	return base && p >= lo && p - lo < len ? len - (p - lo) : 0;
}

/* An array's values (or a call table's entries) at base: from p to the end
 * of the value p lies in.  Global data (one value) is one region. */
static uint64_t array_left(const struct ibpf_map *m, const uint8_t *base, uint64_t p)
{
	uint64_t total = (uint64_t)m->max_entries * m->elem_size, off;

	if (m->type == IBPF_MAP_TYPE_INSN_SET || m->max_entries == 1 || !m->elem_size)
		return span_left(p, base, (size_t)total);
	if (!span_left(p, base, (size_t)total))
		return 0;
	off = (p - (uint64_t)(uintptr_t)base) % m->elem_size;
	return off < m->value_size ? m->value_size - off : 0;
}

/* A hash element: the maps layer answers "is [p, p+n) in one value"; the
 * answer is monotonic in n, so search the largest n (at most value_size). */
static uint64_t hash_left(const struct ibpf_map *m, uint64_t p)
{
	uint64_t lo = 1, hi = m->value_size;

	if (!hi || !ibpf_map_contains(m, (uintptr_t)p, 1))
		return 0;
	while (lo < hi) {
		uint64_t mid = lo + (hi - lo + 1) / 2;
		if (ibpf_map_contains(m, (uintptr_t)p, (size_t)mid))
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}

uint64_t ibpf_vm_region_left(struct ibpf_vm *vm, uint64_t p, int write)
{
	const struct ibpf_program *prog = vm->prog;
	const struct ibpf_object *obj = prog->obj;
	uint64_t left;

	if (vm->depth > 0 && vm->depth <= IBPF_MAX_FRAMES &&
	    (left = span_left(p, vm->stack, (size_t)vm->depth * IBPF_STACK_SIZE)))
		return left;
	if ((left = span_left(p, vm->ctx, vm->ctx_size)))
		return left;
	for (size_t i = 0; i < prog->view_cnt; i++) {
		const struct ibpf_map_view *v = &prog->views[i];
		if ((left = array_left(v->map, v->data, p)))
			return write ? 0 : left;   /* views are of frozen tables */
	}
	for (size_t i = 0; i < obj->map_cnt; i++) {
		const struct ibpf_map *m = obj->maps[i];
		left = ibpf_map_is_array_like(m) ? array_left(m, m->data, p) : hash_left(m, p);
		if (!left)
			continue;
		/* Read-only data and call tables may be read, never written. */
		return write && (m->frozen || (m->map_flags & BPF_F_RDONLY_PROG)) ? 0 : left;
	}
	return 0;
}

uint64_t ibpf_vm_region_name(struct ibpf_vm *vm, uint64_t p)
{
	const struct ibpf_program *prog = vm->prog;
	const struct ibpf_object *obj = prog->obj;
	/* kind in bits 60..63, map index in 32..59, offset in 0..31 */
#define NAME(kind, idx, base) ((uint64_t)(kind) << 60 | (uint64_t)(idx) << 32 | \
			       ((p - (uint64_t)(uintptr_t)(base)) & 0xffffffffu))

	if (span_left(p, vm->stack, (size_t)IBPF_MAX_FRAMES * IBPF_STACK_SIZE))
		return NAME(1, 0, vm->stack);
	if (span_left(p, vm->ctx, vm->ctx_size))
		return NAME(2, 0, vm->ctx);
	for (size_t i = 0; i < prog->view_cnt; i++) {
		const struct ibpf_map_view *v = &prog->views[i];
		if (span_left(p, v->data, (size_t)v->map->max_entries * v->map->elem_size))
			return NAME(3, v->map->index, v->data);
	}
	for (size_t i = 0; i < obj->map_cnt; i++) {
		const struct ibpf_map *m = obj->maps[i];
		if (ibpf_map_is_array_like(m) &&
		    span_left(p, m->data, (size_t)m->max_entries * m->elem_size))
			return NAME(3, m->index, m->data);
	}
#undef NAME
	return p;
}

struct ibpf_map *ibpf_vm_map_arg(struct ibpf_vm *vm, uint64_t p)
{
	const struct ibpf_object *obj = vm->prog->obj;

	for (size_t i = 0; i < obj->map_cnt; i++) {
		struct ibpf_map *m = obj->maps[i];
		if (p == (uint64_t)(uintptr_t)m)
			return m;
		if (m->type == IBPF_MAP_TYPE_INSN_SET &&
		    p == (uint64_t)(uintptr_t)ibpf_program_map_data(vm->prog, m))
			return m;
	}
	return NULL;
}
