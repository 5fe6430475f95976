// SPDX-License-Identifier: GPL-2.0
/* maps.c - map values: NULL checks (and their propagation to copies and
 * spills), value bounds for array and hash maps, keys and values passed to
 * helpers, read-only .rodata (writes refused, constant reads known), .data
 * and .bss, map pointers. */
#include "difftest.h"

static const volatile __u64 ro_tab[4] = { 3, 5, 7, 9 };
static volatile __u64 data_var = 11;
static volatile __u64 bss_var;

#define MASM(name, body) ASM_PROG(name) { asm volatile(body :: ASM_OPS,			\
	__imm_addr(ro_tab), __imm_addr(data_var), __imm_addr(bss_var) : "memory"); }

/* r0 = hsh lookup of key 0, without inserting it first */
#define LOOKUP_HSH							\
	"r6 = r1;"							\
	"r1 = 0; *(u32 *)(r10 - 4) = r1;"				\
	"r2 = r10; r2 += -4;"						\
	"r1 = %[hsh] ll;"						\
	"call %[bpf_map_lookup_elem];"

/* @test mp_hash_null_check: a hash lookup, NULL-checked, then read
 * @expect accept
 */
MASM(mp_hash_null_check,
	GET_HSH
	"r0 = *(u64 *)(r0 + 8);"
	"exit;")

/* @test mp_hash_no_null_check: dereferencing a hash lookup without a NULL check
 * @expect reject
 * @msg invalid mem access 'map_value_or_null'
 */
MASM(mp_hash_no_null_check,
	LOOKUP_HSH
	"r0 = *(u64 *)(r0 + 0);"
	"exit;")

/* @test mp_array_const_key_no_check: an array lookup with a constant in-range key cannot fail (the
 * kernel drops the NULL: 6.13+), so no NULL check is needed
 * @expect accept
 * @map arr=1100000000000000
 */
MASM(mp_array_const_key_no_check,
	"r1 = 0; *(u32 *)(r10 - 4) = r1;"
	"r2 = r10; r2 += -4;"
	"r1 = %[arr] ll;"
	"call %[bpf_map_lookup_elem];"
	"r0 = *(u64 *)(r0 + 0);"
	"exit;")

/* @test mp_array_oob_key_no_check: a constant key past max_entries may fail: NULL check needed
 * @expect reject
 * @msg map_value_or_null
 */
MASM(mp_array_oob_key_no_check,
	"r1 = 4; *(u32 *)(r10 - 4) = r1;"
	"r2 = r10; r2 += -4;"
	"r1 = %[arr] ll;"
	"call %[bpf_map_lookup_elem];"
	"r0 = *(u64 *)(r0 + 0);"
	"exit;")

/* @test mp_array_var_key_no_check: an unknown key may be out of range: NULL check needed
 * @expect reject
 * @msg map_value_or_null
 */
MASM(mp_array_var_key_no_check,
	"r1 = *(u32 *)(r1 + 0); *(u32 *)(r10 - 4) = r1;"
	"r2 = r10; r2 += -4;"
	"r1 = %[arr] ll;"
	"call %[bpf_map_lookup_elem];"
	"r0 = *(u64 *)(r0 + 0);"
	"exit;")

/* @test mp_array_var_key_checked: an unknown key, NULL-checked; the run uses key 9 (NULL)
 * @expect accept
 * @ctx 0900000000000000
 * @map arr=1100000000000000
 */
MASM(mp_array_var_key_checked,
	"r1 = *(u32 *)(r1 + 0); *(u32 *)(r10 - 4) = r1;"
	"r2 = r10; r2 += -4;"
	"r1 = %[arr] ll;"
	"call %[bpf_map_lookup_elem];"
	"if r0 == 0 goto 1f;"
	"r0 = *(u64 *)(r0 + 0);"
	"exit;"
	"1: r0 = -1; exit;")

/* @test mp_null_check_copy: the NULL check on r0 also makes its copy r7 a map value
 * @expect accept
 */
MASM(mp_null_check_copy,
	LOOKUP_HSH
	"r7 = r0;"
	"if r0 == 0 goto 1f;"
	"r0 = *(u64 *)(r7 + 0);"
	"exit;"
	"1: r0 = 2; exit;")

/* @test mp_null_check_spilled: the NULL check also reaches a copy spilled to the stack
 * @expect accept
 */
