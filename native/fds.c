/*
 * lxc-attach lets every inherited fd without FD_CLOEXEC reach the attached program. The helper
 * is stricter: everything above 2 becomes close-on-exec at start, so only 0-2 cross into the
 * container (its own --control-fd/--status-fd stay usable by the helper itself).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "fds.h"

static int mark_cloexec_by_scanning(void)
{
	DIR *dir = opendir("/proc/self/fd");
	struct dirent *entry;
	int ret = 0;

	if (!dir)
		return -1;
	while ((entry = readdir(dir))) {
		char *end;
		long fd = strtol(entry->d_name, &end, 10);
		int flags;

		if (*end != '\0' || end == entry->d_name || fd <= 2 || fd == dirfd(dir))
			continue;
		flags = fcntl((int)fd, F_GETFD);
		if (flags < 0 || fcntl((int)fd, F_SETFD, flags | FD_CLOEXEC) < 0)
			ret = -1;
	}
	closedir(dir);
	return ret;
}

int mark_inherited_fds_cloexec(void)
{
	/* Linux >= 5.11; older kernels get the /proc scan. */
	if (syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC) == 0)
		return 0;
	if (errno != ENOSYS && errno != EINVAL)
		return -1;
	return mark_cloexec_by_scanning();
}
