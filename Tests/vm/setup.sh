#!/usr/bin/env bash
# Tests/vm/setup.sh — prepare everything the hardware-in-the-loop VM needs.
#
# The build machines have no /dev/uinput, no input devices and no GPIO chips, so the
# device tests run inside a small qemu virtual machine that boots Debian's own kernel.
# This script gets that machine ready and is safe to run any number of times: each
# step checks whether its result is already in the cache and skips itself if so, so a
# second run takes about a second and needs no network.
#
#   1. Debian packages (qemu, busybox, udev, compilers, headers)  -> the host
#   2. Debian's kernel image, unpacked (never installed)          -> .cache/vm/kernel/
#   3. gpio-sim, a GPIO chip simulator Debian does not ship,
#      built as a module from the same kernel version's source   -> .cache/vm/gpio-sim/
#   4. the test tools in Tests/vm/tools/*.c                        -> .cache/vm/bin/
#   5. a tiny initramfs (busybox + the modules + Tests/vm/initramfs/init)
#                                                                 -> .cache/vm/initramfs/
#   6. .cache/vm/ready.env, naming the files run.sh boots with.
#
# Usage: bash Tests/vm/setup.sh [--quick]   (run.sh calls it with --quick by itself)
#        bash Tests/vm/setup.sh --packages  only step 1, then stop
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/host.sh"
set -E
trap 's=$?; echo "${BASH_SOURCE[0]##*/}: line $LINENO: \`$BASH_COMMAND\` failed (status $s)" >&2' ERR   # (host.sh sets the same; stated here so this file says it)

mkdir -p "$CACHE"
# Two runs at once (a developer and CI on one machine) must not build into the same
# folders at the same time: the second waits for the first, then finds it all done.
exec 9>"$CACHE/setup.lock"
flock 9

# Root is needed only to install packages; everything else is plain files.
as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

APT_UPDATED=no
apt_update_once() {
    if [ "$APT_UPDATED" = no ]; then
        say "apt-get update"
        as_root apt-get update -qq
        APT_UPDATED=yes
    fi
}

# --- Which kernel -----------------------------------------------------------------
# linux-image-amd64 is Debian's "latest kernel" meta package. It depends on the real
# one with an exact version: "Depends: linux-image-6.1.0-56-amd64 (= 6.1.192-2)". The
# ABI number (56) changes with kernel updates, so it is read from the package lists,
# never written down here. (One apt-cache call: on machines whose apt keeps no binary
# cache, each call costs ~4 s, so `apt-cache depends` + `policy` would cost twice.)
#
# --quick (what run.sh uses) skips this look-up and reuses the kernel of the last
# setup, so a cached run needs neither apt nor the network; plain setup.sh picks up a
# newer kernel when the package lists have one.
kernel_from_apt() {
    apt-cache show --no-all-versions linux-image-amd64 2>/dev/null |
        sed -n 's/^Depends:.*linux-image-\([0-9][^ ]*\) (= \([^)]*\)).*/\1 \2/p' | head -n1
}
KVER= KVERSION=
if [ "${1:-}" = --quick ] && [ -r "$READY_ENV" ]; then
    KVER=$(sed -n 's/^VM_KVER=//p' "$READY_ENV")
    KVERSION=$(sed -n 's/^VM_KVERSION=//p' "$READY_ENV")
fi
if [ -z "$KVER" ] || [ -z "$KVERSION" ]; then
    read -r KVER KVERSION <<<"$(kernel_from_apt)" || true
    if [ -z "$KVER" ]; then
        apt_update_once          # a fresh machine has empty package lists
        read -r KVER KVERSION <<<"$(kernel_from_apt)" || true
    fi
fi
[ -n "$KVER" ] && [ -n "$KVERSION" ] ||
    die "apt-cache knows no linux-image-amd64; is this Debian on amd64?"
