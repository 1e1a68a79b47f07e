#!/usr/bin/env bash
# Makes a CA and a serving certificate for the oversale webhook's Service, stores them as the Secret
# qshard-system/qshard-webhook-tls and injects the CA into the MutatingWebhookConfiguration qshard-oversale.
# For clusters without cert-manager. Needs openssl and kubectl (current context). Re-run to rotate: the webhook
# reloads the files within seconds.
set -euo pipefail
ns="${NAMESPACE:-qshard-system}"
svc="qshard-webhook"
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=qshard-webhook-ca" \
  -keyout "$dir/ca.key" -out "$dir/ca.crt" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=$svc.$ns.svc" -keyout "$dir/tls.key" -out "$dir/tls.csr" 2>/dev/null
printf 'subjectAltName=DNS:%s,DNS:%s.%s,DNS:%s.%s.svc,DNS:%s.%s.svc.cluster.local\n' \
  "$svc" "$svc" "$ns" "$svc" "$ns" "$svc" "$ns" > "$dir/san.ext"
openssl x509 -req -in "$dir/tls.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" -CAcreateserial -days 825 \
  -extfile "$dir/san.ext" -out "$dir/tls.crt" 2>/dev/null
kubectl -n "$ns" create secret tls qshard-webhook-tls --cert="$dir/tls.crt" --key="$dir/tls.key" \
  --dry-run=client -o yaml | kubectl apply -f -
ca="$(base64 -w0 < "$dir/ca.crt")"
kubectl patch mutatingwebhookconfiguration qshard-oversale --type=json \
  -p "[{\"op\":\"replace\",\"path\":\"/webhooks/0/clientConfig/caBundle\",\"value\":\"$ca\"}]"
echo "webhook certificate for $svc.$ns.svc stored in $ns/qshard-webhook-tls; caBundle injected" >&2
