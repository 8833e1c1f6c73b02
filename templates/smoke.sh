# Smoke tests: every URL must answer 2xx, with retries while the service
# settles.
set -euo pipefail
failed=0
while IFS= read -r url; do
  [ -n "$url" ] || continue
  if curl --fail --silent --show-error --max-time 10 --output /dev/null \
    --retry "$SMOKE_RETRIES" --retry-delay "$SMOKE_DELAY" --retry-all-errors "$url"; then
    echo "ok: $url"
  else
    echo "::error::Smoke test failed: $url"
    failed=1
  fi
done <<< "$SMOKE_URLS"
exit "$failed"