KSERIES=$(echo "$KVER" | cut -d. -f1,2)        # 6.1, as in linux-source-6.1
KID=${KVER}_${KVERSION}                        # names this kernel's cache folders

# --- 1. Packages ------------------------------------------------------------------
# Everything the harness and the scenarios call that a minimal Debian lacks: the VM runs
# the host's own programs (its / is the host's), so jq, sqlite3, ip, mkfs.ext4 and the
# rest must be installed here, on the host. One dpkg-query per package: a package dpkg
# has never heard of makes dpkg-query fail, which must mean "missing", not stop the run.
PACKAGES="qemu-system-x86 busybox-static kmod udev gcc make libc6-dev
          linux-headers-$KVER libudev-dev libevdev-dev pkg-config xz-utils
          jq sqlite3 iproute2 e2fsprogs"
missing=()
for p in $PACKAGES; do
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    [ "$status" = "install ok installed" ] || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    apt_update_once
    say "installing ${missing[*]}"
    as_root env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    for p in "${missing[@]}"; do
        status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
        [ "$status" = "install ok installed" ] || die "$p is still not installed after apt-get (dpkg: ${status:-unknown})"
    done
fi
if [ "${1:-}" = --packages ]; then
    say "VM packages installed"
    exit 0
fi

# apt-get download as root would otherwise warn that its sandbox user cannot write
# into our cache folder; the download itself is the same either way.
apt_download() {  # apt_download PACKAGE=VERSION  (into the current directory)
    apt-get download -qq -o APT::Sandbox::User=root "$1"
}

# --- 2. The kernel image ----------------------------------------------------------
# dpkg -x only unpacks the package's files into a folder: vmlinuz and the modules.
KROOT=$CACHE/kernel/$KID
if [ ! -e "$KROOT/.done" ]; then
    say "downloading and unpacking linux-image-$KVER $KVERSION"
    rm -rf "$KROOT" "$KROOT.tmp"
    mkdir -p "$KROOT.tmp"
    ( cd "$KROOT.tmp" && apt_download "linux-image-$KVER=$KVERSION" &&
      dpkg -x linux-image-*.deb . && rm linux-image-*.deb )
    mv "$KROOT.tmp" "$KROOT"
    touch "$KROOT/.done"
fi
MODDIR=$KROOT/lib/modules/$KVER

# Boot the uncompressed kernel, not vmlinuz. vmlinuz (a "bzImage") is a small program
# that first unpacks the real kernel, xz-compressed inside it; under software
# emulation that unpacking alone took ~13 s per boot on a busy build machine. Debian builds its kernel with
# CONFIG_PVH (an entry point for direct booting), so qemu can load the unpacked ELF
# file `vmlinux` itself. We unpack it once here. The compressed payload's position is
# in the bzImage header (Linux boot protocol): it starts (setup_sects + 1) * 512 bytes
# in (setup_sects is the byte at 0x1f1) plus payload_offset (the 32-bit word at 0x248).
KERNEL=$KROOT/boot/vmlinuz-$KVER
if grep -q '^CONFIG_PVH=y' "$KROOT/boot/config-$KVER"; then
    if [ ! -s "$KROOT/vmlinux" ]; then
        say "unpacking vmlinux from vmlinuz (for direct PVH boot)"
        setup_sects=$(od -An -tu1 -j $((0x1f1)) -N1 "$KERNEL" | tr -d ' ')
        [ "$setup_sects" = 0 ] && setup_sects=4      # the protocol's "0 means 4"
        payload_offset=$(od -An -tu4 -j $((0x248)) -N4 "$KERNEL" | tr -d ' ')
        start=$(( (setup_sects + 1) * 512 + payload_offset ))
        magic=$(od -An -tx1 -j "$start" -N2 "$KERNEL" | tr -d ' ')
        case "$magic" in
            fd37) unpack="xz -dc --single-stream" ;;   # Debian's choice (CONFIG_KERNEL_XZ)
            1f8b) unpack="gzip -dc" ;;
            *)    unpack= ;;
        esac
        # (tail is cut off by SIGPIPE when xz stops at the end of its stream: only
        # xz's own exit status counts, hence no pipefail in that subshell)
        if [ -n "$unpack" ] &&
           ( set +o pipefail; tail -c +$((start + 1)) "$KERNEL" | $unpack >"$KROOT/vmlinux.tmp" ) &&
           [ "$(head -c4 "$KROOT/vmlinux.tmp" | od -An -tx1 | tr -d ' ')" = 7f454c46 ]; then
            mv "$KROOT/vmlinux.tmp" "$KROOT/vmlinux"
        else
            rm -f "$KROOT/vmlinux.tmp"
            say "note: could not unpack vmlinux (payload magic $magic); booting vmlinuz (slower)"
        fi
    fi
    [ -s "$KROOT/vmlinux" ] && KERNEL=$KROOT/vmlinux
