/* fuzz_loader.c - libFuzzer target for the loader.
 *
 * The input is an ELF object.  Whatever ibpf_object__open_mem() makes of it
 * must be safe to use through the whole public API: every program is walked
 * (name, section, linked instructions, subprograms, BTF signatures, line
 * info), decoded and disassembled in both dialects, and every `syscall`
 * program is run once in checked mode with a 64-byte zeroed ctx (checked
 * mode bounds every memory access and caps the executed instructions, so
 * running arbitrary code is safe); every map is inspected and iterated.
 * Any crash, leak, hang or undefined behaviour is a bug in ibpf.
 *
 * Build and run: fuzz/run.sh SECONDS (builds into build-fuzz/).
 * Reproduce one input: build-fuzz/fuzz_loader FILE
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ibpf/ibpf.h>
#include "isa/disasm.h"
#include "isa/isa.h"

/* Keep the compiler from dropping reads whose only purpose is to let ASan
 * see them. */
static volatile size_t sink;

static void touch_str(const char *s)
{
	if (s)
		sink += strlen(s);
}

struct dis_ctx {
	const struct ibpf_object *obj;
	const struct ibpf_program *prog;
};

static const char *cb_call_name(void *ctx, const struct ibpf_insn *in)
{
	(void)ctx;
	return in->op == IBPF_OP_CALL ? ibpf_helper_name(in->imm) : NULL;
}

static const char *cb_ld_imm64(void *ctx, const struct ibpf_insn *in, size_t pc,
			       char *scratch, size_t size)
{
	const struct dis_ctx *d = ctx;
	const struct ibpf_map *m;

	(void)pc;
	if (in->src != BPF_PSEUDO_MAP_FD && in->src != BPF_PSEUDO_MAP_VALUE)
		return NULL;
	m = in->imm < 0 ? NULL : ibpf_object__map_by_index(d->obj, (uint32_t)in->imm);
	snprintf(scratch, size, "map[%s]", m ? ibpf_map__name(m) : "?");
	return scratch;
}

static const char *cb_local_call(void *ctx, const struct ibpf_insn *in, size_t pc,
				 char *scratch, size_t size)
{
	const struct dis_ctx *d = ctx;
	long t = (long)pc + 1 + (long)in->imm;
	int sub = t < 0 || t > UINT32_MAX ? -1 :
		ibpf_program__subprog_at(d->prog, (uint32_t)t);

	snprintf(scratch, size, "#%d", sub);
	return scratch;
}

static const char *cb_jump_label(void *ctx, size_t target, char *scratch, size_t size)
{
	const struct dis_ctx *d = ctx;
	size_t cnt = ibpf_program__subprog_cnt(d->prog);

	for (size_t k = 0; k < cnt; k++) {
		struct ibpf_subprog_info si;
		if (ibpf_program__subprog(d->prog, k, &si) || target < si.start ||
		    target >= (size_t)si.start + si.insn_cnt)
			continue;
		snprintf(scratch, size, "%s+0x%zx", si.name, (target - si.start) * 8);
		return scratch;
	}
	return NULL;
}

static void disassemble(const struct ibpf_object *obj, const struct ibpf_program *p)
{
	const struct bpf_insn *raw = ibpf_program__insns(p);
	size_t n = ibpf_program__insn_cnt(p);
	struct dis_ctx d = { obj, p };
	const struct ibpf_disasm_cbs cbs = {
		.ctx = &d, .call_name = cb_call_name, .ld_imm64 = cb_ld_imm64,
		.local_call = cb_local_call, .jump_label = cb_jump_label,
	};
	struct ibpf_insn *dec;
	char err[256] = "", text[512], small[8], hex[64];
	int whole_ok;

	if (!n || !raw)
		return;
	dec = calloc(n + 1, sizeof(*dec));
	if (!dec)
		return;
	whole_ok = ibpf_decode_program(raw, n, dec, err, sizeof(err)) == 0;
	touch_str(err);
	for (size_t i = 0; i < n; i++) {
		struct ibpf_insn one;
		const char *why = NULL;
		const struct ibpf_insn *in = &dec[i];

		if (!whole_ok) {
			/* The program as a whole is invalid: print what decodes. */
			memset(&one, 0, sizeof(one));
			if (ibpf_decode_one(&raw[i], i + 1 < n ? &raw[i + 1] : NULL, &one, &why))
				continue;
			in = &one;
		}
		if (in->second_half)
			continue;
		ibpf_disasm(in, i, IBPF_DIALECT_XLATED, &cbs, text, sizeof(text));
		ibpf_disasm(in, i, IBPF_DIALECT_LLVM, &cbs, text, sizeof(text));
		ibpf_disasm(in, i, IBPF_DIALECT_XLATED, NULL, text, sizeof(text));
		ibpf_disasm(in, i, IBPF_DIALECT_LLVM, NULL, small, sizeof(small));
		ibpf_disasm_hex(&raw[i], in->op == IBPF_OP_LD_IMM64 && i + 1 < n ? 2 : 1,
				hex, sizeof(hex));
	}
	free(dec);
}

