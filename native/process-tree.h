/*
 * The attach's process tree, owned by the supervisor: a cgroup v2 child cgroup per attach, so
 * that every descendant (also one that double-forked and called setsid(), reparented to the
 * container's init) can be killed at once with cgroup.kill. See README.md, "Process tree".
 */
#ifndef LXC_ATTACH_HELPER_PROCESS_TREE_H
#define LXC_ATTACH_HELPER_PROCESS_TREE_H

#include <stdbool.h>
#include <sys/types.h>

/* Prefix of the per-attach cgroup's name: "lxc-attach-helper.<attached host pid>". */
#define TREE_CGROUP_PREFIX "lxc-attach-helper."

struct process_tree {
	char mount[256];  /* where the cgroup v2 hierarchy is mounted; "" if it is not */
	char root[256];   /* the mount's root as mountinfo shows it: "/", or "/.." from a pod */
	char path[4096];  /* the per-attach cgroup; "" until adopted */
	char parent[4096];
};

/* Finds the cgroup v2 mount (before any fork, so the attach child has it too). */
void tree_init(struct process_tree *tree);

/* Moves the attached process (stopped before exec) into a cgroup of its own. -1 with errno when
 * there is no usable cgroup v2 hierarchy: callers fall back to the process group. */
int tree_adopt(struct process_tree *tree, pid_t pid);

bool tree_adopted(const struct process_tree *tree);

/* Whether any process is left in the attach's cgroup. */
bool tree_populated(const struct process_tree *tree);

/* SIGKILL to every process of the attach (cgroup.kill, or each pid of cgroup.procs). */
void tree_kill(const struct process_tree *tree);

/* The attach is over: processes it left behind on purpose (a daemon its command started) go back
 * to the cgroup liblxc put the attach in, and the per-attach cgroup is removed. */
void tree_release(struct process_tree *tree);

/* Async-signal-safe, for the attach child when the supervisor died: kills and removes the cgroup
 * that the process `pid` is in, if it is a per-attach one, or removes the one made for `pid` that
 * it has not been moved into yet. */
void tree_kill_cgroup_of(const struct process_tree *tree, pid_t pid);

#endif
