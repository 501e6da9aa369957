// SPDX-License-Identifier: GPL-2.0
/*
 * zb-ttystop TTY: suspend output on TTY (tcflow(TCOOFF)) and keep it
 * open in the background, so that what is written to TTY later never
 * reaches the UART: the results channel goes silent as it does when the
 * guest kernel disables the serial port's interrupt ("irq 3: nobody
 * cared").  tests/vm-guest runs it as the guest command to prove that
 * scripts/vm's stall detector fires.  Returns once output is stopped.
 */
#include <fcntl.h>
#include <stdio.h>
#include <termios.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	pid_t pid;
	int fd;

	if (argc != 2) {
		fprintf(stderr, "usage: zb-ttystop TTY\n");
		return 2;
	}
	fd = open(argv[1], O_WRONLY | O_NOCTTY);
	if (fd < 0) {
		perror(argv[1]);
		return 1;
	}
	if (tcflow(fd, TCOOFF)) {
		perror("zb-ttystop: tcflow");
		return 1;
	}
	/* the stop lasts while the tty stays open: hold it in a child */
	pid = fork();
	if (pid < 0) {
		perror("zb-ttystop: fork");
		return 1;
	}
	if (pid)
		return 0;
	setsid();
	for (;;)
		pause();
}
