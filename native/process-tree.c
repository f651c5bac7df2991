/*
 * A cgroup v2 child cgroup per attach. liblxc puts an attached process into the container's
 * cgroup (cgroup v2: the shared leaf "<payload>/.lxc"); the supervisor moves it, while it still
 * waits for "proceed" and has not exec'd, one level down into a cgroup of its own. Everything the
 * command starts stays in there whatever it does with sessions, process groups or parents, and
 * cgroup.kill (Linux 5.14) ends all of it at once. cgroup v1 hierarchies are left as liblxc set
 * them. README.md, "Process tree", says why this and not a scan of sessions.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "process-tree.h"

/* Bounded passes over cgroup.procs: a process may fork while it is being moved or killed. */
#define PROCS_PASSES 64
/* How long an emptied cgroup may stay busy with exiting processes before it is given up. */
#define RELEASE_WAIT_MS 5000
#define RELEASE_RETRY_MS 10

void tree_init(struct process_tree *tree)
{
	char line[4096];
	FILE *f;

	memset(tree, 0, sizeof(*tree));
	f = fopen("/proc/self/mountinfo", "re");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char root[sizeof(tree->root)], mountpoint[sizeof(tree->mount)];
		const char *sep = strstr(line, " - cgroup2 ");

		/* NB: "%*s %*s %*s": mount id, parent id, major:minor. */
		if (!sep || sscanf(line, "%*s %*s %*s %255s %255s", root, mountpoint) != 2)
			continue;
		if (strchr(mountpoint, '\\') || strchr(root, '\\'))
			continue; /* NB: an escaped space or the like: not worth unescaping */
		snprintf(tree->mount, sizeof(tree->mount), "%s", mountpoint);
		snprintf(tree->root, sizeof(tree->root), "%s", root);
		break;
	}
	fclose(f);
}

bool tree_adopted(const struct process_tree *tree)
{
	return tree->path[0] != '\0';
}

/* The cgroup v2 path of a process ("0::/lxc.payload.c1/.lxc"), relative to our cgroup root. */
static int cgroup_of(pid_t pid, char *out, size_t size)
{
	char file[64], line[4096];
	int ret = -1;
	FILE *f;

	snprintf(file, sizeof(file), "/proc/%d/cgroup", (int)pid);
	f = fopen(file, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "0::", 3) != 0)
			continue;
		line[strcspn(line, "\n")] = '\0';
		if (line[3] != '/' || strstr(line, " (deleted)")) {
			errno = EXDEV;
			break;
		}
		if ((size_t)snprintf(out, size, "%s", line + 3) < size)
			ret = 0;
		else
			errno = ENAMETOOLONG;
		break;
	}
	fclose(f);
	return ret;
}

/* The number of leading "/.." components of a cgroup path; *rest is what follows them. */
static size_t leading_dotdots(const char *path, const char **rest)
{
	size_t n = 0;

	while (strncmp(path, "/..", 3) == 0 && (path[3] == '/' || path[3] == '\0')) {
		n++;
		path += 3;
	}
	*rest = path;
	return n;
}

/*
 * Where cgroup `path` (relative to our cgroup namespace's root, as /proc/PID/cgroup has it) is on
 * the mount, whose root mountinfo gives relative to the same namespace root. In a pod with its own
 * cgroup namespace and the host's hierarchy bind-mounted, both start with the same "/..": the host
 * root. A cgroup the mount does not show is an error (EXDEV). Async-signal-safe.
 */
static int cgroup_dir(const struct process_tree *tree, const char *path, char *out, size_t size)
{
	const char *root_rest, *path_rest;
	size_t root_len, mount_len = strlen(tree->mount);

	if (leading_dotdots(tree->root, &root_rest) != leading_dotdots(path, &path_rest))
		goto outside;
	if (strcmp(root_rest, "/") == 0)
		root_rest = "";
	root_len = strlen(root_rest);
	if (strncmp(path_rest, root_rest, root_len) != 0 || (path_rest[root_len] != '/' && path_rest[root_len] != '\0'))
		goto outside;
	path_rest += root_len;
	if (strcmp(path_rest, "/") == 0)
		path_rest = "";
	if (mount_len + strlen(path_rest) + 1 > size) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(out, tree->mount, mount_len);
	memcpy(out + mount_len, path_rest, strlen(path_rest) + 1);
	return 0;
outside:
	errno = EXDEV;
	return -1;
}

