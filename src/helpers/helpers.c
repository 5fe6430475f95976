/* helpers.c - helper functions: prototypes for the verifier and
 * implementations for the engines, in one table. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <ibpf/ibpf.h>
#include "helpers/helpers.h"
#include "maps/maps.h"
#include "vm/vm.h"

#define U(x) ((uint64_t)(x))
#define PTR(x) ((void *)(uintptr_t)(x))
#define UNUSED_ARGS(a, b, c, d) ((void)(a), (void)(b), (void)(c), (void)(d))

static uint64_t h_map_lookup_elem(struct ibpf_vm *vm, uint64_t r1, uint64_t r2,
				  uint64_t r3, uint64_t r4, uint64_t r5)
{
	struct ibpf_map *m = ibpf_vm_map_arg(vm, r1);
	void *v;

	(void)r3, (void)r4, (void)r5;
	if (!m)
		return ibpf_vm_fault(vm, "bpf_map_lookup_elem: r1 is not a map");
	if (!ibpf_vm_mem_ok(vm, r2, m->key_size, 0))
		return ibpf_vm_fault(vm, "bpf_map_lookup_elem: key at 0x%llx is not readable",
				     (unsigned long long)r2);
	v = ibpf_map_lookup(m, PTR(r2));
	if (v && (m->map_extra & IBPF_F_CALL_TABLE)) {
		/* A call table yields the pointer itself, as this program lays
		 * out its functions. */
		uint64_t fp;
		size_t off = (size_t)((uint8_t *)v - m->data);
		memcpy(&fp, ibpf_program_map_data(vm->prog, m) + off, 8);
		return fp;
	}
	if (v && ibpf_map_is_array_like(m))   /* this program's view of the bytes */
		v = ibpf_program_map_data(vm->prog, m) + ((uint8_t *)v - m->data);
	return U((uintptr_t)v);
}

static uint64_t h_map_update_elem(struct ibpf_vm *vm, uint64_t r1, uint64_t r2,
				  uint64_t r3, uint64_t r4, uint64_t r5)
{
	struct ibpf_map *m = ibpf_vm_map_arg(vm, r1);

	(void)r5;
	if (!m)
		return ibpf_vm_fault(vm, "bpf_map_update_elem: r1 is not a map");
	if (!ibpf_vm_mem_ok(vm, r2, m->key_size, 0) || !ibpf_vm_mem_ok(vm, r3, m->value_size, 0))
		return ibpf_vm_fault(vm, "bpf_map_update_elem: key or value is not readable");
	if (m->frozen || (m->map_flags & BPF_F_RDONLY_PROG))
		return U(-EPERM);
	return U((int64_t)ibpf_map_update(m, PTR(r2), PTR(r3), r4));
}

static uint64_t h_map_delete_elem(struct ibpf_vm *vm, uint64_t r1, uint64_t r2,
				  uint64_t r3, uint64_t r4, uint64_t r5)
{
	struct ibpf_map *m = ibpf_vm_map_arg(vm, r1);

	UNUSED_ARGS(r3, r4, r5, 0);
	if (!m)
		return ibpf_vm_fault(vm, "bpf_map_delete_elem: r1 is not a map");
	if (!ibpf_vm_mem_ok(vm, r2, m->key_size, 0))
		return ibpf_vm_fault(vm, "bpf_map_delete_elem: key is not readable");
	if (m->frozen || (m->map_flags & BPF_F_RDONLY_PROG))
		return U(-EPERM);
	return U((int64_t)ibpf_map_delete(m, PTR(r2)));
}

static uint64_t h_ktime_get_ns(struct ibpf_vm *vm, uint64_t r1, uint64_t r2,
			       uint64_t r3, uint64_t r4, uint64_t r5)
{
	struct timespec ts;

	UNUSED_ARGS(vm, r1, r2, r3);
	(void)r4, (void)r5;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return U(ts.tv_sec) * 1000000000ull + U(ts.tv_nsec);
}

static uint64_t h_get_prandom_u32(struct ibpf_vm *vm, uint64_t r1, uint64_t r2,
				  uint64_t r3, uint64_t r4, uint64_t r5)
{
	uint64_t x = vm->rand_state;

	UNUSED_ARGS(r1, r2, r3, r4);
	(void)r5;
	/* xorshift64*: the per-run state lives in the vm, not in a global. */
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	vm->rand_state = x;
	return (x * 2685821657736338717ull) >> 32;
}

static uint64_t h_get_smp_processor_id(struct ibpf_vm *vm, uint64_t r1, uint64_t r2,
				       uint64_t r3, uint64_t r4, uint64_t r5)
{
	UNUSED_ARGS(vm, r1, r2, r3);
	(void)r4, (void)r5;
	return 0;
}

/* bpf_trace_printk(fmt, fmt_size, a1, a2, a3): the kernel's subset of printf
 * (%d %i %u %x %X %c %%, with l/ll, and %s %p), appended to the run's trace
 * buffer with a newline-free copy of the format.  Returns the bytes written or
 * -EINVAL for a bad format. */
