/* cmd_dump.c - `ibpf dump`: print a linked program the way the usual tools do.
 *
 *   ibpf dump xlated OBJ [--prog NAME] [opcodes] [linum]
 *       bpftool's `prog dump xlated` layout: the BTF signature of each
 *       function ("int f(struct ctx * ctx):"), "; source" lines where bpftool
 *       puts them, "%4u: (code) text" and, with `opcodes`, the raw bytes
 *       beneath, with map ids and subprogram numbers filled in as the
 *       kernel's dump shows them.
 *   ibpf dump insns OBJ [--prog NAME]
 *       llvm-objdump -d's layout and dialect, one block per function.
 *
 * Map ids are ibpf's: map index + 1.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "isa/disasm.h"

struct dump {
	const char *path;
	const struct ibpf_object *obj;
	const struct ibpf_program *prog;
	const struct bpf_insn *raw;
	struct ibpf_insn *dec;
	size_t n;
};

static void usage(void)
{
	fprintf(stderr,
		"usage: ibpf dump xlated OBJ [--prog NAME] [opcodes] [linum]\n"
		"       ibpf dump insns OBJ [--prog NAME]\n");
}

/* ---- callbacks ---------------------------------------------------------- */

static const char *helper_name(void *ctx, const struct ibpf_insn *in)
{
	(void)ctx;
	return in->op == IBPF_OP_CALL ? ibpf_helper_name(in->imm) : NULL;
}

/* ibpf's map id for the map whose index an ld_imm64 carries; 0 if none. */
static uint32_t map_id(const struct dump *d, int32_t idx)
{
	const struct ibpf_map *map = idx < 0 ? NULL :
		ibpf_object__map_by_index(d->obj, (uint32_t)idx);

	return map ? ibpf_map__index(map) + 1 : 0;
}

static const char *map_text(void *ctx, const struct ibpf_insn *in, size_t pc,
			    char *scratch, size_t size)
{
	const struct dump *d = ctx;

	(void)pc;
	if (in->src == BPF_PSEUDO_MAP_FD)
		snprintf(scratch, size, "map[id:%u]", map_id(d, in->imm));
	else if (in->src == BPF_PSEUDO_MAP_VALUE)
		snprintf(scratch, size, "map[id:%u][0]+%u", map_id(d, in->imm),
			 (uint32_t)(in->imm64 >> 32));
	else
		return NULL;
	return scratch;
}

/* llvm's "<func+0xOFF>" label of a jump target. */
static const char *func_label(void *ctx, size_t target, char *scratch, size_t size)
{
	const struct dump *d = ctx;
	size_t cnt = ibpf_program__subprog_cnt(d->prog);

	for (size_t k = 0; k < cnt; k++) {
		struct ibpf_subprog_info si;

		if (ibpf_program__subprog(d->prog, k, &si) || target < si.start ||
		    target >= (size_t)si.start + si.insn_cnt)
			continue;
		if (target == si.start)
			snprintf(scratch, size, "%s", si.name);
		else
			snprintf(scratch, size, "%s+0x%zx", si.name, (target - si.start) * 8);
		return scratch;
	}
	return NULL;
}

/* ---- xlated --------------------------------------------------------------- */

/* bpftool's line lookup (libbpf's bpf_prog_linfo__lfind): starting at
 * record `nr_skip`, the last record at or before `insn`. */
static const struct ibpf_line_info *line_at(const struct ibpf_program *prog,
					    size_t insn, size_t nr_skip)
{
	size_t cnt = ibpf_program__line_info_cnt(prog);
	const struct ibpf_line_info *found = NULL;

	for (size_t k = nr_skip; k < cnt; k++) {
		const struct ibpf_line_info *li = ibpf_program__line_info(prog, k);

		if (!li || li->insn > insn)
			break;
		found = li;
	}
	return found;
}

static void print_line(const struct ibpf_line_info *li, int linum)
{
	const char *line = li->line;

	if (!line)
		return;
	while (isspace((unsigned char)*line))
		line++;
	if (linum)
		printf("; %s [file:%s line_num:%u line_col:%u]\n", line,
		       li->file ? li->file : "", li->line_num, li->line_col);
	else
		printf("; %s\n", line);
}

/* The bytes as the kernel's xlated dump shows them: map ids instead of map
 * indices; for a function address or a bpf-to-bpf call, the target's
 * subprogram number (and for a call, the relative offset moved to `off`). */
static void xlated_bytes(const struct dump *d, size_t i, struct bpf_insn out[2])
{
	const struct ibpf_insn *in = &d->dec[i];
	int sub;

	out[0] = d->raw[i];
	if (in->op != IBPF_OP_LD_IMM64) {
		if (in->op == IBPF_OP_CALL_LOCAL) {
			sub = ibpf_program__subprog_at(d->prog, (uint32_t)(i + 1 + in->imm));
			if (sub >= 0 && in->imm >= INT16_MIN && in->imm <= INT16_MAX) {
				out[0].off = (int16_t)in->imm;
				out[0].imm = sub;
			}
		}
		return;
	}
	out[1] = d->raw[i + 1];
	if (in->src == BPF_PSEUDO_FUNC) {
		sub = ibpf_program__subprog_at(d->prog, (uint32_t)(i + 1 + in->imm));
		if (sub >= 0)
			out[1].imm = sub;
	} else if (in->src == BPF_PSEUDO_MAP_FD || in->src == BPF_PSEUDO_MAP_VALUE) {
		out[0].imm = (int32_t)map_id(d, in->imm);
	}
}

