// Test helper: a real RSA key pair made with WebCrypto, as a service-account key file, plus a fake clock.
import type { Clock } from "../../../src/lib/rate-limit";

function pem(label: string, der: ArrayBuffer): string {
  const base64 = btoa(String.fromCharCode(...new Uint8Array(der)));
  const lines = base64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}

/** A service-account key file and the public key that verifies its signatures. */
export async function serviceAccount(email = "agendas@project.iam.gserviceaccount.com") {
  const pair = (await crypto.subtle.generateKey(
    {
      name: "RSASSA-PKCS1-v1_5",
      modulusLength: 2048,
      publicExponent: new Uint8Array([1, 0, 1]),
      hash: "SHA-256",
    },
    true,
    ["sign", "verify"],
  )) as CryptoKeyPair;
  const privateDer = (await crypto.subtle.exportKey("pkcs8", pair.privateKey)) as ArrayBuffer;
  const key = {
    type: "service_account",
    project_id: "project",
    private_key_id: "key-1",
    private_key: pem("PRIVATE KEY", privateDer),
    client_email: email,
    client_id: "1234567890",
    token_uri: "https://oauth2.googleapis.com/token",
  };
  return { key, json: JSON.stringify(key), publicKey: pair.publicKey };
}

/** A clock that only moves when slept on or told to. */
export function fakeClock(start = Date.UTC(2026, 11, 1, 9, 0, 0)) {
  let now = start;
  const slept: number[] = [];
  const clock: Clock = {
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
  };
  return {
    clock,
    slept,
    advance(ms: number) {
      now += ms;
    },
  };
}
