/* elf_file.h - an ELF object read once into plain arrays: sections, symbols,
 * functions, relocations.  Every offset in here has been bounds-checked, so
 * the loader and linker can index without re-checking. */
#ifndef IBPF_ELF_FILE_H
#define IBPF_ELF_FILE_H

#include <gelf.h>
#include <stddef.h>
#include <stdint.h>

enum sec_kind {
	SEC_OTHER, SEC_PROG, SEC_TEXT, SEC_MAPS, SEC_DATA, SEC_CALLX,
	SEC_BTF, SEC_BTF_EXT, SEC_REL, SEC_SYMTAB,
};

struct elf_sec {
	const char *name;
	enum sec_kind kind;
	GElf_Shdr sh;
	const uint8_t *data;      /* NULL for NOBITS */
	size_t size;
	int readonly;             /* data sections: no SHF_WRITE */
	int map_idx;              /* data: its map, else -1 */
	/* callx sections: one call table per variable (clang puts every
	 * SEC("callx") table in the same section) */
	struct sec_table { uint32_t start, size; int map_idx; } *tables;
	size_t ntables;
	int32_t *rel_sym;         /* exec sections: per insn, reloc symbol + 1 (0 = none) */
};

struct elf_sym {
	const char *name;         /* "" when unnamed */
	uint16_t shndx;
	uint8_t type, bind;
	uint64_t value, size;
};

/* A function: a FUNC symbol in an executable section. */
struct elf_func {
	const char *name;
	int sec;                  /* section index */
	uint32_t off, len;        /* byte offset, length in instructions */
	int global;
};

/* A relocation in a data section: an 8-byte slot pointing at a function. */
struct elf_data_rel {
	int sec;                  /* the data section */
	uint32_t off;             /* slot offset */
	int func;                 /* index into funcs */
};

struct elf_file {
	Elf *elf;
	void *image;              /* our copy of the bytes */
	size_t image_size;
	struct elf_sec *secs;
	size_t sec_cnt;
	struct elf_sym *syms;
	size_t sym_cnt;
	struct elf_func *funcs;
	size_t func_cnt;
	struct elf_data_rel *data_rels;
	size_t data_rel_cnt;
	int text_sec, maps_sec, btf_sec, btf_ext_sec;   /* -1 when absent */
};

int ibpf_elf_file_open(struct elf_file *f, const void *buf, size_t size, char *err, size_t errsz);
void ibpf_elf_file_close(struct elf_file *f);
/* The map holding byte `off` of a data or callx section and the offset
 * within that map; -1 if none. */
int ibpf_elf_sec_map_at(const struct elf_sec *s, uint64_t off, uint32_t *map_off);

/* The function starting at byte `off` of section `sec`, or -1. */
int ibpf_elf_file_func_at(const struct elf_file *f, int sec, uint64_t off);

#endif
