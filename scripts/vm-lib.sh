# shellcheck shell=bash
# The steps of scripts/vm: pick the kernel, build, pack, boot, collect.
# Sourced by scripts/vm, which sets ROOT, VM, OUT and the options.

# The kernel to boot and the tree to build the module against.  The
# version comes from the image's name, never from uname -r: the host
# may run a different kernel than the one the guest boots.
vm_pick_kernel() {
	if [ -z "${KERNEL:-}" ]; then
		KERNEL=$(ls /boot/vmlinuz-*-amd64 2>/dev/null | sort -V | tail -n 1)
		[ -n "$KERNEL" ] ||
			die "no /boot/vmlinuz-*-amd64: run scripts/deps vm as root, or set KERNEL="
	fi
	[ -r "$KERNEL" ] || die "cannot read KERNEL=$KERNEL"
	case "$KERNEL" in
	/boot/vmlinuz-*) KVER=${KERNEL#/boot/vmlinuz-} ;;
	*)
		[ -n "${KDIR:-}" ] || die "KERNEL=$KERNEL is not a Debian image: set KDIR= to its build tree"
		KVER=$(cat "$KDIR/include/config/kernel.release" 2>/dev/null) ||
			die "KDIR=$KDIR has no include/config/kernel.release: is it a built tree?"
		;;
	esac
	KDIR=${KDIR:-/usr/src/linux-headers-$KVER}
	[ -d "$KDIR" ] || die "no headers for $KVER in $KDIR: run scripts/deps vm, or set KDIR="
}

# True if $1 is an ELF file (without depending on file(1)).
is_elf() {
	[ "$(head -c 4 "$1" 2>/dev/null | od -An -c | tr -d ' ')" = '177ELF' ]
}

# Debian's bzImage carries vmlinux xz-compressed; booting the ELF through
# PVH skips the decompressor and real-mode setup (~2 s less under TCG).
# Falls back to the image as given when no ELF comes out.
vm_vmlinux() {
	local elf=$VM/vmlinux-$KVER off

	IMAGE=$KERNEL
	is_elf "$KERNEL" && return 0
	if [ ! -s "$elf" ] || [ "$KERNEL" -nt "$elf" ]; then
		off=$(LC_ALL=C grep -obUaP '\xfd7zXZ\x00' "$KERNEL" | head -n 1 | cut -d: -f1)
		[ -n "$off" ] || return 0
		tail -c +$((off + 1)) "$KERNEL" | xz -dcq > "$elf.tmp" 2>/dev/null || true
		if ! is_elf "$elf.tmp"; then
			rm -f "$elf.tmp"
			return 0
		fi
		mv "$elf.tmp" "$elf"
	fi
	IMAGE=$elf
}

vm_build() {
	local kb=$VM/kmod-$KVER

	say "building zapbench, guest tests and zaptest.ko for $KVER"
	make -C "$ROOT" -s guest > "$VM/build.log" 2>&1 ||
		{ cat "$VM/build.log" >&2; die "userspace build failed"; }
	mkdir -p "$kb"
	cp -a "$ROOT"/kmod/. "$kb"/
	make -C "$KDIR" M="$kb" modules >> "$VM/build.log" 2>&1 ||
		{ tail -n 30 "$VM/build.log" >&2; die "zaptest.ko build against $KDIR failed"; }
	MODULE_KO=$kb/zaptest.ko
	vm_vmlinux
}

# A dynamic binary and the shared libraries it needs: libpfm4 has no
# static archive in Debian, so the guest gets the host's libraries.
vm_copy_bin() {
	local bin=$1 dst=$2 lib

	cp "$bin" "$dst"
	for lib in $(ldd "$bin" 2>/dev/null | grep -o '/[^ ]*'); do
		[ -e "$VM/root$lib" ] || { mkdir -p "$VM/root$(dirname "$lib")"; cp -L "$lib" "$VM/root$lib"; }
	done
}

