# Smoke tests: every URL must answer 2xx, and the command (if any) must
# succeed, with retries while the service settles.
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
if [ -n "${SMOKE_COMMAND:-}" ]; then
  for ((attempt = 1; ; attempt++)); do
    if bash -c "$SMOKE_COMMAND"; then
      echo "ok: $SMOKE_COMMAND"
      break
    fi
    if [ "$attempt" -ge "$SMOKE_RETRIES" ]; then
      echo "::error::Smoke test failed ${attempt} times: $SMOKE_COMMAND"
      failed=1
      break
    fi
    sleep "$SMOKE_DELAY"
  done
fi
exit "$failed"
