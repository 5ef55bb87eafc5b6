#!/bin/sh
# TEST ONLY. Regenerates the throwaway CA and the loopback server certificate the SMTP test server uses
# (emulators/smtp/server.ts) and workerd trusts in tests (vitest.config.ts points NODE_EXTRA_CA_CERTS at
# ca.pem). Nothing outside the tests trusts this CA. The CA's private key is deleted at the end, so these
# files cannot be used to sign any other certificate. Also makes untrusted.pem: a self-signed certificate
# for the same names that nothing trusts, for the test that proves workerd verifies certificates.
# Run from anywhere: sh emulators/smtp/certs/generate.sh
set -eu
cd "$(dirname "$0")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
days=9131

openssl ecparam -name prime256v1 -genkey -noout -out "$work/ca-key.pem"
openssl req -x509 -new -key "$work/ca-key.pem" -sha256 -days "$days" \
  -subj "/CN=one-on-one-agendas TEST-ONLY SMTP CA" \
  -addext "basicConstraints=critical,CA:TRUE,pathlen:0" \
  -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -out ca.pem

openssl ecparam -name prime256v1 -genkey -noout -out "$work/server-key.pem"
openssl pkcs8 -topk8 -nocrypt -in "$work/server-key.pem" -out server-key.pem
openssl req -new -key server-key.pem -subj "/CN=localhost" -out "$work/server.csr"
cat > "$work/server.ext" <<'EXT'
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=serverAuth
subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1
EXT
openssl x509 -req -in "$work/server.csr" -CA ca.pem -CAkey "$work/ca-key.pem" -CAcreateserial \
  -CAserial "$work/ca.srl" -sha256 -days "$days" -extfile "$work/server.ext" -out server.pem
openssl verify -CAfile ca.pem server.pem

openssl ecparam -name prime256v1 -genkey -noout -out "$work/untrusted-key.pem"
openssl pkcs8 -topk8 -nocrypt -in "$work/untrusted-key.pem" -out untrusted-key.pem
openssl req -x509 -new -key untrusted-key.pem -sha256 -days "$days" -subj "/CN=localhost" \
  -addext "basicConstraints=critical,CA:FALSE" \
  -addext "keyUsage=critical,digitalSignature" \
  -addext "extendedKeyUsage=serverAuth" \
  -addext "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1" \
  -out untrusted.pem
