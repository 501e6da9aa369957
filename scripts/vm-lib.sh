# shellcheck shell=bash
# The steps of scripts/vm: pick the kernel, build, pack, boot, collect.
# Sourced by scripts/vm, which sets ROOT, VM, OUT and the options.

# Where Debian installs its kernel images (tests point it elsewhere).
VM_BOOT=${ZB_BOOT_DIR:-/boot}

# The newest generic Debian image in $1: vmlinuz-<version>-amd64 with a
# version that ends in a digit, so never -rt-amd64 or -cloud-amd64 (a
# second flavour installed must not change what every boot runs).
vm_default_kernel() {
	ls "$1"/vmlinuz-*[0-9]-amd64 2>/dev/null | sort -V | tail -n 1
}

# The kernel to boot and the tree to build the module against.  The
# version comes from the image's name (or KDIR), never from uname -r: the
# host may run a different kernel than the one the guest boots.  It only
# names things in messages: the caches are keyed by content (vm_cache_keys).
vm_pick_kernel() {
	local how="set by KERNEL="

	if [ -z "${KERNEL:-}" ]; then
		KERNEL=$(vm_default_kernel "$VM_BOOT")
		[ -n "$KERNEL" ] ||
			die "no $VM_BOOT/vmlinuz-<version>-amd64: run scripts/deps vm as root, or set KERNEL="
		how="default: newest generic -amd64; set KERNEL= to change"
	fi
	[ -r "$KERNEL" ] && [ -f "$KERNEL" ] || die "cannot read KERNEL=$KERNEL"
	KERNEL=$(cd "$(dirname "$KERNEL")" && pwd)/$(basename "$KERNEL")
	case "${KERNEL##*/}" in
	vmlinuz-*) KVER=${KERNEL##*/vmlinuz-} ;;
	*)
		[ -n "${KDIR:-}" ] || die "KERNEL=$KERNEL is not a Debian image: set KDIR= to its build tree"
		KVER=$(cat "$KDIR/include/config/kernel.release" 2>/dev/null) ||
			die "KDIR=$KDIR has no include/config/kernel.release: is it a built tree?"
		;;
	esac
	KDIR=${KDIR:-/usr/src/linux-headers-$KVER}
	[ -d "$KDIR" ] || die "no headers for $KVER in $KDIR: run scripts/deps vm, or set KDIR="
	KDIR=$(cd "$KDIR" && pwd)
	say "kernel $KERNEL ($how)"
	vm_cache_keys
}

# sha256 of file $1, remembered under its path, size, mtime and inode:
# hashing a kernel image on every boot costs seconds on a busy host.
vm_file_sha() {
	local st key memo

	st=$(stat -L -c '%s %.9Y %i' "$1") || return 1
	key=$(printf '%s\n%s\n' "$(readlink -f "$1")" "$st" | sha256sum | cut -c1-32)
	memo=$VM/sha256/$key
	if [ ! -s "$memo" ]; then
		mkdir -p "$VM/sha256"
		sha256sum < "$1" | cut -d' ' -f1 > "$memo.tmp.$$" || return 1
		mv -f "$memo.tmp.$$" "$memo"
	fi
	cat "$memo"
}

# What a module build depends on in KDIR: where it is, the release it
# builds for, and its configuration and symbol versions.
vm_kdir_id() {
	local f

	readlink -f "$1"
	cat "$1/include/config/kernel.release" 2>/dev/null || echo "no kernel.release"
	for f in "$1/.config" "$1/Module.symvers"; do
		if [ -r "$f" ]; then
			echo "${f##*/} $(sha256sum < "$f" | cut -d' ' -f1)"
		else
			echo "${f##*/} absent"
		fi
	done
}

# The caches' names come from the image's content and KDIR, never from the
# version string: a patched and an unpatched tree share one, and a cache
# keyed by it boots (or loads a module built for) the wrong kernel.
vm_cache_keys() {
	local ik mk

	KERNEL_SHA256=$(vm_file_sha "$KERNEL") || die "cannot hash KERNEL=$KERNEL"
	ik=${KERNEL_SHA256:0:16}
	mk=$({ echo "$KERNEL_SHA256"; vm_kdir_id "$KDIR"; } | sha256sum | cut -c1-16)
	VM_VMLINUX=$VM/vmlinux-$ik
	VM_KMOD=$VM/kmod-$mk
	VM_KVM_OK=$VM/kvm-ok-$ik
	VM_KVM_NO=$VM/kvm-no-$ik
}

