/* opts.h - libbpf-style options structs: the caller's struct starts with its
 * own size; bytes past what this build knows must be zero, and a shorter
 * (older) struct is read as if the missing fields were zero. */
#ifndef IBPF_OPTS_H
#define IBPF_OPTS_H

#include <stddef.h>
#include <string.h>

static inline int ibpf_opts_valid(const void *opts, size_t known)
{
	const unsigned char *p = opts;
	size_t sz;

	if (!opts)
		return 1;
	memcpy(&sz, p, sizeof(sz));
	if (sz < sizeof(size_t))
		return 0;
	for (size_t i = known; i < sz; i++)
		if (p[i])
			return 0;
	return 1;
}
#define IBPF_OPTS_VALID(opts, type) ibpf_opts_valid(opts, sizeof(type))

/* Copy a caller's options into a zeroed full-size local. */
#define IBPF_OPTS_COPY(local, opts) do {                                     \
	memset(&(local), 0, sizeof(local));                                  \
	if (opts)                                                            \
		memcpy(&(local), (opts), (opts)->sz < sizeof(local) ? (opts)->sz : sizeof(local)); \
	(local).sz = sizeof(local);                                          \
} while (0)

/* Store an output field into a caller's options struct only when the field
 * lies entirely within the caller's sz: a caller built against an older,
 * shorter struct must not have the bytes after its struct overwritten. */
#define IBPF_OPTS_HAS(user, field) \
	((user)->sz >= offsetof(__typeof__(*(user)), field) + sizeof((user)->field))
#define IBPF_OPTS_SET(user, field, value) do {                               \
	if (IBPF_OPTS_HAS(user, field))                                      \
		(user)->field = (value);                                     \
} while (0)

#endif
