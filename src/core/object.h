/* object.h - what the loader hands to the later stages: an object with its
 * programs (linked instruction arrays plus subprogram tables) and maps. */
#ifndef IBPF_OBJECT_H
#define IBPF_OBJECT_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <ibpf/ibpf.h>

#include "isa/isa.h"
#include "maps/maps.h"

struct ibpf_btf;
struct ibpf_btf_ext;
struct ibpf_jit_prog;

struct ibpf_subprog {
	char *name;
	uint32_t start, len;      /* in the linked program */
	uint32_t text_off;        /* byte offset in its ELF section */
	int in_text;              /* from .text (not the program's own section) */
	int is_global;
	uint32_t btf_id;          /* FUNC id from func_info, 0 if none */
};

/* A program's private copy of a frozen function table whose stored offsets
 * follow another program's layout (see link.c). */
struct ibpf_map_view {
	struct ibpf_map *map;
	uint8_t *data;
};

struct ibpf_program {
	struct ibpf_object *obj;
	char *name, *sec_name;
	enum ibpf_prog_type type; /* 0 when the section names no type ibpf runs */
	struct bpf_insn *insns;   /* linked */
	size_t insn_cnt;
	struct ibpf_insn *decoded;/* decoded once at open */
	struct ibpf_insn *exec;   /* engine copy: references resolved to addresses */
	struct ibpf_subprog *subprogs;
	size_t subprog_cnt;
	struct ibpf_line_info *lines;
	size_t line_cnt;
	int32_t *subprog_of;      /* per insn: subprog starting there, or -1 */
	int decode_failed;        /* the encoding is invalid: decode_err says why */
	char decode_err[256];
	struct ibpf_jit_prog *jit;/* compiled on first JIT run */
	struct ibpf_jit_prog *jit_selfcheck; /* ... on first self-checked JIT run */
	int verified;             /* the verifier accepted it */
	uint32_t max_ctx_off;     /* ctx bytes a verified program may touch */
	uint32_t raw_mem_size;    /* raw programs: the memory size to verify for */
	int record_facts;         /* verify for a self-check run: keep the facts */
	struct ibpf_facts *facts; /* what the verifier proved (verifier/facts.h) */
	struct ibpf_map_view *views;
	size_t view_cnt;
};

struct ibpf_object {
	char *name;
	struct ibpf_program *progs;
	size_t prog_cnt;
	struct ibpf_map **maps;
	size_t map_cnt;
	struct ibpf_btf *btf;
	struct ibpf_btf_ext *btf_ext;
	/* Deleted and replaced hash elements wait here until no run of this
	 * object's programs can hold them (maps.h). */
	struct ibpf_map_domain maps_domain;
	/* Serialises the lazy per-program setup of runs and verification
	 * (p->exec, p->verified, p->max_ctx_off, p->raw_mem_size, p->jit). */
	pthread_mutex_t setup_lock;
	int setup_lock_ok;
};

/* Write a message into a caller's log buffer (NULL-safe, always terminated). */
void ibpf_log(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The storage this program sees for map m: its private view or m->data. */
static inline uint8_t *ibpf_program_map_data(const struct ibpf_program *p,
					     const struct ibpf_map *m)
{
	for (size_t i = 0; i < p->view_cnt; i++)
		if (p->views[i].map == m)
			return p->views[i].data;
	return m->data;
}

/* The subprogram that function-pointer slot `slot` of map m names in this
 * program (a .text function, matched by its offset there), or -1.  The one
 * answer the verifier and the linker's slot values agree on. */
int ibpf_program_slot_subprog(const struct ibpf_program *p, const struct ibpf_map *m,
			      size_t slot);

/* Build p->exec once: the decoded program with map, helper and function
 * references resolved for the engines (run.c). */
int ibpf_program_prepare_exec(struct ibpf_program *p, char *log, size_t logsz);

/* Loader entry point (src/elf/loader.c): parse ELF bytes into obj. */
int ibpf_elf_load(struct ibpf_object *obj, const void *buf, size_t size,
		  char *err, size_t errsz);
void ibpf_object_free_contents(struct ibpf_object *obj);

#endif
