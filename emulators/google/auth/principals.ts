/// <reference types="node" />
// Who exists: service accounts (with their RSA keys), users, and the access tokens the token endpoint issued.
import { generateKeyPair, type KeyObject } from "node:crypto";
import { promisify } from "node:util";
import type { QuotaSpec, ServiceAccountKey, ServiceAccountSpec, UserInfo, UserSpec } from "../control-types";
import { accessToken, digits, hex, shortName } from "../ids";

const generateRsa = promisify(generateKeyPair);

export interface ServiceAccountRecord {
  email: string;
  clientId: string;
  projectId: string;
  /** private_key_id -> public key; a rotated account may have several. */
  keys: Map<string, KeyObject>;
  domainWideDelegation: boolean;
  storageQuota: boolean;
  quota: QuotaSpec;
}

export interface AccessTokenRecord {
  token: string;
  serviceAccount: ServiceAccountRecord;
  /** Whose Drive and Docs the token acts on: the impersonated user, or the service account itself. */
  principal: string;
  scopes: string[];
  expiresAt: number;
}

export type TokenLookup =
  | { ok: true; record: AccessTokenRecord }
  | { ok: false; why: "missing" | "unknown" | "expired" };

const DEFAULT_DOMAIN = "example.com";
export const ADMIN_EMAIL = `admin@${DEFAULT_DOMAIN}`;

export class Principals {
  readonly serviceAccounts = new Map<string, ServiceAccountRecord>();
  readonly users = new Map<string, UserInfo>();
  private readonly tokens = new Map<string, AccessTokenRecord>();
  private readonly userQuotas = new Map<string, QuotaSpec>();

  constructor() {
    this.createUser({ email: ADMIN_EMAIL, name: "Workspace Admin" });
  }

  async createServiceAccount(
    spec: ServiceAccountSpec,
    tokenUri: string,
  ): Promise<{ record: ServiceAccountRecord; key: ServiceAccountKey }> {
    const projectId = spec.projectId ?? "agenda-emulator";
    const email = `${spec.name ?? `sa-${shortName()}`}@${projectId}.iam.gserviceaccount.com`;
    if (this.serviceAccounts.has(email)) throw new Error(`service account ${email} exists`);
    const { publicKey, privateKey } = await generateRsa("rsa", { modulusLength: 2048 });
    const kid = hex(40);
    const record: ServiceAccountRecord = {
      email,
      clientId: digits(21),
      projectId,
      keys: new Map([[kid, publicKey]]),
      domainWideDelegation: spec.domainWideDelegation === true,
      storageQuota: spec.storageQuota === true,
      quota: spec.quota ?? {},
    };
    this.serviceAccounts.set(email, record);
    const key: ServiceAccountKey = {
      type: "service_account",
      project_id: projectId,
      private_key_id: kid,
      private_key: String(privateKey.export({ type: "pkcs8", format: "pem" })),
      client_email: email,
      client_id: record.clientId,
      auth_uri: "https://accounts.google.com/o/oauth2/auth",
      token_uri: tokenUri,
      auth_provider_x509_cert_url: "https://www.googleapis.com/oauth2/v1/certs",
      client_x509_cert_url: `https://www.googleapis.com/robot/v1/metadata/x509/${encodeURIComponent(email)}`,
      universe_domain: "googleapis.com",
    };
    return { record, key };
  }

  createUser(spec: UserSpec): UserInfo {
    const email = spec.email.toLowerCase();
    const user: UserInfo = { email, name: spec.name ?? email.split("@")[0] ?? email };
    this.users.set(email, user);
    return user;
  }

  /** A display name for a person chip or a Drive owner; undefined for strangers. */
  nameOf(email: string): string | undefined {
    return this.users.get(email.toLowerCase())?.name ?? this.serviceAccounts.get(email)?.email.split("@")[0];
  }

  quotaOf(principal: string): QuotaSpec {
    return this.userQuotas.get(principal) ?? this.serviceAccounts.get(principal)?.quota ?? {};
  }

  setQuota(principal: string, quota: QuotaSpec): void {
    const account = this.serviceAccounts.get(principal);
    if (account !== undefined) account.quota = { ...account.quota, ...quota };
    else this.userQuotas.set(principal, { ...this.userQuotas.get(principal), ...quota });
  }

  /** Service accounts own nothing unless they still have a (legacy) quota; users always do. */
  canOwnFiles(principal: string): boolean {
    const account = this.serviceAccounts.get(principal);
    return account === undefined || account.storageQuota;
  }

  issue(
    account: ServiceAccountRecord,
    principal: string,
    scopes: string[],
    lifetimeSeconds: number,
  ): AccessTokenRecord {
    const record: AccessTokenRecord = {
      token: accessToken(),
      serviceAccount: account,
      principal,
      scopes,
      expiresAt: Date.now() + lifetimeSeconds * 1000,
    };
    this.tokens.set(record.token, record);
    return record;
  }

  lookup(token: string | undefined): TokenLookup {
    if (token === undefined || token === "") return { ok: false, why: "missing" };
    const record = this.tokens.get(token);
    if (record === undefined) return { ok: false, why: "unknown" };
    if (record.expiresAt <= Date.now()) return { ok: false, why: "expired" };
    return { ok: true, record };
  }

  /** Ends the tokens of one principal (service account or impersonated user), or all. */
  expireTokens(principal?: string): number {
    let count = 0;
    for (const record of this.tokens.values()) {
      if (
        principal === undefined ||
        record.principal === principal ||
        record.serviceAccount.email === principal
      ) {
        record.expiresAt = 0;
        count++;
      }
    }
    return count;
  }
}
