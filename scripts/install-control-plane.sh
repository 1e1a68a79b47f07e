#!/usr/bin/env bash
# Installs what the local control plane needs, once, and caches it under ~/.cache/qshard:
#   - Debian packages: golang-go, etcd-server, rsync, jq, golang-github-modern-go-reflect2-dev
#   - kube-apiserver, kube-controller-manager and kube-scheduler 1.20.2, built from Debian's
#     `kubernetes` source package with the reflect2 patch (see ../shared/notes/real-control-plane.md).
#   - kubelet 1.20.2, built the same way, for the real kubelet nodes (../shared/notes/real-kubelet.md).
#   - containerd, runc, the CNI plugins and busybox-static from Debian (containerd starts no daemon here: the
#     kubelet nodes start one containerd per node themselves).
#   - One local image, localhost/qshard-busybox:1.0 (busybox-static in one layer), written as a `docker save` tar
#     to $CACHE/images/qshard-busybox-1.0.tar: the kubelet nodes' sandbox image and the image of their test pods.
#   - kubectl 1.20.2 (with its built-in kustomize) from Debian's `kubernetes-client` package, unpacked into the
#     cache rather than installed, so it never conflicts with a kubectl the machine already has.
# Idempotent and safe to run concurrently (flock); a second run with the binaries cached takes < 1 s.
# Env: QSHARD_CACHE (default ~/.cache/qshard).
set -euo pipefail

K8S_VERSION=1.20.2
CACHE="${QSHARD_CACHE:-$HOME/.cache/qshard}"
BIN_DIR="$CACHE/k8s-$K8S_VERSION/bin"
BINARIES=(kube-apiserver kube-controller-manager kube-scheduler kubelet)
APT_PACKAGES=(golang-go etcd-server rsync jq golang-github-modern-go-reflect2-dev dpkg-dev
  containerd runc containernetworking-plugins busybox-static iproute2)
IMAGE_TAR="$CACHE/images/qshard-busybox-1.0.tar"

log() { printf '[install-control-plane] %s\n' "$*" >&2; }

have_binaries() {
  for b in "${BINARIES[@]}"; do [ -x "$BIN_DIR/$b" ] || return 1; done
  [ -x "$BIN_DIR/kubectl" ] || return 1
  [ -f "$IMAGE_TAR" ] || return 1
  for c in etcd containerd containerd-shim-runc-v2 runc ctr; do command -v "$c" >/dev/null 2>&1 || return 1; done
  for c in bridge host-local loopback; do [ -x "/usr/lib/cni/$c" ] || return 1; done
  [ -x /bin/busybox ]
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

need=()
for b in "${BINARIES[@]}"; do
  [ -x "$BIN_DIR/$b" ] || need+=("$b")
done

if [ "${#need[@]}" -gt 0 ]; then
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
  log "building ${need[*]} (first time only: ~7 min for all four on 2 cores, ~3.5 min for the kubelet alone)"
  export GOCACHE="$WORK/gocache" GOPATH="$WORK/gopath" GOFLAGS=-mod=vendor
  make WHAT="${need[*]/#/cmd/}" >"$WORK/build.log" 2>&1 || {
    log "build failed; last lines of $WORK/build.log:"; tail -n 30 "$WORK/build.log" >&2; exit 1; }
  mkdir -p "$BIN_DIR"
  for b in "${need[@]}"; do install -m 0755 "_output/local/bin/linux/amd64/$b" "$BIN_DIR/$b"; done
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
if [ ! -f "$IMAGE_TAR" ]; then
  # A deterministic `docker save` tar: one layer (busybox-static and a few links), a config with the entrypoint,
  # manifest.json with the tag. Imported per node with `ctr images import`; pods use imagePullPolicy: Never.
  log "writing the local image localhost/qshard-busybox:1.0"
  t="$(mktemp -d)"; r="$t/rootfs"; mkdir -p "$r/bin" "$r/etc" "$r/tmp" "$r/proc" "$r/sys" "$r/dev"
  cp /bin/busybox "$r/bin/busybox"; for a in sh sleep true; do ln -s busybox "$r/bin/$a"; done
  echo 'root:x:0:0:root:/:/bin/sh' > "$r/etc/passwd"
  tar --numeric-owner --owner=0 --group=0 --mtime=@0 --sort=name -C "$r" -cf "$t/layer.tar" .
  diff=$(sha256sum "$t/layer.tar" | cut -d' ' -f1); mkdir -p "$t/img/$diff"; mv "$t/layer.tar" "$t/img/$diff/layer.tar"
  printf '{"architecture":"amd64","os":"linux","config":{"Entrypoint":["/bin/busybox","sleep","2147483647"],"Env":["PATH=/bin"]},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' \
    "$diff" > "$t/cfg.json"
  cfg=$(sha256sum "$t/cfg.json" | cut -d' ' -f1); mv "$t/cfg.json" "$t/img/$cfg.json"
  printf '[{"Config":"%s.json","RepoTags":["localhost/qshard-busybox:1.0"],"Layers":["%s/layer.tar"]}]' \
    "$cfg" "$diff" > "$t/img/manifest.json"
  mkdir -p "$(dirname "$IMAGE_TAR")"
  tar --mtime=@0 --sort=name --owner=0 --group=0 -C "$t/img" -cf "$IMAGE_TAR.tmp" . && mv "$IMAGE_TAR.tmp" "$IMAGE_TAR"
  rm -rf "$t"
fi
have_binaries || { log "etcd, containerd, the CNI plugins, the image or a binary is still missing"; exit 1; }
