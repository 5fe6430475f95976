/* cmd_dump_jited.c - `ibpf dump jited OBJ [--prog NAME] [opcodes]`: the
 * program's x86-64 code as the JIT emits it, disassembled by Zydis, each
 * piece under the BPF instruction it came from (bpftool's xlated text).
 *
 *   entry stub:                           the C-to-JIT trampoline
 *      0: push rbp
 *   int calculon(struct calculon_ctx * ctx):
 *   ; 0: (bf) r6 = r1
 *     3c: mov rbx, rsi
 *   ...
 *   out of line (faults):                 cold stubs after the functions
 *
 * Addresses are offsets from the start of the code, jump targets too.  The
 * program is compiled for the dump only; nothing runs, so unverified programs
 * can be shown.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <Zydis/Zydis.h>

#include "cli.h"
#include "core/object.h"
#include "isa/disasm.h"
#include "jit/jit.h"

static void usage(void)
{
	fprintf(stderr, "usage: ibpf dump jited OBJ [--prog NAME] [opcodes]\n");
}

static const char *helper_name(void *ctx, const struct ibpf_insn *in)
{
	(void)ctx;
	return in->op == IBPF_OP_CALL ? ibpf_helper_name(in->imm) : NULL;
}

static const char *ld_imm64_text(void *ctx, const struct ibpf_insn *in, size_t pc,
				 char *scratch, size_t size)
{
	const struct ibpf_object *obj = ctx;
	const struct ibpf_map *m = in->imm >= 0 ?
		ibpf_object__map_by_index(obj, (uint32_t)in->imm) : NULL;
	uint32_t id = m ? ibpf_map__index(m) + 1 : 0;

	if (in->src == BPF_PSEUDO_MAP_FD)
		snprintf(scratch, size, "map[id:%u]", id);
	else if (in->src == BPF_PSEUDO_MAP_VALUE)
		snprintf(scratch, size, "map[id:%u][0]+%u", id, (uint32_t)(in->imm64 >> 32));
	else
		return NULL;
	(void)pc;
	return scratch;
}

/* Disassemble code[from, to), printing offsets relative to the code start. */
static void disasm_range(const ZydisDecoder *dec, const ZydisFormatter *fmt,
			 const uint8_t *code, size_t from, size_t to, int opcodes)
{
	ZydisDecodedInstruction insn;
	ZydisDecodedOperand ops[ZYDIS_MAX_OPERAND_COUNT];
	char text[256];

	while (from < to) {
		if (!ZYAN_SUCCESS(ZydisDecoderDecodeFull(dec, code + from, to - from, &insn, ops))) {
			printf("%6zx:\t(bad) %02x\n", from, code[from]);
			from++;
			continue;
		}
		if (!ZYAN_SUCCESS(ZydisFormatterFormatInstruction(fmt, &insn, ops,
								   insn.operand_count_visible,
								   text, sizeof(text), from, NULL)))
			snprintf(text, sizeof(text), "(unformattable)");
		if (opcodes) {
			char hex[3 * 16 + 1] = "";
			for (unsigned k = 0; k < insn.length; k++)
				snprintf(hex + 3 * k, sizeof(hex) - 3 * k, "%02x ", code[from + k]);
			printf("%6zx:\t%-33s%s\n", from, hex, text);
		} else {
			printf("%6zx:\t%s\n", from, text);
		}
		from += insn.length;
	}
}

