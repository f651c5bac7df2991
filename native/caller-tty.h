/* --pty run by a person in a terminal: that terminal goes raw and lends its size to the pty. */
#ifndef LXC_ATTACH_HELPER_CALLER_TTY_H
#define LXC_ATTACH_HELPER_CALLER_TTY_H

#include <stdbool.h>
#include <termios.h>

struct caller_tty {
	bool active;
	struct termios saved;
};

void caller_tty_enter(struct caller_tty *tty, int master);
void caller_tty_resized(const struct caller_tty *tty, int master);
void caller_tty_leave(struct caller_tty *tty);

#endif