static int write_file(const char *dir, const char *name, const char *value)
{
	char file[4200];
	ssize_t n;
	int fd;

	snprintf(file, sizeof(file), "%s/%s", dir, name);
	fd = open(file, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = write(fd, value, strlen(value));
	close(fd);
	return n == (ssize_t)strlen(value) ? 0 : -1;
}

static int write_pid(const char *dir, pid_t pid)
{
	char value[32];

	snprintf(value, sizeof(value), "%d", (int)pid);
	return write_file(dir, "cgroup.procs", value);
}

int tree_adopt(struct process_tree *tree, pid_t pid)
{
	char current[4096];
	int err;

	if (!tree->mount[0]) {
		errno = ENOENT;
		return -1;
	}
	if (cgroup_of(pid, current, sizeof(current)) < 0)
		return -1;
	if (cgroup_dir(tree, current, tree->parent, sizeof(tree->parent)) < 0)
		return -1;
	if ((size_t)snprintf(tree->path, sizeof(tree->path), "%s/" TREE_CGROUP_PREFIX "%d", tree->parent,
			     (int)pid) >= sizeof(tree->path)) {
		tree->path[0] = '\0';
		errno = ENAMETOOLONG;
		return -1;
	}
	if (mkdir(tree->path, 0755) < 0 && errno != EEXIST)
		goto fail;
	if (write_pid(tree->path, pid) < 0)
		goto fail;
	return 0;
fail:
	err = errno;
	(void)rmdir(tree->path);
	tree->path[0] = '\0';
	errno = err;
	return -1;
}

bool tree_populated(const struct process_tree *tree)
{
	char file[4200], buf[256];
	ssize_t n;
	int fd;

	if (!tree_adopted(tree))
		return false;
	snprintf(file, sizeof(file), "%s/cgroup.events", tree->path);
	fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false; /* NB: the cgroup is gone, and with it every process */
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	return strstr(buf, "populated 1") != NULL;
}

/* Applies fn to every pid listed in the cgroup's cgroup.procs; returns how many there were. */
static int for_each_proc(const char *dir, void (*fn)(pid_t pid, const char *arg), const char *arg)
{
	char file[4200];
	long pid;
	int count = 0;
	FILE *f;

	snprintf(file, sizeof(file), "%s/cgroup.procs", dir);
	f = fopen(file, "re");
	if (!f)
		return 0;
	while (fscanf(f, "%ld", &pid) == 1) {
		fn((pid_t)pid, arg);
		count++;
	}
	fclose(f);
	return count;
}

static void kill_pid(pid_t pid, const char *arg)
{
	(void)arg;
	(void)kill(pid, SIGKILL);
}

static void move_pid(pid_t pid, const char *dir)
{
	(void)write_pid(dir, pid);
}

void tree_kill(const struct process_tree *tree)
{
	if (!tree_adopted(tree))
		return;
	if (write_file(tree->path, "cgroup.kill", "1") == 0)
		return;
	/* Before Linux 5.14: kill what is listed until nothing is. */
	for (int i = 0; i < PROCS_PASSES && for_each_proc(tree->path, kill_pid, NULL) > 0; i++)
		usleep(1000);
}

/*
 * rmdir(dir), tried again while it is busy. A process counts in its cgroup until it has finished
 * exiting, but cgroup.procs stops listing it as it starts: rmdir fails with EBUSY meanwhile, which
 * a process freeing much memory, or a loaded machine, makes long. Async-signal-safe.
 */
static int remove_cgroup(const char *dir)
{
	const struct timespec pause = { .tv_nsec = RELEASE_RETRY_MS * 1000 * 1000 };

	for (int waited = 0;; waited += RELEASE_RETRY_MS) {
		if (rmdir(dir) == 0 || errno == ENOENT)
			return 0;
		if (errno != EBUSY || waited >= RELEASE_WAIT_MS)
			return -1;
		nanosleep(&pause, NULL);
	}
}

void tree_release(struct process_tree *tree)
{
	if (!tree_adopted(tree))
		return;
	for (int i = 0; i < PROCS_PASSES && for_each_proc(tree->path, move_pid, tree->parent) > 0; i++)
		;
	if (remove_cgroup(tree->path) < 0)
		fprintf(stderr, "lxc-attach-helper: cannot remove the attach's cgroup %s: %s\n", tree->path,
			strerror(errno));
	tree->path[0] = '\0';
}

/* Async-signal-safe string building for tree_kill_cgroup_of(). */
static size_t append(char *buf, size_t len, size_t size, const char *s)
{
	while (*s && len + 1 < size)
		buf[len++] = *s++;
	buf[len] = '\0';
	return len;
}

static size_t append_pid(char *buf, size_t len, size_t size, pid_t pid)
{
	char digits[16];
	size_t n = 0;
	unsigned long v = (unsigned long)pid;

	do {
		digits[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v && n < sizeof(digits));
	while (n > 0 && len + 1 < size)
		buf[len++] = digits[--n];
	buf[len] = '\0';
	return len;
}

void tree_kill_cgroup_of(const struct process_tree *tree, pid_t pid)
{
	char file[64], data[4096], target[4600];
	const char *line, *end, *last;
	size_t len;
	ssize_t n;
	int fd;

	if (!tree->mount[0] || pid <= 0)
		return;
	len = append(file, 0, sizeof(file), "/proc/");
	len = append_pid(file, len, sizeof(file), pid);
	append(file, len, sizeof(file), "/cgroup");
	fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	n = read(fd, data, sizeof(data) - 1);
	close(fd);
	if (n <= 0)
		return;
	data[n] = '\0';
	for (line = data; strncmp(line, "0::", 3) != 0; line = end + 1) {
		end = strchr(line, '\n');
		if (!end)
			return;
	}
	line += 3;
	end = strchr(line, '\n');
	if (end)
		data[end - data] = '\0';
	last = strrchr(line, '/');
	if (!last)
		return;
	/* NB: room for the longer of what follows: "/cgroup.kill" or "/" TREE_CGROUP_PREFIX "<pid>". */
	if (cgroup_dir(tree, line, target, sizeof(target) - sizeof("/" TREE_CGROUP_PREFIX "4294967295")) < 0)
		return;
	len = strlen(target);
	/*
	 * Never kill the container's cgroup, which its init shares. The process is still there when
	 * the supervisor died between making its cgroup and moving it in: remove that empty cgroup.
	 */
	if (strncmp(last + 1, TREE_CGROUP_PREFIX, strlen(TREE_CGROUP_PREFIX)) != 0) {
		len = append(target, len, sizeof(target), "/" TREE_CGROUP_PREFIX);
		append_pid(target, len, sizeof(target), pid);
		(void)rmdir(target);
		return;
	}
	append(target, len, sizeof(target), "/cgroup.kill");
	fd = open(target, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	(void)!write(fd, "1", 1);
	close(fd);
	/* The processes die asynchronously; the cgroup can go once they have. */
	target[len] = '\0';
	(void)remove_cgroup(target);
}