static int dump_jited(struct ibpf_program *p, int opcodes)
{
	const struct ibpf_disasm_cbs cbs = {
		.ctx = p->obj, .call_name = helper_name, .ld_imm64 = ld_imm64_text,
	};
	struct ibpf_jit_prog *jit = NULL;
	ZydisDecoder dec;
	ZydisFormatter fmt;
	const uint8_t *code;
	const uint32_t *off;
	char err[512] = "", text[512], sig[1024];
	size_t size, n = p->insn_cnt;
	int rc;

	if (p->decode_failed) {
		fprintf(stderr, "ibpf: program '%s': %s\n", p->name, p->decode_err);
		return EXIT_BAD_INPUT;
	}
	if (!ibpf_jit_available()) {
		fprintf(stderr, "ibpf: the JIT is not available on this machine\n");
		return EXIT_REJECTED;
	}
	if ((rc = ibpf_program_prepare_exec(p, err, sizeof(err))) ||
	    (rc = ibpf_jit_compile(p, 0, &jit, err, sizeof(err)))) {
		fprintf(stderr, "ibpf: program '%s': JIT: %s\n", p->name, err);
		return EXIT_REJECTED;
	}
	code = ibpf_jit_code(jit, &size);
	off = ibpf_jit_insn_offsets(jit);
	ZydisDecoderInit(&dec, ZYDIS_MACHINE_MODE_LONG_64, ZYDIS_STACK_WIDTH_64);
	ZydisFormatterInit(&fmt, ZYDIS_FORMATTER_STYLE_INTEL);
	/* "add rsi, -0x88" and "jmp 0x166" rather than zero-padded unsigned hex */
	ZydisFormatterSetProperty(&fmt, ZYDIS_FORMATTER_PROP_IMM_SIGNEDNESS, ZYDIS_SIGNEDNESS_SIGNED);
	ZydisFormatterSetProperty(&fmt, ZYDIS_FORMATTER_PROP_IMM_PADDING, ZYDIS_PADDING_DISABLED);
	ZydisFormatterSetProperty(&fmt, ZYDIS_FORMATTER_PROP_DISP_PADDING, ZYDIS_PADDING_DISABLED);
	ZydisFormatterSetProperty(&fmt, ZYDIS_FORMATTER_PROP_ADDR_PADDING_ABSOLUTE,
				  ZYDIS_PADDING_DISABLED);
	ZydisFormatterSetProperty(&fmt, ZYDIS_FORMATTER_PROP_HEX_UPPERCASE, ZYAN_FALSE);

	printf("entry stub:\n");
	disasm_range(&dec, &fmt, code, 0, off[0], opcodes);
	for (size_t i = 0; i < n; i++) {
		int sub;
		size_t next = i + 1;

		if (p->exec[i].second_half)
			continue;
		while (next < n && p->exec[next].second_half)
			next++;
		sub = ibpf_program__subprog_at(p, (uint32_t)i);
		if (sub >= 0) {
			if (ibpf_program__func_signature(p, (size_t)sub, sig, sizeof(sig)) == 0 &&
			    sig[0])
				printf("%s:\n", sig);
			else
				printf("%s:\n", p->subprogs[sub].name ? p->subprogs[sub].name : "?");
		}
		/* The decoded form with map and helper references unresolved. */
		ibpf_disasm(&p->decoded[i], i, IBPF_DIALECT_XLATED, &cbs, text, sizeof(text));
		printf("; %zu: %s\n", i, text);
		disasm_range(&dec, &fmt, code, off[i], off[next], opcodes);
	}
	printf("out of line (faults):\n");
	disasm_range(&dec, &fmt, code, off[n], size, opcodes);
	ibpf_jit_free(jit);
	return EXIT_OK;
}

int cmd_dump_jited(int argc, char **argv)
{
	const char *path = NULL, *prog = NULL;
	struct ibpf_object *obj;
	struct ibpf_program *p;
	int opcodes = 0, rc;

	/* argv[0] is "jited" */
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--prog") && i + 1 < argc) {
			prog = argv[++i];
		} else if (!strcmp(argv[i], "opcodes")) {
			opcodes = 1;
		} else if (argv[i][0] != '-' && !path) {
			path = argv[i];
		} else {
			usage();
			return EXIT_BAD_INPUT;
		}
	}
	if (!path) {
		usage();
		return EXIT_BAD_INPUT;
	}
	if (!(obj = cli_open(path)))
		return EXIT_BAD_INPUT;
	if (!(p = cli_pick_prog(obj, prog))) {
		ibpf_object__close(obj);
		return EXIT_BAD_INPUT;
	}
	rc = dump_jited(p, opcodes);
	ibpf_object__close(obj);
	return rc;
}