fi

# --- 3. gpio-sim ------------------------------------------------------------------
# gpio-sim includes gpiolib.h, the GPIO core's private header, so it must be compiled
# from the source of exactly the running image's version. Only three files are taken
# out of the ~140 MB source tarball (streamed: the tarball is never stored).
GSIM=$CACHE/gpio-sim/$KID
if [ ! -e "$GSIM/gpio-sim.ko" ]; then
    say "building gpio-sim from linux-source-$KSERIES $KVERSION (the download is ~140 MB)"
    rm -rf "$GSIM" && mkdir -p "$GSIM/dl"
    ( cd "$GSIM/dl" && apt_download "linux-source-$KSERIES=$KVERSION" )
    top=linux-source-$KSERIES
    dpkg-deb --fsys-tarfile "$GSIM"/dl/linux-source-*.deb |
        tar -xO "./usr/src/$top.tar.xz" |
        tar -xJ -C "$GSIM/dl" "$top/drivers/gpio/gpio-sim.c" \
            "$top/drivers/gpio/gpiolib.h" "$top/kernel/irq/irq_sim.c"
    mv "$GSIM/dl/$top/drivers/gpio/gpio-sim.c" "$GSIM/gpio-sim-main.c"
    mv "$GSIM/dl/$top/drivers/gpio/gpiolib.h" "$GSIM/gpiolib.h"
    mv "$GSIM/dl/$top/kernel/irq/irq_sim.c" "$GSIM/irq_sim.c"
    rm -rf "$GSIM/dl"
    # irq_sim.c calls handle_simple_irq(irq_to_desc(irqnum)); irq_to_desc is not
    # exported to modules, so linking fails. generic_handle_irq(irqnum) looks up the
    # descriptor itself and calls the same flow handler: same behaviour, public API.
    sed -i 's/handle_simple_irq(irq_to_desc(\([a-z_]*\)))/generic_handle_irq(\1)/' "$GSIM/irq_sim.c"
    grep -q 'irq_to_desc' "$GSIM/irq_sim.c" && die "the irq_to_desc fix no longer applies to irq_sim.c"
    cp "$VM_DIR/gpio-sim/Kbuild" "$GSIM/Kbuild"
    make -s -C "/usr/src/linux-headers-$KVER" M="$GSIM" modules >"$GSIM/build.log" 2>&1 ||
        { cat "$GSIM/build.log" >&2; die "gpio-sim did not build"; }
fi
# Put it where depmod looks, so modprobe below can order it after configfs.
if ! cmp -s "$GSIM/gpio-sim.ko" "$MODDIR/updates/gpio-sim.ko"; then
    mkdir -p "$MODDIR/updates"
    cp "$GSIM/gpio-sim.ko" "$MODDIR/updates/gpio-sim.ko"
    depmod -b "$KROOT" "$KVER"
fi

