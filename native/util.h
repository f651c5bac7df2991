/* Small helpers shared by the helper's sources. */
#ifndef LXC_ATTACH_HELPER_UTIL_H
#define LXC_ATTACH_HELPER_UTIL_H

/* Element count of an array (not a pointer): sizes follow the table they are taken from. */
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
