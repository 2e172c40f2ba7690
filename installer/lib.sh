# Shared by the installer scripts (sourced). Paths, the version, timing, messages.
set -euo pipefail
INSTALLER_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$INSTALLER_DIR/.." && pwd)"
BUILD="$INSTALLER_DIR/build"          # gitignored: venvs, PyInstaller work, staging trees
DIST="$ROOT/dist"                     # gitignored: the .deb and the setup.exe
PYTHON="${PYTHON:-python3.11}"
# The one place the version lives: pyproject.toml ([project] version).
VERSION="${UNIONSDESK_VERSION:-$("$PYTHON" -c 'import tomllib,sys; print(tomllib.load(open(sys.argv[1],"rb"))["project"]["version"])' "$ROOT/pyproject.toml")}"
PYINSTALLER_VERSION=6.22.3

say() { printf '== %s\n' "$*" >&2; }
die() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }
need() { for c in "$@"; do command -v "$c" >/dev/null || die "missing command: $c (see installer/README.md for the apt packages)"; done; }
# step NAME CMD...: run and print how long it took (the CI log keeps these lines)
step() { local name=$1 t0=$SECONDS; shift; say "$name"; "$@"; printf 'TIME %-34s %4ds\n' "$name" $((SECONDS - t0)) >&2; }
