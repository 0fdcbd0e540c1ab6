# Front-end packages for the web UI, from the npm registry into a git-ignored folder of the
# package (never a CDN, never committed): htmx and Pico CSS, each with its licence.
# Sourced by _env.sh; does nothing once the files are there.
VENDOR="$ROOT/src/exportcheck/web/static/vendor"
HTMX_VERSION=2.0.11
PICO_VERSION=2.1.1
if [ ! -f "$VENDOR/htmx.min.js" ] || [ ! -f "$VENDOR/pico.min.css" ]; then
    if ! command -v npm >/dev/null && command -v apt-get >/dev/null; then
        echo "installing npm (apt-get) for the web UI's front-end packages..."
        (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null) || true
    fi
    if command -v npm >/dev/null; then
        tmp="$(mktemp -d)"
        (cd "$tmp" && npm pack --silent "htmx.org@$HTMX_VERSION" "@picocss/pico@$PICO_VERSION" >/dev/null \
            && mkdir htmx pico && tar -xzf htmx.org-*.tgz -C htmx && tar -xzf picocss-pico-*.tgz -C pico) \
            && mkdir -p "$VENDOR" \
            && cp "$tmp/htmx/package/dist/htmx.min.js" "$VENDOR/htmx.min.js" \
            && cp "$tmp/htmx/package/LICENSE" "$VENDOR/htmx.LICENSE" \
            && cp "$tmp/pico/package/css/pico.min.css" "$VENDOR/pico.min.css" \
            && cp "$tmp/pico/package/LICENSE.md" "$VENDOR/pico.LICENSE.md" \
            || echo "warning: could not fetch htmx/Pico from npm; the web UI will look plainer" >&2
        rm -rf "$tmp"
    else
        echo "warning: npm not found; the web UI will work without htmx and Pico CSS" >&2
    fi
fi
