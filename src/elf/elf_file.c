/* elf_file.c - read a BPF ELF object into struct elf_file.  libelf does the
 * parsing; this file checks everything libelf leaves to the caller (section
 * sizes against the file, symbol and relocation indices, alignment) so that
 * later code never meets a bad offset. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elf_file.h"

#ifndef EM_BPF
#define EM_BPF 247
#endif
#define R_BPF_NONE 0
#define R_BPF_64_64 1
#define R_BPF_64_ABS64 2
#define R_BPF_64_ABS32 3
#define R_BPF_64_32 10

#define ERR(...) do { snprintf(err, errsz, __VA_ARGS__); return -EINVAL; } while (0)

static int starts_with(const char *s, const char *p)
{
	return strncmp(s, p, strlen(p)) == 0;
}

static enum sec_kind classify(const char *name, const GElf_Shdr *sh)
{
	if (sh->sh_type == SHT_REL)
		return SEC_REL;
	if (sh->sh_type == SHT_SYMTAB)
		return SEC_SYMTAB;
	if (sh->sh_type != SHT_PROGBITS && sh->sh_type != SHT_NOBITS)
		return SEC_OTHER;
	if (!strcmp(name, ".BTF"))
		return SEC_BTF;
	if (!strcmp(name, ".BTF.ext"))
		return SEC_BTF_EXT;
	if (sh->sh_flags & SHF_EXECINSTR)
		return !strcmp(name, ".text") ? SEC_TEXT : SEC_PROG;
	if (!strcmp(name, ".maps"))
		return SEC_MAPS;
	if (!strcmp(name, "callx") || starts_with(name, "callx."))
		return SEC_CALLX;
	if (!strcmp(name, ".data") || starts_with(name, ".data.") ||
	    !strcmp(name, ".rodata") || starts_with(name, ".rodata.") ||
	    !strcmp(name, ".bss") || starts_with(name, ".bss."))
		return SEC_DATA;
	return SEC_OTHER;
}

static int read_sections(struct elf_file *f, char *err, size_t errsz)
{
	size_t shstrndx, n;

	if (elf_getshdrnum(f->elf, &n) || elf_getshdrstrndx(f->elf, &shstrndx))
		ERR("cannot read the section table: %s", elf_errmsg(-1));
	if (n > 65535)
		ERR("too many sections (%zu)", n);
	f->secs = calloc(n ? n : 1, sizeof(*f->secs));
	if (!f->secs)
		return -ENOMEM;
	f->sec_cnt = n;
	for (size_t i = 1; i < n; i++) {
		struct elf_sec *s = &f->secs[i];
		Elf_Scn *scn = elf_getscn(f->elf, i);
		Elf_Data *d;

		s->map_idx = -1;
		if (!scn || !gelf_getshdr(scn, &s->sh))
			ERR("section %zu: cannot read its header: %s", i, elf_errmsg(-1));
		s->name = elf_strptr(f->elf, shstrndx, s->sh.sh_name);
		if (!s->name)
			ERR("section %zu: name offset %u is outside the string table", i,
			    s->sh.sh_name);
		s->kind = classify(s->name, &s->sh);
		if (!strcmp(s->name, "maps") && s->sh.sh_type == SHT_PROGBITS)
			ERR("section maps: legacy map definitions (struct bpf_map_def in SEC(\"maps\")) "
			    "are not supported; declare BTF-defined maps in SEC(\".maps\")");
		s->readonly = !(s->sh.sh_flags & SHF_WRITE);
		if (s->sh.sh_type == SHT_NOBITS) {
			if (s->kind == SEC_PROG || s->kind == SEC_TEXT)
				ERR("section %s: executable section without contents (SHT_NOBITS)",
				    s->name);
			if (s->kind != SEC_DATA && s->kind != SEC_OTHER)
				ERR("section %s: has no contents (SHT_NOBITS)", s->name);
			if (s->sh.sh_size > (1u << 30))
				ERR("section %s: size %llu is too large", s->name,
				    (unsigned long long)s->sh.sh_size);
			s->size = s->sh.sh_size;
			continue;
		}
		if (s->sh.sh_type == SHT_NULL || s->kind == SEC_OTHER)
			continue;
		if (s->sh.sh_offset > f->image_size ||
		    s->sh.sh_size > f->image_size - s->sh.sh_offset)
			ERR("section %s: bytes %llu..%llu run past the end of the file (%zu bytes)",
			    s->name, (unsigned long long)s->sh.sh_offset,
			    (unsigned long long)(s->sh.sh_offset + s->sh.sh_size), f->image_size);
		d = elf_getdata(scn, NULL);
		if (!d || (s->sh.sh_size && !d->d_buf) || d->d_size != s->sh.sh_size)
			ERR("section %s: cannot read its data: %s", s->name, elf_errmsg(-1));
		s->data = d->d_buf;
		s->size = d->d_size;
		if ((s->kind == SEC_PROG || s->kind == SEC_TEXT) && s->size % 8)
			ERR("section %s: size %zu is not a multiple of the 8-byte instruction",
			    s->name, s->size);
		if (s->kind == SEC_PROG || s->kind == SEC_TEXT) {
			s->rel_sym = calloc(s->size / 8 + 1, sizeof(*s->rel_sym));
			if (!s->rel_sym)
				return -ENOMEM;
		}
		if (s->kind == SEC_TEXT)
			f->text_sec = (int)i;
		if (s->kind == SEC_MAPS)
			f->maps_sec = (int)i;
		if (s->kind == SEC_BTF)
			f->btf_sec = (int)i;
		if (s->kind == SEC_BTF_EXT)
			f->btf_ext_sec = (int)i;
	}
	return 0;
}

static int read_symbols(struct elf_file *f, char *err, size_t errsz)
{
	struct elf_sec *st = NULL;
	size_t idx = 0;

	for (size_t i = 1; i < f->sec_cnt; i++)
		if (f->secs[i].kind == SEC_SYMTAB) {
			if (st)
				ERR("more than one symbol table");
			st = &f->secs[i];
			idx = i;
		}
	if (!st)
		ERR("no symbol table (.symtab): was the object stripped?");
	if (st->sh.sh_entsize != sizeof(Elf64_Sym) || st->size % sizeof(Elf64_Sym))
		ERR("section %s: bad symbol entry size", st->name);
	if (st->sh.sh_link >= f->sec_cnt)
		ERR("section %s: string table index %u out of range", st->name, st->sh.sh_link);
	f->sym_cnt = st->size / sizeof(Elf64_Sym);
	f->syms = calloc(f->sym_cnt ? f->sym_cnt : 1, sizeof(*f->syms));
	if (!f->syms)
		return -ENOMEM;
	Elf_Data *d = elf_getdata(elf_getscn(f->elf, idx), NULL);
	for (size_t i = 0; i < f->sym_cnt; i++) {
		GElf_Sym sym;
		struct elf_sym *s = &f->syms[i];

		if (!d || !gelf_getsym(d, (int)i, &sym))
			ERR("symbol %zu: cannot read it", i);
		s->name = elf_strptr(f->elf, st->sh.sh_link, sym.st_name);
		if (!s->name)
			ERR("symbol %zu: name offset %u is outside the string table", i, sym.st_name);
		s->shndx = sym.st_shndx;
		s->type = GELF_ST_TYPE(sym.st_info);
		s->bind = GELF_ST_BIND(sym.st_info);
		s->value = sym.st_value;
		s->size = sym.st_size;
		if (s->shndx != SHN_UNDEF && s->shndx < SHN_LORESERVE && s->shndx >= f->sec_cnt)
			ERR("symbol '%s': section index %u out of range", s->name, s->shndx);
	}
	return 0;
}

static int cmp_func(const void *a, const void *b)
{
	const struct elf_func *x = a, *y = b;
	if (x->sec != y->sec)
		return x->sec < y->sec ? -1 : 1;
	return x->off < y->off ? -1 : x->off > y->off;
}

static int read_functions(struct elf_file *f, char *err, size_t errsz)
{
	f->funcs = calloc(f->sym_cnt ? f->sym_cnt : 1, sizeof(*f->funcs));
	if (!f->funcs)
		return -ENOMEM;
	for (size_t i = 0; i < f->sym_cnt; i++) {
		const struct elf_sym *s = &f->syms[i];
		const struct elf_sec *sec;
		struct elf_func *fn;

		if (s->type != STT_FUNC || s->shndx == SHN_UNDEF || s->shndx >= f->sec_cnt)
			continue;
		sec = &f->secs[s->shndx];
		if (sec->kind != SEC_PROG && sec->kind != SEC_TEXT)
			continue;
		if (s->value % 8 || s->size % 8 || s->size == 0 || s->value > sec->size ||
		    s->size > sec->size - s->value)
			ERR("function '%s': bytes %llu+%llu do not fit section %s (%zu bytes, "
			    "8-byte instructions)", s->name, (unsigned long long)s->value,
			    (unsigned long long)s->size, sec->name, sec->size);
		fn = &f->funcs[f->func_cnt++];
		fn->name = s->name;
		fn->sec = s->shndx;
		fn->off = (uint32_t)s->value;
		fn->len = (uint32_t)(s->size / 8);
		fn->global = s->bind == STB_GLOBAL || s->bind == STB_WEAK;
	}
	qsort(f->funcs, f->func_cnt, sizeof(*f->funcs), cmp_func);
	for (size_t i = 1; i < f->func_cnt; i++) {
		const struct elf_func *a = &f->funcs[i - 1], *b = &f->funcs[i];
		if (a->sec == b->sec && a->off + a->len * 8 > b->off)
			ERR("functions '%s' and '%s' overlap in section %s", a->name, b->name,
			    f->secs[a->sec].name);
	}
	return 0;
}

int ibpf_elf_sec_map_at(const struct elf_sec *s, uint64_t off, uint32_t *map_off)
{
	if (!s->ntables) {
		*map_off = (uint32_t)off;
		return off <= s->size ? s->map_idx : -1;
	}
	for (size_t i = 0; i < s->ntables; i++)
		if (off >= s->tables[i].start && off < (uint64_t)s->tables[i].start + s->tables[i].size) {
			*map_off = (uint32_t)(off - s->tables[i].start);
			return s->tables[i].map_idx;
		}
	return -1;
}

int ibpf_elf_file_func_at(const struct elf_file *f, int sec, uint64_t off)
{
	size_t lo = 0, hi = f->func_cnt;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		const struct elf_func *fn = &f->funcs[mid];
		if (fn->sec == sec && fn->off == off)
			return (int)mid;
		if (fn->sec < sec || (fn->sec == sec && fn->off < off))
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static int read_one_rel(struct elf_file *f, const struct elf_sec *rs, const GElf_Rel *r,
			char *err, size_t errsz)
{
	struct elf_sec *tgt = &f->secs[rs->sh.sh_info];
	size_t symi = GELF_R_SYM(r->r_info);
	unsigned type = GELF_R_TYPE(r->r_info);
	const struct elf_sym *sym;

	if (symi >= f->sym_cnt)
		ERR("section %s: relocation at 0x%llx names symbol %zu, past the symbol table",
		    rs->name, (unsigned long long)r->r_offset, symi);
	sym = &f->syms[symi];
	if (type == R_BPF_NONE)
		return 0;
	if (tgt->kind == SEC_PROG || tgt->kind == SEC_TEXT) {
		if (r->r_offset % 8 || r->r_offset >= tgt->size)
			ERR("section %s: relocation at offset 0x%llx is not on an instruction",
			    tgt->name, (unsigned long long)r->r_offset);
		if (type != R_BPF_64_64 && type != R_BPF_64_32)
			ERR("section %s: insn %llu: unsupported relocation type %u",
			    tgt->name, (unsigned long long)(r->r_offset / 8), type);
		tgt->rel_sym[r->r_offset / 8] = (int32_t)symi + 1;
		return 0;
	}
	if (tgt->kind == SEC_DATA || tgt->kind == SEC_CALLX) {
		const struct elf_sec *ss;
		uint64_t addend, target;
		int fn;

		if (type != R_BPF_64_ABS64 || r->r_offset % 8 || r->r_offset > tgt->size ||
		    tgt->size - r->r_offset < 8 || !tgt->data)
			ERR("section %s: unsupported relocation (type %u at offset 0x%llx); "
			    "only aligned 64-bit pointers to functions are supported in data",
			    tgt->name, type, (unsigned long long)r->r_offset);
		if (sym->shndx == SHN_UNDEF || sym->shndx >= f->sec_cnt)
			ERR("section %s: offset 0x%llx refers to missing symbol '%s'",
			    tgt->name, (unsigned long long)r->r_offset, sym->name);
		ss = &f->secs[sym->shndx];
		if (ss->kind != SEC_TEXT)
			ERR("section %s: offset 0x%llx points into section %s; data may only "
			    "point to functions in .text", tgt->name,
			    (unsigned long long)r->r_offset, ss->name);
		memcpy(&addend, tgt->data + r->r_offset, 8);
		target = sym->value + addend;
		fn = ibpf_elf_file_func_at(f, sym->shndx, target);
		if (fn < 0)
			ERR("section %s: offset 0x%llx points to .text+0x%llx, which is not "
			    "the start of a function", tgt->name,
			    (unsigned long long)r->r_offset, (unsigned long long)target);
		if (tgt->kind == SEC_DATA && !tgt->readonly)
			ERR("section %s: offset 0x%llx holds a pointer to function '%s' in "
			    "writable data, which user space can rewrite; declare the table "
			    "'const' (.rodata) or put it in SEC(\"callx\")", tgt->name,
			    (unsigned long long)r->r_offset, f->funcs[fn].name);
		struct elf_data_rel *dr = &f->data_rels[f->data_rel_cnt++];
		dr->sec = (int)rs->sh.sh_info;
		dr->off = (uint32_t)r->r_offset;
		dr->func = fn;
		return 0;
	}
	if (tgt->kind == SEC_MAPS)
		ERR("section .maps: relocations (map-in-map or program-array values) are "
		    "not supported");
	return 0;   /* debug info, BTF: not needed */
}

