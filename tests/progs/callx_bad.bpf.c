// SPDX-License-Identifier: GPL-2.0
/*
 * callx_bad - function-pointer programs the verifier must REJECT (issue 4),
 * written in C; tests/test_callx.c checks each rejection and its message.
 * (callx_bad_asm.bpf.c holds the ones clang would not emit from C.)
 *
 * ctx:    struct cx_ctx { __u64 i; __u64 x; __u64 out; }    (24 bytes)
 *
 * callx on something that is not a known function pointer:
 *   bad_scalar         ((fn_t)ctx->x)(1): a number from ctx
 *   bad_map_load       the u64 of a writable array map, cast and called
 *   bad_bss_load       a global function pointer in .bss, never stored by
 *                      the program: user space may have written anything
 *   bad_data_load      a global u64 in .data, cast and called
 *   bad_null           bpf_map_lookup_elem(&bad_tab, &k) called without a
 *                      NULL check
 *   bad_arith          a checked lookup result plus 8 (fp + 8), called
 *   bad_rodata_tag     vt[i].tag (a data field of a .rodata ops table,
 *                      i bounded) cast and called: only relocated slots hold
 *                      function pointers
 *   bad_stack_mixed    a stack array whose slot 1 holds a number, read with
 *                      a variable index and called
 * storing a function pointer where user space can read it:
 *   bad_store_map      *value = fp into a writable array map
 *   bad_store_update   bpf_map_update_elem(&map, &k, &fp, 0) with fp spilled
 *                      on the stack
 *   bad_store_ctx      ctx->out = fp
 *   bad_store_bss      a .bss global = fp, then loaded back and called
 *   bad_store_data     a .data global's field = fp, then loaded back, called
 *   bad_ret_fp         the program returns a function pointer
 * targets that do not fit the call site:
 *   bad_ret_deref      the target returns a number, the caller dereferences
 *                      it
 *   bad_ret_mixed      of two targets, r_ctx returns ctx (fine to
 *                      dereference) and r_num a number; the caller
 *                      dereferences the result
 * more ways to lose or leak a function pointer:
 *   bad_printk         the pointer passed to bpf_trace_printk (the trace
 *                      buffer is user space's)
 *   bad_store_table    bad_tab[0] = fp: a call table is frozen
 *   bad_store_rodata   a store into .rodata (the fn slot of vt[0])
 *   bad_clobber_callee a callee overwrites the caller's spilled function
 *                      pointer (through a pointer to it) with a number; the
 *                      caller then fills and calls it
 *   bad_loop_clobber   the same done by a bpf_loop callback
 *   bad_prune_reg      f_inc on one path, f_deref (dereferences its scalar
 *                      argument) on the other, joined before a branch (a
 *                      prune point): the second path must not be pruned
 *   bad_prune_stack    the same with the pointer in a stack slot
 * unbounded table indexes:
 *   bad_index_table    bad_tab[i](x) on a SEC("callx") table, i unchecked
 *   bad_index_stack    tab[i](x) on a stack array, i unchecked
 *   bad_index_rodata   vt[i].fn(x) on a .rodata ops table, i unchecked
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct cx_ctx {
	__u64 i;
	__u64 x;
	__u64 out;
};

typedef __u64 (*fn_t)(__u64);

static __noinline __u64 f_inc(__u64 x)
{
	return x + 1;
}

static __noinline __u64 f_dbl(__u64 x)
{
	return x * 2;
}

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} fp_map SEC(".maps");

SEC("callx") fn_t bad_tab[2] = { f_inc, f_dbl };

/* ---- callx on something that is not a function pointer -------------- */

SEC("syscall") int bad_scalar(struct cx_ctx *ctx)
{
	ctx->out = ((fn_t)ctx->x)(1);
	return 0;
}

