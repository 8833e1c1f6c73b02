#!/usr/bin/env bash
# Reference implementation of wfgen's SSH + docker compose deploy step: the
# script the deploy compiler must generate (as the step's `run:`), kept here so
# tests/deploy_ssh.rs can test the contract against a real sshd until it does.
#
# Inputs, environment variables only:
#   SSH_PRIVATE_KEY, SSH_KNOWN_HOSTS  secret contents (the key may lack its final newline)
#   SSH_HOST, SSH_USER, SSH_PORT      where to connect
#   APP_DIR                           remote directory of the app
#   COMPOSE_FILE                      compose file, relative to APP_DIR (`image: ${APP_IMAGE}`)
#   IMAGE                             image reference to deploy
#   HEALTH_URL                        checked with curl FROM THE REMOTE host
#   HEALTH_RETRIES, HEALTH_DELAY      attempts (a positive integer) and seconds between them
#   RUNNER_TEMP                       where the key and known_hosts live while the step runs
#
# Exit: 0 deployed and healthy; 1 unhealthy (rolled back to the previous image
# if there was one); 2 bad input; 255 ssh failed (unreachable, host key, auth);
# any other: the failing remote command's code (e.g. `compose pull`).
set -euo pipefail
umask 077
key="$RUNNER_TEMP/wfgen-deploy-key"
known_hosts="$RUNNER_TEMP/wfgen-known-hosts"
trap 'rm -f -- "$key" "$known_hosts"' EXIT
printf '%s\n' "$SSH_PRIVATE_KEY" > "$key"
printf '%s\n' "$SSH_KNOWN_HOSTS" > "$known_hosts"

# ssh hands the remote login shell one command line, which it parses again:
# every argument is quoted here so spaces and `;` arrive as they are.
remote_args=$(printf '%q ' "$APP_DIR" "$COMPOSE_FILE" "$IMAGE" \
  "$HEALTH_URL" "$HEALTH_RETRIES" "$HEALTH_DELAY")
# The script reaches bash on stdin: `main` is read whole before it runs, and
# docker and curl get /dev/null, so nothing can eat the rest of the script.
# shellcheck disable=SC2029 # remote_args is expanded here on purpose
ssh -i "$key" -o IdentitiesOnly=yes -o BatchMode=yes \
  -o StrictHostKeyChecking=yes -o UserKnownHostsFile="$known_hosts" \
  -o ConnectTimeout=15 -p "$SSH_PORT" "$SSH_USER@$SSH_HOST" \
  "bash -s -- $remote_args" << 'REMOTE'
main() {
  set -euo pipefail
  local app_dir=$1 compose_file=$2 image=$3 health_url=$4 retries=$5 delay=$6
  if ! [[ $retries =~ ^[1-9][0-9]*$ && $delay =~ ^[0-9]+([.][0-9]+)?$ ]]; then
    echo "deploy: HEALTH_RETRIES must be a positive integer and HEALTH_DELAY a number of seconds" >&2
    return 2
  fi
  cd "$app_dir"
  local state=.wfgen-deployed-image previous=""
  if [ -f "$state" ]; then previous=$(< "$state"); fi
  echo "deploy: $image (previous: ${previous:-none})"
  APP_IMAGE=$image docker compose -f "$compose_file" pull < /dev/null
  APP_IMAGE=$image docker compose -f "$compose_file" up -d --wait < /dev/null
  local attempt
  for ((attempt = 1; attempt <= retries; attempt++)); do
    if curl -fsS -o /dev/null --max-time 10 "$health_url" < /dev/null; then
      printf '%s\n' "$image" > "$state"
      echo "deploy: healthy after $attempt attempt(s)"
      return 0
    fi
    if ((attempt < retries)); then sleep "$delay"; fi
  done
  echo "deploy: unhealthy after $retries attempt(s): $health_url" >&2
  if [ -z "$previous" ]; then
    echo "deploy: no previous image to roll back to" >&2
  elif APP_IMAGE=$previous docker compose -f "$compose_file" up -d --wait < /dev/null; then
    echo "deploy: rolled back to $previous" >&2
  else
    echo "deploy: ROLLBACK to $previous FAILED" >&2
  fi
  return 1
}
main "$@"
REMOTE
