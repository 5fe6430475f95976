// SPDX-License-Identifier: GPL-2.0
/* probe.c - the smallest syscall program: run.sh and random.sh load it to see
 * whether the kernel's bpf() is usable before comparing anything. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("syscall") int probe(void *ctx)
{
	return 0;
}

char _license[] SEC("license") = "GPL";
