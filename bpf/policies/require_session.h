/* SPDX-License-Identifier: GPL-2.0 */
/* shared by require_session.bpf.c and its loader */
#ifndef __LUO_REQUIRE_SESSION_H
#define __LUO_REQUIRE_SESSION_H

#define REQUIRE_SESSION_MAX	8	/* a power of two: the BPF side masks with it */
#define REQUIRE_SESSION_NAME	64	/* LIVEUPDATE_SESSION_NAME_LENGTH */

#endif
