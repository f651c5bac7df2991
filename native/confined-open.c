/*
 * The agent checks that a log path lies under an allowed directory, but the file is created later,
 * here: between the check and the open a symlink could be put in place (or be there already as the
 * last component, which a check of the parent does not see). openat2() resolves the path beneath
 * the directory and refuses every symlink on the way, so what is opened is what was checked.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "confined-open.h"

/* The part of `path` after "<dir>/", or NULL when `path` is not spelled under `dir`. */
static const char *beneath(const char *dir, const char *path)
{
	size_t len = strlen(dir);

	while (len > 1 && dir[len - 1] == '/')
		len--;
	if (strncmp(path, dir, len) != 0 || (len > 1 && path[len] != '/'))
		return NULL;
	path += len;
	while (*path == '/')
		path++;
	return *path ? path : NULL;
}

int open_confined(const char *dir, const char *path, int flags, mode_t mode)
{
	struct open_how how = {
		.flags = (unsigned long long)(flags | O_CLOEXEC),
		.mode = (flags & O_CREAT) ? mode : 0,
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
	};
	const char *rest = beneath(dir, path);
	int dirfd, fd, err;

	if (!rest) {
		errno = EXDEV;
		return -1;
	}
	dirfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0)
		return -1;
	fd = (int)syscall(SYS_openat2, dirfd, rest, &how, sizeof(how));
	err = errno;
	close(dirfd);
	errno = err;
	return fd;
}
