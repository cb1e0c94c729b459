#!/usr/bin/env bash
# Makes this machine able to build BTT: the native node and the wasm runtime.
#
# Idempotent and quick when everything is in place. Two routes for the wasm target:
#   1. rustup: `wasm32v1-none` target + `rust-src` component (a normal, online machine);
#   2. Debian: `rustc-web` (Rust 1.96, sysroot /usr) + `rust-web-src` + `rust-web-llvm` +
#      `lld-22`, with `core`/`alloc`/`compiler_builtins` for `wasm32v1-none` built once from
#      the shipped sources and installed into the sysroot (offline machines without rustup
#      targets, such as our CI hosts).
# It also installs the system packages the node build needs (clang/libclang for RocksDB's
# bindings, protoc for the networking crates).
#
# Output: `$BTT_CACHE/toolchain/env`, a file of `export` lines that `scripts/lib/env.sh`
# sources, so every script uses the same compiler (one compiler, one build cache).
set -euo pipefail

BTT_CACHE="${BTT_CACHE:-$HOME/.cache/btt}"
TOOLCHAIN_DIR="$BTT_CACHE/toolchain"
ENV_FILE="$TOOLCHAIN_DIR/env"
WASM_TARGET=wasm32v1-none

say() { printf '[setup-toolchain] %s\n' "$*" >&2; }
die() { printf '[setup-toolchain] ERROR: %s\n' "$*" >&2; exit 1; }

# Installs Debian packages when they are missing; fails with the package names otherwise.
apt_install() {
	local missing=()
	for pkg in "$@"; do
		dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	command -v apt-get >/dev/null || die "missing packages ${missing[*]} and no apt-get to install them"
	local sudo=""
	if [ "$(id -u)" -ne 0 ]; then
		command -v sudo >/dev/null || die "missing packages ${missing[*]}; run as root or install sudo"
		sudo=sudo
	fi
	say "installing Debian packages: ${missing[*]}"
	$sudo apt-get update -qq >/dev/null || say "apt-get update failed; trying the cached package lists"
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null \
		|| die "could not install ${missing[*]} with apt-get"
}

# --- System packages for the node (RocksDB bindings via libclang, protoc) -------------------
# cmake and g++ build the CharLS (JPEG-LS) sources bundled in the off-chain workers' charls-sys;
# DCMTK and opj_compress encode the 8,192² files of diagnostics' memory test.
if command -v dpkg-query >/dev/null; then
	apt_install clang libclang-dev protobuf-compiler pkg-config libssl-dev cmake g++ dcmtk libopenjp2-tools
else
	for tool in clang protoc pkg-config cmake c++; do
		command -v "$tool" >/dev/null || die "'$tool' is required to build the node (install clang, libclang, protobuf-compiler)"
	done
fi

# --- Route 1: rustup with the wasm target and rust-src --------------------------------------
rustup_ready() {
	command -v rustup >/dev/null || return 1
	rustup target list --installed 2>/dev/null | grep -qx "$WASM_TARGET" || return 1
	rustup component list --installed 2>/dev/null | grep -q '^rust-src' || return 1
}

route=""
if [ "${BTT_TOOLCHAIN_ROUTE:-}" = debian ]; then
	say "BTT_TOOLCHAIN_ROUTE=debian: skipping rustup"
elif rustup_ready; then
	route=rustup
elif command -v rustup >/dev/null && [ ! -f "$TOOLCHAIN_DIR/rustup-offline" ]; then
	say "trying: rustup target add $WASM_TARGET && rustup component add rust-src"
	if timeout 120 rustup target add "$WASM_TARGET" >/dev/null 2>&1 \
		&& timeout 120 rustup component add rust-src >/dev/null 2>&1 && rustup_ready; then
		route=rustup
	else
		say "rustup cannot add them here (offline?); using the Debian route"
		mkdir -p "$TOOLCHAIN_DIR" && touch "$TOOLCHAIN_DIR/rustup-offline"
	fi
fi

# --- Route 2: Debian rustc-web, with wasm32v1-none core/alloc built once ---------------------
if [ -z "$route" ]; then
	command -v dpkg-query >/dev/null || die "no rustup wasm target and not a Debian system: install the $WASM_TARGET target and rust-src"
	apt_install rustc-web cargo-web rust-web-src rust-web-llvm lld-22
	[ -x /usr/bin/rust-lld ] || die "/usr/bin/rust-lld missing (package rust-web-llvm with lld-22)"
	[ -d /usr/lib/rustlib/src/rust/library ] || die "standard library sources missing (package rust-web-src)"

	mkdir -p "$TOOLCHAIN_DIR/bin"
	for tool in rustc cargo rustdoc; do
		ln -sfn "/usr/bin/$tool" "$TOOLCHAIN_DIR/bin/$tool"
	done
	export PATH="$TOOLCHAIN_DIR/bin:$PATH"
	unset RUSTC RUSTUP_TOOLCHAIN

	sysroot="$(rustc --print sysroot)"
	target_lib="$sysroot/lib/rustlib/$WASM_TARGET/lib"
	[ -w "$sysroot/lib/rustlib" ] || ls "$target_lib"/libcore-*.rlib >/dev/null 2>&1 \
		|| die "installing the $WASM_TARGET standard library into $sysroot/lib/rustlib needs root"
	if ! ls "$target_lib"/libcore-*.rlib >/dev/null 2>&1; then
		say "building core/alloc for $WASM_TARGET once (about a minute)"
		scratch="$(mktemp -d)"
		trap 'rm -rf "$scratch"' EXIT
		mkdir -p "$scratch/src"
		cat > "$scratch/Cargo.toml" <<-TOML
			[package]
			name = "btt-wasm-sysroot"
			version = "0.0.0"
			edition = "2021"
			[lib]
			crate-type = ["cdylib"]
			path = "src/lib.rs"
			[profile.release]
			panic = "abort"
			[workspace]
		TOML
		cat > "$scratch/src/lib.rs" <<-'RS'
			#![no_std]
			#[panic_handler]
			fn panic(_: &core::panic::PanicInfo) -> ! { loop {} }
		RS
		# The runtime's release wasm uses LTO, which needs bitcode in these rlibs.
		( cd "$scratch" && RUSTC_BOOTSTRAP=1 RUSTFLAGS=-Cembed-bitcode=yes CARGO_TARGET_DIR="$scratch/target" \
			cargo build -q --release --target "$WASM_TARGET" -Zbuild-std=core,alloc ) \
			|| die "building core/alloc for $WASM_TARGET failed (see the cargo output above)"
		mkdir -p "$target_lib"
		for lib in core alloc compiler_builtins; do
			cp "$scratch"/target/"$WASM_TARGET"/release/deps/lib"$lib"-*.rlib "$target_lib"/ \
				|| die "lib$lib rlib not produced"
		done
		# A stale wasm build made against other rlibs must not be reused.
		rm -rf "${CARGO_TARGET_DIR:-$BTT_CACHE/target}"/*/wbuild/btt-runtime
		say "installed core/alloc/compiler_builtins into $target_lib"
	fi
	route=debian
fi

mkdir -p "$TOOLCHAIN_DIR"
{
	echo "# written by scripts/setup-toolchain.sh (route: $route)"
	if [ "$route" = debian ]; then
		echo "export PATH=\"$TOOLCHAIN_DIR/bin:\$PATH\""
		echo "unset RUSTC RUSTUP_TOOLCHAIN"
	fi
} > "$ENV_FILE"
say "ready (route: $route; $(PATH="$TOOLCHAIN_DIR/bin:$PATH" rustc --version))"
