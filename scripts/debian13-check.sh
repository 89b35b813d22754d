#!/usr/bin/env bash
# Builds featscale on Debian 13 (trixie: LibTorch 2.6, Qt 6.8, OpenCV 4.10) from this tree and checks
# it against the Debian 12 build beside it.
#   scripts/debian13-check.sh [--no-tests | --packages-only]
# 1. A Debian 13 root made with debootstrap (once; kept in FEATSCALE_DEBIAN13_ROOT, default
#    /var/cache/featscale/debian13-root, with its build tree and compiler cache, so a later run only
#    rebuilds what changed).
# 2. scripts/install-deps.sh inside it: the same package list as Debian 12, one source of truth.
# 3. Both programs built there (and the tests, unless --no-tests).
# 4. featscale-cli of both releases analyses the bundled samples: the numbers must agree
#    (scripts/compare-runs.py; HOST_BUILD names the Debian 12 build tree, default build/).
# 5. Unless --no-tests, the engine and CLI tests (ctest labels engine, cli) run inside the root.
# --packages-only stops after step 2 (makes or updates the root ahead of a check).
# Needs root (debootstrap, chroot, bind mounts) and Debian's package mirror. Exit 0 when all agree.
set -euo pipefail
src="$(cd "$(dirname "$0")/.." && pwd)"
root=${FEATSCALE_DEBIAN13_ROOT:-/var/cache/featscale/debian13-root}
case "$root" in /*/*) ;; *) echo "debian13: FEATSCALE_DEBIAN13_ROOT must be an absolute path below /" >&2; exit 2 ;; esac
host_build=${HOST_BUILD:-$src/build}
jobs=${JOBS:-$(nproc)}
run_tests=1
packages_only=0
for a in "$@"; do
  case "$a" in
    --no-tests) run_tests=0 ;;
    --packages-only) packages_only=1 ;;
    *) echo "usage: scripts/debian13-check.sh [--no-tests | --packages-only]" >&2; exit 2 ;;
  esac
done
say() { echo "debian13: $*"; }
[ "$(id -u)" -eq 0 ] || { say "needs root (debootstrap, chroot)" >&2; exit 1; }

# The host's own Debian mirror (deb822 or one-line sources), else Debian's.
mirror=${DEBIAN_MIRROR:-}
if [ -z "$mirror" ]; then
  mirror=$(sed -n 's/^URIs: *\([^ ]*\/debian\)\/*$/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -1 || true)
  [ -n "$mirror" ] || mirror=$(sed -n 's/^deb \(\[[^]]*\] \)\?\([^ ]*\/debian\)\/* .*/\2/p' /etc/apt/sources.list 2>/dev/null | head -1 || true)
  [ -n "$mirror" ] || mirror=http://deb.debian.org/debian
fi

start=$(date +%s)
# Mounts left by a run that was killed (SIGKILL skips the cleanup below) are taken down first, so
# nothing below can reach the host's /dev or /proc through them.
if [ -d "$root" ]; then
  awk -v r="$root/" 'index($2, r) == 1 { print $2 }' /proc/mounts | sort -r | while read -r m; do umount -l "$m" || true; done
  if awk -v r="$root/" 'index($2, r) == 1 { found = 1 } END { exit !found }' /proc/mounts; then
    say "$root still has mounts below it; not touching it" >&2
    exit 1
  fi
fi
if [ ! -e "$root/.featscale-root" ]; then
  command -v debootstrap >/dev/null || { apt-get install -y -q debootstrap >/dev/null; }
  say "creating the Debian 13 root in $root from $mirror"
  rm -rf "$root.new"
  mkdir -p "$(dirname "$root")"
  debootstrap --variant=minbase trixie "$root.new" "$mirror" >"$(dirname "$root")/debootstrap.log" 2>&1 ||
    { tail -20 "$(dirname "$root")/debootstrap.log" >&2; say "debootstrap failed" >&2; exit 1; }
  cat >"$root.new/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $mirror
Suites: trixie trixie-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  rm -f "$root.new/etc/apt/sources.list"
  touch "$root.new/.featscale-root"
  rm -rf "$root"
  mv "$root.new" "$root"
  say "root made in $(( $(date +%s) - start )) s"
