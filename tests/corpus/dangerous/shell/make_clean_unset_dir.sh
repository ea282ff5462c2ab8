#!/bin/sh
# make clean / make dist, ported from the old Makefile
BUILDDIR=${BUILDDIR:-build}
DISTDIR=dist

clean() {
    echo "cleaning build output"
    # expect: destructive
    rm -rf "$BUILD_DIR/"
    rm -f "$DISTDIR"/*.whl
}

dist() {
    python -m build --outdir "$DISTDIR"
}

case "${1:-dist}" in
    clean) clean ;;
    dist) dist ;;
    *) echo "usage: $0 [clean|dist]"; exit 2 ;;
esac
