/* cmd_show.c - `ibpf show OBJ`: what the loader found. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const char *map_type_name(uint32_t t)
{
	switch (t) {
	case BPF_MAP_TYPE_HASH: return "hash";
	case BPF_MAP_TYPE_ARRAY: return "array";
	case IBPF_MAP_TYPE_INSN_SET: return "insn_set";
	default: return "unknown";
	}
}

/* Name of the subprogram a function pointer slot designates, for `prog`. */
static const char *slot_target(const struct ibpf_program *prog, uint64_t v)
{
	struct ibpf_subprog_info si;
	int s;

	if (!v || v % 8 || (s = ibpf_program__subprog_at(prog, (uint32_t)(v / 8))) < 0 ||
	    ibpf_program__subprog(prog, (size_t)s, &si))
		return NULL;
	return si.name;
}

static void show_func_slots(const struct ibpf_object *obj, const struct ibpf_map *m)
{
	uint32_t offs[256];
	size_t n = ibpf_map__func_slots(m, offs, 256);
	const struct ibpf_program *owner = ibpf_object__next_program(obj, NULL);
	uint32_t zero = 0;

	if (!n)
		return;
	printf("    function pointers:");
	for (size_t i = 0; i < n && i < 256; i++) {
		uint64_t v = 0;
		uint8_t buf[8];
		/* Slots live in the map's value; read them through the API. */
		if (ibpf_map__max_entries(m) == 1) {
			uint8_t val[ibpf_map__value_size(m)];
			if (!ibpf_map__lookup_elem(m, &zero, 4, val, sizeof(val), 0))
				memcpy(&v, val + offs[i], 8);
		} else {
			uint32_t k = offs[i] / 8;
			if (!ibpf_map__lookup_elem(m, &k, 4, buf, 8, 0))
				memcpy(&v, buf, 8);
		}
		/* Values follow the layout of the first program using the table. */
		const char *name = NULL;
		for (const struct ibpf_program *p = owner; p && !name;
		     p = ibpf_object__next_program(obj, p))
			name = slot_target(p, v);
		printf(" [+%u]=%s", offs[i], name ? name : "?");
	}
	printf("\n");
}

int cmd_show(int argc, char **argv)
{
	struct ibpf_object *obj;

	if (argc != 2) {
		fprintf(stderr, "usage: ibpf show OBJ\n");
		return EXIT_BAD_INPUT;
	}
	obj = cli_open(argv[1]);
	if (!obj)
		return EXIT_BAD_INPUT;
	printf("object %s\n", ibpf_object__name(obj));
	printf("programs:\n");
	for (struct ibpf_program *p = ibpf_object__next_program(obj, NULL); p;
	     p = ibpf_object__next_program(obj, p)) {
		printf("  %s  section %s  %zu insns%s\n", ibpf_program__name(p),
		       ibpf_program__section_name(p), ibpf_program__insn_cnt(p),
		       ibpf_program__type(p) ? "" : "  (type not supported)");
		for (size_t i = 1; i < ibpf_program__subprog_cnt(p); i++) {
			struct ibpf_subprog_info si;
			ibpf_program__subprog(p, i, &si);
			printf("    subprog[%zu] %s  insns %u..%u  %s\n", i, si.name, si.start,
			       si.start + si.insn_cnt - 1, si.is_global ? "global" : "static");
		}
	}
	printf("maps:\n");
	for (struct ibpf_map *m = ibpf_object__next_map(obj, NULL); m;
	     m = ibpf_object__next_map(obj, m)) {
		printf("  %u: %s  %s  key %u  value %u  max_entries %u", ibpf_map__index(m) + 1,
		       ibpf_map__name(m), map_type_name(ibpf_map__type(m)), ibpf_map__key_size(m),
		       ibpf_map__value_size(m), ibpf_map__max_entries(m));
		if (ibpf_map__map_flags(m) & BPF_F_RDONLY_PROG)
			printf("  rdonly_prog");
		if (ibpf_map__map_extra(m) & IBPF_F_CALL_TABLE)
			printf("  call_table");
		if (ibpf_map__is_frozen(m))
			printf("  frozen");
		if (ibpf_map__section(m))
			printf("  section %s", ibpf_map__section(m));
		printf("\n");
		show_func_slots(obj, m);
	}
	ibpf_object__close(obj);
	return EXIT_OK;
}
