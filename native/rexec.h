#ifndef LXC_ATTACH_HELPER_REXEC_H
#define LXC_ATTACH_HELPER_REXEC_H

int rexec_from_memfd(char **argv);

#endif
