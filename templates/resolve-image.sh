# Find the image the run form's tag names, without building: the tag must be
# an image tag, and the registry must hold the image under it. POSIX sh; every
# value comes from the environment.
set -eu
case "$TAG" in
  '' | [!A-Za-z0-9_]* | *[!A-Za-z0-9_.-]*)
    echo "::error::The tag must be an image tag such as v1.2.3 or main-1a2b3c4: letters, digits, '_', '.' and '-', not starting with '.' or '-'" >&2
    exit 1
    ;;
esac
if [ "${#TAG}" -gt 128 ]; then
  echo "::error::The tag is longer than 128 characters" >&2
  exit 1
fi
if ! manifest="$(docker buildx imagetools inspect "$IMAGE:$TAG" --format '{{json .Manifest}}')"; then
  echo "::error::There is no image $IMAGE:$TAG to deploy" >&2
  exit 1
fi
digest="$(printf '%s' "$manifest" | jq -r '.digest // empty')"
case "$digest" in
  sha256:*) ;;
  *)
    echo "::error::The registry gave no digest for $IMAGE:$TAG" >&2
    exit 1
    ;;
esac
echo "Deploying $IMAGE:$TAG ($digest)"
{
  echo "image=$IMAGE@$digest"
  echo "tag=$TAG"
  echo "digest=$digest"
} >> "$GITHUB_OUTPUT"