MASM(mp_null_check_spilled,
	LOOKUP_HSH
	"*(u64 *)(r10 - 16) = r0;"
	"if r0 == 0 goto 1f;"
	"r1 = *(u64 *)(r10 - 16);"
	"r0 = *(u64 *)(r1 + 0);"
	"exit;"
	"1: r0 = 2; exit;")

/* @test mp_null_check_other_lookup: checking one lookup's result says nothing about another's
 * @expect reject
 * @msg map_value_or_null
 */
MASM(mp_null_check_other_lookup,
	LOOKUP_HSH
	"r7 = r0;"
	"r2 = r10; r2 += -4;"
	"r1 = %[hsh] ll;"
	"call %[bpf_map_lookup_elem];"
	"if r0 == 0 goto 1f;"
	"r0 = *(u64 *)(r7 + 0);"
	"exit;"
	"1: r0 = 2; exit;")

/* @test mp_null_branch_deref: on the NULL side r0 is the scalar 0
 * @expect reject
 * @msg invalid mem access 'scalar'
 */
MASM(mp_null_branch_deref,
	LOOKUP_HSH
	"if r0 != 0 goto 1f;"
	"r0 = *(u64 *)(r0 + 0);"
	"exit;"
	"1: r0 = 2; exit;")

/* @test mp_null_check_jmp32: a 32-bit compare with 0 is not a NULL check
 * @expect reject
 */
MASM(mp_null_check_jmp32,
	LOOKUP_HSH
	"if w0 == 0 goto 1f;"
	"r0 = *(u64 *)(r0 + 0);"
	"exit;"
	"1: r0 = 2; exit;")

/* @test mp_null_check_jeq_nonzero_imm: comparing with 1 is not a NULL check
 * @expect reject
 */
MASM(mp_null_check_jeq_nonzero_imm,
	LOOKUP_HSH
	"if r0 == 1 goto 1f;"
	"r0 = *(u64 *)(r0 + 0);"
	"exit;"
	"1: r0 = 2; exit;")

/* @test mp_arr_value_oob: an 8-byte read at +8 of an 8-byte array value
 * @expect reject
 * @msg invalid access to map value
 */
MASM(mp_arr_value_oob,
	GET_ARR
	"r0 = *(u64 *)(r0 + 8);"
	"exit;")

/* @test mp_arr_value_u32_high: the high 4 bytes of an 8-byte value
 * @expect accept
 * @map arr=1122334455667788
 */
MASM(mp_arr_value_u32_high,
	GET_ARR
	"r0 = *(u32 *)(r0 + 4);"
	"exit;")

/* @test mp_arr_value_write_oob: a 4-byte write at +6 of an 8-byte value
 * @expect reject
 * @msg invalid access to map value
 */
MASM(mp_arr_value_write_oob,
	GET_ARR
	"r1 = 1;"
	"*(u32 *)(r0 + 6) = r1;"
	"r0 = 0;"
	"exit;")

/* @test mp_arr_value_write_read: write a map value and read it back
 * @expect accept
 * @ctx 0500000000000000
 * @map arr=0100000000000000
 */
MASM(mp_arr_value_write_read,
	GET_ARR
	"r1 = *(u64 *)(r6 + 0);"
	"r2 = *(u64 *)(r0 + 0);"
	"r1 += r2;"
	"*(u64 *)(r0 + 0) = r1;"
	"r0 = *(u64 *)(r0 + 0);"
	"exit;")

/* @test mp_hash_value_var: hash value (16 bytes) at +(r & 8)
 * @expect accept
 * @ctx 0800000000000000
 */
MASM(mp_hash_value_var,
	GET_HSH
	"r1 = *(u64 *)(r6 + 0);"
	"r1 &= 8;"
	"r0 += r1;"
	"r0 = *(u64 *)(r0 + 0);"
	"exit;")

/* @test mp_hash_value_var_oob: hash value at +(r & 12), 8 bytes
 * @expect reject
 * @msg invalid access to map value
 */
MASM(mp_hash_value_var_oob,
	GET_HSH
	"r1 = *(u64 *)(r6 + 0);"
	"r1 &= 12;"
	"r0 += r1;"
	"r0 = *(u64 *)(r0 + 0);"
	"exit;")