fi
# apt's proxy settings and name resolution as on the host.
cp -L /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
for f in /etc/apt/apt.conf.d/*proxy* /etc/apt/apt.conf; do
  [ -f "$f" ] && cp "$f" "$root/etc/apt/apt.conf.d/$(basename "$f")-host"
done

mounted=()
cleanup() {
  local i
  for (( i=${#mounted[@]}-1; i>=0; i-- )); do umount -l "${mounted[$i]}" 2>/dev/null || true; done
}
trap cleanup EXIT
trap "exit 143" TERM INT
mount_in() { # mount_in TARGET mount-args...
  local t="$root$1"; shift
  mkdir -p "$t"
  mount "$@" "$t"
  mounted+=("$t")
}
mount_in /proc -t proc proc
mount_in /sys -t sysfs sysfs
mount_in /dev --bind /dev
mount_in /dev/pts --bind /dev/pts
mount_in /dev/shm -t tmpfs tmpfs
mount_in /tmp -t tmpfs tmpfs

inroot() { chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 \
  DEBIAN_FRONTEND=noninteractive "$@"; }

# The tree as git sees it (tracked and new files, not ignored ones), with its mtimes: an unchanged
# file keeps its time, so the kept build tree rebuilds only what changed.
mkdir -p "$root/featscale"
rm -rf "$root/featscale/src"
mkdir "$root/featscale/src"
(cd "$src" && git ls-files -z --cached --others --exclude-standard | xargs -0 -r sh -c 'for f; do [ -e "$f" ] && printf "%s\0" "$f"; done' _ |
  tar --null -T - -cf -) | tar -xf - -C "$root/featscale/src"

say "packages (scripts/install-deps.sh)"
inroot bash -c 'apt-get update -q >/dev/null && bash /featscale/src/scripts/install-deps.sh' | tail -1
inroot bash -c '. /etc/os-release; echo "debian13: $PRETTY_NAME; $(dpkg-query -W -f="libtorch-dev \${Version}, qt6-base-dev " libtorch-dev)$(dpkg-query -W -f="\${Version}, libopencv-dev " qt6-base-dev)$(dpkg-query -W -f="\${Version}" libopencv-dev)"'

if [ "$packages_only" = 1 ]; then
  say "root and packages ready in $(( $(date +%s) - start )) s"
  exit 0
fi

say "building in $root/featscale/build"
built=$(date +%s)
targets=()
[ "$run_tests" = 1 ] || targets=(--target featscale featscale-cli)
inroot bash -c "cmake -S /featscale/src -B /featscale/build -DCMAKE_BUILD_TYPE=Release >/featscale/configure.log 2>&1 ||
  { cat /featscale/configure.log; exit 1; }
  cmake --build /featscale/build -j$jobs ${targets[*]} >/featscale/build.log 2>&1 || { tail -60 /featscale/build.log; exit 1; }"
say "built in $(( $(date +%s) - built )) s"

# The same samples through both releases' featscale-cli.
cmp_status=0
if [ -x "$host_build/app/featscale-cli" ]; then
  out=$(mktemp -d)
  # The same relative path on both sides: the image column holds the path as given.
  (cd "$src/resources" && "$host_build/app/featscale-cli" analyze samples --layers all --out "$out/debian12" >/dev/null)
  inroot bash -c "cd /featscale/src/resources && /featscale/build/app/featscale-cli analyze samples --layers all \
    --out /featscale/debian13-run >/dev/null 2>&1"
  rm -rf "$out/debian13" && cp -r "$root/featscale/debian13-run" "$out/debian13"
  "${FEATSCALE_PYTHON:-/usr/bin/python3}" "$src/scripts/compare-runs.py" "$out/debian12" "$out/debian13" || cmp_status=1
  rm -rf "$out" "$root/featscale/debian13-run"
else
  say "no Debian 12 featscale-cli in $host_build: results not compared (build it first, or set HOST_BUILD)"
  cmp_status=1
fi

test_status=0
if [ "$run_tests" = 1 ]; then
  say "engine and CLI tests (ctest -L 'engine|cli')"
  inroot bash -c "cd /featscale/build && QT_QPA_PLATFORM=offscreen ctest -L 'engine|cli' -j$jobs --timeout 1500 --output-on-failure" \
    >"$root/featscale/ctest.log" 2>&1 || test_status=1
  grep -E "tests passed|Failed|\*\*\*|Not Run" "$root/featscale/ctest.log" | tail -30
fi
say "done in $(( $(date +%s) - start )) s"
if [ "$cmp_status" != 0 ] || [ "$test_status" != 0 ]; then
  say "FAILED (results differ: $cmp_status, tests failed: $test_status; logs in $root/featscale)" >&2
  exit 1
fi
say "Debian 13 build agrees with Debian 12"