vm_pack() {
	local r=$VM/root t

	rm -rf "$r"
	mkdir -p "$r"/bin "$r"/zb/tests "$r"/proc "$r"/sys "$r"/dev "$r"/tmp
	cp /bin/busybox "$r"/bin/busybox
	cp "$ROOT"/scripts/guest/init "$r"/init
	cp "$ROOT"/tests/run "$r"/zb/run
	cp "$ROOT"/build/guest/zb-exit "$r"/zb/zb-exit
	vm_copy_bin "$ROOT"/build/zapbench "$r"/zb/zapbench
	# Debian's perf, when the host has it: perf stat -e 'zaptest:*' in the guest
	if [ -x /usr/bin/perf ] && is_elf /usr/bin/perf; then
		vm_copy_bin /usr/bin/perf "$r"/zb/perf
	fi
	for t in "$ROOT"/build/tests/guest/*; do
		[ -x "$t" ] && vm_copy_bin "$t" "$r"/zb/tests/
	done
	[ "$MODULE" = 1 ] && cp "$MODULE_KO" "$r"/zb/zaptest.ko
	{
		echo "ZB_MODULE=$([ "$MODULE" = 1 ] && echo 1)"
		echo "export ZB_MODPARAMS='claim_base=$CLAIM_BASE claim_size=$CLAIM_SIZE" \
			"remap_base=$REMAP_BASE remap_size=$REMAP_SIZE$PARAMS'"
		echo "export ZB_GUEST=1 ZAPBENCH=/zb/zapbench ZB_CLAIM_BASE=$CLAIM_BASE ZB_CLAIM_SIZE=$CLAIM_SIZE" \
			"ZB_REMAP_BASE=$REMAP_BASE ZB_REMAP_SIZE=$REMAP_SIZE"
	} > "$r"/zb/env
	printf '%q ' "$@" > "$r"/zb/cmd
	echo >> "$r"/zb/cmd
	(cd "$r" && find . | cpio -o -H newc --quiet) | gzip -1 > "$VM/initramfs.gz"
}

# 0: a verdict came back; otherwise why not, in VM_WHY.
vm_qemu() {
	local accel=$1 tmo=$2 cpu=max st

	[ "$accel" = kvm ] && cpu=host
	rm -f "$VM/console.log" "$VM/results.txt"
	set +e
	( timeout -k 5 "$tmo" qemu-system-x86_64 -accel "$accel" -cpu "$cpu" \
		-m "$MEM" -smp "$SMP" -nodefaults -no-reboot -display none -monitor none \
		-serial file:"$VM/console.log" -serial file:"$VM/results.txt" \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
		-kernel "$IMAGE" -initrd "$VM/initramfs.gz" \
		-append "console=ttyS0 panic=-1 quiet loglevel=4 memmap=4M\$$CLAIM_BASE memmap=4M\$$REMAP_BASE zb.accel=$accel ${ZB_VM_APPEND:-}" \
		2> "$VM/qemu.err"; exit $? ) 2> /dev/null
	st=$?
	set -e
	VM_STATUS=$st
	if [ "$st" = 124 ] || [ "$st" = 137 ]; then
		VM_WHY="guest timed out after $tmo s"
	elif ! grep -q ZB-RESULTS-END "$VM/results.txt" 2>/dev/null; then
		VM_WHY="no verdict from the guest (qemu exit $st: $(head -c 300 "$VM/qemu.err"))"
	elif [ $((st & 1)) = 0 ]; then
		VM_WHY="guest powered off without a verdict (qemu exit $st)"
	else
		return 0
	fi
	return 1
}

# KVM is tried once per kernel and remembered: nested KVM may exist but
# fail to run the guest, and a failed try costs a timeout.
vm_pick_accel() {
	local mark=$VM/kvm-ok-$KVER

	case "$ACCEL" in
	kvm|tcg) echo "$ACCEL"; return ;;
	esac
	if [ ! -r /dev/kvm ] || [ ! -w /dev/kvm ] || [ -e "$VM/kvm-no-$KVER" ]; then
		echo tcg
	elif [ -e "$mark" ]; then
		echo kvm
	else
		echo probe
	fi
}

vm_boot() {
	local accel rc

	accel=$(vm_pick_accel)
	if [ "$accel" = probe ]; then
		say "trying KVM for $KVER, $SMP CPUs, $MEM"
		if vm_qemu kvm "$((TIMEOUT < 120 ? TIMEOUT : 120))"; then
			touch "$VM/kvm-ok-$KVER"
			accel=done
		else
			say "KVM did not run the guest ($VM_WHY): using TCG from now on"
			touch "$VM/kvm-no-$KVER"
			accel=tcg
		fi
	fi
	if [ "$accel" != done ]; then
		say "booting $KVER under ${accel^^}, $SMP CPUs, $MEM"
		vm_qemu "$accel" "$TIMEOUT" || vm_fail "$VM_WHY"
	fi
	vm_collect
	rc=$(cat "$VM/last/.rc" 2>/dev/null || echo 125)
	exit "$rc"
}

vm_fail() {
	echo "scripts/vm: $1; last console lines ($VM/console.log):" >&2
	tail -n 25 "$VM/console.log" >&2 2>/dev/null
	exit 125
}

# Kernel reports that mean the run proves nothing, whatever it printed.
VM_BAD='BUG:|WARNING:|Oops|Kernel panic|general protection fault|Call Trace:|lockdep|circular locking|UBSAN:|KASAN:'

vm_collect() {
	local bad last=$VM/last

	rm -rf "$last" && mkdir -p "$last"
	sed -n '/ZB-RESULTS-BEGIN/,/ZB-RESULTS-END/p' "$VM/results.txt" | sed '1d;$d' |
		tr -d '\r' | base64 -d | tar -x -C "$last" ||
		vm_fail "the guest's results did not decode"
	cat "$last/.stdout"
	bad=$(grep -hE "$VM_BAD" "$last/.dmesg" "$VM/console.log" 2>/dev/null | head -n 3 || true)
	[ -z "$bad" ] || vm_fail "guest kernel reported: $(echo "$bad" | head -n 1)"
	# the command's files (not the runner's dot files) are the user's
	(cd "$last" && find . -type f ! -path './.*') | while read -r f; do
		# copy, then rename: a reader of OUT never sees half a file
		mkdir -p "$OUT/$(dirname "$f")"
		cp -p "$last/$f" "$OUT/$f.tmp" && mv -f "$OUT/$f.tmp" "$OUT/$f"
	done
}
