// SPDX-License-Identifier: GPL-2.0
/*
 * zb-exit CODE: hand the guest's verdict to the host and power off.
 *
 * QEMU's isa-debug-exit device (iobase 0xf4) exits QEMU with status
 * (CODE << 1) | 1 when the guest writes CODE to its port, so the host
 * can tell a verdict (odd) from a plain poweroff or a crash (0).
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/io.h>
#include <sys/reboot.h>

#define DEBUG_EXIT_PORT	0xf4

int main(int argc, char **argv)
{
	long code = argc > 1 ? strtol(argv[1], NULL, 0) : 1;

	if (code < 0 || code > 127)
		code = 127;
	if (ioperm(DEBUG_EXIT_PORT, 1, 1)) {
		perror("zb-exit: ioperm");
		return 1;
	}
	outb((unsigned char)code, DEBUG_EXIT_PORT);
	/* Only reached without the device: the host then sees status 0. */
	fprintf(stderr, "zb-exit: no isa-debug-exit device, powering off\n");
	reboot(RB_POWER_OFF);
	return 1;
}
