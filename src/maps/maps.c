/* maps.c - array, hash, global data and call-table maps. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "maps.h"

struct ibpf_hash_bucket {
	struct ibpf_hash_bucket *next;
	uint32_t hash;
	uint8_t kv[];            /* key, padded to 8, then value */
};

/* Sizes the loader accepts; larger would let one object eat the machine. */
#define MAX_MAP_BYTES (1u << 30)

static uint32_t round8(uint32_t n) { return (n + 7) & ~7u; }

int ibpf_map_is_array_like(const struct ibpf_map *m)
{
	return m->type == BPF_MAP_TYPE_ARRAY || m->type == IBPF_MAP_TYPE_INSN_SET;
}

int ibpf_map_create(const char *name, uint32_t type, uint32_t key_size,
		    uint32_t value_size, uint32_t max_entries, uint32_t flags,
		    uint64_t extra, struct ibpf_map **out, char *err, size_t errsz)
{
	struct ibpf_map *m;

	*out = NULL;
	switch (type) {
	case BPF_MAP_TYPE_ARRAY:
	case IBPF_MAP_TYPE_INSN_SET:
		if (key_size != 4) {
			snprintf(err, errsz, "map '%s': array maps need a 4-byte key, not %u",
				 name, key_size);
			return -EINVAL;
		}
		break;
	case BPF_MAP_TYPE_HASH:
		if (key_size == 0 || key_size > 512) {
			snprintf(err, errsz, "map '%s': bad key size %u", name, key_size);
			return -EINVAL;
		}
		break;
	default:
		snprintf(err, errsz, "map '%s': unsupported map type %u", name, type);
		return -EOPNOTSUPP;
	}
	if (type == IBPF_MAP_TYPE_INSN_SET && value_size != 8) {
		snprintf(err, errsz, "map '%s': a call table holds 8-byte function pointers, "
			 "not %u-byte values", name, value_size);
		return -EINVAL;
	}
	if (value_size == 0 || max_entries == 0) {
		snprintf(err, errsz, "map '%s': value size and max_entries must be non-zero", name);
		return -EINVAL;
	}
	if ((uint64_t)round8(value_size) * max_entries > MAX_MAP_BYTES ||
	    value_size > MAX_MAP_BYTES) {
		snprintf(err, errsz, "map '%s': %u entries of %u bytes is too large", name,
			 max_entries, value_size);
		return -E2BIG;
	}
	m = calloc(1, sizeof(*m));
	if (!m || !(m->name = strdup(name))) {
		free(m);
		return -ENOMEM;
	}
	m->type = type;
	m->key_size = key_size;
	m->value_size = value_size;
	m->max_entries = max_entries;
	m->map_flags = flags;
	m->map_extra = extra;
	m->elem_size = round8(value_size);
	if (ibpf_map_is_array_like(m)) {
		m->data = calloc(max_entries, m->elem_size);
		if (!m->data)
			goto nomem;
	} else {
		m->n_buckets = 16;
		while (m->n_buckets < max_entries && m->n_buckets < (1u << 20))
			m->n_buckets <<= 1;
		m->buckets = calloc(m->n_buckets, sizeof(*m->buckets));
		if (!m->buckets)
			goto nomem;
	}
	*out = m;
	return 0;
nomem:
	ibpf_map_free(m);
	return -ENOMEM;
}

void ibpf_map_free(struct ibpf_map *m)
{
	if (!m)
		return;
	for (uint32_t i = 0; m->buckets && i < m->n_buckets; i++) {
		struct ibpf_hash_bucket *b = m->buckets[i], *n;
		for (; b; b = n) {
			n = b->next;
			free(b);
		}
	}
	free(m->buckets);
	free(m->data);
	free(m->name);
	free(m->section);
	free(m->func_slots);
	free(m->func_slot_text_off);
	free(m);
}

