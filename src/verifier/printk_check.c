/* printk_check.c - bpf_trace_printk's format, checked at verification time
 * when its bytes are known: the format pointer (r1) points at a constant
 * offset into frozen global data (.rodata), which neither the program nor
 * user space can change, and its size (r2) is a constant.  The format is
 * read with the helper's own parser (ibpf_fmt_next), from the bytes this
 * program will run with (its view of the map), and rejected as the helper
 * would refuse it at run time: not zero-terminated within fmt_size, a byte
 * that is not printable, an unknown conversion, more than three
 * conversions.  Beyond what the helper refuses, the arguments the
 * conversions consume must be initialized, and a %s must get a pointer to
 * memory a program may read, not a number.
 *
 * The kernel checks bpf_snprintf's format this way (check_bpf_snprintf_call:
 * "Invalid format string"); for bpf_trace_printk it only checks at run time.
 * When the format is not known here (on the stack, in a writable map, at a
 * variable offset), the helper's run-time checks keep the call safe: %s is
 * read only inside the region its pointer lies in (ibpf_vm_region_left),
 * %p never prints a host address. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "helpers/helpers.h"
#include "verifier/env.h"

/* Registers a %s may read a string from: memory a program may read. */
static int is_readable_ptr(const struct reg_state *r)
{
	switch (r->type) {
	case PTR_TO_STACK:
	case PTR_TO_MAP_VALUE:
	case PTR_TO_MAP_KEY:
	case PTR_TO_CTX:
	case PTR_TO_MEM:
		return 1;
	default:
		return 0;
	}
}

/* fmt[start, end) for a message, bytes that are not printable escaped. */
static const char *fmt_text(const char *fmt, uint32_t start, uint32_t end, char *buf,
			    size_t size)
{
	size_t o = 0;

	for (uint32_t i = start; i < end && o + 5 < size; i++) {
		unsigned char c = (unsigned char)fmt[i];
		if (c >= ' ' && c < 0x7f)
			buf[o++] = (char)c;
		else
			o += (size_t)snprintf(buf + o, size - o, "\\x%02x", c);
	}
	buf[o] = 0;
	return buf;
}

/* The format's bytes when they are known now, else NULL. */
static const char *known_format(struct env *e, uint64_t *size)
{
	const struct reg_state *regs = cur_regs(e);
	const struct reg_state *fr = &regs[1], *sz = &regs[2];
	const struct ibpf_map *m = fr->map;
	int64_t off;

	if (fr->type != PTR_TO_MAP_VALUE || fr->maybe_null || !m || !m->frozen ||
	    !ibpf_map_is_array_like(m) || m->type == IBPF_MAP_TYPE_INSN_SET ||
	    m->max_entries != 1 || !tnum_is_const(fr->var_off) || !reg_is_const(sz))
		return NULL;
	off = fr->off + (int64_t)fr->var_off.value;
	/* check_helper_mem has checked [off, off + size) against the value. */
	if (off < 0 || sz->var_off.value == 0 || (uint64_t)off + sz->var_off.value > m->value_size)
		return NULL;
	*size = sz->var_off.value;
	return (const char *)ibpf_program_map_data(e->prog, m) + off;
}

int check_printk_format(struct env *e, int32_t helper_id)
{
	struct ibpf_fmt_iter it;
	struct ibpf_fmt_piece p;
	const char *fmt, *nul;
	uint64_t size = 0;
	char text[64];
	int rc, err;

	if (helper_id != BPF_FUNC_trace_printk || !(fmt = known_format(e, &size)))
		return 0;
	if (!(nul = memchr(fmt, 0, size)))
		return verr(e, -EINVAL, "string is not zero-terminated");
	it = (struct ibpf_fmt_iter){ fmt, (uint32_t)(nul - fmt), 0, 0 };
	while ((rc = ibpf_fmt_next(&it, &p)) > 0) {
		const struct reg_state *r;
		int regno = 3 + p.arg;

		if (p.kind == IBPF_FMT_TEXT)
			continue;
		if ((err = check_reg_read(e, regno)))
			return err;
		r = &cur_regs(e)[regno];
		if (p.kind == IBPF_FMT_STR && !is_readable_ptr(r))
			return verr(e, -EACCES, "R%d type=%s expected=fp, map_key, map_value, ctx, "
				    "mem: '%s' at offset %u of the format reads a string from it",
				    regno, reg_type_str(r),
				    fmt_text(fmt, p.start, p.end, text, sizeof(text)), p.start);
	}
	if (rc == 0)
		return 0;
	switch (p.err) {
	case IBPF_FMT_E_CHAR:
		return verr(e, -EINVAL, "Invalid format string: byte 0x%02x at offset %u is not "
			    "printable", (unsigned char)fmt[p.start], p.start);
	case IBPF_FMT_E_MANY:
		return verr(e, -EINVAL, "Invalid format string: more than %d conversions ('%s' at "
			    "offset %u)", IBPF_FMT_MAX_ARGS,
			    fmt_text(fmt, p.start, p.end, text, sizeof(text)), p.start);
	case IBPF_FMT_E_FOLLOW:
		return verr(e, -EINVAL, "Invalid format string: '%s' at offset %u must be followed "
			    "by a space, punctuation or the end",
			    fmt_text(fmt, p.start, p.end, text, sizeof(text)), p.start);
	default:
		return verr(e, -EINVAL, "Invalid format string: unknown conversion '%s' at offset %u",
			    fmt_text(fmt, p.start, p.end, text, sizeof(text)), p.start);
	}
}
