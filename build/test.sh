#!/usr/bin/env bash
# Runs every test. Installs what the interop tests need (OpenSSH's sshd/ssh, bc, PuTTY's puttygen/plink,
# Dropbear's dbclient/dropbear/dropbearkey/dropbearconvert, nss_wrapper for the dropbear server,
# Paramiko and AsyncSSH) when missing.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
[ -x /usr/sbin/sshd ] || need+=(openssh-server)
command -v ssh >/dev/null 2>&1 && command -v ssh-keygen >/dev/null 2>&1 || need+=(openssh-client)
command -v bc >/dev/null 2>&1 || need+=(bc)
command -v puttygen >/dev/null 2>&1 && command -v plink >/dev/null 2>&1 || need+=(putty-tools)
[ -x /usr/bin/dbclient ] && [ -x /usr/sbin/dropbear ] && [ -x /usr/bin/dropbearkey ] && [ -x /usr/bin/dropbearconvert ] || need+=(dropbear-bin)
[ -e /usr/lib/x86_64-linux-gnu/libnss_wrapper.so ] || need+=(libnss-wrapper)
command -v sshfs >/dev/null 2>&1 && command -v fusermount3 >/dev/null 2>&1 || need+=(sshfs) # ServeSshfsTests (FUSE: needs /dev/fuse)
command -v perl >/dev/null 2>&1 || need+=(perl) # the call-home ProxyCommand bridge of ReverseInteropTests
command -v unzip >/dev/null 2>&1 || need+=(unzip) # build/pack.sh looks inside the packages
# Python's SSH libraries for Debian's own /usr/bin/python3 (a Python earlier on PATH may not see them).
[ -d /usr/lib/python3/dist-packages/paramiko ] || need+=(python3-paramiko)
[ -d /usr/lib/python3/dist-packages/asyncssh ] || need+=(python3-asyncssh)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "Installing ${need[*]} ..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "warning: missing ${need[*]} and not root; interop tests will fail" >&2
  fi
fi

# Packaging must not rot: pack and check the packages first (a failure stops here).
bash build/pack.sh

log="$(mktemp)"
status=0
dotnet test RxSsh.sln -c Release --logger "console;verbosity=normal" "$@" 2>&1 | tee "$log" || status=$?
if [ "$status" -ne 0 ]; then
  # CI shows the end of the output: repeat each failed test with its message and stack there.
  echo
  echo "=== failed tests (repeated from above) ==="
  awk '/^  Failed /{n=40} n>0{print; n--}' "$log" | head -400
fi
rm -f "$log"
exit "$status"
