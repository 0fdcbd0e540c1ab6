# Front-end packages for the web UI, from the npm registry into a git-ignored folder of the
# package (never a CDN, never committed): htmx, Pico CSS and Swagger UI (the REST API's /docs),
# each with its licence. Sourced by _env.sh; does nothing once the files are there.
VENDOR="$ROOT/src/exportcheck/web/static/vendor"
HTMX_VERSION=2.0.11
PICO_VERSION=2.1.1
SWAGGER_VERSION=5.36.0
if [ ! -f "$VENDOR/htmx.min.js" ] || [ ! -f "$VENDOR/pico.min.css" ] \
        || [ ! -f "$VENDOR/swagger-ui-bundle.js" ]; then
    if ! command -v npm >/dev/null && command -v apt-get >/dev/null; then
        echo "installing npm (apt-get) for the web UI's front-end packages..."
        (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null) || true
    fi
    if command -v npm >/dev/null; then
        tmp="$(mktemp -d)"
        (cd "$tmp" && npm pack --silent "htmx.org@$HTMX_VERSION" "@picocss/pico@$PICO_VERSION" \
                "swagger-ui-dist@$SWAGGER_VERSION" >/dev/null \
            && mkdir htmx pico swagger && tar -xzf htmx.org-*.tgz -C htmx \
            && tar -xzf picocss-pico-*.tgz -C pico && tar -xzf swagger-ui-dist-*.tgz -C swagger) \
            && mkdir -p "$VENDOR" \
            && cp "$tmp/htmx/package/dist/htmx.min.js" "$VENDOR/htmx.min.js" \
            && cp "$tmp/htmx/package/LICENSE" "$VENDOR/htmx.LICENSE" \
            && cp "$tmp/pico/package/css/pico.min.css" "$VENDOR/pico.min.css" \
            && cp "$tmp/pico/package/LICENSE.md" "$VENDOR/pico.LICENSE.md" \
            && cp "$tmp/swagger/package/swagger-ui.css" "$VENDOR/swagger-ui.css" \
            && cp "$tmp/swagger/package/swagger-ui-bundle.js.LICENSE.txt" \
                "$VENDOR/swagger-ui-bundle.js.LICENSE.txt" \
            && cp "$tmp/swagger/package/LICENSE" "$VENDOR/swagger-ui.LICENSE" \
            && cp "$tmp/swagger/package/NOTICE" "$VENDOR/swagger-ui.NOTICE" \
            && cp "$tmp/swagger/package/swagger-ui-bundle.js" "$VENDOR/swagger-ui-bundle.js" \
            || echo "warning: could not fetch htmx/Pico/Swagger UI from npm; the web UI will look plainer and /docs will only link to /openapi.json" >&2
        rm -rf "$tmp"
    else
        echo "warning: npm not found; the web UI will work without htmx and Pico CSS, and /docs without Swagger UI" >&2
    fi
fi
