/* maps.c - array, hash, global data and call-table maps, and the deferred
 * reclamation of hash elements (see maps.h).
 *
 * Why an element outlives its delete: a program may look an element up,
 * delete it (or have another thread delete or replace it) and keep using the
 * pointer until it returns; the kernel accepts such programs and keeps the
 * memory valid until an RCU grace period has passed.  Here the grace period
 * is epoch based:
 *
 *   - unlinking (delete, or update replacing an element) happens under the
 *     map's lock; lookups from programs take the same lock, so once an
 *     element is unlinked no new run can find it;
 *   - the unlinked element is retired: tagged with the domain's epoch (then
 *     incremented) and appended to the domain's retired list;
 *   - a run records the epoch when it starts, and again between repeats,
 *     when it holds no pointer (a run that started before the unlink has
 *     start <= tag);
 *   - an element is freed when its tag is below every active run's start:
 *     every run that could have found it has ended or passed a point where
 *     it held nothing.  Retire and run end try to reclaim.
 *
 * Orders: a run's start is read with acquire from the epoch that each retire
 * increments (acq_rel), so a run whose start is past a tag sees that unlink;
 * a run stores its new start with release and the reclaimer reads it with
 * acquire, so the run's accesses to the element happen before the free. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "maps.h"

struct ibpf_hash_bucket {
	struct ibpf_hash_bucket *next; /* chain; once retired, the retired list */
	uint32_t hash;
	uint64_t retire_epoch;
	const struct ibpf_map *owner;  /* while retired (checked mode's lookups) */
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
		if (pthread_mutex_init(&m->lock, NULL)) {
			free(m->buckets);
			m->buckets = NULL;
			goto nomem;
		}
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
	if (m->buckets)
		pthread_mutex_destroy(&m->lock);
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

/* ---- reclamation domain --------------------------------------------------- */

int ibpf_map_domain_init(struct ibpf_map_domain *d)
{
	memset(d, 0, sizeof(*d));
	if (pthread_mutex_init(&d->lock, NULL))
		return -ENOMEM;
	atomic_init(&d->epoch, 1);
	d->retired_tail = &d->retired;
	d->initialized = 1;
	return 0;
}

void ibpf_map_domain_destroy(struct ibpf_map_domain *d)
{
	struct ibpf_hash_bucket *b, *n;

	if (!d->initialized)
		return;
	for (b = d->retired; b; b = n) {
		n = b->next;
		free(b);
	}
	pthread_mutex_destroy(&d->lock);
	d->initialized = 0;
}

/* Unlink from the retired list every element no active run can hold; the
 * caller frees them after dropping the lock. */
static struct ibpf_hash_bucket *reclaim_locked(struct ibpf_map_domain *d)
{
	uint64_t min = UINT64_MAX;
	struct ibpf_hash_bucket *head = d->retired, **pp = &d->retired;

	for (const struct ibpf_map_run *r = d->runs; r; r = r->next) {
		uint64_t s = atomic_load_explicit(&r->start, memory_order_acquire);
		if (s < min)
			min = s;
	}
	while (*pp && (*pp)->retire_epoch < min) {
		pp = &(*pp)->next;
		d->retired_cnt--;
	}
	if (pp == &d->retired)
		return NULL;
	d->retired = *pp;
	*pp = NULL;
	if (!d->retired)
		d->retired_tail = &d->retired;
	return head;
}

static void free_list(struct ibpf_hash_bucket *b)
{
	while (b) {
		struct ibpf_hash_bucket *n = b->next;
		free(b);
		b = n;
	}
}

/* b was unlinked from m under m's lock (not held now). */
static void retire(struct ibpf_map *m, struct ibpf_hash_bucket *b)
{
	struct ibpf_map_domain *d = m->domain;
	struct ibpf_hash_bucket *dead;

	if (!d) {
		free(b);
		return;
	}
	b->next = NULL;
	b->owner = m;
	pthread_mutex_lock(&d->lock);
	b->retire_epoch = atomic_fetch_add_explicit(&d->epoch, 1, memory_order_acq_rel);
	*d->retired_tail = b;
	d->retired_tail = &b->next;
	d->retired_cnt++;
	dead = reclaim_locked(d);
	pthread_mutex_unlock(&d->lock);
	free_list(dead);
}