# Whether KERNEL is PREEMPT_RT: by its name, or by its configuration.
vm_is_rt() {
	local f

	case "${KERNEL##*/}" in
	*-rt-*) return 0 ;;
	esac
	for f in "$KDIR/.config" "$KDIR/include/config/auto.conf" "$(dirname "$KERNEL")/config-$KVER"; do
		[ -r "$f" ] && grep -q '^CONFIG_PREEMPT_RT=y' "$f" && return 0
	done
	return 1
}

# The guest's extra command line: ZB_VM_APPEND, and what a kernel is known
# to need.  PREEMPT_RT under TCG: its spurious-irq check ("irq 3: nobody
# cared") disables IRQ 3, ttyS1's, and the results never arrive.
vm_append() {
	VM_APPEND=${ZB_VM_APPEND:-}
	vm_is_rt || return 0
	case " $VM_APPEND " in
	*" noirqdebug "*) ;;
	*)
		VM_APPEND="${VM_APPEND:+$VM_APPEND }noirqdebug"
		say "PREEMPT_RT kernel: adding noirqdebug" \
			"(else its irq check disables ttyS1, the results channel)"
		;;
	esac
}

# True if $1 is an ELF file (without depending on file(1)).
is_elf() {
	[ "$(head -c 4 "$1" 2>/dev/null | od -An -c | tr -d ' ')" = '177ELF' ]
}

# Debian's bzImage carries vmlinux xz-compressed; booting the ELF through
# PVH skips the decompressor and real-mode setup (~2 s less under TCG).
# Falls back to the image as given when no ELF comes out.
vm_vmlinux() {
	local elf=$VM_VMLINUX off

	IMAGE=$KERNEL
	is_elf "$KERNEL" && return 0
	if [ ! -s "$elf" ]; then
		# no xz stream (a gzip or lz4 bzImage of one's own): boot it as is
		off=$({ LC_ALL=C grep -obUaP '\xfd7zXZ\x00' "$KERNEL" || true; } | head -n 1 |
			cut -d: -f1)
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
	local kb=$VM_KMOD src

	say "building zapbench, guest tests and zaptest.ko for $KVER"
	make -C "$ROOT" -s guest > "$VM/build.log" 2>&1 ||
		{ cat "$VM/build.log" >&2; die "userspace build failed"; }
	MODULE_KO=$kb/zaptest.ko
	# kbuild takes seconds to find nothing to do: skip it when the
	# module was built from these very sources (the directory's key
	# already covers the kernel and KDIR)
	src=$(cd "$ROOT"/kmod && find . -type f | LC_ALL=C sort | xargs sha256sum | sha256sum)
	if [ -s "$MODULE_KO" ] && [ "$(cat "$kb/.zb-src" 2>/dev/null)" = "$src" ]; then
		vm_vmlinux
		return 0
	fi
	rm -f "$kb/.zb-src"
	mkdir -p "$kb"
	cp -a "$ROOT"/kmod/. "$kb"/
	make -C "$KDIR" M="$kb" modules >> "$VM/build.log" 2>&1 ||
		{ tail -n 30 "$VM/build.log" >&2; die "zaptest.ko build against $KDIR failed"; }
	echo "$src" > "$kb/.zb-src"
	vm_vmlinux
}

# $1 in single quotes, for the guest's shell.
vm_sq() {
	printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"
}

# The host's machine (zapbench machine): a guest's record names where it ran.
vm_host_machine() {
	local m id name

	m=$("$ROOT"/build/zapbench machine 2>/dev/null) || return 0
	id=$(printf '%s\n' "$m" | sed -n 's/^id //p')
	name=$(printf '%s\n' "$m" | sed -n 's/^name //p')
	echo "export ZB_VM_HOST_MACHINE_ID=$(vm_sq "$id") ZB_VM_HOST_MACHINE=$(vm_sq "$name")"
}

