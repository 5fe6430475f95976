/* SPDX-License-Identifier: GPL-2.0 */
/* Small helpers shared by the ibpf examples (examples/NAME.bpf.c). */
#ifndef IBPF_EXAMPLES_H
#define IBPF_EXAMPLES_H

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

#ifndef EINVAL
#define EINVAL 22
#endif

#endif /* IBPF_EXAMPLES_H */