static int read_relocations(struct elf_file *f, char *err, size_t errsz)
{
	size_t total = 0;

	for (size_t i = 1; i < f->sec_cnt; i++)
		if (f->secs[i].kind == SEC_REL)
			total += f->secs[i].size / sizeof(Elf64_Rel);
	f->data_rels = calloc(total ? total : 1, sizeof(*f->data_rels));
	if (!f->data_rels)
		return -ENOMEM;
	for (size_t i = 1; i < f->sec_cnt; i++) {
		struct elf_sec *rs = &f->secs[i];
		Elf_Data *d;
		size_t n;

		if (rs->kind != SEC_REL)
			continue;
		if (rs->sh.sh_info >= f->sec_cnt || rs->sh.sh_info == 0)
			ERR("section %s: target section %u out of range", rs->name, rs->sh.sh_info);
		if (rs->sh.sh_entsize != sizeof(Elf64_Rel) || rs->size % sizeof(Elf64_Rel))
			ERR("section %s: bad relocation entry size", rs->name);
		d = elf_getdata(elf_getscn(f->elf, i), NULL);
		n = rs->size / sizeof(Elf64_Rel);
		for (size_t j = 0; j < n; j++) {
			GElf_Rel r;
			int e;
			if (!d || !gelf_getrel(d, (int)j, &r))
				ERR("section %s: cannot read relocation %zu", rs->name, j);
			if ((e = read_one_rel(f, rs, &r, err, errsz)))
				return e;
		}
	}
	return 0;
}