# The kernel's .config, for the guest's records (context.system.config):
# Debian ships none inside the guest.  Next to the image as config-<ver>
# (Debian's layout, also kernel-fetch's), else the build tree's .config.
vm_kernel_config() {
	local cfg

	cfg=$(dirname "$KERNEL")/config-${KERNEL##*/vmlinuz-}
	[ -r "$cfg" ] || cfg=$KDIR/.config
	[ -r "$cfg" ] && echo "$cfg"
	return 0
}

# What the guest's file system holds, one "source destination" a line:
# busybox, init, zapbench, the guest tests, Debian's perf when the host
# has it (perf stat -e 'zaptest:*' in the guest), the module, the
# kernel's config, and the shared libraries the binaries need (libpfm4
# has no static archive in Debian, so the guest gets the host's).
vm_manifest() {
	local t bins=() cfg

	echo "/bin/busybox bin/busybox"
	echo "$ROOT/scripts/guest/init init"
	echo "$ROOT/tests/run zb/run"
	echo "$ROOT/build/guest/zb-exit zb/zb-exit"
	bins+=("$ROOT/build/zapbench")
	echo "$ROOT/build/zapbench zb/zapbench"
	if [ -x /usr/bin/perf ] && is_elf /usr/bin/perf; then
		bins+=(/usr/bin/perf)
		echo "/usr/bin/perf zb/perf"
	fi
	for t in "$ROOT"/build/tests/guest/*; do
		{ [ -f "$t" ] && [ -x "$t" ]; } || continue
		bins+=("$t")
		echo "$t zb/tests/${t##*/}"
	done
	[ "$MODULE" = 1 ] && echo "$MODULE_KO zb/zaptest.ko"
	cfg=$(vm_kernel_config)
	[ -n "$cfg" ] && echo "$cfg zb/kernel.config"
	# ldd fails when one of them is static (test_compat32)
	{ ldd "${bins[@]}" 2>/dev/null || true; } | grep -o '/[^ ]*' | grep -v ':$' | LC_ALL=C sort -u |
		while read -r t; do echo "$t ${t#/}"; done
}

# The guest's initramfs: a cached archive of the manifest's files (keyed
# by every file's path, size, mtime and inode, and by this script: packing
# 40 MB costs seconds a boot; uncompressed, as inflating it costs the TCG
# guest 0.5 s), then a small one with this boot's command and environment.
# The kernel unpacks concatenated archives in order.
vm_pack() {
	local r=$VM/root m=$VM/manifest key base src dst

	vm_manifest > "$m"
	# one stat(1) for them all: the manifest says which file goes where
	key=$({
		cat "$m"
		cut -d' ' -f1 "$m" | xargs stat -L -c '%s %.9Y %i' "$ROOT/scripts/vm-lib.sh"
	} | sha256sum | cut -c1-16)
	base=$VM/initramfs-base-$key.cpio
	if [ ! -s "$base" ]; then
		rm -rf "${r:?}"
		mkdir -p "$r"/bin "$r"/zb/tests "$r"/proc "$r"/sys "$r"/dev "$r"/tmp
		while read -r src dst; do
			mkdir -p "$r/$(dirname "$dst")"
			cp -L "$src" "$r/$dst"
		done < "$m"
		(cd "$r" && find . | cpio -o -H newc --quiet) > "$base.tmp.$$"
		mv -f "$base.tmp.$$" "$base"
		# keep a few: ab alternates two kernels, hence two modules
		ls -t "$VM"/initramfs-base-*.cpio | tail -n +5 | xargs -r rm -f
	fi
	touch "$base"
	r=${VM:?}/this-boot
	rm -rf "$r" && mkdir -p "$r/zb"
	{
		echo "ZB_MODULE=$([ "$MODULE" = 1 ] && echo 1)"
		echo "export ZB_MODPARAMS='claim_base=$CLAIM_BASE claim_size=$CLAIM_SIZE" \
			"remap_base=$REMAP_BASE remap_size=$REMAP_SIZE$PARAMS'"
		echo "export ZB_GUEST=1 ZAPBENCH=/zb/zapbench ZB_CLAIM_BASE=$CLAIM_BASE ZB_CLAIM_SIZE=$CLAIM_SIZE" \
			"ZB_REMAP_BASE=$REMAP_BASE ZB_REMAP_SIZE=$REMAP_SIZE"
		# what the guest's records say of the kernel and of the VM (harness/record/kernel_id.c)
		echo "export ZB_KERNEL_IMAGE=$(vm_sq "$KERNEL") ZB_KERNEL_SHA256=$KERNEL_SHA256"
		echo "export ZB_KDIR=$(vm_sq "$KDIR")"
		echo "export ZB_VM_SMP=$SMP ZB_VM_HOST_CPUS=$HOST_CPUS ZB_VM_OVERCOMMIT=$OVERCOMMIT"
		vm_host_machine
		# the config the manifest packed, if any
		src=$(sed -n 's| zb/kernel\.config$||p' "$m")
		[ -z "$src" ] ||
			echo "export ZB_KERNEL_CONFIG=/zb/kernel.config ZB_KERNEL_CONFIG_SOURCE=$(vm_sq "$src")"
	} > "$r"/zb/env
	printf '%q ' "$@" > "$r"/zb/cmd
	echo >> "$r"/zb/cmd
	{
		cat "$base"
		(cd "$r" && find zb | cpio -o -H newc --quiet) | gzip -1
	} > "$VM/initramfs.tmp"
	mv -f "$VM/initramfs.tmp" "$VM/initramfs"
}