SEC("syscall") int bad_map_load(struct cx_ctx *ctx)
{
	__u32 k = 0;
	__u64 *v = bpf_map_lookup_elem(&fp_map, &k);

	if (!v)
		return -22;
	ctx->out = ((fn_t)*v)(ctx->x);
	return 0;
}

fn_t bss_fp;

SEC("syscall") int bad_bss_load(struct cx_ctx *ctx)
{
	ctx->out = bss_fp(ctx->x);
	return 0;
}

__u64 data_word = 0x18;

SEC("syscall") int bad_data_load(struct cx_ctx *ctx)
{
	ctx->out = ((fn_t)data_word)(ctx->x);
	return 0;
}

SEC("syscall") int bad_null(struct cx_ctx *ctx)
{
	__u32 k = (__u32)ctx->i;
	fn_t fp = bpf_map_lookup_elem(&bad_tab, &k);

	ctx->out = fp(ctx->x);
	return 0;
}

SEC("syscall") int bad_arith(struct cx_ctx *ctx)
{
	__u32 k = (__u32)ctx->i;
	fn_t fp = bpf_map_lookup_elem(&bad_tab, &k);

	if (!fp)
		return -22;
	fp = (fn_t)((char *)fp + 8);
	ctx->out = fp(ctx->x);
	return 0;
}

struct ops {
	__u64 tag;
	fn_t fn;
};

static const struct ops vt[] = {
	{ 0x18, f_inc },
	{ 0x00, f_dbl },
};

SEC("syscall") int bad_rodata_tag(struct cx_ctx *ctx)
{
	__u64 i = ctx->i;

	if (i >= 2)
		return -22;
	ctx->out = ((fn_t)vt[i].tag)(ctx->x) + vt[i].fn(ctx->x);
	return 0;
}

SEC("syscall") int bad_stack_mixed(struct cx_ctx *ctx)
{
	fn_t volatile tab[2];

	tab[0] = f_inc;
	tab[1] = (fn_t)ctx->x;
	ctx->out = tab[ctx->i & 1](ctx->x);
	return 0;
}

/* ---- storing a function pointer where user space can read it -------- */

SEC("syscall") int bad_store_map(struct cx_ctx *ctx)
{
	__u32 k = 0;
	__u64 *v = bpf_map_lookup_elem(&fp_map, &k);

	if (!v)
		return -22;
	*v = (__u64)(ctx->i & 1 ? f_inc : f_dbl);
	return 0;
}

SEC("syscall") int bad_store_update(struct cx_ctx *ctx)
{
	fn_t volatile fp;
	__u32 k = 0;

	fp = ctx->i & 1 ? f_inc : f_dbl;
	bpf_map_update_elem(&fp_map, &k, (void *)&fp, 0);
	return 0;
}

SEC("syscall") int bad_store_ctx(struct cx_ctx *ctx)
{
	ctx->out = (__u64)(ctx->i & 1 ? f_inc : f_dbl);
	return 0;
}

fn_t bss_slot;

SEC("syscall") int bad_store_bss(struct cx_ctx *ctx)
{
	bss_slot = ctx->i & 1 ? f_inc : f_dbl;
	ctx->out = (*(fn_t volatile *)&bss_slot)(ctx->x);
	return 0;
}

struct data_obj {
	__u64 tag;
	fn_t fn;
};

struct data_obj data_obj = { 1, 0 };

SEC("syscall") int bad_store_data(struct cx_ctx *ctx)
{
	data_obj.fn = ctx->i & 1 ? f_inc : f_dbl;
	ctx->out = (*(fn_t volatile *)&data_obj.fn)(ctx->x);
	return 0;
}

SEC("syscall") long bad_ret_fp(struct cx_ctx *ctx)
{
	return (long)(ctx->i & 1 ? f_inc : f_dbl);
}

/* ---- targets that do not fit the call site -------------------------- */

typedef __u64 *(*pfn_t)(struct cx_ctx *);

static __noinline __u64 *r_num(struct cx_ctx *ctx)
{
	return (__u64 *)(0x1000 + ctx->x);
}

