// SPDX-License-Identifier: GPL-2.0
/* c_progs.c - BPF C as people write it, compiled by clang: loops, structs in
 * the ctx, map counters, bounds checks written in C (and forgotten), bpf_loop
 * with a C callback, global (BTF-checked) functions, .rodata tables,
 * __builtin_memcpy/memset. */
#include "difftest.h"

struct io {
	__u32 n;
	__u32 idx;
	__u64 a, b;
	__u64 out[4];
	__u8 buf[16];
};

static const __u32 squares[16] = { 0, 1, 4, 9, 16, 25, 36, 49, 64, 81, 100, 121, 144, 169, 196, 225 };
static __u64 counter;

/* @test c_sum_loop: s = s * 3 + i for i < n (n masked to 0..63), a C loop
 * @expect accept
 * @ctx 0a000000 00000000 0000000000000000 0000000000000000 0000000000000000000000000000000000000000000000000000000000000000 00000000000000000000000000000000
 */
SEC("syscall") int c_sum_loop(struct io *io)
{
	__u32 n = io->n & 63;
	__u64 s = 0;

	for (__u32 i = 0; i < n; i++)
		s = s * 3 + i;
	io->out[0] = s;
	return (int)s;
}

/* @test c_struct_fields: arithmetic on several ctx fields
 * @expect accept
 * @ctx 03000000 05000000 0700000000000000 0b00000000000000 0000000000000000000000000000000000000000000000000000000000000000 00000000000000000000000000000000
 */
SEC("syscall") int c_struct_fields(struct io *io)
{
	io->out[0] = io->a * io->b;
	io->out[1] = io->a ^ (io->b << io->n);
	io->out[2] = io->b / (io->a ? io->a : 1);
	io->out[3] = (__u64)io->idx - io->n;
	return io->n + io->idx;
}

/* @test c_map_counter: increment a counter in an array map
 * @expect accept
 * @ctx 02000000 00000000 0000000000000000 0000000000000000 0000000000000000000000000000000000000000000000000000000000000000 00000000000000000000000000000000
 * @map arr=0a00000000000000 1400000000000000 1e00000000000000 2800000000000000
 */
SEC("syscall") int c_map_counter(struct io *io)
{
	__u32 key = io->n;
	__u64 *v = bpf_map_lookup_elem(&arr, &key);

	if (!v)
		return -1;
	*v += 1;
	io->out[0] = *v;
	return 0;
}

/* @test c_map_no_null_check: a hash value used without checking the lookup
 * @expect reject
 * @msg map_value_or_null
 */
SEC("syscall") int c_map_no_null_check(struct io *io)
{
	__u32 key = io->n;
	struct val16 *v = bpf_map_lookup_elem(&hsh, &key);

	return v->a;
}

/* @test c_hash_roundtrip: insert into a hash map and read it back
 * @expect accept
 * @ctx 07000000 00000000 2a00000000000000 0000000000000000 0000000000000000000000000000000000000000000000000000000000000000 00000000000000000000000000000000
 */
SEC("syscall") int c_hash_roundtrip(struct io *io)
{
	__u32 key = io->n;
	struct val16 val = { .a = io->a, .b = io->a * 2 };
	struct val16 *v;

	if (bpf_map_update_elem(&hsh, &key, &val, BPF_ANY))
		return -1;
	v = bpf_map_lookup_elem(&hsh, &key);
	if (!v)
		return -2;
	io->out[0] = v->a + v->b;
	return 0;
}

/* @test c_index_checked: val->v[idx] after if (idx < 8)
 * @expect accept
 * @ctx 00000000 05000000 0000000000000000 0000000000000000 0000000000000000000000000000000000000000000000000000000000000000 00000000000000000000000000000000
 * @map big=0000000000000000 1100000000000000 2200000000000000 3300000000000000 4400000000000000 5500000000000000 6600000000000000 7700000000000000
 */
SEC("syscall") int c_index_checked(struct io *io)
{
	__u32 key = 0, idx = io->idx;
	struct val64 *v = bpf_map_lookup_elem(&big, &key);

	if (!v)
		return 0;
	if (idx < 8)
		return v->v[idx];
	return -1;
}

/* @test c_index_unchecked: val->v[idx] with no bounds check
 * @expect reject
 */
