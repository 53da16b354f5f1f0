#!/usr/bin/env bash
# build-binaries.sh: builds the real control plane the Kubernetes end-to-end tier runs against
# (kube-apiserver and kubectl from k8s.io/kubernetes, etcd from go.etcd.io/etcd/server/v3), with the
# ordinary go command and the module proxy. Binaries land outside the repo in
#   ${XDG_CACHE_HOME:-$HOME/.cache}/lbctl-k8s/<k8s version>/{kube-apiserver,kubectl,etcd}
# Idempotent: when the cached binaries already print the pinned versions it does nothing.
# Why two tools modules: k8s.io/kubernetes replaces its staging modules with local paths, so it can
# only be built from a module that pins each k8s.io/<staging> module itself (tools/apiserver), and
# etcd gets its own module so its dependencies do not raise the ones Kubernetes was tested with.
set -euo pipefail

K8S_VERSION=${LBCTL_K8S_VERSION:-v1.36.3}
ETCD_VERSION=${LBCTL_ETCD_VERSION:-v3.6.8}   # the etcd client version k8s v1.36.3 itself requires
HERE=$(cd "$(dirname "$0")" && pwd)
CACHE=${LBCTL_K8S_BIN_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/lbctl-k8s/$K8S_VERSION}
export GOTOOLCHAIN=local GOFLAGS=-mod=mod CGO_ENABLED=0

log() { printf '[build-binaries %s] %s\n' "$(date -u +%H:%M:%S)" "$*"; }

# Each version is read whole before it is matched: `cmd | grep -q` under pipefail fails at random
# when grep exits at the first match and the command then dies of SIGPIPE on its next line.
have_pinned() {
  [ -x "$CACHE/kube-apiserver" ] && [ -x "$CACHE/kubectl" ] && [ -x "$CACHE/etcd" ] || return 1
  local api ctl etcd
  api=$("$CACHE/kube-apiserver" --version 2>/dev/null) || return 1
  ctl=$("$CACHE/kubectl" version --client 2>/dev/null) || return 1
  etcd=$("$CACHE/etcd" --version 2>/dev/null) || return 1
  grep -qx "Kubernetes $K8S_VERSION" <<<"$api" || return 1
  grep -q "Client Version: $K8S_VERSION" <<<"$ctl" || return 1
  grep -q "etcd Version: ${ETCD_VERSION#v}" <<<"$etcd" || return 1
}

if have_pinned; then
  log "cached binaries in $CACHE already match $K8S_VERSION / etcd $ETCD_VERSION; nothing to do"
  exit 0
fi
command -v go >/dev/null || { echo "build-binaries: the go command is required" >&2; exit 2; }
mkdir -p "$CACHE"

# Writes tools/apiserver/go.mod from the release's own go.mod: every module that k8s.io/kubernetes
# maps to ./staging is pinned to the matching v0.Y.Z tag (the proxy serves those tags).
write_apiserver_module() {
  local dir=$HERE/tools/apiserver staging=v0.${K8S_VERSION#v1.} gomod m
  mkdir -p "$dir"
  gomod=$(cd "$dir" && go list -m -json "k8s.io/kubernetes@$K8S_VERSION" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')
  [ -f "$gomod" ] || { echo "build-binaries: cannot read k8s.io/kubernetes@$K8S_VERSION go.mod" >&2; exit 3; }
  cat >"$dir/go.mod" <<MOD
// Tools module for lbctl's end-to-end tier: written by test/k8s/build-binaries.sh; nothing imports it.
module lbctl.test/k8s-tools

go 1.26.0

$(grep -m1 '^godebug' "$gomod" || true)
MOD
  (cd "$dir" && go mod edit -require="k8s.io/kubernetes@$K8S_VERSION" \
     -tool=k8s.io/kubernetes/cmd/kube-apiserver -tool=k8s.io/kubernetes/cmd/kubectl)
  for m in $(sed -n 's#^[[:space:]]*\(k8s\.io/[^ ]*\) => \./staging/.*#\1#p' "$gomod"); do
    # The sample-* staging modules are examples that neither binary imports; some of their tags are
    # missing from the proxy, so a missing tag is only fatal for the modules the build really needs.
    if (cd /tmp && go list -m "$m@$staging" >/dev/null 2>&1); then
      (cd "$dir" && go mod edit -replace="$m=$m@$staging")
    elif [[ $m == k8s.io/sample-* ]]; then
      log "warning: $m@$staging is not on the proxy; not pinned (neither binary imports it)"
    else
      echo "build-binaries: $m@$staging is not on the proxy" >&2; exit 3
    fi
  done
}

write_etcd_module() {
  local dir=$HERE/tools/etcd
  mkdir -p "$dir"
  printf '// Tools module for lbctl'"'"'s end-to-end tier: written by test/k8s/build-binaries.sh.\nmodule lbctl.test/etcd-tools\n\ngo 1.26.0\n' >"$dir/go.mod"
  (cd "$dir" && go mod edit -require="go.etcd.io/etcd/server/v3@$ETCD_VERSION" -tool=go.etcd.io/etcd/server/v3)
}

grep -q "k8s.io/kubernetes $K8S_VERSION" "$HERE/tools/apiserver/go.mod" 2>/dev/null || write_apiserver_module
grep -q "go.etcd.io/etcd/server/v3 $ETCD_VERSION" "$HERE/tools/etcd/go.mod" 2>/dev/null || write_etcd_module

minor=${K8S_VERSION#v1.}; minor=${minor%%.*}
ldf="-s -w"
for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  ldf="$ldf -X $p.gitVersion=$K8S_VERSION -X $p.gitMajor=1 -X $p.gitMinor=$minor -X $p.gitTreeState=clean"
done

start=$(date +%s)
log "resolving modules (k8s $K8S_VERSION)"
(cd "$HERE/tools/apiserver" && go mod tidy)
log "building kube-apiserver and kubectl into $CACHE"
(cd "$HERE/tools/apiserver" && nice -n 10 go build -trimpath -buildvcs=false -ldflags "$ldf" -o "$CACHE/" \
   k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kubectl)
log "building etcd $ETCD_VERSION"
(cd "$HERE/tools/etcd" && go mod tidy && nice -n 10 go build -trimpath -buildvcs=false -ldflags "-s -w" \
   -o "$CACHE/etcd" go.etcd.io/etcd/server/v3)

if ! have_pinned; then
  echo "build-binaries: built binaries do not report the pinned versions:" >&2
  "$CACHE/kube-apiserver" --version >&2 || true; "$CACHE/kubectl" version --client >&2 || true; "$CACHE/etcd" --version >&2 || true
  exit 4
fi
log "done in $(( $(date +%s) - start ))s"
ls -l "$CACHE"