/* FNV-1a: simple, decent spread for short keys. */
static uint32_t hash_key(const void *key, uint32_t len)
{
	const uint8_t *p = key;
	uint32_t h = 2166136261u;
	for (uint32_t i = 0; i < len; i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

static struct ibpf_hash_bucket **hash_find(const struct ibpf_map *m, const void *key,
					   uint32_t h)
{
	struct ibpf_hash_bucket **pp = &m->buckets[h & (m->n_buckets - 1)];
	for (; *pp; pp = &(*pp)->next)
		if ((*pp)->hash == h && !memcmp((*pp)->kv, key, m->key_size))
			return pp;
	return pp;
}

void *ibpf_map_lookup(const struct ibpf_map *m, const void *key)
{
	if (ibpf_map_is_array_like(m)) {
		uint32_t i;
		memcpy(&i, key, 4);
		return i < m->max_entries ? m->data + (size_t)i * m->elem_size : NULL;
	}
	struct ibpf_hash_bucket *b = *hash_find(m, key, hash_key(key, m->key_size));
	return b ? b->kv + round8(m->key_size) : NULL;
}

int ibpf_map_update(struct ibpf_map *m, const void *key, const void *value,
		    uint64_t flags)
{
	if (flags > BPF_EXIST)
		return -EINVAL;
	if (ibpf_map_is_array_like(m)) {
		uint32_t i;
		memcpy(&i, key, 4);
		if (i >= m->max_entries)
			return -E2BIG;
		if (flags == BPF_NOEXIST)
			return -EEXIST;
		memcpy(m->data + (size_t)i * m->elem_size, value, m->value_size);
		return 0;
	}
	uint32_t h = hash_key(key, m->key_size);
	struct ibpf_hash_bucket **pp = hash_find(m, key, h), *b = *pp;
	if (b) {
		if (flags == BPF_NOEXIST)
			return -EEXIST;
	} else {
		if (flags == BPF_EXIST)
			return -ENOENT;
		if (m->count >= m->max_entries)
			return -E2BIG;
		b = calloc(1, sizeof(*b) + round8(m->key_size) + m->value_size);
		if (!b)
			return -ENOMEM;
		b->hash = h;
		memcpy(b->kv, key, m->key_size);
		*pp = b;
		m->count++;
	}
	memcpy(b->kv + round8(m->key_size), value, m->value_size);
	return 0;
}

int ibpf_map_delete(struct ibpf_map *m, const void *key)
{
	if (ibpf_map_is_array_like(m))
		return -EINVAL;    /* array elements cannot be deleted */
	struct ibpf_hash_bucket **pp = hash_find(m, key, hash_key(key, m->key_size)), *b = *pp;
	if (!b)
		return -ENOENT;
	*pp = b->next;
	free(b);
	m->count--;
	return 0;
}

int ibpf_map_next_key(const struct ibpf_map *m, const void *key, void *next)
{
	if (ibpf_map_is_array_like(m)) {
		uint32_t i = 0, n;
		if (key) {
			memcpy(&i, key, 4);
			i = i >= m->max_entries ? 0 : i + 1;
		}
		if (i >= m->max_entries)
			return -ENOENT;
		n = i;
		memcpy(next, &n, 4);
		return 0;
	}
	/* Hash: walk buckets in order; a missing key restarts from the first. */
	uint32_t start = 0;
	const struct ibpf_hash_bucket *b = NULL;
	if (key) {
		uint32_t h = hash_key(key, m->key_size);
		b = *hash_find(m, key, h);
		if (b) {
			if (b->next) {
				memcpy(next, b->next->kv, m->key_size);
				return 0;
			}
			start = (h & (m->n_buckets - 1)) + 1;
		}
	}
	for (uint32_t i = start; i < m->n_buckets; i++)
		if (m->buckets[i]) {
			memcpy(next, m->buckets[i]->kv, m->key_size);
			return 0;
		}
	return -ENOENT;
}

int ibpf_map_contains(const struct ibpf_map *m, uintptr_t p, size_t size)
{
	if (ibpf_map_is_array_like(m)) {
		uintptr_t lo = (uintptr_t)m->data;
		size_t total = (size_t)m->max_entries * m->elem_size;
		if (p < lo || p - lo > total || size > total - (p - lo))
			return 0;
		/* Global data is one value; arrays must not straddle elements. */
		size_t off = (p - lo) % m->elem_size;
		return m->max_entries == 1 || off + size <= m->value_size;
	}
	for (uint32_t i = 0; i < m->n_buckets; i++)
		for (const struct ibpf_hash_bucket *b = m->buckets[i]; b; b = b->next) {
			uintptr_t lo = (uintptr_t)(b->kv + round8(m->key_size));
			if (p >= lo && p - lo <= m->value_size && size <= m->value_size - (p - lo))
				return 1;
		}
	return 0;
}