/* @test mp_hash_value_const_oob: hash value at +16
 * @expect reject
 * @msg invalid access to map value
 */
MASM(mp_hash_value_const_oob,
	GET_HSH
	"r0 = *(u8 *)(r0 + 16);"
	"exit;")

/* @test mp_key_across_fp: a 4-byte key at fp-2 runs past the frame
 * @expect reject
 */
MASM(mp_key_across_fp,
	"r2 = r10; r2 += -2;"
	"r1 = %[hsh] ll;"
	"call %[bpf_map_lookup_elem];"
	"r0 = 0;"
	"exit;")

/* @test mp_key_uninit: a key on never-written stack (privileged: allowed)
 * @expect accept
 * @nondet
 */
MASM(mp_key_uninit,
	"r2 = r10; r2 += -8;"
	"r1 = %[hsh] ll;"
	"call %[bpf_map_lookup_elem];"
	"r0 = 0;"
	"exit;")

/* @test mp_key_is_ctx: the ctx is not a valid key pointer
 * @expect reject
 * @msg R2 type=ctx expected=
 */
MASM(mp_key_is_ctx,
	"r2 = r1;"
	"r1 = %[hsh] ll;"
	"call %[bpf_map_lookup_elem];"
	"r0 = 0;"
	"exit;")

/* @test mp_key_in_map_value: a key that lives in another map's value
 * @expect accept
 * @map big=02000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000
 * @map arr=0000000000000000000000000000000021000000000000000000000000000000
 */
MASM(mp_key_in_map_value,
	GET_BIG
	"r2 = r0;"
	"r1 = %[arr] ll;"
	"call %[bpf_map_lookup_elem];"
	"if r0 == 0 goto 1f;"
	"r0 = *(u64 *)(r0 + 0);"
	"exit;"
	"1: r0 = -1; exit;")

/* @test mp_value_too_short: an update whose 16-byte value starts at fp-8 (past the frame)
 * @expect reject
 */
MASM(mp_value_too_short,
	"r1 = 0; *(u32 *)(r10 - 16) = r1;"
	"r2 = r10; r2 += -16;"
	"r3 = r10; r3 += -8;"
	"r1 = %[hsh] ll; r4 = 0;"
	"call %[bpf_map_update_elem];"
	"r0 = 0;"
	"exit;")

/* @test mp_rodata_write: a store into .rodata (frozen, read-only for the program)
 * @expect reject
 * @msg write into map forbidden
 */
MASM(mp_rodata_write,
	"r1 = %[ro_tab] ll;"
	"r2 = 1;"
	"*(u64 *)(r1 + 8) = r2;"
	"r0 = 0;"
	"exit;")

/* @test mp_rodata_atomic: an atomic add into .rodata
 * @expect reject
 * @msg write into map forbidden
 */
MASM(mp_rodata_atomic,
	"r1 = %[ro_tab] ll;"
	"r2 = 1;"
	"lock *(u64 *)(r1 + 0) += r2;"
	"r0 = 0;"
	"exit;")

/* @test mp_rodata_read: reading .rodata
 * @expect accept
 */
MASM(mp_rodata_read,
	"r1 = %[ro_tab] ll;"
	"r0 = *(u64 *)(r1 + 16);"
	"exit;")

/* @test mp_rodata_const_prunes: a .rodata read is a known constant (7): the other branch is dead
 * @expect accept
 */
MASM(mp_rodata_const_prunes,
	"r1 = %[ro_tab] ll;"
	"r0 = *(u64 *)(r1 + 16);"
	"if r0 == 7 goto 1f;"
	"r2 = 0; r0 = *(u64 *)(r2 + 0);"
	"1: exit;")

/* @test mp_rodata_oob: reading past the end of .rodata (32 bytes)
 * @expect reject
 * @msg invalid access to map value
 */
MASM(mp_rodata_oob,
	"r1 = %[ro_tab] ll;"
	"r0 = *(u64 *)(r1 + 32);"
	"exit;")

/* @test mp_rodata_var_read: .rodata at a variable offset
 * @expect accept
 * @ctx 1800000000000000
 */
MASM(mp_rodata_var_read,
	"r2 = *(u64 *)(r1 + 0);"
	"r2 &= 0x18;"
	"r1 = %[ro_tab] ll;"
	"r1 += r2;"
	"r0 = *(u64 *)(r1 + 0);"
	"exit;")

