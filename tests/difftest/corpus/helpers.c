// SPDX-License-Identifier: GPL-2.0
/* helpers.c - helper calls checked against their prototypes: unknown
 * helpers, argument types (map, key, value, memory, size, callback), memory +
 * size pairs (zero, negative, unbounded, past the buffer), results at run
 * time (error codes), r1-r5 clobbered. */
#include "difftest.h"

/* "hi %d\n" on the stack at fp-8 */
#define FMT_ON_STACK							\
	"r1 = 0x000a6425206968 ll;"					\
	"*(u64 *)(r10 - 8) = r1;"					\
	"r1 = r10; r1 += -8;"

/* @test hp_unknown_func: a helper number the kernel does not have
 * @expect reject
 * @msg invalid func unknown#
 */
ASM(hp_unknown_func,
	"call 9999;"
	"r0 = 0;"
	"exit;")

/* @test hp_printk_ok: bpf_trace_printk with a format on the stack (the result is the bytes written)
 * @expect accept
 * @nondet
 */
ASM(hp_printk_ok,
	FMT_ON_STACK
	"r2 = 7;"
	"r3 = 42;"
	"call %[bpf_trace_printk];"
	"r0 = 0;"
	"exit;")

/* @test hp_printk_size_zero: a size of 0 for ARG_CONST_SIZE
 * @expect reject
 * @msg invalid zero-sized read
 */
ASM(hp_printk_size_zero,
	FMT_ON_STACK
	"r2 = 0;"
	"call %[bpf_trace_printk];"
	"r0 = 0;"
	"exit;")

/* @test hp_printk_size_past: 16 bytes from fp-8 run past the frame
 * @expect reject
 */
ASM(hp_printk_size_past,
	FMT_ON_STACK
	"r2 = 16;"
	"call %[bpf_trace_printk];"
	"r0 = 0;"
	"exit;")

/* @test hp_printk_size_bounded: a variable size in [1,8] for an 8-byte buffer
 * @expect accept
 * @nondet
 */
ASM(hp_printk_size_bounded,
	"r2 = *(u64 *)(r1 + 0);"
	"r2 &= 7;"
	"r2 += 1;"
	"r1 = 0x000a6425206968 ll;"
	"*(u64 *)(r10 - 8) = r1;"
	"r1 = r10; r1 += -8;"
	"call %[bpf_trace_printk];"
	"r0 = 0;"
	"exit;")

/* @test hp_printk_size_bounded_over: a variable size in [1,16] for an 8-byte buffer
 * @expect reject
 */
ASM(hp_printk_size_bounded_over,
	"r2 = *(u64 *)(r1 + 0);"
	"r2 &= 15;"
	"r2 += 1;"
	"r1 = 0x000a6425206968 ll;"
	"*(u64 *)(r10 - 8) = r1;"
	"r1 = r10; r1 += -8;"
	"call %[bpf_trace_printk];"
	"r0 = 0;"
	"exit;")

/* @test hp_printk_size_unbounded: an unknown size
 * @expect reject
 * @msg min value is negative
 */
ASM(hp_printk_size_unbounded,
	"r2 = *(u64 *)(r1 + 0);"
	"r1 = 0x000a6425206968 ll;"
	"*(u64 *)(r10 - 8) = r1;"
	"r1 = r10; r1 += -8;"
	"call %[bpf_trace_printk];"
	"r0 = 0;"
	"exit;")

/* @test hp_printk_size_negative: a size in [-1,6]
 * @expect reject
 * @msg min value is negative
 */
ASM(hp_printk_size_negative,
	"r2 = *(u64 *)(r1 + 0);"
	"r2 &= 7;"
	"r2 -= 1;"
	"r1 = 0x000a6425206968 ll;"
	"*(u64 *)(r10 - 8) = r1;"
	"r1 = r10; r1 += -8;"
	"call %[bpf_trace_printk];"
	"r0 = 0;"
	"exit;")

/* @test hp_printk_size_maybe_zero: a size in [0,7] where zero is not allowed
 * @expect reject
 * @msg invalid zero-sized read
 */
ASM(hp_printk_size_maybe_zero,
	"r2 = *(u64 *)(r1 + 0);"
	"r2 &= 7;"
	"r1 = 0x000a6425206968 ll;"
	"*(u64 *)(r10 - 8) = r1;"
	"r1 = r10; r1 += -8;"
	"call %[bpf_trace_printk];"
	"r0 = 0;"
	"exit;")

/* @test hp_printk_map_value: the format in a 64-byte map value, size 64
 * @expect accept
 * @nondet
 */
