#!/bin/sh
# deps.sh - install the Debian packages rnnkit needs to build and test, or
# print the exact command when that is not possible here.
pkgs="gcc make libc6-dev libcsv-dev zlib1g-dev bats bats-support bats-assert groff-base time parallel libopenmpi-dev openmpi-bin"
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "deps: installing:$missing" >&2
if [ "$(id -u)" = 0 ]; then
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing && exit 0
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
	sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing && exit 0
fi
echo "deps: cannot install packages here; run:" >&2
echo "  sudo apt-get install -y$missing" >&2
exit 1