static void dump_xlated(struct dump *d, int opcodes, int linum)
{
	const struct ibpf_disasm_cbs cbs = {
		.ctx = d, .call_name = helper_name, .ld_imm64 = map_text,
	};
	size_t nr_skip = 0;
	char text[512], hex[64], sig[1024];

	for (size_t i = 0; i < d->n; i++) {
		const struct ibpf_line_info *li;
		int sub;

		if (d->dec[i].second_half)
			continue;
		sub = ibpf_program__subprog_at(d->prog, (uint32_t)i);
		if (sub >= 0 && ibpf_program__func_signature(d->prog, (size_t)sub, sig,
							     sizeof(sig)) == 0 && sig[0])
			printf("%s:\n", sig);
		li = line_at(d->prog, i, nr_skip);
		if (li) {
			print_line(li, linum);
			nr_skip++;
		}
		ibpf_disasm(&d->dec[i], i, IBPF_DIALECT_XLATED, &cbs, text, sizeof(text));
		printf("%4zu: %s\n", i, text);
		if (opcodes) {
			struct bpf_insn bytes[2];

			xlated_bytes(d, i, bytes);
			ibpf_disasm_hex(bytes, d->dec[i].op == IBPF_OP_LD_IMM64 ? 2 : 1,
					hex, sizeof(hex));
			printf("       %s\n", hex);
		}
	}
}

/* ---- llvm-objdump ---------------------------------------------------------- */

static void dump_insns(struct dump *d)
{
	const struct ibpf_disasm_cbs cbs = { .ctx = d, .jump_label = func_label };
	char text[512], hex[64];

	for (size_t i = 0; i < d->n; i++) {
		int sub = ibpf_program__subprog_at(d->prog, (uint32_t)i);
		size_t slots;

		if (d->dec[i].second_half)
			continue;
		if (sub >= 0) {
			struct ibpf_subprog_info si;

			if (ibpf_program__subprog(d->prog, (size_t)sub, &si) == 0) {
				if (i)
					printf("\n");
				printf("%016zx <%s>:\n", i * 8, si.name);
			}
		}
		slots = d->dec[i].op == IBPF_OP_LD_IMM64 ? 2 : 1;
		ibpf_disasm(&d->dec[i], i, IBPF_DIALECT_LLVM, &cbs, text, sizeof(text));
		ibpf_disasm_hex(&d->raw[i], slots, hex, sizeof(hex));
		printf("%8zu:\t%s\t%s\n", i, hex, text);
	}
}

/* ---- command -------------------------------------------------------------- */

int cmd_dump(int argc, char **argv)
{
	const char *mode, *path, *prog_name = NULL;
	int opcodes = 0, linum = 0, rc = EXIT_BAD_INPUT;
	struct ibpf_object *obj;
	struct ibpf_program *prog;
	struct dump d = { 0 };
	char err[256];

	if (argc > 0 && !strcmp(argv[0], "dump")) {
		argc--;
		argv++;
	}
	if (argc > 0 && !strcmp(argv[0], "jited"))
		return cmd_dump_jited(argc, argv);
	if (argc < 2 || (strcmp(argv[0], "xlated") && strcmp(argv[0], "insns"))) {
		usage();
		return EXIT_BAD_INPUT;
	}
	mode = argv[0];
	path = argv[1];
	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--prog") && i + 1 < argc) {
			prog_name = argv[++i];
		} else if (!strcmp(argv[i], "opcodes") && !strcmp(mode, "xlated")) {
			opcodes = 1;
		} else if (!strcmp(argv[i], "linum") && !strcmp(mode, "xlated")) {
			linum = 1;
		} else {
			fprintf(stderr, "ibpf dump: unexpected argument '%s'\n", argv[i]);
			usage();
			return EXIT_BAD_INPUT;
		}
	}

	obj = cli_open(path);
	if (!obj)
		return EXIT_BAD_INPUT;
	prog = cli_pick_prog(obj, prog_name);
	if (!prog)   /* cli_pick_prog said why */
		goto out;

	d.path = path;
	d.obj = obj;
	d.prog = prog;
	d.raw = ibpf_program__insns(prog);
	d.n = ibpf_program__insn_cnt(prog);
	d.dec = calloc(d.n ? d.n : 1, sizeof(*d.dec));
	if (!d.dec) {
		fprintf(stderr, "ibpf dump: %s: out of memory\n", path);
		goto out;
	}
	if (!d.raw || ibpf_decode_program(d.raw, d.n, d.dec, err, sizeof(err))) {
		fprintf(stderr, "ibpf dump: %s: program '%s': %s\n", path,
			ibpf_program__name(prog), d.raw ? err : "no instructions");
		goto out;
	}
	if (!strcmp(mode, "xlated"))
		dump_xlated(&d, opcodes, linum);
	else
		dump_insns(&d);
	rc = fflush(stdout) ? EXIT_BAD_INPUT : EXIT_OK;
out:
	free(d.dec);
	ibpf_object__close(obj);
	return rc;
}
