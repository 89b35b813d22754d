#!/usr/bin/env bash
# Installs featscale's packages when any is missing, on Debian 12 (bookworm) or Debian 13 (trixie).
# Idempotent; needs root or sudo. The one list of what featscale needs: scripts/debian13-check.sh runs
# this same script inside its Debian 13 root.
set -euo pipefail

# The releases differ in a few names: the clang that builds the fuzzers (Debian 12 ships clang 14,
# Debian 13 clang 19), Qt's OpenGL headers (their own package on Debian 12 only); clang-format stays
# at 14, which only Debian 12 has: the format is defined by its output.
release=12
if [ -r /etc/os-release ]; then
  release=$(. /etc/os-release && echo "${VERSION_ID:-12}")
fi
case "$release" in
  12) clang=14 ;;
  13) clang=19 ;;
  *) echo "deps: Debian $release is not a supported release (12 or 13); trying Debian 13's names" >&2; clang=19 ;;
esac

PACKAGES=(
  build-essential cmake ccache pkg-config
  qt6-base-dev qt6-base-dev-tools qt6-svg-dev qt6-image-formats-plugins
  # translations: lupdate/lrelease, their CMake functions, Qt's own dialogs in Chinese, CJK glyphs
  qt6-l10n-tools qt6-tools-dev qt6-translations-l10n fonts-wqy-microhei
  libtorch-dev libopenblas0-pthread
  libqcustomplot-dev libqcustomplot2.1-qt6
  libopencv-dev
  nlohmann-json3-dev libhdf5-dev
  libcurl4-openssl-dev ca-certificates
  # SHA-256 and MD5 of weight files: OpenSSL's libcrypto
  libssl-dev
  libgtest-dev
  xvfb xauth
  # installed files: icons rendered from the SVG, man pages and bash completion from the programs'
  # help, the .deb's Depends (dpkg-shlibdeps); the tests validate the desktop and AppStream files
  librsvg2-bin help2man python3 dpkg-dev desktop-file-utils appstream
  # tests only: reference numbers and fixture files
  python3-torch python3-torchvision python3-pil python3-opencv python3-h5py python3-onnx python3-protobuf protobuf-compiler
  openssl
  # tests only: the README's Slurm recipe on a single-node cluster (ctest label cluster). Installing
  # starts no Slurm daemon (no /etc/slurm/slurm.conf); a container's policy-rc.d also keeps the
  # system munged stopped, and the test uses its own munged either way
  slurm-wlm munge
  # fuzzing (libFuzzer); the format check (Debian 12 only)
  clang-$clang libclang-rt-$clang-dev
)
# Debian 12 only: Qt's OpenGL headers (Debian 13's qt6-base-dev holds them) and clang-format 14.
if [ "$clang" = 14 ]; then PACKAGES+=(libqt6opengl6-dev clang-format-14); fi

missing=()
for p in "${PACKAGES[@]}"; do
  [[ "$p" == \#* ]] && continue
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi
echo "deps: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "deps: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
  SUDO=sudo
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
