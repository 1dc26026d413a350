#!/usr/bin/env bash
# Packs the solution and checks the result: exactly the shippable packages (no samples, tests or
# benchmarks), each with its symbol package, the README and the XML documentation inside; the rxssh
# tool package with its command.
set -euo pipefail
cd "$(dirname "$0")/.."

out="${1:-artifacts/packages}"
rm -rf "$out"
dotnet pack RxSsh.sln -c Release -o "$out" --nologo -v quiet

libraries=(Rx.Ssh Rx.Ssh.Sftp)
tools=(Rx.Ssh.Cli)
expected=("${libraries[@]}" "${tools[@]}")
version="$(sed -n 's:.*<VersionPrefix>\(.*\)</VersionPrefix>.*:\1:p' Directory.Build.props)-$(sed -n 's:.*<VersionSuffix>\(.*\)</VersionSuffix>.*:\1:p' Directory.Build.props)"
fail=0
actual="$(cd "$out" && ls *.nupkg | sort)"
wanted="$(for id in "${expected[@]}"; do echo "$id.$version.nupkg"; done | sort)"
if [ "$actual" != "$wanted" ]; then
  echo "pack: expected packages:"; echo "$wanted"; echo "pack: got:"; echo "$actual"; fail=1
fi
for id in "${expected[@]}"; do
  pkg="$out/$id.$version.nupkg"
  [ -f "$pkg" ] || continue
  unzip -p "$pkg" "$id.nuspec" | grep -q '<license type="expression">MIT</license>' || { echo "pack: $id has no MIT license expression"; fail=1; }
done
for id in "${tools[@]}"; do
  pkg="$out/$id.$version.nupkg"
  [ -f "$pkg" ] || continue
  listing="$(unzip -Z1 "$pkg")"
  for entry in README.md tools/net10.0/any/DotnetToolSettings.xml tools/net10.0/any/rxssh.dll; do
    grep -qx "$entry" <<<"$listing" || { echo "pack: $id lacks $entry"; fail=1; }
  done
  unzip -p "$pkg" tools/net10.0/any/DotnetToolSettings.xml | grep -q 'Command Name="rxssh"' || { echo "pack: $id does not install the rxssh command"; fail=1; }
done
for id in "${libraries[@]}"; do
  pkg="$out/$id.$version.nupkg"
  [ -f "$out/$id.$version.snupkg" ] || { echo "pack: $id has no symbol package"; fail=1; }
  [ -f "$pkg" ] || continue
  listing="$(unzip -Z1 "$pkg")"
  for entry in README.md "lib/net10.0/$id.dll" "lib/net10.0/$id.xml"; do
    grep -qx "$entry" <<<"$listing" || { echo "pack: $id lacks $entry"; fail=1; }
  done
done
[ "$fail" = 0 ] && echo "pack: ${expected[*]} $version (with symbols, README, XML docs) in $out"
exit "$fail"
