/* fuzz_raw.c - libFuzzer target for bare instruction streams.
 *
 * Input layout:
 *   byte 0        L: size of the memory the program gets (r1 = memory,
 *                 r2 = L), 0..255
 *   bytes 1..L    the memory's initial contents (zero-padded if the input
 *                 is shorter)
 *   the rest      instructions, 8 bytes each (a trailing partial one is
 *                 dropped)
 *
 * The stream goes through ibpf_object__open_raw(), is decoded and
 * disassembled, and runs once in checked mode (every access bounded, the
 * executed instructions capped).  Whatever the bytes, that must end in a
 * result or a clear error: any crash, leak, hang or undefined behaviour is
 * a bug in ibpf.
 *
 * Build and run: fuzz/run.sh SECONDS (builds into build-fuzz/).
 * Reproduce one input: build-fuzz/fuzz_raw FILE
 */
#include <stddef.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ibpf/ibpf.h>
#include "isa/disasm.h"
#include "isa/isa.h"

static volatile size_t sink;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t mem[256] = { 0 }, out[256];
	struct bpf_insn *insns;
	struct ibpf_insn *dec;
	struct ibpf_object *obj;
	struct ibpf_program *p;
	size_t memlen, n;
	char log[512] = "", err[256] = "", text[256];

	if (size < 1)
		return 0;
	memlen = data[0];
	data++, size--;
	memcpy(mem, data, size < memlen ? size : memlen);
	data += size < memlen ? size : memlen;
	size -= size < memlen ? size : memlen;
	n = size / sizeof(struct bpf_insn);
	/* A copy of exactly n instructions, so ASan sees any read past them. */
	insns = malloc(n ? n * sizeof(*insns) : 1);
	if (!insns)
		return 0;
	memcpy(insns, data, n * sizeof(*insns));

	/* The decoder and the disassembler on their own. */
	dec = calloc(n + 1, sizeof(*dec));
	if (dec && ibpf_decode_program(insns, n, dec, err, sizeof(err)) == 0) {
		for (size_t i = 0; i < n; i++) {
			if (dec[i].second_half)
				continue;
			ibpf_disasm(&dec[i], i, IBPF_DIALECT_XLATED, NULL, text, sizeof(text));
			ibpf_disasm(&dec[i], i, IBPF_DIALECT_LLVM, NULL, text, sizeof(text));
		}
	} else if (dec) {
		sink += strlen(err);
	}
	free(dec);

	IBPF_OPTS(ibpf_object_open_opts, opts, .log_buf = log, .log_size = sizeof(log));
	obj = ibpf_object__open_raw(insns, n, &opts);
	if (obj) {
		p = ibpf_object__next_program(obj, NULL);
		if (p) {
			char trace[128] = "";
			IBPF_OPTS(ibpf_test_run_opts, o, .ctx_in = mem, .ctx_size_in = (uint32_t)memlen,
				  .ctx_out = out, .ctx_size_out = sizeof(out),
				  .flags = IBPF_RUN_CHECKED, .log_buf = log, .log_size = sizeof(log),
				  .trace_buf = trace, .trace_size = sizeof(trace));
			int checked_rc = ibpf_prog_test_run_opts(p, &o);
			sink += strlen(log) + strlen(trace) + (size_t)o.retval;
			/* The verifier on the same stream.  A program it accepts must
			 * never fault in checked mode (a memory fault there means the
			 * verifier promised too much), and it runs on the unchecked
			 * interpreter under ASan too. */
			ibpf_program__set_mem_size(p, (uint32_t)memlen);
			IBPF_OPTS(ibpf_verify_opts, vo, .log_buf = log, .log_size = sizeof(log));
			if (ibpf_program__verify(p, &vo) == 0) {
				if (checked_rc == -EFAULT && !strstr(o.log_buf, "instruction limit")) {
					fprintf(stderr, "verifier accepted a program that faults: %s\n", log);
					__builtin_trap();
				}
				uint8_t copy[256];
				memcpy(copy, mem, sizeof(copy));
				IBPF_OPTS(ibpf_test_run_opts, f, .ctx_in = copy,
					  .ctx_size_in = (uint32_t)memlen, .engine = IBPF_ENGINE_INTERP,
					  .log_buf = log, .log_size = sizeof(log));
				if (checked_rc != -EFAULT)
					ibpf_prog_test_run_opts(p, &f);
				sink += (size_t)f.retval;
			}
		}
		ibpf_object__close(obj);
	} else {
		sink += strlen(log);
	}
	free(insns);
	return 0;
}