void ibpf_map_run_begin(struct ibpf_map_domain *d, struct ibpf_map_run *r)
{
	pthread_mutex_lock(&d->lock);
	atomic_store_explicit(&r->start, atomic_load_explicit(&d->epoch, memory_order_acquire),
			      memory_order_relaxed);
	r->prev = NULL;
	r->next = d->runs;
	if (d->runs)
		d->runs->prev = r;
	d->runs = r;
	pthread_mutex_unlock(&d->lock);
}

void ibpf_map_run_quiesce(struct ibpf_map_domain *d, struct ibpf_map_run *r)
{
	uint64_t e = atomic_load_explicit(&d->epoch, memory_order_acquire);
	atomic_store_explicit(&r->start, e, memory_order_release);
}

void ibpf_map_run_end(struct ibpf_map_domain *d, struct ibpf_map_run *r)
{
	struct ibpf_hash_bucket *dead;

	pthread_mutex_lock(&d->lock);
	if (r->prev)
		r->prev->next = r->next;
	else
		d->runs = r->next;
	if (r->next)
		r->next->prev = r->prev;
	r->next = r->prev = NULL;
	dead = d->retired ? reclaim_locked(d) : NULL;
	pthread_mutex_unlock(&d->lock);
	free_list(dead);
}

size_t ibpf_map_domain_pending(struct ibpf_map_domain *d)
{
	size_t n;

	pthread_mutex_lock(&d->lock);
	n = d->retired_cnt;
	pthread_mutex_unlock(&d->lock);
	return n;
}

/* ---- element access -------------------------------------------------------- */

/* The hash lock; lookups take it too, so `const` maps are locked through a
 * cast (the lock is not part of the map's value). */
static void hash_lock(const struct ibpf_map *m)
{
	pthread_mutex_lock((pthread_mutex_t *)&m->lock);
}

static void hash_unlock(const struct ibpf_map *m)
{
	pthread_mutex_unlock((pthread_mutex_t *)&m->lock);
}

void *ibpf_map_lookup(const struct ibpf_map *m, const void *key)
{
	if (ibpf_map_is_array_like(m)) {
		uint32_t i;
		memcpy(&i, key, 4);
		return i < m->max_entries ? m->data + (size_t)i * m->elem_size : NULL;
	}
	uint32_t h = hash_key(key, m->key_size);
	hash_lock(m);
	struct ibpf_hash_bucket *b = *hash_find(m, key, h);
	hash_unlock(m);
	return b ? b->kv + round8(m->key_size) : NULL;
}

int ibpf_map_lookup_copy(const struct ibpf_map *m, const void *key, void *value)
{
	if (ibpf_map_is_array_like(m)) {
		const void *v = ibpf_map_lookup(m, key);
		if (!v)
			return -ENOENT;
		memcpy(value, v, m->value_size);
		return 0;
	}
	uint32_t h = hash_key(key, m->key_size);
	hash_lock(m);
	struct ibpf_hash_bucket *b = *hash_find(m, key, h);
	if (b)
		memcpy(value, b->kv + round8(m->key_size), m->value_size);
	hash_unlock(m);
	return b ? 0 : -ENOENT;
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
	/* Hash: the new element is built outside the lock and replaces an
	 * existing one whole (a run holding the old one keeps reading the old
	 * value, as in the kernel), then the old one is retired. */
	uint32_t h = hash_key(key, m->key_size);
	struct ibpf_hash_bucket *nb = calloc(1, sizeof(*nb) + round8(m->key_size) + m->value_size);
	struct ibpf_hash_bucket **pp, *old;
	int rc = 0;

	if (!nb)
		return -ENOMEM;
	nb->hash = h;
	memcpy(nb->kv, key, m->key_size);
	memcpy(nb->kv + round8(m->key_size), value, m->value_size);
	hash_lock(m);
	pp = hash_find(m, key, h);
	old = *pp;
	if (old && flags == BPF_NOEXIST)
		rc = -EEXIST;
	else if (!old && flags == BPF_EXIST)
		rc = -ENOENT;
	else if (!old && m->count >= m->max_entries)
		rc = -E2BIG;
	if (!rc) {
		nb->next = old ? old->next : NULL;
		*pp = nb;
		if (!old)
			m->count++;
	}
	hash_unlock(m);
	if (rc)
		free(nb);
	else if (old)
		retire(m, old);
	return rc;
}