ASM(hp_printk_map_value,
	GET_BIG
	"r1 = r0;"
	"r2 = 64;"
	"call %[bpf_trace_printk];"
	"r0 = 0;"
	"exit;")

/* @test hp_printk_map_value_over: size 65 for a 64-byte map value
 * @expect reject
 * @msg invalid access to map value
 */
ASM(hp_printk_map_value_over,
	GET_BIG
	"r1 = r0;"
	"r2 = 65;"
	"call %[bpf_trace_printk];"
	"r0 = 0;"
	"exit;")

/* @test hp_printk_scalar_mem: a scalar passed as the memory argument
 * @expect reject
 * @msg R1 type=scalar expected=
 */
ASM(hp_printk_scalar_mem,
	"r1 = 0;"
	"r2 = 8;"
	"call %[bpf_trace_printk];"
	"r0 = 0;"
	"exit;")

/* @test hp_printk_size_is_ptr: a pointer passed as the size argument
 * @expect reject
 */
ASM(hp_printk_size_is_ptr,
	FMT_ON_STACK
	"r2 = r10;"
	"call %[bpf_trace_printk];"
	"r0 = 0;"
	"exit;")

/* @test hp_printk_uninit_arg: bpf_trace_printk reads r1 and r2; r2 is never set
 * @expect reject
 * @msg R2 !read_ok
 */
ASM(hp_printk_uninit_arg,
	FMT_ON_STACK
	"call %[bpf_trace_printk];"
	"r0 = 0;"
	"exit;")

/* @test hp_lookup_uninit_key_reg: bpf_map_lookup_elem without r2
 * @expect reject
 * @msg R2 !read_ok
 */
ASM(hp_lookup_uninit_key_reg,
	"r1 = %[hsh] ll;"
	"call %[bpf_map_lookup_elem];"
	"r0 = 0;"
	"exit;")

/* @test hp_key_null: a NULL key
 * @expect reject
 */
ASM(hp_key_null,
	"r1 = %[hsh] ll;"
	"r2 = 0;"
	"call %[bpf_map_lookup_elem];"
	"r0 = 0;"
	"exit;")

/* @test hp_update_ok: update then lookup a hash entry; the value comes back
 * @expect accept
 * @ctx 0700000000000000
 */
ASM(hp_update_ok,
	"r6 = r1;"
	"r1 = 3; *(u32 *)(r10 - 4) = r1;"
	"r1 = *(u64 *)(r6 + 0); *(u64 *)(r10 - 24) = r1;"
	"r1 = 0; *(u64 *)(r10 - 16) = r1;"
	"r2 = r10; r2 += -4;"
	"r3 = r10; r3 += -24;"
	"r1 = %[hsh] ll; r4 = 0;"
	"call %[bpf_map_update_elem];"
	"r7 = r0;"
	"r2 = r10; r2 += -4;"
	"r1 = %[hsh] ll;"
	"call %[bpf_map_lookup_elem];"
	"if r0 == 0 goto 1f;"
	"r0 = *(u64 *)(r0 + 0);"
	"r0 += r7;"
	"exit;"
	"1: r0 = -1; exit;")

/* @test hp_update_bad_flags: update with flags 7 fails at run time (-EINVAL)
 * @expect accept
 */
ASM(hp_update_bad_flags,
	"r1 = 3; *(u32 *)(r10 - 4) = r1;"
	"r1 = 0; *(u64 *)(r10 - 24) = r1; *(u64 *)(r10 - 16) = r1;"
	"r2 = r10; r2 += -4;"
	"r3 = r10; r3 += -24;"
	"r1 = %[hsh] ll; r4 = 7;"
	"call %[bpf_map_update_elem];"
	"exit;")

/* @test hp_update_noexist_twice: BPF_NOEXIST on an existing key fails with -EEXIST
 * @expect accept
 */
ASM(hp_update_noexist_twice,
	"r1 = 5; *(u32 *)(r10 - 4) = r1;"
	"r1 = 0; *(u64 *)(r10 - 24) = r1; *(u64 *)(r10 - 16) = r1;"
	"r2 = r10; r2 += -4;"
	"r3 = r10; r3 += -24;"
	"r1 = %[hsh] ll; r4 = 1;"
	"call %[bpf_map_update_elem];"
	"r2 = r10; r2 += -4;"
	"r3 = r10; r3 += -24;"
	"r1 = %[hsh] ll; r4 = 1;"
	"call %[bpf_map_update_elem];"
	"exit;")

/* @test hp_update_array_key_oob: updating array key 7 of 4 fails with -E2BIG
 * @expect accept
 */