static uint64_t h_trace_printk(struct ibpf_vm *vm, uint64_t r1, uint64_t r2,
			       uint64_t r3, uint64_t r4, uint64_t r5)
{
	const char *fmt = PTR(r1);
	uint64_t args[3] = { r3, r4, r5 };
	char out[512];
	size_t o = 0;
	int nargs = 0;

	if (r2 == 0 || !ibpf_vm_mem_ok(vm, r1, r2, 0))
		return ibpf_vm_fault(vm, "bpf_trace_printk: format is not readable");
	if (!memchr(fmt, 0, r2))
		return U(-EINVAL);
	for (const char *p = fmt; *p && o < sizeof(out) - 1; p++) {
		char spec[8] = "%";
		int longs = 0, n;

		if (*p != '%') {
			out[o++] = *p;
			continue;
		}
		p++;
		if (*p == '%') {
			out[o++] = '%';
			continue;
		}
		while (*p == 'l' && longs < 2) {
			longs++;
			p++;
		}
		if (!*p || !strchr("diuxXcsp", *p) || nargs >= 3)
			return U(-EINVAL);
		uint64_t a = args[nargs++];
		size_t room = sizeof(out) - o;
		switch (*p) {
		case 's': {
			/* Reads at most up to the end of valid memory. */
			size_t k = 0;
			while (o < sizeof(out) - 1 && ibpf_vm_mem_ok(vm, a + k, 1, 0) &&
			       ((const char *)PTR(a))[k])
				out[o++] = ((const char *)PTR(a))[k++];
			continue;
		}
		case 'p':
			n = snprintf(out + o, room, "0x%llx", (unsigned long long)a);
			break;
		case 'c':
			n = snprintf(out + o, room, "%c", (char)a);
			break;
		default:
			spec[1] = 'l';
			spec[2] = 'l';
			spec[3] = *p;
			if (longs == 0 && (*p == 'd' || *p == 'i'))
				a = U((int64_t)(int32_t)a);
			else if (longs == 0)
				a = (uint32_t)a;
			n = snprintf(out + o, room, spec, (unsigned long long)a);
		}
		if (n < 0)
			return U(-EINVAL);
		o += (size_t)n < room ? (size_t)n : room - 1;
	}
	out[o] = 0;
	if (vm->trace && vm->trace_size > vm->trace_len + 1) {
		size_t room = vm->trace_size - vm->trace_len - 1;
		size_t k = o < room ? o : room;
		memcpy(vm->trace + vm->trace_len, out, k);
		vm->trace_len += k;
		if (k && out[k - 1] != '\n' && vm->trace_len + 1 < vm->trace_size)
			vm->trace[vm->trace_len++] = '\n';
		vm->trace[vm->trace_len] = 0;
	}
	return o;
}

/* bpf_loop(nr_loops, callback, ctx, flags): calls callback(i, ctx) until it
 * returns non-zero; returns the number of calls made. */
#define BPF_MAX_LOOPS (1u << 23)
static uint64_t h_loop(struct ibpf_vm *vm, uint64_t r1, uint64_t r2, uint64_t r3,
		       uint64_t r4, uint64_t r5)
{
	uint64_t i;

	(void)r5;
	if (r4)
		return U(-EINVAL);
	if (r1 > BPF_MAX_LOOPS)
		return U(-E2BIG);
	for (i = 0; i < r1; i++) {
		uint64_t args[5] = { i, r3, 0, 0, 0 };
		uint64_t ret = ibpf_vm_call_ptr(vm, r2, args);
		if (vm->faulted)
			return 0;
		if (ret)
			return i + 1;
	}
	return i;
}

static const struct ibpf_helper helpers[] = {
	{ BPF_FUNC_map_lookup_elem, "bpf_map_lookup_elem", IBPF_RET_MAP_VALUE_OR_NULL,
	  { IBPF_ARG_MAP, IBPF_ARG_MAP_KEY }, h_map_lookup_elem, 0 },
	{ BPF_FUNC_map_update_elem, "bpf_map_update_elem", IBPF_RET_INTEGER,
	  { IBPF_ARG_MAP, IBPF_ARG_MAP_KEY, IBPF_ARG_MAP_VALUE, IBPF_ARG_ANYTHING },
	  h_map_update_elem, 0 },
	{ BPF_FUNC_map_delete_elem, "bpf_map_delete_elem", IBPF_RET_INTEGER,
	  { IBPF_ARG_MAP, IBPF_ARG_MAP_KEY }, h_map_delete_elem, 0 },
	{ BPF_FUNC_ktime_get_ns, "bpf_ktime_get_ns", IBPF_RET_INTEGER, { 0 },
	  h_ktime_get_ns, 0 },
	{ BPF_FUNC_trace_printk, "bpf_trace_printk", IBPF_RET_INTEGER,
	  /* the kernel checks only fmt and its size; r3..r5 are passed as they are */
	  { IBPF_ARG_MEM_RO, IBPF_ARG_CONST_SIZE }, h_trace_printk, 0 },
	{ BPF_FUNC_get_prandom_u32, "bpf_get_prandom_u32", IBPF_RET_INTEGER, { 0 },
	  h_get_prandom_u32, 0 },
	{ BPF_FUNC_get_smp_processor_id, "bpf_get_smp_processor_id", IBPF_RET_INTEGER,
	  { 0 }, h_get_smp_processor_id, 0 },
	{ 181 /* BPF_FUNC_loop */, "bpf_loop", IBPF_RET_INTEGER,
	  { IBPF_ARG_ANYTHING, IBPF_ARG_FUNC, IBPF_ARG_CB_CTX, IBPF_ARG_ANYTHING },
	  h_loop, 2 },
};

const struct ibpf_helper *ibpf_helper_by_id(int32_t id)
{
	for (size_t i = 0; i < sizeof(helpers) / sizeof(helpers[0]); i++)
		if (helpers[i].id == id)
			return &helpers[i];
	return NULL;
}

const char *ibpf_helper_name(int32_t id)
{
	const struct ibpf_helper *h = ibpf_helper_by_id(id);
	return h ? h->name : NULL;
}
