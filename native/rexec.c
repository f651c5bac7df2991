/*
 * CVE-2019-5736: a process that enters a container can be reached through /proc/<pid>/exe by the
 * container's root, which could then overwrite the host binary. Debian's lxc-attach therefore
 * re-executes itself from a sealed memfd (ENFORCE_MEMFD_REXEC); the helper does the same, with the
 * same seals, so liblxc's own LXC_MEMFD_REXEC constructor and this check recognise each other.
 * No environment marker: it would be inherited by the attached process.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rexec.h"

#define MEMFD_SEALS (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE)

extern char **environ;

static int running_from_sealed_memfd(void)
{
	int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	int seals;

	if (fd < 0)
		return -1;
	seals = fcntl(fd, F_GET_SEALS);
	close(fd);
	return seals == MEMFD_SEALS;
}

static int copy_self_to_memfd(void)
{
	struct stat st;
	off_t copied = 0;
	int exe, memfd;

	memfd = memfd_create("lxc-attach-helper", MFD_ALLOW_SEALING | MFD_CLOEXEC);
	if (memfd < 0)
		return -1;

	exe = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	if (exe < 0 || fstat(exe, &st) < 0)
		goto fail;

	while (copied < st.st_size) {
		ssize_t n = sendfile(memfd, exe, NULL, (size_t)(st.st_size - copied));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			goto fail;
		copied += n;
	}
	close(exe);

	if (fcntl(memfd, F_ADD_SEALS, MEMFD_SEALS) < 0) {
		close(memfd);
		return -1;
	}
	return memfd;

fail:
	if (exe >= 0)
		close(exe);
	close(memfd);
	return -1;
}

/* Returns only when already running from the memfd (0) or on failure (-1, message printed). */
int rexec_from_memfd(char **argv)
{
	int sealed = running_from_sealed_memfd();
	int memfd;

	if (sealed > 0)
		return 0;
	if (sealed < 0) {
		fprintf(stderr, "%s - Failed to determine whether this is a memfd\n", strerror(errno));
		return -1;
	}

	memfd = copy_self_to_memfd();
	if (memfd >= 0)
		fexecve(memfd, argv, environ);
	fprintf(stderr, "%s - Failed to rexec as memfd\n", strerror(errno));
	return -1;
}