static __noinline __u64 *r_ctx(struct cx_ctx *ctx)
{
	return (__u64 *)ctx;
}

SEC("syscall") int bad_ret_deref(struct cx_ctx *ctx)
{
	pfn_t volatile fp = r_num;

	ctx->out = *fp(ctx);
	return 0;
}

SEC("syscall") int bad_ret_mixed(struct cx_ctx *ctx)
{
	pfn_t fp;

	if (ctx->i & 1)
		fp = r_ctx;
	else
		fp = r_num;
	ctx->out = *fp(ctx);
	return 0;
}

/* ---- unbounded table indexes ----------------------------------------- */

SEC("syscall") int bad_index_table(struct cx_ctx *ctx)
{
	ctx->out = bad_tab[ctx->i](ctx->x);
	return 0;
}

SEC("syscall") int bad_index_stack(struct cx_ctx *ctx)
{
	fn_t volatile tab[2];

	tab[0] = f_inc;
	tab[1] = f_dbl;
	ctx->out = tab[ctx->i](ctx->x);
	return 0;
}

SEC("syscall") int bad_index_rodata(struct cx_ctx *ctx)
{
	ctx->out = vt[ctx->i].fn(ctx->x);
	return 0;
}

/* ---- more ways to lose or leak a function pointer ------------------- */

SEC("syscall") int bad_printk(struct cx_ctx *ctx)
{
	fn_t fp = ctx->i & 1 ? f_inc : f_dbl;

	bpf_printk("fp=%llx %d %d", (__u64)fp, 1, 2);
	return 0;
}

SEC("syscall") int bad_store_table(struct cx_ctx *ctx)
{
	bad_tab[0] = ctx->i & 1 ? f_inc : f_dbl;
	return 0;
}

SEC("syscall") int bad_store_rodata(struct cx_ctx *ctx)
{
	*(volatile __u64 *)&vt[0].fn = ctx->x;
	return 0;
}

static __noinline int clobber(fn_t *slot, __u64 v)
{
	*(volatile __u64 *)slot = v;
	return (int)(v & 1);	/* not a constant: clang would drop r0 */
}

SEC("syscall") int bad_clobber_callee(struct cx_ctx *ctx)
{
	fn_t volatile fp = f_inc;

	ctx->out = clobber((fn_t *)&fp, ctx->x);
	ctx->out += fp(1);
	return 0;
}

static long clobber_cb(__u32 i, void *data)
{
	*(volatile __u64 *)data = 0x48;
	return 1;
}

SEC("syscall") int bad_loop_clobber(struct cx_ctx *ctx)
{
	fn_t volatile fp = f_inc;

	bpf_loop(1, clobber_cb, (void *)&fp, 0);
	ctx->out = fp(1);
	return 0;
}

/* Pruning: two paths meet with function pointers to different targets;
 * f_deref dereferences its argument, so only the f_inc path is safe.  A
 * verifier that treats every function pointer as equal when comparing
 * states prunes the second path and never verifies f_deref. */
static __noinline __u64 f_deref(__u64 x)
{
	return *(__u64 *)x;
}

SEC("syscall") int bad_prune_reg(struct cx_ctx *ctx)
{
	__u64 x = ctx->x;
	fn_t fp;

	if (ctx->i & 1)
		fp = f_inc;
	else
		fp = f_deref;
	if (x > 100)		/* a branch after the join: a prune point */
		x = 100;
	ctx->out = fp(x);
	return 0;
}

SEC("syscall") int bad_prune_stack(struct cx_ctx *ctx)
{
	fn_t volatile fp;
	__u64 x = ctx->x;

	if (ctx->i & 1)
		fp = f_inc;
	else
		fp = f_deref;
	if (x > 100)
		x = 100;
	ctx->out = fp(x);
	return 0;
}

char _license[] SEC("license") = "GPL";
