/*
 * The node agent gives the helper pipes, but a person may run `lxc-attach-helper --pty` in a
 * terminal. Then, as lxc-attach does with its peer terminal, the caller's terminal is put into raw
 * mode (ssh's settings, as liblxc's lxc_setup_tios) and restored at the end, and its size is
 * copied to the helper's pty at start and on SIGWINCH. Nothing happens when stdin is no terminal.
 */
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "caller-tty.h"

void caller_tty_resized(const struct caller_tty *tty, int master)
{
	struct winsize ws;

	/* A terminal without a size (script(1) run without one) keeps the pty at 80x24. */
	if (!tty->active || ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) < 0 || ws.ws_row == 0 || ws.ws_col == 0)
		return;
	if (ioctl(master, TIOCSWINSZ, &ws) < 0)
		perror("lxc-attach-helper: resize");
}

void caller_tty_enter(struct caller_tty *tty, int master)
{
	struct termios raw;

	memset(tty, 0, sizeof(*tty));
	if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &tty->saved) < 0)
		return;

	raw = tty->saved;
	raw.c_iflag |= IGNPAR;
	raw.c_iflag &= ~(tcflag_t)(ISTRIP | INLCR | IGNCR | ICRNL | IXON | IXANY | IXOFF | IUCLC);
	raw.c_lflag &= ~(tcflag_t)(TOSTOP | ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHONL | IEXTEN);
	raw.c_oflag |= OPOST | ONLCR;
	raw.c_cc[VMIN] = 1;
	raw.c_cc[VTIME] = 0;
	if (tcsetattr(STDIN_FILENO, TCSANOW, &raw) < 0) {
		perror("lxc-attach-helper: raw mode");
		return;
	}
	tty->active = true;
	caller_tty_resized(tty, master);
}

void caller_tty_leave(struct caller_tty *tty)
{
	if (tty->active && tcsetattr(STDIN_FILENO, TCSANOW, &tty->saved) < 0)
		perror("lxc-attach-helper: restoring the terminal");
	tty->active = false;
}
