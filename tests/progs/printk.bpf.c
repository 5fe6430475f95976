// SPDX-License-Identifier: GPL-2.0
/*
 * printk - bpf_trace_printk's arguments are not checked by its prototype
 * (r3..r5 are passed as they are), so the helper must never trust them, and
 * the verifier checks the format when it is known (frozen .rodata at a
 * constant offset).  tests/test_printk.c runs and verifies these.  Naked
 * functions in inline asm, so both compilers emit the same instructions and
 * a rejection's instruction number is the same for both.
 *
 * Accepted, run on the interpreter, the JIT and checked mode:
 *   pk_region       %s of a map value that has no NUL (stops at the value's
 *                   end, not the next value's), of its middle, and of a
 *                   pointer far past its end (in no region: empty string)
 *   pk_hash         %s of a hash element without a NUL, and of its middle
 *   pk_nonconst     format on the stack (not known to the verifier), %s of
 *                   a number the caller put in ctx (a host address)
 *   pk_ptr          %p of a map value twice and of NULL: hashed, equal
 *                   pointers print equal, NULL as zeros
 *   pk_width        flags and widths, as the kernel prints them
 *   pk_bad_runtime  format on the stack with an unknown conversion: the
 *                   helper returns -EINVAL and prints nothing
 * Rejected (format in .rodata):
 *   pk_bad_scalar   %s of the number 42
 *   pk_bad_mapptr   %s of a map (the map itself, not a value)
 *   pk_bad_unknown  "%q"
 *   pk_bad_four     four conversions
 *   pk_bad_unterm   a format with no NUL within fmt_size
 *   pk_bad_uninit   "%d %d" with r4 never set
 *   pk_bad_follow   "%sx"
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} arr8 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} hsh8 SEC(".maps");

static const char f_region[] = "a=%s b=%s c=%s|";
static const char f_ptr[] = "p=%p q=%p n=%p|";
static const char f_width[] = "%5d|%-5d|%05x|";
static const char f_str[] = "%s|";
static const char f_two[] = "%s %s|";
static const char f_unknown[] = "x=%q|";
static const char f_four[] = "%d %d %d %d|";
static const char f_unterm[4] = { 'a', 'b', '%', 'd' };
static const char f_dd[] = "%d %d|";
static const char f_follow[] = "%sx|";

#define OPS [arr8] "i"(&arr8), [hsh8] "i"(&hsh8), [printk] "i"(bpf_trace_printk),	\
	[lookup] "i"(bpf_map_lookup_elem), [f_region] "i"(&f_region), [f_ptr] "i"(&f_ptr), \
	[f_width] "i"(&f_width), [f_str] "i"(&f_str), [f_two] "i"(&f_two),		\
	[f_unknown] "i"(&f_unknown), [f_four] "i"(&f_four), [f_unterm] "i"(&f_unterm),	\
	[f_dd] "i"(&f_dd), [f_follow] "i"(&f_follow)
#define ASM(name, body)								\
	SEC("syscall") __attribute__((naked)) int name(void)			\
	{ asm volatile(body :: OPS : "memory"); }

/* r0 = &MAP[0]; returns 0 when the lookup fails (label 9) */
#define LOOKUP0(map)							\
	"r1 = 0; *(u32 *)(r10 - 4) = r1;"				\
	"r2 = r10; r2 += -4;"						\
	"r1 = %[" #map "] ll;"						\
	"call %[lookup];"						\
	"if r0 != 0 goto 9f;"						\
	"exit;"								\
	"9:"

ASM(pk_region,
	LOOKUP0(arr8)
	"r1 = %[f_region] ll;"
	"r2 = 16;"
	"r3 = r0;"
	"r4 = r0; r4 += 4;"
	"r5 = r0; r5 += 0x10000000;"
	"call %[printk];"
	"exit;")

ASM(pk_hash,
	LOOKUP0(hsh8)
	"r1 = %[f_two] ll;"
	"r2 = 7;"
	"r3 = r0;"
	"r4 = r0; r4 += 6;"
	"call %[printk];"
	"exit;")

/* "s=%s|" on the stack; r3 = the u64 at ctx+0 */
ASM(pk_nonconst,
	"r3 = *(u64 *)(r1 + 0);"
	"r1 = 0x7c73253d73 ll;"
	"*(u64 *)(r10 - 8) = r1;"
	"r1 = r10; r1 += -8;"
	"r2 = 8;"
	"call %[printk];"
	"exit;")

ASM(pk_ptr,
	LOOKUP0(arr8)
	"r1 = %[f_ptr] ll;"
	"r2 = 16;"
	"r3 = r0;"
	"r4 = r0;"
	"r5 = 0;"
	"call %[printk];"
	"exit;")

ASM(pk_width,
	"r1 = %[f_width] ll;"
	"r2 = 15;"
	"r3 = 1;"
	"r4 = 2;"
	"r5 = 3;"
	"call %[printk];"
	"exit;")

/* "x=%q|" on the stack */
ASM(pk_bad_runtime,
	"r1 = 0x7c71253d78 ll;"
	"*(u64 *)(r10 - 8) = r1;"
	"r1 = r10; r1 += -8;"
	"r2 = 8;"
	"r3 = 1;"
	"call %[printk];"
	"exit;")

ASM(pk_bad_scalar,
	"r1 = %[f_str] ll;"
	"r2 = 4;"
	"r3 = 42;"
	"call %[printk];"
	"exit;")

ASM(pk_bad_mapptr,
	"r1 = %[f_str] ll;"
	"r2 = 4;"
	"r3 = %[arr8] ll;"
	"call %[printk];"
	"exit;")

ASM(pk_bad_unknown,
	"r1 = %[f_unknown] ll;"
	"r2 = 6;"
	"r3 = 1;"
	"call %[printk];"
	"exit;")

ASM(pk_bad_four,
	"r1 = %[f_four] ll;"
	"r2 = 13;"
	"r3 = 1;"
	"r4 = 2;"
	"r5 = 3;"
	"call %[printk];"
	"exit;")

ASM(pk_bad_unterm,
	"r1 = %[f_unterm] ll;"
	"r2 = 4;"
	"r3 = 1;"
	"call %[printk];"
	"exit;")

ASM(pk_bad_uninit,
	"r1 = %[f_dd] ll;"
	"r2 = 7;"
	"r3 = 1;"
	"call %[printk];"
	"exit;")

ASM(pk_bad_follow,
	LOOKUP0(arr8)
	"r1 = %[f_follow] ll;"
	"r2 = 5;"
	"r3 = r0;"
	"call %[printk];"
	"exit;")

char _license[] SEC("license") = "GPL";
