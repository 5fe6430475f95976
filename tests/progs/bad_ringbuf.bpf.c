// SPDX-License-Identifier: GPL-2.0
/* bad_ringbuf - compiles, must not load: a BTF-defined map of a type ibpf
 * does not implement (a ring buffer) must be refused by name and type, not
 * silently treated as an array (tests/test_loader_errors.c). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} bad_rb SEC(".maps");

SEC("syscall") int bad_ringbuf(void *ctx)
{
	return bpf_ringbuf_output(&bad_rb, ctx, 8, 0);
}

char _license[] SEC("license") = "GPL";
