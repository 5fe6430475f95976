/* btf.h - reading .BTF and .BTF.ext from an object: types, function
 * signatures, BTF-defined maps, func_info and line_info.  Every byte is read
 * through bounds checks; malformed BTF is an error with a reason, never a
 * crash. */
#ifndef IBPF_ELF_BTF_H
#define IBPF_ELF_BTF_H

#include <stddef.h>
#include <stdint.h>
#include <linux/btf.h>

struct ibpf_btf;
struct ibpf_btf_ext;

/* Parse a .BTF section (data is copied; the caller may free it). */
int ibpf_btf_parse(const void *data, size_t size, struct ibpf_btf **out,
		   char *err, size_t errsz);
void ibpf_btf_free(struct ibpf_btf *btf);

/* Number of types including the void type 0. */
uint32_t ibpf_btf_type_cnt(const struct ibpf_btf *btf);
/* The type with this id, or NULL if out of range (id 0 = void -> NULL). */
const struct btf_type *ibpf_btf_type(const struct ibpf_btf *btf, uint32_t id);
/* A string from the string section, or NULL if the offset is out of range. */
const char *ibpf_btf_str(const struct ibpf_btf *btf, uint32_t off);
/* Find a type by kind and name; 0 if none. */
uint32_t ibpf_btf_find(const struct ibpf_btf *btf, int kind, const char *name);
/* Skip typedefs and modifiers (const, volatile, restrict, type tags). */
uint32_t ibpf_btf_skip_mods(const struct ibpf_btf *btf, uint32_t id);
/* Size in bytes of a type (resolving typedefs/arrays); negative on error. */
long ibpf_btf_type_size(const struct ibpf_btf *btf, uint32_t id);

/* bpftool's rendering of a FUNC: "int simple_test(struct simple_ctx * ctx)".
 * Returns 0, or -EINVAL if func_id is not a FUNC with a FUNC_PROTO. */
int ibpf_btf_func_signature(const struct ibpf_btf *btf, uint32_t func_id,
			    char *buf, size_t size);

/* A map declared in the .maps section with libbpf's BTF conventions:
 * __uint(type, ...), __uint(max_entries, ...), __type(key, T) / __uint(key_size,
 * ...), __type(value, T) / __uint(value_size, ...), __uint(map_flags, ...),
 * __ulong(map_extra, ...). */
struct ibpf_btf_map_def {
	const char *name;        /* points into the BTF strings */
	uint32_t sec_offset;     /* offset of the variable in .maps */
	uint32_t type, key_size, value_size, max_entries, map_flags;
	uint64_t map_extra;
};
/* All maps of the DATASEC named `sec` (usually ".maps").  *out is malloc'd
 * and owned by the caller; *cnt = 0 and *out = NULL if there is no such
 * DATASEC. */
int ibpf_btf_maps(const struct ibpf_btf *btf, const char *sec,
		  struct ibpf_btf_map_def **out, size_t *cnt, char *err, size_t errsz);

/* .BTF.ext: per ELF section, func_info and line_info records with byte
 * offsets inside that section, as clang writes them. */
struct ibpf_btf_func_rec {
	uint32_t insn_off;       /* bytes from the start of the section */
	uint32_t type_id;        /* a BTF FUNC */
};
struct ibpf_btf_line_rec {
	uint32_t insn_off;       /* bytes from the start of the section */
	const char *file;        /* strings resolved through the .BTF */
	const char *line;
	uint32_t line_num;
	uint32_t line_col;
};
struct ibpf_btf_ext_sec {
	const char *sec_name;
	const struct ibpf_btf_func_rec *funcs;
	size_t func_cnt;
	const struct ibpf_btf_line_rec *lines;
	size_t line_cnt;
};

int ibpf_btf_ext_parse(const void *data, size_t size, const struct ibpf_btf *btf,
		       struct ibpf_btf_ext **out, char *err, size_t errsz);
void ibpf_btf_ext_free(struct ibpf_btf_ext *ext);
/* Records for one ELF section; NULL when the section has none. */
const struct ibpf_btf_ext_sec *ibpf_btf_ext_find(const struct ibpf_btf_ext *ext,
						 const char *sec_name);

#endif
