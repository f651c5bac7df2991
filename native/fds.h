#ifndef LXC_ATTACH_HELPER_FDS_H
#define LXC_ATTACH_HELPER_FDS_H

int mark_inherited_fds_cloexec(void);

#endif
