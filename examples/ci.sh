#!/usr/bin/env bash
# A CI job for a cluster change, against a simulated cluster. Copy it into your
# pipeline: every command is kubectl syntax (swap `kubesim` for `kubectl` against a
# real cluster). Each step fails the job with a non-zero exit.
#
#   examples/ci.sh [manifest dir]      (default: examples/ci next to this script)
#
# Environment: KUBESIM (the binary, default `kubesim`), KUBESIM_STATE (state file,
# default a fresh temp file so parallel jobs never share a cluster).
set -euo pipefail

KUBESIM=${KUBESIM:-kubesim}
MANIFESTS=${1:-"$(cd "$(dirname "$0")" && pwd)/ci"}
export KUBESIM_STATE=${KUBESIM_STATE:-"$(mktemp -d)/ci.db"}

step() { printf '\n== %s\n' "$*"; }
fail() { printf 'FAIL: %s\n' "$*" >&2; exit 1; }

step "create a cluster: 3 nodes, manual clock (only waiting commands move time)"
$KUBESIM cluster create --nodes 3 --cpu 4 --memory 16Gi --clock manual --seed 7

step "server-side dry run: admission and validation, nothing written"
$KUBESIM apply -f "$MANIFESTS" --dry-run=server

step "apply"
$KUBESIM apply -f "$MANIFESTS"

step "wait for the rollout"
$KUBESIM rollout status deployment/web --timeout=5m

step "assert with jsonpath"
ready=$($KUBESIM get deployment web -o jsonpath='{.status.readyReplicas}')
[ "$ready" = "3" ] || fail "expected 3 ready replicas, got '$ready'"
image=$($KUBESIM get deployment web -o jsonpath='{.spec.template.spec.containers[0].image}')
[ "$image" = "registry.example.com/web:1.4.2" ] || fail "unexpected image '$image'"

step "no drift: diff exits 0 when the cluster matches the manifests"
status=0
$KUBESIM diff -f "$MANIFESTS" || status=$?
[ "$status" = 0 ] || fail "diff exit $status (1 = drift, >1 = error)"

step "drain the node running the first web pod"
node=$($KUBESIM get pods -l app=web -o jsonpath='{.items[0].spec.nodeName}')
[ -n "$node" ] || fail "web pod is not scheduled"
$KUBESIM drain "$node" --ignore-daemonsets --delete-emptydir-data --timeout=5m

step "the PodDisruptionBudget held: never fewer than 2 web pods available"
$KUBESIM rollout status deployment/web --timeout=5m
ready=$($KUBESIM get deployment web -o jsonpath='{.status.readyReplicas}')
[ "$ready" -ge 2 ] || fail "only '$ready' ready replicas after the drain"
allowed=$($KUBESIM get pdb web -o jsonpath='{.status.disruptionsAllowed}')
printf 'pdb/web disruptionsAllowed=%s\n' "$allowed"
unschedulable=$($KUBESIM get node "$node" -o jsonpath='{.spec.unschedulable}')
[ "$unschedulable" = "true" ] || fail "node $node is not cordoned"

step "ok"