int ibpf_map_delete(struct ibpf_map *m, const void *key)
{
	if (ibpf_map_is_array_like(m))
		return -EINVAL;    /* array elements cannot be deleted */
	uint32_t h = hash_key(key, m->key_size);
	hash_lock(m);
	struct ibpf_hash_bucket **pp = hash_find(m, key, h), *b = *pp;
	if (b) {
		*pp = b->next;
		m->count--;
	}
	hash_unlock(m);
	if (!b)
		return -ENOENT;
	retire(m, b);
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
	int rc = -ENOENT;
	const struct ibpf_hash_bucket *b = NULL;
	hash_lock(m);
	if (key) {
		uint32_t h = hash_key(key, m->key_size);
		b = *hash_find(m, key, h);
		if (b) {
			if (b->next) {
				memcpy(next, b->next->kv, m->key_size);
				rc = 0;
				goto out;
			}
			start = (h & (m->n_buckets - 1)) + 1;
		}
	}
	for (uint32_t i = start; i < m->n_buckets; i++)
		if (m->buckets[i]) {
			memcpy(next, m->buckets[i]->kv, m->key_size);
			rc = 0;
			break;
		}
out:
	hash_unlock(m);
	return rc;
}

static int in_value(const struct ibpf_map *m, const struct ibpf_hash_bucket *b,
		    uintptr_t p, size_t size)
{
	uintptr_t lo = (uintptr_t)(b->kv + round8(m->key_size));
	return p >= lo && p - lo <= m->value_size && size <= m->value_size - (p - lo);
}

int ibpf_map_value_offset(const struct ibpf_map *m, uintptr_t p, int64_t *off)
{
	const struct ibpf_hash_bucket *hit = NULL;

	if (ibpf_map_is_array_like(m))
		return 0;
	hash_lock(m);
	for (uint32_t i = 0; i < m->n_buckets && !hit; i++)
		for (const struct ibpf_hash_bucket *b = m->buckets[i]; b && !hit; b = b->next)
			if (in_value(m, b, p, 0))
				hit = b;
	hash_unlock(m);
	if (!hit && m->domain) {
		pthread_mutex_lock(&m->domain->lock);
		for (const struct ibpf_hash_bucket *b = m->domain->retired; b && !hit; b = b->next)
			if (b->owner == m && in_value(m, b, p, 0))
				hit = b;
		pthread_mutex_unlock(&m->domain->lock);
	}
	if (hit)
		*off = (int64_t)(p - (uintptr_t)(hit->kv + round8(m->key_size)));
	return hit != NULL;
}

int ibpf_map_contains(const struct ibpf_map *m, uintptr_t p, size_t size)
{
	int found = 0;

	if (ibpf_map_is_array_like(m)) {
		uintptr_t lo = (uintptr_t)m->data;
		size_t total = (size_t)m->max_entries * m->elem_size;
		if (p < lo || p - lo > total || size > total - (p - lo))
			return 0;
		/* Global data is one value; arrays must not straddle elements. */
		size_t off = (p - lo) % m->elem_size;
		return m->max_entries == 1 || off + size <= m->value_size;
	}
	hash_lock(m);
	for (uint32_t i = 0; i < m->n_buckets && !found; i++)
		for (const struct ibpf_hash_bucket *b = m->buckets[i]; b && !found; b = b->next)
			found = in_value(m, b, p, size);
	hash_unlock(m);
	/* A deleted or replaced element stays valid for the run that holds it. */
	if (!found && m->domain) {
		pthread_mutex_lock(&m->domain->lock);
		for (const struct ibpf_hash_bucket *b = m->domain->retired; b && !found; b = b->next)
			found = b->owner == m && in_value(m, b, p, size);
		pthread_mutex_unlock(&m->domain->lock);
	}
	return found;
}
