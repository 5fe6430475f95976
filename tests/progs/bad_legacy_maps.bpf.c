// SPDX-License-Identifier: GPL-2.0
/* bad_legacy_maps - compiles, must not load: a map in the legacy "maps"
 * section (struct bpf_map_def, dropped by libbpf 1.0).  ibpf reads only
 * BTF-defined maps in ".maps" (tests/test_loader_errors.c). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct bad_map_def {
	unsigned int type;
	unsigned int key_size;
	unsigned int value_size;
	unsigned int max_entries;
	unsigned int map_flags;
};

struct bad_map_def SEC("maps") bad_legacy_map = {
	.type = BPF_MAP_TYPE_ARRAY,
	.key_size = sizeof(__u32),
	.value_size = sizeof(__u64),
	.max_entries = 1,
};

SEC("syscall") int bad_legacy_maps(void *ctx)
{
	__u32 key = 0;
	__u64 *v = bpf_map_lookup_elem(&bad_legacy_map, &key);

	return v ? (int)*v : 0;
}

char _license[] SEC("license") = "GPL";
