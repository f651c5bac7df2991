/*
 * The agent checks that a log path lies under an allowed directory, but the file is created later,
 * here: between the check and the open a symlink could be put in place (or be there already as the
 * last component, which a check of the parent does not see). openat2() resolves each component
 * beneath the one before and refuses every symlink on the way, so what is opened is what was
 * checked.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <string.h>
#include <stdio.h>
#include <sys/stat.h>
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

static int openat2_beneath(int dirfd, const char *name, int flags, mode_t mode)
{
	struct open_how how = {
		.flags = (unsigned long long)(flags | O_CLOEXEC),
		.mode = (flags & O_CREAT) ? mode : 0,
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
	};

	return (int)syscall(SYS_openat2, dirfd, name, &how, sizeof(how));
}

/*
 * Walks `rest` one component at a time, each opened beneath the last: missing directories are
 * created on the way with make_parents (liblxc creates -o's parents), a symlink or ".." ends the walk.
 */
static int open_components(int dirfd, char *rest, int flags, mode_t mode, bool make_parents)
{
	char *slash;
	int next;

	while ((slash = strchr(rest, '/'))) {
		*slash = '\0';
		if (strcmp(rest, "..") == 0) {
			errno = EXDEV;
			return -1;
		}
		if (*rest && strcmp(rest, ".") != 0) {
			if (make_parents && mkdirat(dirfd, rest, 0755) < 0 && errno != EEXIST)
				return -1;
			next = openat2_beneath(dirfd, rest, O_PATH | O_DIRECTORY, 0);
			if (next < 0)
				return -1;
			if (dup3(next, dirfd, O_CLOEXEC) < 0) {
				close(next);
				return -1;
			}
			close(next);
		}
		rest = slash + 1;
	}
	if (strcmp(rest, "..") == 0) {
		errno = EXDEV;
		return -1;
	}
	return openat2_beneath(dirfd, rest, flags, mode);
}

int open_confined(const char *dir, const char *path, int flags, mode_t mode, bool make_parents)
{
	const char *rest = beneath(dir, path);
	char relative[4096];
	int dirfd, fd, err;

	if (!rest) {
		errno = EXDEV;
		return -1;
	}
	if ((size_t)snprintf(relative, sizeof(relative), "%s", rest) >= sizeof(relative)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	dirfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0)
		return -1;
	fd = open_components(dirfd, relative, flags, mode, make_parents);
	err = errno;
	close(dirfd);
	errno = err;
	return fd;
}