/* @test mp_data_write: .data is writable
 * @expect accept
 */
MASM(mp_data_write,
	"r1 = %[data_var] ll;"
	"r2 = *(u64 *)(r1 + 0);"
	"r2 += 1;"
	"*(u64 *)(r1 + 0) = r2;"
	"r0 = *(u64 *)(r1 + 0);"
	"exit;")

/* @test mp_bss_write: .bss is writable and starts at zero
 * @expect accept
 */
MASM(mp_bss_write,
	"r1 = %[bss_var] ll;"
	"r2 = *(u64 *)(r1 + 0);"
	"r2 += 40;"
	"*(u64 *)(r1 + 0) = r2;"
	"r0 = *(u64 *)(r1 + 0);"
	"exit;")

/* @test mp_bss_oob: past the end of .bss (8 bytes)
 * @expect reject
 * @msg invalid access to map value
 */
MASM(mp_bss_oob,
	"r1 = %[bss_var] ll;"
	"r2 = 0;"
	"*(u32 *)(r1 + 8) = r2;"
	"r0 = 0;"
	"exit;")

/* @test mp_map_ptr_deref_oob: reading far into a map pointer (past struct bpf_array)
 * @expect reject
 * @msg access beyond struct bpf_array
 */
MASM(mp_map_ptr_deref_oob,
	"r1 = %[arr] ll;"
	"r0 = *(u64 *)(r1 + 4000);"
	"exit;")

/* @test mp_map_ptr_read_field: reading the first field of struct bpf_map (its ops) through a map
 * pointer: the kernel allows BTF-typed reads of the map struct
 * @expect accept
 * @nondet
 */
MASM(mp_map_ptr_read_field,
	"r1 = %[arr] ll;"
	"r2 = *(u64 *)(r1 + 0);"
	"r0 = 0;"
	"exit;")

/* @test mp_map_ptr_write: writing through a map pointer
 * @expect reject
 * @msg only read from bpf_array is supported
 */
MASM(mp_map_ptr_write,
	"r1 = %[arr] ll;"
	"r2 = 0;"
	"*(u64 *)(r1 + 0) = r2;"
	"r0 = 0;"
	"exit;")

/* @test mp_value_as_map: a map value passed where a map is expected
 * @expect reject
 * @msg expected=map_ptr
 */
MASM(mp_value_as_map,
	GET_ARR
	"r1 = r0;"
	"r2 = r10; r2 += -4;"
	"call %[bpf_map_lookup_elem];"
	"r0 = 0;"
	"exit;")

/* @test mp_scalar_as_map: a scalar passed where a map is expected
 * @expect reject
 * @msg R1 type=scalar expected=map_ptr
 */
MASM(mp_scalar_as_map,
	"r1 = 0; *(u32 *)(r10 - 4) = r1;"
	"r2 = r10; r2 += -4;"
	"call %[bpf_map_lookup_elem];"
	"r0 = 0;"
	"exit;")

/* @test mp_lookup_miss: a hash lookup of a missing key returns NULL at run time
 * @expect accept
 * @ctx 0700000000000000
 */
MASM(mp_lookup_miss,
	"r1 = *(u32 *)(r1 + 0); r1 += 100; *(u32 *)(r10 - 4) = r1;"
	"r2 = r10; r2 += -4;"
	"r1 = %[hsh] ll;"
	"call %[bpf_map_lookup_elem];"
	"if r0 != 0 goto 1f;"
	"r0 = 55; exit;"
	"1: r0 = 66; exit;")

/* @test mp_value_ptr_kept_r6: a map value kept in r6 across another helper call
 * @expect accept
 * @map arr=2100000000000000
 */
MASM(mp_value_ptr_kept_r6,
	GET_ARR
	"r6 = r0;"
	"call %[bpf_ktime_get_ns];"
	"r0 = *(u64 *)(r6 + 0);"
	"exit;")

/* @test mp_value_ptr_lost_r1: a map value in r1 is gone after a helper call
 * @expect reject
 * @msg R1 !read_ok
 */
MASM(mp_value_ptr_lost_r1,
	GET_ARR
	"r1 = r0;"
	"call %[bpf_ktime_get_ns];"
	"r0 = *(u64 *)(r1 + 0);"
	"exit;")