# --- 4. Test tools ----------------------------------------------------------------
# Plain C against the kernel's uapi headers; rebuilt whenever the source changes
# (compared by content, so switching branches back and forth stays correct).
mkdir -p "$CACHE/bin"
shopt -s nullglob
for src in "$VM_DIR"/tools/*.c; do
    bin=$CACHE/bin/$(basename "$src" .c)
    sum=$(sha256sum <"$src" | cut -c1-16)
    if [ ! -x "$bin" ] || [ "$(cat "$bin.stamp" 2>/dev/null)" != "$sum" ]; then
        say "compiling $(basename "$src")"
        gcc -O2 -Wall -Wextra -Werror -o "$bin" "$src"
        echo "$sum" >"$bin.stamp"
    fi
done

# --- 5. The initramfs -------------------------------------------------------------
# The VM's first file system: a static busybox, the kernel modules the tests need and
# Tests/vm/initramfs/init, which loads them, mounts the host's / read-only and runs
# the guest script there (see that file).
#
# The modules we want; modprobe --show-depends (run here, on the host, against the
# unpacked tree) lists each one's dependencies first, which gives the insmod order.
WANTED_MODULES="evdev uinput uhid configfs virtio_pci 9pnet_virtio 9p overlay gpio-sim virtio_blk ext4"
order=$(for m in $WANTED_MODULES; do
            modprobe -d "$KROOT" -S "$KVER" --show-depends "$m"
        done | awk '$1 == "insmod" && !seen[$2]++ { print $2 }')
INITRD=$CACHE/initramfs/$KID.cpio
# Rebuilt whenever anything that goes into it changes.
stamp=$( { echo "$order"; cat "$VM_DIR/initramfs/init" /bin/busybox; cat $order; } | sha256sum | cut -c1-16)
if [ "$(cat "$INITRD.stamp" 2>/dev/null)" != "$stamp" ]; then
    say "building the initramfs"
    stage=$CACHE/initramfs/stage
    rm -rf "$stage" && mkdir -p "$stage"/{bin,proc,sys,dev,newroot,lib/modules}
    cp /bin/busybox "$stage/bin/busybox"
    for applet in $(/bin/busybox --list); do
        [ -e "$stage/bin/$applet" ] || ln -s busybox "$stage/bin/$applet"
    done
    install -m 0755 "$VM_DIR/initramfs/init" "$stage/init"   # must be executable
    for ko in $order; do
        name=$(basename "$ko"); name=${name%.xz}
        case "$ko" in
            *.xz) xz -dc "$ko" >"$stage/lib/modules/$name" ;;  # busybox insmod wants plain .ko
            *)    cp "$ko" "$stage/lib/modules/$name" ;;
        esac
        echo "$name" >>"$stage/lib/modules/order"
    done
    # newc is the cpio format the kernel unpacks; no compression: it is ~4 MB and
    # unpacking plain cpio is the fastest thing a TCG-emulated kernel can do.
    ( cd "$stage" && find . | LC_ALL=C sort | /bin/busybox cpio -o -H newc 2>/dev/null ) >"$INITRD.tmp"
    mv "$INITRD.tmp" "$INITRD"
    echo "$stamp" >"$INITRD.stamp"
    rm -rf "$stage"
fi

# --- Drop caches of older kernels -------------------------------------------------
for d in "$CACHE"/kernel/* "$CACHE"/gpio-sim/* "$CACHE"/initramfs/*.cpio; do
    case "$d" in *"/$KID"|*"/$KID.cpio"|*'*'*) ;; *) say "removing stale $d"; rm -rf "$d" "$d.stamp" ;; esac
done

# --- 6. Done ----------------------------------------------------------------------
cat >"$READY_ENV.tmp" <<EOF
# Written by Tests/vm/setup.sh; read by run.sh.
VM_KVER=$KVER
VM_KVERSION=$KVERSION
VM_KERNEL=$KERNEL
VM_INITRD=$INITRD
VM_BIN=$CACHE/bin
EOF
mv "$READY_ENV.tmp" "$READY_ENV"
say "VM ready: kernel $KVER ($KVERSION)"
