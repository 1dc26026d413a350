#!/usr/bin/env bash
# Brings each shipping library's PublicAPI.Unshipped.txt in line with its code: symbols the
# analyzer reports as new (RS0016) are added, declared ones that are gone (RS0017) removed, then
# the file is sorted. Run it after a public API change and review the diff it leaves.
set -euo pipefail
cd "$(dirname "$0")/.."

for project in Rx.Ssh Rx.Ssh.Sftp; do
  file="$project/PublicAPI.Unshipped.txt"
  log="$(dotnet build "$project/$project.csproj" -c Release --nologo -v quiet -p:TreatWarningsAsErrors=false 2>&1 || true)"
  added="$(grep -oP "RS0016: Symbol '\K.*(?=' is not part of the declared public API)" <<<"$log" | sort -u || true)"
  removed="$(grep -oP "RS0017: Symbol '\K.*(?=' is part of the declared API, but is either not public or could not be found)" <<<"$log" | sort -u || true)"
  {
    grep -vx '#nullable enable' "$file" | grep -vxFf <(printf '%s\n' "$removed") || true
    [ -n "$added" ] && printf '%s\n' "$added"
  } | grep -v '^$' | LC_ALL=C sort -u > "$file.new" || true
  { echo '#nullable enable'; cat "$file.new"; } > "$file"
  rm -f "$file.new"
  echo "public-api: $project: $(grep -c . <<<"$added" || true) added, $(grep -c . <<<"$removed" || true) removed"
done