# Watch the running QEMU (timeout's pid $1) until it exits.  Once the guest
# says on its console that it is sending the results, ttyS1 must not stay
# silent for STALL seconds: a guest whose serial interrupt was disabled
# ("irq 3: nobody cared") would otherwise sit out the whole timeout.
vm_watch() {
	local pid=$1 size=-1 now last=$SECONDS sending=0

	VM_STALLED=0
	while kill -0 "$pid" 2>/dev/null; do
		sleep 0.2
		if [ "$sending" = 0 ]; then
			grep -q 'zb-guest: sending results' "$VM/console.log" 2>/dev/null || continue
			sending=1
			last=$SECONDS
		fi
		now=$(stat -c %s "$VM/results.txt" 2>/dev/null || echo 0)
		if [ "$now" != "$size" ]; then
			size=$now
			last=$SECONDS
		elif [ $((SECONDS - last)) -ge "$STALL" ] &&
		     ! grep -q ZB-RESULTS-END "$VM/results.txt" 2>/dev/null; then
			VM_STALLED=1
			kill "$(cat "$VM/qemu.pid" 2>/dev/null)" 2>/dev/null
			break
		fi
	done
	wait "$pid"
}

# The most CPUs QEMU's default machine (the one vm_qemu boots) takes, as
# "NAME MAX" (pc-i440fx-7.2 255), from QEMU itself; empty if it will not say.
vm_smp_max() {
	printf '%s\n' '{"execute":"qmp_capabilities"}' '{"execute":"query-machines"}' \
		'{"execute":"quit"}' |
		timeout 10 qemu-system-x86_64 -machine none -qmp stdio -display none \
			-nodefaults 2>/dev/null | tr '{}' '\n\n' | grep '"is-default": true' |
		sed -n 's/.*"name": "\([^"]*\)".*"cpu-max": \([0-9]*\).*/\1 \2/p;
			s/.*"cpu-max": \([0-9]*\).*"name": "\([^"]*\)".*/\2 \1/p' | head -1
}

# setpriv(1) from util-linux sets PR_SET_PDEATHSIG before it execs
VM_PDEATH=()
if command -v setpriv >/dev/null; then VM_PDEATH=(setpriv --pdeathsig KILL); fi

