#!/bin/sh
# Run every fuzz target in turn (one core), logging to /tmp/parse-fuzz-<target>.log.
cd "$(dirname "$0")"
export PATH=/work/wt-parse/.tools/bin:$PATH
for spec in pipeline:600 logs:420 events:420 describe:420 yaml:300 quantity:300; do
  t=${spec%%:*}; secs=${spec#*:}
  cargo +nightly fuzz run -O "$t" -- -max_total_time="$secs" -rss_limit_mb=1024 -max_len=8192 > /tmp/parse-fuzz-$t.log 2>&1
  echo "$t exit $?" >> /tmp/parse-fuzz-summary.log
done