SEC("syscall") int c_index_unchecked(struct io *io)
{
	__u32 key = 0, idx = io->idx;
	struct val64 *v = bpf_map_lookup_elem(&big, &key);

	if (!v)
		return 0;
	return v->v[idx];
}

/* @test c_index_off_by_one: val->v[idx] after if (idx <= 8)
 * @expect reject
 * @msg invalid access to map value
 */
SEC("syscall") int c_index_off_by_one(struct io *io)
{
	__u32 key = 0, idx = io->idx;
	struct val64 *v = bpf_map_lookup_elem(&big, &key);

	if (!v)
		return 0;
	if (idx <= 8)
		return v->v[idx];
	return -1;
}

/* @test c_scan_bytes: find the first byte equal to 'x' in a 16-byte ctx buffer
 * @expect accept
 * @ctx 00000000 00000000 0000000000000000 0000000000000000 0000000000000000000000000000000000000000000000000000000000000000 61626364656667787878000000000000
 */
SEC("syscall") int c_scan_bytes(struct io *io)
{
	for (int i = 0; i < 16; i++)
		if (io->buf[i] == 'x')
			return i;
	return -1;
}

/* @test c_rodata_table: a const table indexed by n & 15
 * @expect accept
 * @ctx 0c000000 00000000 0000000000000000 0000000000000000 0000000000000000000000000000000000000000000000000000000000000000 00000000000000000000000000000000
 */
SEC("syscall") int c_rodata_table(struct io *io)
{
	return squares[io->n & 15];
}

/* @test c_rodata_table_oob: a const table of 16 indexed by n & 31
 * @expect reject
 * @msg invalid access to map value
 */
SEC("syscall") int c_rodata_table_oob(struct io *io)
{
	return squares[io->n & 31];
}

/* @test c_bss_counter: a global counter in .bss
 * @expect accept
 * @ctx 05000000 00000000 0000000000000000 0000000000000000 0000000000000000000000000000000000000000000000000000000000000000 00000000000000000000000000000000
 */
SEC("syscall") int c_bss_counter(struct io *io)
{
	counter += io->n;
	return counter;
}

static int loop_cb(__u32 i, void *data)
{
	__u64 *acc = data;

	*acc = *acc * 3 + i;
	return *acc > 100000 ? 1 : 0;
}

/* @test c_bpf_loop: bpf_loop with a C callback that stops once the accumulator passes 100000
 * @expect accept
 * @ctx 20000000 00000000 0000000000000000 0000000000000000 0000000000000000000000000000000000000000000000000000000000000000 00000000000000000000000000000000
 */
SEC("syscall") int c_bpf_loop(struct io *io)
{
	__u64 acc = 1;
	long n = bpf_loop(io->n, loop_cb, &acc, 0);

	io->out[0] = acc;
	return n;
}

static int bad_cb(__u32 i, void *data)
{
	return i;
}

/* @test c_bpf_loop_bad_ret: a C callback returning its index
 * @expect reject
 * @msg should have been in [0, 1]
 */
SEC("syscall") int c_bpf_loop_bad_ret(struct io *io)
{
	return bpf_loop(4, bad_cb, NULL, 0);
}

__noinline int gfunc_scale(int x, int y)
{
	return x * y + 1;
}

/* @test c_global_func: a global function (verified on its own, from its BTF signature)
 * @expect accept
 * @ctx 06000000 07000000 0000000000000000 0000000000000000 0000000000000000000000000000000000000000000000000000000000000000 00000000000000000000000000000000
 */
SEC("syscall") int c_global_func(struct io *io)
{
	return gfunc_scale(io->n, io->idx);
}

__noinline int gfunc_deref(int *p)
{
	return *p;
}

/* @test c_global_func_ptr_unchecked: a global function dereferences its pointer argument without a NULL check
 * @expect reject
 */
SEC("syscall") int c_global_func_ptr_unchecked(struct io *io)
{
	int x = io->n;

	return gfunc_deref(&x);
}

__noinline int gfunc_deref_checked(int *p)
{
	return p ? *p + 1 : -1;
}

/* @test c_global_func_ptr_checked: the same with a NULL check
 * @expect accept
 * @ctx 09000000 00000000 0000000000000000 0000000000000000 0000000000000000000000000000000000000000000000000000000000000000 00000000000000000000000000000000
 */
