#!/usr/bin/env bash
# Installs what the local control plane needs, once, and caches it under ~/.cache/qshard:
#   - Debian packages: golang-go, etcd-server, rsync, jq, golang-github-modern-go-reflect2-dev
#   - kube-apiserver, kube-controller-manager and kube-scheduler 1.20.2, built from Debian's
#     `kubernetes` source package with the reflect2 patch (see ../shared/notes/real-control-plane.md).
#   - kubectl 1.20.2 (with its built-in kustomize) from Debian's `kubernetes-client` package, unpacked into the
#     cache rather than installed, so it never conflicts with a kubectl the machine already has.
# Idempotent and safe to run concurrently (flock); a second run with the binaries cached takes < 1 s.
# Env: QSHARD_CACHE (default ~/.cache/qshard).
set -euo pipefail

K8S_VERSION=1.20.2
CACHE="${QSHARD_CACHE:-$HOME/.cache/qshard}"
BIN_DIR="$CACHE/k8s-$K8S_VERSION/bin"
BINARIES=(kube-apiserver kube-controller-manager kube-scheduler)
APT_PACKAGES=(golang-go etcd-server rsync jq golang-github-modern-go-reflect2-dev dpkg-dev)

log() { printf '[install-control-plane] %s\n' "$*" >&2; }

have_binaries() {
  for b in "${BINARIES[@]}"; do [ -x "$BIN_DIR/$b" ] || return 1; done
  [ -x "$BIN_DIR/kubectl" ] || return 1
  command -v etcd >/dev/null 2>&1
}

if have_binaries; then exit 0; fi

mkdir -p "$CACHE"
exec 9>"$CACHE/.install.lock"
flock 9
if have_binaries; then exit 0; fi   # another run finished while we waited

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  log "installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

need_build=0
for b in "${BINARIES[@]}"; do
  [ -x "$BIN_DIR/$b" ] || need_build=1
done

if [ "$need_build" = 1 ]; then
  SRC_LIST=/etc/apt/sources.list.d/qshard-debsrc.sources
  if ! grep -rqsE '^[[:space:]]*(deb-src[[:space:]]|Types:.*deb-src)' /etc/apt/sources.list /etc/apt/sources.list.d/; then
    log "adding a deb-src entry ($SRC_LIST)"
    $SUDO tee "$SRC_LIST" >/dev/null <<'SRC'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
    $SUDO apt-get update -qq
  fi
  WORK="$CACHE/build"
  rm -rf "$WORK"; mkdir -p "$WORK"
  cd "$WORK"
  log "downloading Debian's kubernetes $K8S_VERSION source package"
  # bookworm ships it as 1.20.5+really1.20.2
  apt-get source --download-only -qq kubernetes >"$WORK/apt-source.log" 2>&1 || {
    log "apt-get source kubernetes failed:"; cat "$WORK/apt-source.log" >&2; exit 1; }
  dsc=$(ls kubernetes_*.dsc | head -n1)
  dpkg-source --no-check -x "$dsc" src >/dev/null
  cd src
  log "patching vendored reflect2 with Debian's v1.0.2 (Go >= 1.18 SIGSEGV fix)"
  rm -rf vendor/github.com/modern-go/reflect2
  cp -r /usr/share/gocode/src/github.com/modern-go/reflect2 vendor/github.com/modern-go/reflect2
  find vendor/github.com/modern-go/reflect2 -name '*_test.go' -delete
  log "building ${BINARIES[*]} (first time only: ~5 min on 2 cores)"
  export GOCACHE="$WORK/gocache" GOPATH="$WORK/gopath" GOFLAGS=-mod=vendor
  make WHAT="cmd/kube-apiserver cmd/kube-controller-manager cmd/kube-scheduler" >"$WORK/build.log" 2>&1 || {
    log "build failed; last lines of $WORK/build.log:"; tail -n 30 "$WORK/build.log" >&2; exit 1; }
  mkdir -p "$BIN_DIR"
  for b in "${BINARIES[@]}"; do install -m 0755 "_output/local/bin/linux/amd64/$b" "$BIN_DIR/$b"; done
  cd "$CACHE"; rm -rf "$WORK"
  log "cached in $BIN_DIR"
fi
if [ ! -x "$BIN_DIR/kubectl" ]; then
  log "fetching kubectl $K8S_VERSION (Debian's kubernetes-client, unpacked into the cache)"
  tmp="$(mktemp -d)"; chmod 0777 "$tmp"
  (cd "$tmp" && { apt-get download -qq kubernetes-client >/dev/null 2>&1 \
      || { $SUDO apt-get update -qq && apt-get download -qq kubernetes-client >/dev/null 2>&1; }; }) || {
    log "apt-get download kubernetes-client failed"; rm -rf "$tmp"; exit 1; }
  dpkg-deb -x "$tmp"/kubernetes-client_*.deb "$tmp/x"
  mkdir -p "$BIN_DIR"
  install -m 0755 "$tmp/x/usr/bin/kubectl" "$BIN_DIR/kubectl"
  rm -rf "$tmp"
fi
have_binaries || { log "etcd or a binary is still missing"; exit 1; }