# 0: a verdict came back; otherwise why not, in VM_WHY.
vm_qemu() {
	local accel=$1 tmo=$2 cpu=max st

	[ "$accel" = kvm ] && cpu=host
	rm -f "$VM/console.log" "$VM/results.txt" "$VM/qemu.pid"
	set +e
	# exec, and death signals on both: a SIGKILLed vm script (or ab, whose
	# child it is) takes timeout with it, and timeout its QEMU
	( exec "${VM_PDEATH[@]}" timeout -k 5 "$tmo" "${VM_PDEATH[@]}" qemu-system-x86_64 \
		-accel "$accel" -cpu "$cpu" \
		-m "$MEM" -smp "$SMP" -nodefaults -no-reboot -display none -monitor none \
		-serial file:"$VM/console.log" -serial file:"$VM/results.txt" \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 -pidfile "$VM/qemu.pid" \
		-kernel "$IMAGE" -initrd "$VM/initramfs" \
		-append "console=ttyS0 panic=-1 quiet loglevel=4 memmap=4M\$$CLAIM_BASE memmap=4M\$$REMAP_BASE zb.accel=$accel $VM_APPEND" \
		2> "$VM/qemu.err" ) 2> /dev/null &
	vm_watch $!
	st=$?
	set -e
	VM_STATUS=$st
	if [ "$VM_STALLED" = 1 ]; then
		VM_WHY="guest command exited but the results channel (ttyS1) went silent"
		VM_WHY="$VM_WHY for $STALL s: irq 3 disabled? see $VM/console.log"
	elif [ "$st" = 124 ] || [ "$st" = 137 ]; then
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

# KVM is tried once per kernel image and remembered: nested KVM may exist
# but fail to run the guest, and a failed try costs a timeout.
vm_pick_accel() {
	case "$ACCEL" in
	kvm|tcg) echo "$ACCEL"; return ;;
	esac
	if [ ! -r /dev/kvm ] || [ ! -w /dev/kvm ] || [ -e "$VM_KVM_NO" ]; then
		echo tcg
	elif [ -e "$VM_KVM_OK" ]; then
		echo kvm
	else
		echo probe
	fi
}

vm_boot() {
	local accel rc

	vm_append
	accel=$(vm_pick_accel)
	if [ "$accel" = probe ]; then
		say "trying KVM for $KVER, $SMP CPUs, $MEM"
		if vm_qemu kvm "$((TIMEOUT < 120 ? TIMEOUT : 120))"; then
			touch "$VM_KVM_OK"
			accel=done
		elif [ "$VM_STALLED" = 1 ] || { [ "$VM_STATUS" = 124 ] && [ "$TIMEOUT" -le 120 ]; }; then
			# the guest's own fault, or the user's timeout: KVM is not to blame
			vm_fail "$VM_WHY"
		else
			say "KVM did not run the guest ($VM_WHY): using TCG from now on"
			touch "$VM_KVM_NO"
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

# The kernel reports ("splats") that mean a run proves nothing, whatever
# it printed: one "kind ERE" a line.  A line may be of two kinds (BUG:
# KASAN: is bug and kasan; a soft lockup says BUG: too).
VM_SPLATS='bug BUG:
warning WARNING:
kasan KASAN:
ubsan UBSAN:
lockdep possible (circular|recursive) locking|inconsistent lock state|bad unlock balance|lock inversion|DEBUG_LOCKS_WARN_ON|lockdep is turned off|suspicious RCU usage
soft_lockup soft lockup|hard LOCKUP
hung_task blocked for more than [0-9]+ seconds
rcu_stall rcu: INFO: .*stall
oops Oops|general protection fault|Kernel panic'
VM_SPLAT_ANY=$(printf '%s\n' "$VM_SPLATS" | cut -d' ' -f2- | paste -sd'|')
# what vm_collect refuses: any splat, or a stack trace without one
VM_BAD="$VM_SPLAT_ANY|Call Trace:"

# The splats in log $1 by kind, and lines with any ("total"), as JSON.
vm_splat_counts() {
	local kind re n

	printf '{'
	while read -r kind re; do
		n=$(grep -cE "$re" "$1" || true)
		printf '"%s": %d, ' "$kind" "${n:-0}"
	done <<< "$VM_SPLATS"
	n=$(grep -cE "$VM_SPLAT_ANY" "$1" || true)
	printf '"total": %d}\n' "${n:-0}"
}

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