ASM(hp_update_array_key_oob,
	"r1 = 7; *(u32 *)(r10 - 4) = r1;"
	"r1 = 0; *(u64 *)(r10 - 16) = r1;"
	"r2 = r10; r2 += -4;"
	"r3 = r10; r3 += -16;"
	"r1 = %[arr] ll; r4 = 0;"
	"call %[bpf_map_update_elem];"
	"exit;")

/* @test hp_delete_missing: deleting a missing hash key returns -ENOENT
 * @expect accept
 */
ASM(hp_delete_missing,
	"r1 = 12345; *(u32 *)(r10 - 4) = r1;"
	"r2 = r10; r2 += -4;"
	"r1 = %[hsh] ll;"
	"call %[bpf_map_delete_elem];"
	"exit;")

/* @test hp_delete_array: deleting from an array map returns -EINVAL
 * @expect accept
 */
ASM(hp_delete_array,
	"r1 = 0; *(u32 *)(r10 - 4) = r1;"
	"r2 = r10; r2 += -4;"
	"r1 = %[arr] ll;"
	"call %[bpf_map_delete_elem];"
	"exit;")

/* @test hp_update_value_ctx: the ctx as the value pointer of an update
 * @expect reject
 * @msg R3 type=ctx expected=
 */
ASM(hp_update_value_ctx,
	"r3 = r1;"
	"r1 = 0; *(u32 *)(r10 - 4) = r1;"
	"r2 = r10; r2 += -4;"
	"r1 = %[hsh] ll; r4 = 0;"
	"call %[bpf_map_update_elem];"
	"r0 = 0;"
	"exit;")

/* @test hp_update_value_map_value: another map's value as the value of an update (16 of 64 bytes)
 * @expect accept
 */
ASM(hp_update_value_map_value,
	GET_BIG
	"r3 = r0;"
	"r1 = 0; *(u32 *)(r10 - 4) = r1;"
	"r2 = r10; r2 += -4;"
	"r1 = %[hsh] ll; r4 = 0;"
	"call %[bpf_map_update_elem];"
	"exit;")

/* @test hp_update_value_short_map_value: arr's 8-byte value as the 16-byte value of hsh
 * @expect reject
 * @msg invalid access to map value
 */
ASM(hp_update_value_short_map_value,
	GET_ARR
	"r3 = r0;"
	"r1 = 0; *(u32 *)(r10 - 4) = r1;"
	"r2 = r10; r2 += -4;"
	"r1 = %[hsh] ll; r4 = 0;"
	"call %[bpf_map_update_elem];"
	"r0 = 0;"
	"exit;")

/* @test hp_args_clobbered: r2 (the key pointer) is gone after the call
 * @expect reject
 * @msg R2 !read_ok
 */
ASM(hp_args_clobbered,
	"r1 = 0; *(u32 *)(r10 - 4) = r1;"
	"r2 = r10; r2 += -4;"
	"r1 = %[hsh] ll;"
	"call %[bpf_map_lookup_elem];"
	"r0 = *(u32 *)(r2 + 0);"
	"exit;")

/* @test hp_ktime: bpf_ktime_get_ns returns a scalar
 * @expect accept
 * @nondet
 */
ASM(hp_ktime,
	"call %[bpf_ktime_get_ns];"
	"exit;")

/* @test hp_prandom_bounded: a random u32 & 0x38 indexes a map value
 * @expect accept
 * @nondet
 */
ASM(hp_prandom_bounded,
	GET_BIG
	"r7 = r0;"
	"call %[bpf_get_prandom_u32];"
	"r0 &= 0x38;"
	"r7 += r0;"
	"r0 = *(u64 *)(r7 + 0);"
	"exit;")

/* @test hp_prandom_unbounded: a random u32 is up to 4G-1: too far
 * @expect reject
 */
ASM(hp_prandom_unbounded,
	GET_BIG
	"r7 = r0;"
	"call %[bpf_get_prandom_u32];"
	"r7 += r0;"
	"r0 = *(u64 *)(r7 + 0);"
	"exit;")

/* @test hp_smp_id: bpf_get_smp_processor_id
 * @expect accept
 * @nondet
 */
ASM(hp_smp_id,
	"call %[bpf_get_smp_processor_id];"
	"exit;")

/* @test hp_ret_is_scalar: a helper's result is not a pointer
 * @expect reject
 * @msg invalid mem access 'scalar'
 */
ASM(hp_ret_is_scalar,
	"call %[bpf_ktime_get_ns];"
	"r0 = *(u64 *)(r0 + 0);"
	"exit;")
