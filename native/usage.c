/*
 * Texts printed by lxc-attach 5.0.2 for --help/-h/-?, --usage and --version. They are part of the
 * command line contract, so they are reproduced byte for byte (test/native checks them).
 */
#include <ctype.h>
#include <stdio.h>

#include <lxc/lxccontainer.h>

#include "usage.h"

static const char progname[] = "lxc-attach";

static const char attach_help[] = "\
--name=NAME [-- COMMAND]\n\
\n\
Execute the specified COMMAND - enter the container NAME\n\
\n\
Options :\n\
  -n, --name=NAME   NAME of the container\n\
  -e, --elevated-privileges=PRIVILEGES\n\
                    Use elevated privileges instead of those of the\n\
                    container. If you don't specify privileges to be\n\
                    elevated as OR'd list: CAP, CGROUP and LSM (capabilities,\n\
                    cgroup and restrictions, respectively) then all of them\n\
                    will be elevated.\n\
                    WARNING: This may leak privileges into the container.\n\
                    Use with care.\n\
  -a, --arch=ARCH   Use ARCH for program instead of container's own\n\
                    architecture.\n\
  -s, --namespaces=FLAGS\n\
                    Don't attach to all the namespaces of the container\n\
                    but just to the following OR'd list of flags:\n\
                    MOUNT, PID, UTSNAME, IPC, USER or NETWORK.\n\
                    WARNING: Using -s implies -e with all privileges\n\
                    elevated, it may therefore leak privileges into the\n\
                    container. Use with care.\n\
  -R, --remount-sys-proc\n\
                    Remount /sys and /proc if not attaching to the\n\
                    mount namespace when using -s in order to properly\n\
                    reflect the correct namespace context. See the\n\
                    lxc-attach(1) manual page for details.\n\
      --clear-env   Clear all environment variables before attaching.\n\
                    The attached shell/program will start with only\n\
                    container=lxc set.\n\
      --keep-env    Keep all current environment variables. This\n\
                    is the current default behaviour, but is likely to\n\
                    change in the future.\n\
  -L, --pty-log=FILE\n\
                    Log pty output to FILE\n\
  -v, --set-var     Set an additional variable that is seen by the\n\
                    attached program in the container. May be specified\n\
                    multiple times.\n\
      --keep-var    Keep an additional environment variable. Only\n\
                    applicable if --clear-env is specified. May be used\n\
                    multiple times.\n\
  -f, --rcfile=FILE\n\
                    Load configuration file FILE\n\
  -u, --uid=UID     Execute COMMAND with UID inside the container\n\
  -g, --gid=GID     Execute COMMAND with GID inside the container\n\
  -c, --context=context\n\
                    SELinux Context to transition into\n\
";

/* The option table is printed as is, including its two "help" and two "rcfile" entries. */
void print_usage(const struct option *longopts, size_t count)
{
	fprintf(stderr, "Usage: %s ", progname);

	for (size_t i = 1; i <= count; i++) {
		const struct option *opt = &longopts[i - 1];

		fprintf(stderr, "[");
		/* lxc calls isprint() on values up to 0x1000; only ASCII ones print. */
		if (opt->val >= 0 && opt->val < 128 && isprint(opt->val))
			fprintf(stderr, "-%c|", opt->val);
		fprintf(stderr, "--%s", opt->name);

		if (opt->has_arg != no_argument) {
			fprintf(stderr, opt->has_arg == required_argument ? "=" : "[=");
			for (const char *p = opt->name; *p; p++)
				fputc(toupper((unsigned char)*p), stderr);
			if (opt->has_arg == optional_argument)
				fputc(']', stderr);
		}

		fprintf(stderr, "] ");
		if (!(i % 4))
			fprintf(stderr, "\n\t");
	}
	fprintf(stderr, "\n");
}

void print_help(void)
{
	fprintf(stderr, "\
Usage: %s %s\
\n\
Common options :\n\
  -o, --logfile=FILE               Output log to FILE instead of stderr\n\
  -l, --logpriority=LEVEL          Set log priority to LEVEL\n\
  -q, --quiet                      Don't produce any output\n\
  -P, --lxcpath=PATH               Use specified container path\n\
  -?, --help                       Give this help list\n\
      --usage                      Give a short usage message\n\
      --version                    Print the version number\n\
\n\
Mandatory or optional arguments to long options are also mandatory or optional\n\
for any corresponding short options.\n\
\n\
See the %s man page for further information.\n\n",
		progname, attach_help, progname);
}

void print_version(void)
{
	printf("%s\n", lxc_get_version());
}
