#!/usr/bin/env bash
# install-deps.sh - install what a fresh Debian 12 machine lacks to build and
# test ibpf.  Does nothing when everything is already there; needs root (or
# sudo) otherwise.
set -euo pipefail

need=()
have_cmd() { command -v "$1" >/dev/null 2>&1; }
have_file() { [ -e "$1" ]; }

have_cmd cc || need+=(gcc)
have_cmd make || need+=(make)
have_cmd clang-19 || need+=(clang-19)
have_cmd llvm-objdump-19 || need+=(llvm-19)
have_cmd clang-14 || need+=(clang-14)
# libFuzzer and the sanitizer runtimes for clang-14 (make fuzz); only a
# Recommends of clang-14's packages, so ask for it by name.
compgen -G '/usr/lib/llvm-14/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a' >/dev/null ||
	need+=(libclang-rt-14-dev)
have_file /usr/include/gelf.h || need+=(libelf-dev)
have_file /usr/include/zlib.h || need+=(zlib1g-dev)
have_file /usr/include/bpf/bpf_helpers.h || need+=(libbpf-dev)
have_file /usr/include/linux/bpf.h || need+=(linux-libc-dev)
have_cmd bpftool || need+=(bpftool)
have_cmd python3 || need+=(python3)
have_file /usr/include/Zydis/Zydis.h || need+=(libzydis-dev)
have_cmd pkg-config || need+=(pkg-config)

if [ ${#need[@]} -eq 0 ]; then
	exit 0
fi
echo "install-deps: installing ${need[*]}"
SUDO=
if [ "$(id -u)" != 0 ]; then
	have_cmd sudo || { echo "install-deps: need root to apt-get install ${need[*]}" >&2; exit 1; }
	SUDO=sudo
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q "${need[@]}"
