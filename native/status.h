/*
 * --status-fd: one JSON object per line, written with a single write(2) each, in this order:
 *   {"event":"attached","pid":P}
 *   {"event":"attach-failed","reason":"R","errno":E,"message":"M"}
 *   {"event":"exec-failed","errno":E,"message":"M"}
 *   {"event":"exited","code":C} or {"event":"exited","code":C,"signal":S}   (always the last line)
 */
#ifndef LXC_ATTACH_HELPER_STATUS_H
#define LXC_ATTACH_HELPER_STATUS_H

#include <sys/types.h>

void status_attached(int fd, pid_t pid);
void status_attach_failed(int fd, const char *reason, int err, const char *message);
void status_exec_failed(int fd, int err, const char *message);
void status_exited(int fd, int code, int signal);

#endif
