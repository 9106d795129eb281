/* SPDX-License-Identifier: GPL-2.0 */
/* shared by require.bpf.c and its loader */
#ifndef __LUO_REQUIRE_H
#define __LUO_REQUIRE_H

#define REQUIRE_MAX	8	/* a power of two: the BPF side masks with it */

#endif