SEC("syscall") int c_global_func_ptr_checked(struct io *io)
{
	int x = io->n;

	return gfunc_deref_checked(&x);
}

static __noinline __u64 fib(__u32 n)
{
	__u64 a = 0, b = 1;

	for (__u32 i = 0; i < n && i < 90; i++) {
		__u64 t = a + b;

		a = b;
		b = t;
	}
	return a;
}

/* @test c_fib: iterative Fibonacci in a static subprogram
 * @expect accept
 * @ctx 32000000 00000000 0000000000000000 0000000000000000 0000000000000000000000000000000000000000000000000000000000000000 00000000000000000000000000000000
 */
SEC("syscall") int c_fib(struct io *io)
{
	io->out[0] = fib(io->n);
	return io->out[0] & 0xffff;
}

/* @test c_sort8: bubble sort of 8 bytes of the ctx on the stack
 * @expect accept
 * @ctx 00000000 00000000 0000000000000000 0000000000000000 0000000000000000000000000000000000000000000000000000000000000000 09030705010806040000000000000000
 */
SEC("syscall") int c_sort8(struct io *io)
{
	__u8 v[8];

	__builtin_memcpy(v, io->buf, 8);
	for (int i = 0; i < 8; i++)
		for (int j = 0; j < 7 - i; j++)
			if (v[j] > v[j + 1]) {
				__u8 t = v[j];

				v[j] = v[j + 1];
				v[j + 1] = t;
			}
	__builtin_memcpy(io->buf, v, 8);
	return v[0] * 10 + v[7];
}

/* @test c_memset_stack: __builtin_memset of a 64-byte stack buffer, then a variable index
 * @expect accept
 * @ctx 07000000 2d000000 0000000000000000 0000000000000000 0000000000000000000000000000000000000000000000000000000000000000 00000000000000000000000000000000
 */
SEC("syscall") int c_memset_stack(struct io *io)
{
	volatile __u8 buf[64];

	__builtin_memset((void *)buf, 0x11, sizeof(buf));
	buf[io->n & 63] = 0x5a;
	return buf[io->idx & 63] + buf[io->n & 63];
}

/* @test c_div_by_ctx: a / b with b from the ctx (0 at run time: the result is 0)
 * @expect accept
 * @ctx 00000000 00000000 6400000000000000 0000000000000000 0000000000000000000000000000000000000000000000000000000000000000 00000000000000000000000000000000
 */
SEC("syscall") int c_div_by_ctx(struct io *io)
{
	io->out[0] = io->a / io->b;
	io->out[1] = io->a % io->b;
	return io->out[0] + io->out[1];
}

/* @test c_crc32: a bitwise CRC-32 of the 16-byte buffer: clang walks io->buf with a moving ctx
 * pointer, which the kernel refuses
 * @expect reject
 * @msg dereference of modified ctx ptr
 * @ctx 00000000 00000000 0000000000000000 0000000000000000 0000000000000000000000000000000000000000000000000000000000000000 31323334353637383930414243444546
 */
SEC("syscall") int c_crc32(struct io *io)
{
	__u32 crc = 0xffffffff;

	for (int i = 0; i < 16; i++) {
		crc ^= io->buf[i];
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320 & -(crc & 1));
	}
	return ~crc;
}

/* @test c_popcount: population count of a 64-bit ctx value, one bit per iteration
 * @expect accept
 * @ctx 00000000 00000000 ffff00ff00f0f00f 0000000000000000 0000000000000000000000000000000000000000000000000000000000000000 00000000000000000000000000000000
 */
SEC("syscall") int c_popcount(struct io *io)
{
	__u64 x = io->a;
	int c = 0;

	for (int i = 0; i < 64; i++) {
		c += x & 1;
		x >>= 1;
	}
	return c;
}

/* @test c_stack_index_unchecked: a 16-byte stack array indexed by an unchecked ctx value
 * @expect reject
 */
SEC("syscall") int c_stack_index_unchecked(struct io *io)
{
	volatile __u64 t[2] = { 1, 2 };

	return t[io->idx];
}

/* @test c_ctx_out_of_struct: a pointer past the ctx struct is still ctx memory for syscall programs (offset 200)
 * @expect accept
 * @runfail
 */
SEC("syscall") int c_ctx_out_of_struct(struct io *io)
{
	return ((__u64 *)io)[25];
}
