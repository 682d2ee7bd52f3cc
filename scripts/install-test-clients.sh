#!/usr/bin/env bash
# Installs the real clients the integration tests run: git's libsecret helper, a Secret Service (gnome-keyring)
# and a D-Bus session bus to run it on, Composer (with the zip support it installs packages with), GNU time (peak
# memory of a run, measured by the kernel), openssl (throwaway TLS certificates), Ansible with an OpenSSH server
# and client (the fleet playbooks, run over SSH to loopback hosts), git-credential-oauth (a sign-in helper doctor
# must never start) and Chromium (the fleet report's page, driven
# headless by playwright-core). Debian/Ubuntu, as root (or with sudo). Idempotent:
# skips every package and build that is already there, so a second run makes no network call.
set -euo pipefail

sudo_if_needed() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Up to the fonts, these are what the tests run; the rest build git's libsecret helper
# from the sources git ships.
packages=(libsecret-1-dev gnome-keyring dbus composer php-zip unzip time openssl ansible openssh-server
  openssh-client chromium git-credential-oauth fonts-dejavu-core gcc make pkg-config libc6-dev)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "installing ${missing[*]}"
  sudo_if_needed apt-get update -qq
  # gnome-keyring recommends a desktop's worth of packages; the tests need only its daemon.
  sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
fi

exec_path="$(git --exec-path)"
if [ -x "$exec_path/git-credential-libsecret" ]; then
  echo "git-credential-libsecret is installed in $exec_path"
  exit 0
fi
build="$(mktemp -d)"
trap 'rm -rf "$build"' EXIT
src=/usr/share/doc/git/contrib/credential/libsecret
if [ ! -f "$src/git-credential-libsecret.c" ]; then
  # Slim images drop /usr/share/doc on install: take the sources from the installed version's package.
  version="$(dpkg-query -W -f='${Version}' git)"
  (cd "$build" && apt-get download -qq "git=$version" 2>/dev/null && dpkg-deb -x git_*.deb deb)
  src="$build/deb$src"
fi
cp "$src"/* "$build"/
make -s -C "$build" >/dev/null
sudo_if_needed install -m 0755 "$build/git-credential-libsecret" "$exec_path/git-credential-libsecret"
echo "built git-credential-libsecret into $exec_path"
