#!/usr/bin/env bash
# Rebuilds the vendored GOV.UK Frontend assets from npm and copies them into
# the repository:
#
#   internal/web/static/govuk/govuk-frontend.min.css   compiled from scripts/frontend/senco.scss
#   internal/web/static/govuk/govuk-frontend.min.js    GOV.UK Frontend's ES module build
#   internal/web/static/govuk/manifest.json            web app manifest (icons)
#   internal/web/static/govuk/images/                  favicons and icons (no fonts, no crest)
#   internal/web/static/VERSIONS                       what was built, and how
#   internal/web/testdata/fixtures/<component>.json    GOV.UK Frontend's fixtures for our partials
#   e2e/testdata/axe.min.js                            axe-core, for browser accessibility tests
#
# Needs node and npm (the npm registry only). Versions default to the ones
# last vendored; override to refresh, e.g.:
#
#   GOVUK_FRONTEND_VERSION=6 SASS_VERSION=1 AXE_CORE_VERSION=4 scripts/refresh-frontend.sh
#
# then run: go test ./internal/web/   (the fixture tests show markup changes).
set -euo pipefail

GOVUK_FRONTEND_VERSION="${GOVUK_FRONTEND_VERSION:-6.6.0}"
SASS_VERSION="${SASS_VERSION:-1.108.2}"
AXE_CORE_VERSION="${AXE_CORE_VERSION:-4.14.1}"

# Components with a partial in internal/web/templates/components (the header
# partial is built on generic-header).
COMPONENTS=(
  back-link button checkboxes date-input details error-message error-summary
  fieldset footer generic-header hint input inset-text label
  notification-banner pagination panel phase-banner radios select
  service-navigation skip-link summary-list table tag warning-text
)

# Images to ship. Left out on purpose: fonts/ (GDS Transport is GOV.UK only),
# govuk-crest.svg (footer copyright crest) and govuk-opengraph-image.png.
# Only the images the CSS needs: the favicons and app icons are GOV.UK's
# crown, which this service must not use (it has its own static/favicon.svg).
IMAGES=()

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/frontend-build.XXXXXX")"
trap 'rm -rf "$work"' EXIT

for tool in node npm; do
  command -v "$tool" >/dev/null || { echo "refresh-frontend: $tool not found" >&2; exit 1; }
done

echo "Installing govuk-frontend@$GOVUK_FRONTEND_VERSION sass@$SASS_VERSION axe-core@$AXE_CORE_VERSION in $work"
cd "$work"
cat > package.json <<'JSON'
{ "name": "senco-frontend-build", "private": true, "version": "0.0.0" }
JSON
npm install --no-audit --no-fund --ignore-scripts --loglevel=error \
  "govuk-frontend@$GOVUK_FRONTEND_VERSION" "sass@$SASS_VERSION" "axe-core@$AXE_CORE_VERSION"

pkgver() { node -p "require('./node_modules/$1/package.json').version"; }
gf_version="$(pkgver govuk-frontend)"
sass_version="$(pkgver sass)"
axe_version="$(pkgver axe-core)"
case "$gf_version" in
  6.*) ;;
  *) echo "refresh-frontend: expected govuk-frontend 6.x, got $gf_version" >&2; exit 1 ;;
esac
dist="$work/node_modules/govuk-frontend/dist/govuk"

echo "Compiling Sass"
cp "$repo/scripts/frontend/senco.scss" "$work/senco.scss"
./node_modules/.bin/sass --pkg-importer=node --style=compressed --no-source-map \
  "$work/senco.scss" "$work/govuk-frontend.min.css"

# Check the settings took effect.
css="$work/govuk-frontend.min.css"
if grep -q "GDS Transport" "$css"; then echo "refresh-frontend: CSS still names GDS Transport" >&2; exit 1; fi
if grep -q "@font-face" "$css"; then echo "refresh-frontend: CSS still has @font-face" >&2; exit 1; fi
if grep -o 'url([^)]*)' "$css" | grep -v '/static/govuk/' | grep -q .; then
  echo "refresh-frontend: CSS has asset URLs outside /static/govuk/:" >&2
  grep -o 'url([^)]*)' "$css" | grep -v '/static/govuk/' >&2
  exit 1
fi

echo "Copying into $repo"
static="$repo/internal/web/static"
rm -rf "$static/govuk"
mkdir -p "$static/govuk/images"
cp "$css" "$static/govuk/govuk-frontend.min.css"
# The source map is not shipped, so drop the comment that points at it.
sed '/^\/\/# sourceMappingURL=/d; s#//\# sourceMappingURL=[^ ]*\.map$##' \
  "$dist/govuk-frontend.min.js" > "$static/govuk/govuk-frontend.min.js"
for img in "${IMAGES[@]+"${IMAGES[@]}"}"; do
  cp "$dist/assets/images/$img" "$static/govuk/images/$img"
done
# GOV.UK's web manifest names the crown icons; it is not shipped.

fixtures="$repo/internal/web/testdata/fixtures"
rm -rf "$fixtures"
mkdir -p "$fixtures"
for c in "${COMPONENTS[@]}"; do
  cp "$dist/components/$c/fixtures.json" "$fixtures/$c.json"
done

mkdir -p "$repo/e2e/testdata"
cp "$work/node_modules/axe-core/axe.min.js" "$repo/e2e/testdata/axe.min.js"

cat > "$static/VERSIONS" <<TXT
Vendored front-end assets — do not edit by hand; run scripts/refresh-frontend.sh.

govuk-frontend $gf_version   (npm; MIT licence, images © Crown copyright)
sass           $sass_version   (npm, dart-sass; build tool only, not shipped)
axe-core       $axe_version   (npm; MPL-2.0; copied to e2e/testdata/axe.min.js for tests only)
node           $(node --version)

How govuk/ was built (scripts/refresh-frontend.sh):
- npm install --ignore-scripts govuk-frontend@$gf_version sass@$sass_version axe-core@$axe_version
  in a temporary directory.
- govuk-frontend.min.css: sass --pkg-importer=node --style=compressed --no-source-map
  scripts/frontend/senco.scss, which does
    @use "pkg:govuk-frontend" as * with (
      \$govuk-font-family: (arial, sans-serif),
      \$govuk-include-default-font-face: false,
      \$govuk-assets-path: "/static/govuk/"
    );
  so the GDS Transport font is neither used nor shipped (no @font-face), and
  image URLs point to /static/govuk/images/. The only image the CSS names is
  govuk-crest.svg, for .govuk-footer__copyright-logo, which the footer partial
  does not use (and which is not shipped).
- govuk-frontend.min.js: dist/govuk/govuk-frontend.min.js (ES module) as
  published, minus its sourceMappingURL comment (the map is not shipped).
- images/: ${IMAGES[*]}
  from dist/govuk/assets/images; manifest.json from dist/govuk/assets.
  Not shipped: assets/fonts/, govuk-crest.svg, govuk-opengraph-image.png.
- internal/web/testdata/fixtures/<component>.json: dist/govuk/components/<component>/fixtures.json
  for ${COMPONENTS[*]}.
TXT

echo "Done: govuk-frontend $gf_version, sass $sass_version, axe-core $axe_version"