static void walk_program(const struct ibpf_object *obj, struct ibpf_program *p)
{
	size_t subs = ibpf_program__subprog_cnt(p), lines;
	char sig[1024], tiny[4];

	touch_str(ibpf_program__name(p));
	touch_str(ibpf_program__section_name(p));
	sink += (size_t)ibpf_program__type(p);
	for (size_t k = 0; k <= subs; k++) {   /* one past the end on purpose */
		struct ibpf_subprog_info si;
		if (ibpf_program__subprog(p, k, &si) == 0) {
			touch_str(si.name);
			sink += (size_t)ibpf_program__subprog_at(p, si.start);
		}
		ibpf_program__func_signature(p, k, sig, sizeof(sig));
		ibpf_program__func_signature(p, k, tiny, sizeof(tiny));
	}
	sink += (size_t)ibpf_program__subprog_at(p, UINT32_MAX);
	lines = ibpf_program__line_info_cnt(p);
	for (size_t k = 0; k <= lines; k++) {
		const struct ibpf_line_info *li = ibpf_program__line_info(p, k);
		if (!li)
			continue;
		touch_str(li->file);
		touch_str(li->line);
		sink += li->insn + li->line_num + li->line_col;
	}
	disassemble(obj, p);

	if (ibpf_program__type(p) == IBPF_PROG_TYPE_SYSCALL) {
		uint8_t ctx[64] = { 0 }, out[64];
		char log[512] = "", trace[256] = "";
		IBPF_OPTS(ibpf_test_run_opts, o, .ctx_in = ctx, .ctx_size_in = sizeof(ctx),
			  .ctx_out = out, .ctx_size_out = sizeof(out),
			  .flags = IBPF_RUN_CHECKED, .log_buf = log, .log_size = sizeof(log));
		o.trace_buf = trace;
		o.trace_size = sizeof(trace);
		ibpf_prog_test_run_opts(p, &o);
		touch_str(log);
		touch_str(trace);
	}
}

static void walk_map(struct ibpf_map *m)
{
	uint32_t ks = ibpf_map__key_size(m), vs = ibpf_map__value_size(m);
	uint32_t slots[16];
	size_t n;

	touch_str(ibpf_map__name(m));
	touch_str(ibpf_map__section(m));
	sink += ibpf_map__type(m) + ibpf_map__max_entries(m) + ibpf_map__map_flags(m) +
		ibpf_map__map_extra(m) + (size_t)ibpf_map__is_frozen(m) + ibpf_map__index(m);
	n = ibpf_map__func_slots(m, slots, 16);
	sink += n;
	if (ks == 0 || ks > 512 || vs == 0 || vs > (1u << 16))
		return;
	uint8_t *key = calloc(1, ks), *next = calloc(1, ks), *val = calloc(1, vs);
	if (key && next && val) {
		/* Iterate a few keys and read their values. */
		int rc = ibpf_map__get_next_key(m, NULL, next, ks);
		for (int i = 0; i < 8 && rc == 0; i++) {
			ibpf_map__lookup_elem(m, next, ks, val, vs, 0);
			memcpy(key, next, ks);
			rc = ibpf_map__get_next_key(m, key, next, ks);
		}
		/* A write where user space may write (frozen maps must refuse). */
		memset(key, 0, ks);
		ibpf_map__update_elem(m, key, ks, val, vs, BPF_ANY);
		ibpf_map__lookup_elem(m, key, ks, val, vs, 0);
		/* Wrong sizes must be refused, not read past. */
		ibpf_map__lookup_elem(m, key, ks > 1 ? ks - 1 : 1, val, vs, 0);
	}
	free(key);
	free(next);
	free(val);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char log[1024];
	IBPF_OPTS(ibpf_object_open_opts, opts, .object_name = "fuzz.o",
		  .log_buf = log, .log_size = sizeof(log));
	struct ibpf_object *obj;
	struct ibpf_program *p;
	struct ibpf_map *m;

	log[0] = 0;
	obj = ibpf_object__open_mem(data, size, &opts);
	touch_str(log);
	if (!obj)
		return 0;
	touch_str(ibpf_object__name(obj));
	for (m = ibpf_object__next_map(obj, NULL); m; m = ibpf_object__next_map(obj, m)) {
		touch_str(ibpf_map__name(m));
		ibpf_object__find_map_by_name(obj, ibpf_map__name(m));
	}
	for (p = ibpf_object__next_program(obj, NULL); p; p = ibpf_object__next_program(obj, p)) {
		ibpf_object__find_program_by_name(obj, ibpf_program__name(p));
		walk_program(obj, p);
	}
	/* Maps last: a run may have changed their contents. */
	for (m = ibpf_object__next_map(obj, NULL); m; m = ibpf_object__next_map(obj, m))
		walk_map(m);
	ibpf_object__close(obj);
	return 0;
}