int ibpf_elf_file_open(struct elf_file *f, const void *buf, size_t size, char *err, size_t errsz)
{
	GElf_Ehdr eh;
	int e;

	memset(f, 0, sizeof(*f));
	f->text_sec = f->maps_sec = f->btf_sec = f->btf_ext_sec = -1;
	if (elf_version(EV_CURRENT) == EV_NONE)
		ERR("libelf is too old");
	if (size < sizeof(Elf64_Ehdr))
		ERR("file too short for an ELF header (%zu bytes)", size);
	f->image = malloc(size);
	if (!f->image)
		return -ENOMEM;
	memcpy(f->image, buf, size);
	f->image_size = size;
	f->elf = elf_memory(f->image, size);
	if (!f->elf || elf_kind(f->elf) != ELF_K_ELF || !gelf_getehdr(f->elf, &eh))
		ERR("not an ELF file");
	if (eh.e_ident[EI_CLASS] != ELFCLASS64)
		ERR("not a 64-bit ELF file");
	if (eh.e_ident[EI_DATA] != ELFDATA2LSB)
		ERR("big-endian BPF objects are not supported");
	if (eh.e_machine != EM_BPF)
		ERR("not a BPF object (machine %u, expected %u)", eh.e_machine, EM_BPF);
	if (eh.e_type != ET_REL)
		ERR("not a relocatable object (ELF type %u)", eh.e_type);
	if (eh.e_shoff > size || (uint64_t)eh.e_shnum * eh.e_shentsize > size - eh.e_shoff)
		ERR("section header table (offset %llu, %u entries) runs past the end of "
		    "the file (%zu bytes): truncated?", (unsigned long long)eh.e_shoff,
		    eh.e_shnum, size);
	if ((e = read_sections(f, err, errsz)) || (e = read_symbols(f, err, errsz)) ||
	    (e = read_functions(f, err, errsz)) || (e = read_relocations(f, err, errsz)))
		return e;
	return 0;
}

void ibpf_elf_file_close(struct elf_file *f)
{
	for (size_t i = 0; f->secs && i < f->sec_cnt; i++) {
		free(f->secs[i].rel_sym);
		free(f->secs[i].tables);
	}
	free(f->secs);
	free(f->syms);
	free(f->funcs);
	free(f->data_rels);
	if (f->elf)
		elf_end(f->elf);
	free(f->image);
	memset(f, 0, sizeof(*f));
}
