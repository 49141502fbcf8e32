#!/bin/sh
# Run fuzz targets in turn on one core: ./run-all.sh [tag] [target:seconds ...]
# Logs go to /tmp/parse-fuzz<tag>-<target>.log, a summary to /tmp/parse-fuzz<tag>-summary.log.
cd "$(dirname "$0")"
# cargo-fuzz must be on PATH (cargo install cargo-fuzz --locked); nightly from rustup.
tag=$1
shift
specs=${*:-pipeline:600 logs:420 events:420 describe:420 yaml:300 yaml_oracle:300 quantity:300}
for spec in $specs; do
  t=${spec%%:*}; secs=${spec#*:}
  cargo +nightly fuzz run -O "$t" -- -max_total_time="$secs" -rss_limit_mb=1024 -max_len=8192 > /tmp/parse-fuzz$tag-$t.log 2>&1
  echo "$t exit $?" >> /tmp/parse-fuzz$tag-summary.log
done
