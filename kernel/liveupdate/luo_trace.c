// SPDX-License-Identifier: GPL-2.0
/* Instantiates the liveupdate trace events (include/trace/events/liveupdate.h). */
#define CREATE_TRACE_POINTS
#include <trace/events/liveupdate.h>
