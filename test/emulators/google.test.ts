// The Google emulator (OAuth token endpoint, Docs v1, Drive v3) driven over fetch from workerd: auth, document model, Drive, quotas, faults, fidelity.
import { importPKCS8, SignJWT } from "jose";
import { describe, expect, inject, it } from "vitest";
import {
  type DocsBatchUpdateResponse,
  type DocsDocument,
  type DocsParagraph,
  type DocsRequest,
  type DocsStructuralElement,
  type DriveFile,
  type DriveFileList,
  googleControl,
  type ServiceAccountKey,
  type ServiceAccountSpec,
} from "../../emulators/google/control";

const url = inject("googleUrl");
const emu = googleControl(url);

const DOCS_SCOPE = "https://www.googleapis.com/auth/documents";
const DRIVE_SCOPE = "https://www.googleapis.com/auth/drive";
const JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";

interface GoogleError {
  error: {
    code: number;
    message: string;
    status: string;
    errors: Array<{ reason: string; location?: string }>;
  };
}

interface OAuthErrorBody {
  error: string;
  error_description: string;
}

interface Answer<T> {
  status: number;
  body: T;
  headers: Headers;
}

/** A unique email per test keeps principals (and their calls, quotas and violations) apart. */
function unique(name: string): string {
  return `${name}-${crypto.randomUUID().slice(0, 8)}@example.com`;
}

async function sign(
  key: ServiceAccountKey,
  claims: { scope?: string; sub?: string; aud?: string; iat?: number; exp?: number } = {},
  signingPem: string = key.private_key,
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const jwt = new SignJWT({ scope: claims.scope ?? `${DOCS_SCOPE} ${DRIVE_SCOPE}` })
    .setProtectedHeader({ alg: "RS256", kid: key.private_key_id, typ: "JWT" })
    .setIssuer(key.client_email)
    .setAudience(claims.aud ?? key.token_uri)
    .setIssuedAt(claims.iat ?? now)
    .setExpirationTime(claims.exp ?? now + 3600);
  if (claims.sub !== undefined) jwt.setSubject(claims.sub);
  return jwt.sign(await importPKCS8(signingPem, "RS256"));
}

async function grant<T>(key: ServiceAccountKey, assertion: string): Promise<Answer<T>> {
  const response = await fetch(key.token_uri, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: JWT_BEARER, assertion }).toString(),
  });
  return { status: response.status, body: (await response.json()) as T, headers: response.headers };
}

/** A service account, its token, and a fetch helper that sends it. */
async function connect(spec: ServiceAccountSpec = {}, claims: { scope?: string; sub?: string } = {}) {
  const key = await emu.createServiceAccount({
    quota: { docsReadsPerMinute: null, docsWritesPerMinute: null },
    ...spec,
  });
  const granted = await grant<{ access_token: string }>(key, await sign(key, claims));
  expect(granted.status).toBe(200);
  const token = granted.body.access_token;
  async function api<T>(method: string, path: string, body?: unknown): Promise<Answer<T>> {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // Google's 502 is an HTML page; keep the text.
    }
    return { status: response.status, body: parsed as T, headers: response.headers };
  }
  const batch = (documentId: string, requests: DocsRequest[], writeControl?: Record<string, string>) =>
    api<DocsBatchUpdateResponse>("POST", `/v1/documents/${documentId}:batchUpdate`, {
      requests,
      ...(writeControl === undefined ? {} : { writeControl }),
    });
  const getDoc = (documentId: string, query = "?includeTabsContent=true") =>
    api<DocsDocument>("GET", `/v1/documents/${documentId}${query}`);
  return { key, email: key.client_email, token, api, batch, getDoc };
}

function paragraphsOf(content: DocsStructuralElement[]): DocsParagraph[] {
  return content.flatMap((element) => (element.paragraph === undefined ? [] : [element.paragraph]));
}

/** A paragraph as a person reads it: text runs, then chips as @email, 📅 date, [option]. */
function textOf(paragraph: DocsParagraph): string {
  return paragraph.elements
    .map((e) => {
      if (e.textRun !== undefined) return e.textRun.content;
      if (e.person !== undefined) return `@${e.person.personProperties.email}`;
      if (e.dateElement !== undefined) return `📅${e.dateElement.dateElementProperties.displayText ?? ""}`;
      if (e.dropdown !== undefined) return `[${e.dropdown.dropdownProperties.displayValue ?? ""}]`;
      return "?";
    })
    .join("")
    .replace(/\n$/, "");
}

/** Every element starts where the previous one ended, inside paragraphs too; the body starts at 0. */
function expectContiguous(content: DocsStructuralElement[]): void {
  let at = 0;
  for (const element of content) {
    expect(element.startIndex ?? 0).toBe(at);
    let inner = element.startIndex ?? 0;
    for (const child of element.paragraph?.elements ?? []) {
      expect(child.startIndex ?? 0).toBe(inner);
      expect(child.endIndex).toBeGreaterThan(inner);
      inner = child.endIndex;
    }
    if (element.paragraph !== undefined) expect(inner).toBe(element.endIndex);
    at = element.endIndex;
  }
}

function bodyOf(doc: DocsDocument, tab = 0): DocsStructuralElement[] {
  return doc.tabs?.[tab]?.documentTab.body.content ?? [];
}

describe("OAuth token endpoint (JWT bearer grant)", () => {
  it("grants a Bearer token for a correctly signed assertion, and the token opens the APIs", async () => {
    const key = await emu.createServiceAccount();
    expect(key).toMatchObject({
      type: "service_account",
      token_uri: `${url}/token`,
      client_email: expect.stringMatching(/@[a-z-]+\.iam\.gserviceaccount\.com$/),
      private_key: expect.stringMatching(/^-----BEGIN PRIVATE KEY-----\n/),
      private_key_id: expect.stringMatching(/^[0-9a-f]{40}$/),
      client_id: expect.stringMatching(/^\d{21}$/),
      universe_domain: "googleapis.com",
    });
    const granted = await grant<{ access_token: string; expires_in: number; token_type: string }>(
      key,
      await sign(key),
    );
    expect(granted.status).toBe(200);
    expect(granted.body).toEqual({
      access_token: expect.any(String),
      expires_in: 3600,
      token_type: "Bearer",
    });
    const list = await fetch(`${url}/drive/v3/files`, {
      headers: { authorization: `Bearer ${granted.body.access_token}` },
    });
    expect(list.status).toBe(200);
    expect(await emu.calls(key.client_email)).toEqual({ "POST /token": 1, "GET /drive/v3/files": 1 });
  });

  it("refuses a bad signature, a wrong audience and expired or over-long assertions with invalid_grant", async () => {
    const key = await emu.createServiceAccount();
    const other = await emu.createServiceAccount();
    const now = Math.floor(Date.now() / 1000);
    const cases: Array<[string, string, RegExp]> = [
      ["bad signature", await sign(key, {}, other.private_key), /^Invalid JWT Signature\.$/],
      ["wrong audience", await sign(key, { aud: "https://oauth2.googleapis.com/token" }), /audience/],
      ["expired", await sign(key, { iat: now - 7200, exp: now - 3600 }), /short-lived token \(60 minutes\)/],
      ["over an hour", await sign(key, { iat: now, exp: now + 7200 }), /Check your iat and exp values/],
    ];
    for (const [what, assertion, description] of cases) {
      const answer = await grant<OAuthErrorBody>(key, assertion);
      expect(answer.status, what).toBe(400);
      expect(answer.body.error, what).toBe("invalid_grant");
      expect(answer.body.error_description, what).toMatch(description);
    }
  });

  it("refuses impersonation without domain-wide delegation, and impersonates a known user with it", async () => {
    const user = await emu.createUser({ email: unique("manager"), name: "Maya Manager" });
    const plain = await emu.createServiceAccount();
    const refused = await grant<OAuthErrorBody>(plain, await sign(plain, { sub: user.email }));
    expect(refused.status).toBe(401);
    expect(refused.body).toEqual({
      error: "unauthorized_client",
      error_description: expect.stringContaining("Client is unauthorized to retrieve access tokens"),
    });

    const delegated = await emu.createServiceAccount({ domainWideDelegation: true });
    const stranger = await grant<OAuthErrorBody>(delegated, await sign(delegated, { sub: unique("nobody") }));
    expect(stranger.status).toBe(400);
    expect(stranger.body).toEqual({ error: "invalid_grant", error_description: "Invalid email or User ID" });

    // Acting as the user, the token sees what is shared with the user and not with the service account.
    const doc = await emu.createDocument({
      title: "Private notes",
      owner: user.email,
      content: [{ paragraph: "hi" }],
    });
    const asUser = await connect({ domainWideDelegation: true }, { sub: user.email });
    expect((await asUser.getDoc(doc.documentId)).status).toBe(200);
    const asSelf = await connect();
    expect((await asSelf.getDoc(doc.documentId)).status).toBe(403);
  });

  it("refuses unknown accounts, missing or unknown scopes and other grant types", async () => {
    const key = await emu.createServiceAccount();
    const unknown = await grant<OAuthErrorBody>(
      { ...key, client_email: `ghost@${key.project_id}.iam.gserviceaccount.com` },
      await sign({ ...key, client_email: `ghost@${key.project_id}.iam.gserviceaccount.com` }),
    );
    expect(unknown.body).toEqual({
      error: "invalid_grant",
      error_description: "Invalid grant: account not found",
    });
    const noScope = await grant<OAuthErrorBody>(key, await sign(key, { scope: "" }));
    expect(noScope.body.error).toBe("invalid_scope");
    const badScope = await grant<OAuthErrorBody>(
      key,
      await sign(key, { scope: "https://example.com/everything" }),
    );
    expect(badScope.body.error).toBe("invalid_scope");
    const wrongGrant = await fetch(key.token_uri, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "grant_type=client_credentials",
    });
    expect(wrongGrant.status).toBe(400);
    expect(await wrongGrant.json()).toMatchObject({ error: "unsupported_grant_type" });
  });

  it("answers 401 UNAUTHENTICATED for a missing, unknown or expired access token, and 403 for missing scopes", async () => {
    const missing = await fetch(`${url}/drive/v3/files`);
    expect(missing.status).toBe(401);
    expect(((await missing.json()) as GoogleError).error.status).toBe("UNAUTHENTICATED");
    const unknown = await fetch(`${url}/drive/v3/files`, { headers: { authorization: "Bearer ya29.nope" } });
    expect(unknown.status).toBe(401);

    const client = await connect();
    expect((await client.api("GET", "/drive/v3/files")).status).toBe(200);
    expect(await emu.expireTokens(client.email)).toBe(1);
    expect((await client.api<GoogleError>("GET", "/drive/v3/files")).status).toBe(401);

    const docsOnly = await connect({}, { scope: DOCS_SCOPE });
    const noDrive = await docsOnly.api<GoogleError>("GET", "/drive/v3/files");
    expect(noDrive.status).toBe(403);
    expect(noDrive.body.error.message).toBe("Request had insufficient authentication scopes.");
  });
});

describe("Docs documents.get", () => {
  it("returns a seeded document in tabs with includeTabsContent, or the first tab in the legacy fields", async () => {
    const client = await connect();
    const seeded = await emu.createDocument({
      title: "Alice / Bob 1:1",
      sharedWith: [client.email],
      tabs: [
        {
          title: "Running notes",
          content: [
            { heading: "Dec 4", level: 2 },
            {
              checkbox: [
                { text: "Send the plan", bold: true },
                " ",
                { person: "bob@example.com", name: "Bob" },
                " ",
                { date: "2026-12-11", format: "DATE_FORMAT_ISO8601" },
                " ",
                { dropdown: ["Open", "Done"], selected: "Open" },
              ],
              children: [{ checkbox: "Draft it", checked: true }],
            },
          ],
        },
        { title: "Archive", content: [{ paragraph: [{ text: "old", link: "https://example.com/old" }] }] },
      ],
    });
    expect(seeded.tabs).toEqual([
      { tabId: "t.0", title: "Running notes" },
      { tabId: expect.stringMatching(/^t\./), title: "Archive" },
    ]);

    const withTabs = await client.getDoc(seeded.documentId);
    expect(withTabs.status).toBe(200);
    const doc = withTabs.body;
    expect(doc).toMatchObject({
      documentId: seeded.documentId,
      title: "Alice / Bob 1:1",
      revisionId: seeded.revisionId,
    });
    expect(doc.body).toBeUndefined();
    expect(doc.tabs?.map((t) => t.tabProperties)).toEqual([
      { tabId: "t.0", title: "Running notes" },
      { tabId: seeded.tabs[1]?.tabId, title: "Archive", index: 1 },
    ]);
    const content = bodyOf(doc);
    expectContiguous(content);
    expect(paragraphsOf(content).map(textOf)).toEqual([
      "Dec 4",
      "Send the plan @bob@example.com 📅2026-12-11 [Open]",
      "Draft it",
    ]);
    const [, item, sub] = paragraphsOf(content);
    expect(item?.bullet?.nestingLevel).toBeUndefined();
    expect(sub?.bullet).toMatchObject({ listId: item?.bullet?.listId, nestingLevel: 1 });
    expect(item?.elements[0]?.textRun).toEqual({ content: "Send the plan", textStyle: { bold: true } });
    expect(sub?.elements[0]?.textRun?.textStyle).toEqual({ strikethrough: true });
    const tab = doc.tabs?.[0]?.documentTab;
    expect(tab?.lists?.[item?.bullet?.listId ?? ""]?.listProperties.nestingLevels[0]?.glyphType).toBe(
      "GLYPH_TYPE_UNSPECIFIED",
    );
    expect(Object.values(tab?.dropdownDefinitions ?? {})[0]?.dropdownDefinitionProperties.options).toEqual([
      { optionId: expect.stringMatching(/^dropdownItem\./), displayValue: "Open" },
      { optionId: expect.stringMatching(/^dropdownItem\./), displayValue: "Done" },
    ]);

    const legacy = await client.getDoc(seeded.documentId, "");
    expect(legacy.body.tabs).toBeUndefined();
    expect(paragraphsOf(legacy.body.body?.content ?? []).map(textOf)[0]).toBe("Dec 4");

    const masked = await client.getDoc(seeded.documentId, "?fields=title,tabs(tabProperties(title))");
    expect(masked.body).toEqual({
      title: "Alice / Bob 1:1",
      tabs: [{ tabProperties: { title: "Running notes" } }, { tabProperties: { title: "Archive" } }],
    });
  });
});

describe("Docs documents.batchUpdate", () => {
  it("writes an agenda (headings, runs, links, checkbox bullets nested by tabs, chips, a dropdown, a named range) with consistent indices", async () => {
    const client = await connect();
    const alice = await emu.createUser({ email: unique("alice"), name: "Alice Report" });
    const { documentId } = await emu.createDocument({
      title: "Agenda",
      sharedWith: [client.email],
      content: [],
    });
    const text = "Weekly 1:1\nAction items\nShip the doc \n\tAdd tests \nNotes\n";
    const result = await client.batch(documentId, [
      { insertText: { location: { index: 1 }, text } },
      {
        updateParagraphStyle: {
          range: { startIndex: 1, endIndex: 12 },
          paragraphStyle: { namedStyleType: "HEADING_1" },
          fields: "namedStyleType",
        },
      },
      {
        updateParagraphStyle: {
          range: { startIndex: 12, endIndex: 25 },
          paragraphStyle: { namedStyleType: "HEADING_2" },
          fields: "namedStyleType",
        },
      },
      {
        updateParagraphStyle: {
          range: { startIndex: 51, endIndex: 57 },
          paragraphStyle: { namedStyleType: "HEADING_2" },
          fields: "namedStyleType",
        },
      },
      // The leading tab of "Add tests" becomes nesting level 1 and is removed: everything after moves back by one.
      {
        createParagraphBullets: { range: { startIndex: 25, endIndex: 51 }, bulletPreset: "BULLET_CHECKBOX" },
      },
      {
        updateTextStyle: {
          range: { startIndex: 25, endIndex: 29 },
          textStyle: { bold: true },
          fields: "bold",
        },
      },
      {
        updateTextStyle: {
          range: { startIndex: 34, endIndex: 37 },
          textStyle: { link: { url: "https://docs.example/plan" } },
          fields: "link",
        },
      },
      {
        createDropdownDefinition: {
          dropdownDefinition: {
            dropdownDefinitionId: "kix.status",
            dropdownDefinitionProperties: {
              title: "Status",
              options: [
                { optionId: "dropdownItem.open", displayValue: "Open" },
                { optionId: "dropdownItem.done", displayValue: "Done" },
              ],
            },
          },
        },
      },
      { insertDropdown: { location: { index: 38 }, dropdownDefinitionId: "kix.status" } },
      {
        insertDate: {
          location: { index: 38 },
          dateElementProperties: {
            timestamp: "2026-12-04T15:00:00Z",
            timeZoneId: "America/New_York",
            dateFormat: "DATE_FORMAT_ISO8601",
          },
        },
      },
      { insertPerson: { location: { index: 38 }, personProperties: { email: "bob@example.com" } } },
      { insertPerson: { location: { index: 52 }, personProperties: { email: alice.email } } },
      { createNamedRange: { name: "action-items", range: { startIndex: 25, endIndex: 54 } } },
      { insertText: { endOfSegmentLocation: {}, text: "Talk about career" } },
    ]);
    expect(result.status).toBe(200);
    expect(result.body.replies).toHaveLength(14);
    expect(result.body.replies[0]).toEqual({});
    expect(result.body.replies[7]).toMatchObject({
      createDropdownDefinition: { dropdownDefinition: { dropdownDefinitionId: "kix.status" } },
    });
    expect(result.body.replies[8]).toMatchObject({
      insertDropdown: {
        dropdown: {
          dropdownProperties: {
            dropdownDefinitionId: "kix.status",
            selectedOptionId: "dropdownItem.open",
            displayValue: "Open",
          },
        },
      },
    });
    const namedRangeId = (result.body.replies[12] as { createNamedRange?: { namedRangeId?: string } })
      .createNamedRange?.namedRangeId;
    expect(namedRangeId).toMatch(/^kix\./);

    const doc = (await client.getDoc(documentId)).body;
    expect(doc.revisionId).toBe(result.body.writeControl?.requiredRevisionId);
    const content = bodyOf(doc);
    expectContiguous(content);
    expect(content.map((e) => [e.startIndex ?? 0, e.endIndex])).toEqual([
      [0, 1],
      [1, 12],
      [12, 25],
      [25, 42],
      [42, 54],
      [54, 60],
      [60, 78],
    ]);
    const paragraphs = paragraphsOf(content);
    expect(
      paragraphs.map((p) => [
        p.paragraphStyle.namedStyleType,
        textOf(p),
        p.bullet?.nestingLevel ?? (p.bullet ? 0 : null),
      ]),
    ).toEqual([
      ["HEADING_1", "Weekly 1:1", null],
      ["HEADING_2", "Action items", null],
      ["NORMAL_TEXT", "Ship the doc @bob@example.com📅2026-12-04[Open]", 0],
      ["NORMAL_TEXT", `Add tests @${alice.email}`, 1],
      ["HEADING_2", "Notes", null],
      ["NORMAL_TEXT", "Talk about career", null],
    ]);
    expect(paragraphs[0]?.paragraphStyle.headingId).toMatch(/^h\./);
    expect(paragraphs[2]?.bullet?.listId).toBe(paragraphs[3]?.bullet?.listId);
    const ship = paragraphs[2]?.elements ?? [];
    expect(
      ship.map((e) => [
        e.startIndex,
        e.endIndex,
        e.textRun?.content ?? Object.keys(e).find((k) => k !== "startIndex" && k !== "endIndex"),
      ]),
    ).toEqual([
      [25, 29, "Ship"],
      [29, 34, " the "],
      [34, 37, "doc"],
      [37, 38, " "],
      [38, 39, "person"],
      [39, 40, "dateElement"],
      [40, 41, "dropdown"],
      [41, 42, "\n"],
    ]);
    expect(ship[0]?.textRun?.textStyle).toEqual({ bold: true });
    expect(ship[2]?.textRun?.textStyle).toEqual({ link: { url: "https://docs.example/plan" } });
    expect(ship[5]?.dateElement?.dateElementProperties).toEqual({
      timestamp: "2026-12-04T15:00:00Z",
      timeZoneId: "America/New_York",
      dateFormat: "DATE_FORMAT_ISO8601",
      displayText: "2026-12-04",
    });
    expect(paragraphs[3]?.elements[1]?.person?.personProperties).toEqual({
      email: alice.email,
      name: "Alice Report",
    });
    expect(doc.tabs?.[0]?.documentTab.namedRanges?.["action-items"]).toEqual({
      name: "action-items",
      namedRanges: [
        { namedRangeId, name: "action-items", ranges: [{ startIndex: 25, endIndex: 54, tabId: "t.0" }] },
      ],
    });
    expect(await emu.violations(client.email)).toEqual([]);
  });

  it("shifts indices after an insert above a named range, which moves (and grows, and shrinks) with its text", async () => {
    const client = await connect();
    const seeded = await emu.createDocument({
      title: "Running doc",
      sharedWith: [client.email],
      content: [
        { paragraph: "Intro" },
        { namedRange: "agenda", content: [{ heading: "Agenda" }, { bullet: "Item" }] },
      ],
    });
    const rangeOf = async () => {
      const doc = (await client.getDoc(seeded.documentId)).body;
      const range = doc.tabs?.[0]?.documentTab.namedRanges?.agenda?.namedRanges[0]?.ranges[0];
      const content = bodyOf(doc);
      expectContiguous(content);
      const text = paragraphsOf(content)
        .flatMap((p) => p.elements)
        .filter(
          (e) => (e.startIndex ?? 0) >= (range?.startIndex ?? 0) && e.endIndex <= (range?.endIndex ?? 0),
        )
        .map((e) => e.textRun?.content ?? "")
        .join("");
      return { start: range?.startIndex, end: range?.endIndex, text };
    };
    expect(await rangeOf()).toEqual({ start: 7, end: 19, text: "Agenda\nItem\n" });
    expect(
      (await client.batch(seeded.documentId, [{ insertText: { location: { index: 1 }, text: "Hello\n" } }]))
        .status,
    ).toBe(200);
    expect(await rangeOf()).toEqual({ start: 13, end: 25, text: "Agenda\nItem\n" });
    await client.batch(seeded.documentId, [{ insertText: { location: { index: 20 }, text: "New " } }]);
    expect(await rangeOf()).toEqual({ start: 13, end: 29, text: "Agenda\nNew Item\n" });
    await client.batch(seeded.documentId, [
      { deleteContentRange: { range: { startIndex: 1, endIndex: 7 } } },
    ]);
    expect(await rangeOf()).toEqual({ start: 7, end: 23, text: "Agenda\nNew Item\n" });
  });

  it("refuses a stale requiredRevisionId with 400 and applies a current one; targetRevisionId is a refused gap", async () => {
    const client = await connect();
    const owner = unique("owner");
    const seeded = await emu.createDocument({
      title: "Rev",
      owner,
      sharedWith: [client.email],
      content: [{ paragraph: "a" }],
    });
    const first = await client.batch(
      seeded.documentId,
      [{ insertText: { location: { index: 1 }, text: "x" } }],
      {
        requiredRevisionId: seeded.revisionId,
      },
    );
    expect(first.status).toBe(200);
    const afterMine = first.body.writeControl?.requiredRevisionId;
    expect(afterMine).not.toBe(seeded.revisionId);

    // Someone edits in the Docs editor between the read and the write.
    await emu.batchUpdateAs(owner, seeded.documentId, [
      { insertText: { location: { index: 1 }, text: "y" } },
    ]);
    const stale = await client.batch(
      seeded.documentId,
      [{ insertText: { location: { index: 1 }, text: "z" } }],
      {
        requiredRevisionId: afterMine ?? "",
      },
    );
    expect(stale.status).toBe(400);
    expect((stale.body as unknown as GoogleError).error.message).toMatch(/revision/);
    expect(paragraphsOf(bodyOf((await client.getDoc(seeded.documentId)).body)).map(textOf)).toEqual(["yxa"]);

    const target = await client.batch(
      seeded.documentId,
      [{ insertText: { location: { index: 1 }, text: "z" } }],
      {
        targetRevisionId: afterMine ?? "",
      },
    );
    expect(target.status).toBe(400);
    expect(await emu.clearViolations(client.email)).toEqual([expect.stringContaining("targetRevisionId")]);
  });

  it("answers Google's 400 for an unknown field, a bad enum or two kinds in one request, and records each as a violation", async () => {
    const client = await connect();
    const { documentId, revisionId } = await emu.createDocument({
      title: "V",
      sharedWith: [client.email],
      content: [{ paragraph: "a" }],
    });
    const unknownField = await client.batch(documentId, [
      { insertText: { location: { index: 1 }, text: "x", bold: true } },
    ]);
    expect(unknownField.status).toBe(400);
    expect(unknownField.body as unknown as GoogleError).toMatchObject({
      error: {
        code: 400,
        status: "INVALID_ARGUMENT",
        message: `Invalid JSON payload received. Unknown name "bold" at 'requests[0].insert_text': Cannot find field.`,
      },
    });
    const badEnum = await client.batch(documentId, [
      { createParagraphBullets: { range: { startIndex: 1, endIndex: 2 }, bulletPreset: "BULLET_SQUARE" } },
    ]);
    expect(badEnum.status).toBe(400);
    const twoKinds = await client.batch(documentId, [
      {
        insertText: { location: { index: 1 }, text: "x" },
        deleteContentRange: { range: { startIndex: 1, endIndex: 2 } },
      },
    ]);
    expect(twoKinds.status).toBe(400);
    const violations = await emu.clearViolations(client.email);
    expect(violations).toEqual([
      expect.stringContaining('unknown field "bold"'),
      expect.stringContaining("bulletPreset"),
      expect.stringContaining("exactly one is allowed"),
    ]);
    expect(await emu.violations(client.email)).toEqual([]);
    expect((await emu.document(documentId)).revisionId).toBe(revisionId);
  });

  it("refuses a request kind it does not implement as an emulator gap, and applies a batch all or nothing", async () => {
    const client = await connect();
    const { documentId, revisionId } = await emu.createDocument({
      title: "G",
      sharedWith: [client.email],
      content: [{ paragraph: "abc" }],
    });
    const gap = await client.batch(documentId, [
      { insertTable: { rows: 1, columns: 1, endOfSegmentLocation: {} } },
    ]);
    expect(gap.status).toBe(400);
    expect(await emu.clearViolations(client.email)).toEqual([expect.stringContaining("insertTable")]);

    const mixed = await client.batch(documentId, [
      { insertText: { location: { index: 1 }, text: "kept? " } },
      { deleteContentRange: { range: { startIndex: 1, endIndex: 99 } } },
    ]);
    expect(mixed.status).toBe(400);
    expect((mixed.body as unknown as GoogleError).error.message).toMatch(
      /^Invalid requests\[1\]\.deleteContentRange: /,
    );
    const doc = await emu.document(documentId);
    expect(doc.revisionId).toBe(revisionId);
    expect(paragraphsOf(bodyOf(doc)).map(textOf)).toEqual(["abc"]);
    const finalNewline = await client.batch(documentId, [
      { deleteContentRange: { range: { startIndex: 1, endIndex: 5 } } },
    ]);
    expect((finalNewline.body as unknown as GoogleError).error.message).toMatch(
      /newline character at the end of the segment/,
    );
    expect(await emu.violations(client.email)).toEqual([]);
  });

  it("edits an existing agenda: dropdown selection, bullets off, tab-addressed inserts, named range content, joins", async () => {
    const client = await connect();
    const seeded = await emu.createDocument({
      title: "Edits",
      sharedWith: [client.email],
      tabs: [
        {
          title: "Notes",
          content: [
            { heading: "Dec 4", level: 2 },
            {
              namedRange: "items",
              content: [
                { checkbox: ["Ship ", { dropdown: ["Open", "Done"], title: "Status" }] },
                { bullet: "Nested", level: 1 },
              ],
            },
            { paragraph: "tail" },
          ],
        },
        { title: "Archive", content: [{ paragraph: "old" }] },
      ],
    });
    const archive = seeded.tabs[1]?.tabId ?? "";
    const before = (await client.getDoc(seeded.documentId)).body;
    const notes = before.tabs?.[0]?.documentTab;
    const dropdown = paragraphsOf(notes?.body.content ?? [])[1]?.elements[1]?.dropdown;
    const done =
      notes?.dropdownDefinitions?.[seeded.dropdownDefinitions.Status ?? ""]?.dropdownDefinitionProperties
        .options[1];
    expect(done?.displayValue).toBe("Done");

    const first = await client.batch(seeded.documentId, [
      {
        updateDropdownProperties: {
          tabId: "t.0",
          dropdownId: dropdown?.dropdownId,
          dropdownProperties: { selectedOptionId: done?.optionId },
          fields: "selectedOptionId",
        },
      },
      { deleteParagraphBullets: { range: { startIndex: 14, endIndex: 21 } } },
      { insertText: { location: { index: 1, tabId: archive }, text: "Moved: " } },
      {
        updateDocumentTabProperties: {
          tabProperties: { tabId: archive, title: "Old notes" },
          fields: "title",
        },
      },
    ]);
    expect(first.status).toBe(200);
    let doc = (await client.getDoc(seeded.documentId)).body;
    expect(paragraphsOf(bodyOf(doc)).map(textOf)).toEqual(["Dec 4", "Ship [Done]", "Nested", "tail"]);
    expect(paragraphsOf(bodyOf(doc))[2]?.bullet).toBeUndefined();
    expect(paragraphsOf(bodyOf(doc))[2]?.paragraphStyle.indentStart).toEqual({ magnitude: 72, unit: "PT" });
    expect(doc.tabs?.[1]?.tabProperties.title).toBe("Old notes");
    expect(paragraphsOf(bodyOf(doc, 1)).map(textOf)).toEqual(["Moved: old"]);

    await client.batch(seeded.documentId, [
      { replaceNamedRangeContent: { namedRangeName: "items", text: "Nothing carried\n" } },
    ]);
    doc = (await client.getDoc(seeded.documentId)).body;
    expect(paragraphsOf(bodyOf(doc)).map(textOf)).toEqual(["Dec 4", "Nothing carried", "tail"]);
    expect(doc.tabs?.[0]?.documentTab.namedRanges?.items?.namedRanges[0]?.ranges).toEqual([
      { startIndex: 7, endIndex: 23, tabId: "t.0" },
    ]);

    await client.batch(seeded.documentId, [
      { deleteNamedRange: { name: "items" } },
      // Joining two paragraphs keeps the first one's style, as the editor does.
      { deleteContentRange: { range: { startIndex: 4, endIndex: 10 } } },
    ]);
    doc = (await client.getDoc(seeded.documentId)).body;
    expect(doc.tabs?.[0]?.documentTab.namedRanges).toBeUndefined();
    const joined = paragraphsOf(bodyOf(doc));
    expect(joined.map((p) => [p.paragraphStyle.namedStyleType, textOf(p)])).toEqual([
      ["HEADING_2", "Deching carried"],
      ["NORMAL_TEXT", "tail"],
    ]);
    expectContiguous(bodyOf(doc));
  });

  it("replaces text across tabs, adds tabs, and shows person-side edits (a dropdown set to Done) in the document and its view", async () => {
    const client = await connect();
    const manager = unique("manager");
    const seeded = await emu.createDocument({
      title: "Team 1:1",
      owner: manager,
      sharedWith: [client.email],
      tabs: [
        { title: "Now", content: [{ checkbox: ["Fix {{thing}} ", { dropdown: ["Open", "Done"] }] }] },
        { title: "Later", content: [{ paragraph: "Also {{thing}}" }] },
      ],
    });
    const replaced = await client.batch(seeded.documentId, [
      { replaceAllText: { containsText: { text: "{{thing}}", matchCase: true }, replaceText: "the build" } },
      { addDocumentTab: { tabProperties: { title: "Dec 11", index: 0 } } },
    ]);
    expect(replaced.body.replies[0]).toEqual({ replaceAllText: { occurrencesChanged: 2 } });
    expect(replaced.body.replies[1]).toEqual({
      addDocumentTab: { tabProperties: { tabId: expect.stringMatching(/^t\./), title: "Dec 11" } },
    });

    await emu.setDropdown(seeded.documentId, { paragraphContaining: "Fix the build" }, "Done");
    const doc = (await client.getDoc(seeded.documentId)).body;
    expect(doc.tabs?.map((t) => t.tabProperties.title)).toEqual(["Dec 11", "Now", "Later"]);
    expect(paragraphsOf(bodyOf(doc, 1)).map(textOf)).toEqual(["Fix the build [Done]"]);
    expect(paragraphsOf(bodyOf(doc, 2)).map(textOf)).toEqual(["Also the build"]);
    const view = await emu.view(seeded.documentId);
    expect(view).toContain("☐ Fix the build [Done▾]");
    expect(view).toContain('tab "Later"');
  });
});

describe("Drive v3", () => {
  it("copies a template into a shared-drive folder with appProperties, and files.list finds it by `appProperties has`", async () => {
    const client = await connect();
    const drive = await emu.createFolder({ name: "1:1s", sharedDrive: true, sharedWith: [client.email] });
    const folder = await emu.createFolder({ name: "Alice / Bob", parent: drive.id });
    const template = await emu.createDocument({
      title: "Template",
      parents: [drive.id],
      content: [{ heading: "{{date}}", level: 2 }, { checkbox: "Action" }],
    });
    const copied = await client.api<DriveFile>(
      "POST",
      `/drive/v3/files/${template.documentId}/copy?supportsAllDrives=true&fields=id,name,parents,driveId,appProperties,mimeType`,
      {
        name: "1:1 2026-12-04",
        parents: [folder.id],
        appProperties: { pair: "alice-bob", meeting: "2026-12-04" },
      },
    );
    expect(copied.status).toBe(200);
    expect(copied.body).toEqual({
      id: expect.any(String),
      name: "1:1 2026-12-04",
      parents: [folder.id],
      driveId: drive.id,
      mimeType: "application/vnd.google-apps.document",
      appProperties: { pair: "alice-bob", meeting: "2026-12-04" },
    });
    const copy = await client.getDoc(copied.body.id ?? "");
    expect(paragraphsOf(bodyOf(copy.body)).map(textOf)).toEqual(["{{date}}", "Action"]);
    expect(copy.body.documentId).not.toBe(template.documentId);

    const q = `'${folder.id}' in parents and trashed = false and mimeType = 'application/vnd.google-apps.document' and appProperties has { key='pair' and value='alice-bob' }`;
    const params = new URLSearchParams({
      q,
      corpora: "drive",
      driveId: drive.id,
      includeItemsFromAllDrives: "true",
      supportsAllDrives: "true",
      fields: "files(id,name,appProperties)",
    });
    const found = await client.api<DriveFileList>("GET", `/drive/v3/files?${params}`);
    expect(found.status).toBe(200);
    expect(found.body).toEqual({
      files: [
        {
          id: copied.body.id,
          name: "1:1 2026-12-04",
          appProperties: { pair: "alice-bob", meeting: "2026-12-04" },
        },
      ],
    });

    // appProperties are private to the app that set them.
    const otherApp = await connect();
    await emu.share(drive.id, otherApp.email, "reader");
    const seen = await otherApp.api<DriveFile>(
      "GET",
      `/drive/v3/files/${copied.body.id}?supportsAllDrives=true&fields=id,appProperties`,
    );
    expect(seen.body).toEqual({ id: copied.body.id });
  });

  it("files.update merges appProperties (null clears a key) and trashes only for a content manager or the owner", async () => {
    const client = await connect();
    const organizer = await connect();
    const drive = await emu.createFolder({
      name: "1:1s",
      sharedDrive: true,
      sharedWith: [client.email, { principal: organizer.email, role: "fileOrganizer" }],
    });
    const doc = await emu.createDocument({
      title: "Agenda",
      parents: [drive.id],
      appProperties: { [client.email]: { pair: "alice-bob", draft: "1" } },
    });
    const path = `/drive/v3/files/${doc.documentId}?supportsAllDrives=true&fields=id,name,appProperties,trashed`;
    const updated = await client.api<DriveFile>("PATCH", path, {
      name: "Agenda (done)",
      appProperties: { draft: null, meeting: "2026-12-04" },
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toEqual({
      id: doc.documentId,
      name: "Agenda (done)",
      appProperties: { pair: "alice-bob", meeting: "2026-12-04" },
      trashed: false,
    });

    // A writer (contributor) of a shared drive may edit but not trash; a content manager may.
    const refused = await client.api<GoogleError>("PATCH", path, { trashed: true });
    expect(refused.status).toBe(403);
    expect(refused.body.error.errors[0]?.reason).toBe("insufficientFilePermissions");
    const trashed = await organizer.api<DriveFile>("PATCH", path, { trashed: true });
    expect(trashed.body.trashed).toBe(true);
    expect((await emu.file(doc.documentId)).trashed).toBe(true);
    expect(await emu.violations(client.email)).toEqual([]);
  });

  it("checks appProperties and named ranges against the discovery documents like every other field", async () => {
    const client = await connect();
    const drive = await emu.createFolder({ name: "1:1s", sharedDrive: true, sharedWith: [client.email] });
    const doc = await emu.createDocument({
      title: "Agenda",
      parents: [drive.id],
      content: [{ paragraph: "Hi" }],
    });
    // appProperties is a map of strings: an object value is refused, as Google refuses it.
    const badMap = await client.api<GoogleError>(
      "PATCH",
      `/drive/v3/files/${doc.documentId}?supportsAllDrives=true`,
      { appProperties: { pair: { id: "alice-bob" } } },
    );
    expect(badMap.status).toBe(400);
    const badCopy = await client.api<GoogleError>(
      "POST",
      `/drive/v3/files/${doc.documentId}/copy?supportsAllDrives=true`,
      { appProperties: ["alice-bob"] },
    );
    expect(badCopy.status).toBe(400);
    // createNamedRange takes a name and a Range; a misspelt field is refused.
    const badRange = await client.batch(doc.documentId, [
      { createNamedRange: { name: "done", range: { start: 1, endIndex: 2 } } } as DocsRequest,
    ]);
    expect(badRange.status).toBe(400);
    expect(badRange.body).toMatchObject({
      error: { message: expect.stringContaining('Unknown name "start"') },
    });
    const good = await client.batch(doc.documentId, [
      { createNamedRange: { name: "done", range: { startIndex: 1, endIndex: 3 } } },
    ]);
    expect(good.status).toBe(200);
    const violations = await emu.clearViolations(client.email);
    expect(violations).toHaveLength(3);
    expect(violations.join("\n")).toMatch(/appProperties/);
    expect(violations.join("\n")).toMatch(/createNamedRange/);
  });

  it("hides shared-drive items unless the caller passes supportsAllDrives (and includeItemsFromAllDrives to list)", async () => {
    const client = await connect();
    const drive = await emu.createFolder({
      name: "Team drive",
      sharedDrive: true,
      sharedWith: [client.email],
    });
    const doc = await emu.createDocument({ title: "In a shared drive", parents: [drive.id] });
    const hidden = await client.api<GoogleError>("GET", `/drive/v3/files/${doc.documentId}`);
    expect(hidden.status).toBe(404);
    expect(hidden.body.error).toMatchObject({
      message: `File not found: ${doc.documentId}.`,
      errors: [{ reason: "notFound", location: "fileId" }],
    });
    const shown = await client.api<DriveFile>(
      "GET",
      `/drive/v3/files/${doc.documentId}?supportsAllDrives=true`,
    );
    expect(shown.status).toBe(200);
    expect(shown.body).toEqual({
      kind: "drive#file",
      id: doc.documentId,
      name: "In a shared drive",
      mimeType: "application/vnd.google-apps.document",
    });
    const plainList = await client.api<DriveFileList>("GET", "/drive/v3/files?supportsAllDrives=true");
    expect(plainList.body.files?.map((f) => f.id)).not.toContain(doc.documentId);
    const allList = await client.api<DriveFileList>(
      "GET",
      "/drive/v3/files?supportsAllDrives=true&includeItemsFromAllDrives=true",
    );
    expect(allList.body.files?.map((f) => f.id)).toContain(doc.documentId);
    const refused = await client.api<GoogleError>("GET", "/drive/v3/files?includeItemsFromAllDrives=true");
    expect(refused.status).toBe(400);
    // Docs needs no such flag.
    expect((await client.getDoc(doc.documentId)).status).toBe(200);
  });

  it("keeps a service account from owning files in My Drive (storageQuotaExceeded) unless it impersonates the user", async () => {
    const user = await emu.createUser({ email: unique("manager"), name: "Maya" });
    const sa = await connect({ domainWideDelegation: true });
    const folder = await emu.createFolder({ name: "Maya's 1:1s", owner: user.email, sharedWith: [sa.email] });
    const template = await emu.createDocument({
      title: "Template",
      owner: user.email,
      parents: [folder.id],
      sharedWith: [sa.email],
    });

    const refused = await sa.api<GoogleError>("POST", `/drive/v3/files/${template.documentId}/copy`, {
      parents: [folder.id],
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error.errors[0]?.reason).toBe("storageQuotaExceeded");
    const created = await sa.api<GoogleError>("POST", "/drive/v3/files", {
      name: "New",
      mimeType: "application/vnd.google-apps.document",
    });
    expect(created.body.error.errors[0]?.reason).toBe("storageQuotaExceeded");

    const granted = await grant<{ access_token: string }>(sa.key, await sign(sa.key, { sub: user.email }));
    const asUser = await fetch(
      `${url}/drive/v3/files/${template.documentId}/copy?fields=id,name,owners,ownedByMe,parents`,
      {
        method: "POST",
        headers: { authorization: `Bearer ${granted.body.access_token}`, "content-type": "application/json" },
        body: "{}",
      },
    );
    expect(asUser.status).toBe(200);
    expect(await asUser.json()).toMatchObject({
      name: "Copy of Template",
      parents: [folder.id],
      ownedByMe: true,
      owners: [{ emailAddress: user.email, displayName: "Maya" }],
    });
  });

  it("answers 404 (Drive) and 403 (Docs) for a file not shared with the caller, until it is shared", async () => {
    const client = await connect();
    const doc = await emu.createDocument({
      title: "Secret",
      owner: unique("owner"),
      content: [{ paragraph: "x" }],
    });
    const drive404 = await client.api<GoogleError>("GET", `/drive/v3/files/${doc.documentId}`);
    expect(drive404.status).toBe(404);
    expect(drive404.body.error.message).toBe(`File not found: ${doc.documentId}.`);
    const docs403 = await client.getDoc(doc.documentId);
    expect(docs403.status).toBe(403);
    expect((docs403.body as unknown as GoogleError).error).toMatchObject({
      code: 403,
      status: "PERMISSION_DENIED",
      message: "The caller does not have permission",
    });
    expect((await client.getDoc("1doesNotExistAtAll")).status).toBe(404);

    await emu.share(doc.documentId, client.email, "reader");
    expect((await client.api("GET", `/drive/v3/files/${doc.documentId}`)).status).toBe(200);
    expect((await client.getDoc(doc.documentId)).status).toBe(200);
    const write = await client.batch(doc.documentId, [
      { insertText: { location: { index: 1 }, text: "no" } },
    ]);
    expect(write.status).toBe(403);
    const download = await client.api<GoogleError>("GET", `/drive/v3/files/${doc.documentId}?alt=media`);
    expect(download.status).toBe(403);
    expect(download.body.error.errors[0]?.reason).toBe("fileNotDownloadable");
    await emu.unshare(doc.documentId, client.email);
    expect((await client.api("GET", `/drive/v3/files/${doc.documentId}`)).status).toBe(404);
  });

  it("lists with q, orderBy createdTime desc, pageSize and pageToken, and creates Docs and folders with files.create", async () => {
    const client = await connect();
    const drive = await emu.createFolder({ name: "Pairs", sharedDrive: true, sharedWith: [client.email] });
    for (const day of ["01", "08", "15"]) {
      await emu.createDocument({
        title: `1:1 2026-12-${day}`,
        parents: [drive.id],
        createdTime: `2026-12-${day}T09:00:00Z`,
      });
    }
    const base = `corpora=drive&driveId=${drive.id}&includeItemsFromAllDrives=true&supportsAllDrives=true`;
    const q = encodeURIComponent(`'${drive.id}' in parents and name contains '1:1'`);
    const page1 = await client.api<DriveFileList>(
      "GET",
      `/drive/v3/files?${base}&q=${q}&orderBy=createdTime desc&pageSize=2`,
    );
    expect(page1.body.files?.map((f) => f.name)).toEqual(["1:1 2026-12-15", "1:1 2026-12-08"]);
    expect(page1.body.nextPageToken).toEqual(expect.any(String));
    const page2 = await client.api<DriveFileList>(
      "GET",
      `/drive/v3/files?${base}&q=${q}&orderBy=createdTime desc&pageSize=2&pageToken=${page1.body.nextPageToken}`,
    );
    expect(page2.body).toEqual({
      kind: "drive#fileList",
      incompleteSearch: false,
      files: [
        {
          kind: "drive#file",
          id: expect.any(String),
          name: "1:1 2026-12-01",
          mimeType: "application/vnd.google-apps.document",
        },
      ],
    });

    const created = await client.api<DriveFile>(
      "POST",
      "/drive/v3/files?supportsAllDrives=true&fields=id,name,mimeType,parents",
      {
        name: "Blank agenda",
        mimeType: "application/vnd.google-apps.document",
        parents: [drive.id],
      },
    );
    expect(created.status).toBe(200);
    const blank = await client.getDoc(created.body.id ?? "");
    expect(bodyOf(blank.body).map((e) => [e.startIndex ?? 0, e.endIndex])).toEqual([
      [0, 1],
      [1, 2],
    ]);
    const byName = await client.api<DriveFileList>(
      "GET",
      `/drive/v3/files?${base}&q=${encodeURIComponent("name = 'Blank agenda'")}&fields=files(id)`,
    );
    expect(byName.body.files).toEqual([{ id: created.body.id }]);
    const badField = await client.api<GoogleError>("GET", `/drive/v3/files?fields=files(id,nonsense)`);
    expect(badField.status).toBe(400);
    expect(badField.body.error.message).toBe("Invalid field selection nonsense");
    expect(await emu.clearViolations(client.email)).toEqual([expect.stringContaining("nonsense")]);
  });
});

describe("quotas, faults and call counts", () => {
  it("answers 429 RESOURCE_EXHAUSTED with Retry-After past the per-user Docs write quota", async () => {
    const client = await connect({ quota: { docsWritesPerMinute: 2, docsReadsPerMinute: null } });
    const { documentId } = await emu.createDocument({ title: "Q", sharedWith: [client.email] });
    const write = () => client.batch(documentId, [{ insertText: { location: { index: 1 }, text: "x" } }]);
    expect((await write()).status).toBe(200);
    expect((await write()).status).toBe(200);
    const limited = await write();
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect((limited.body as unknown as GoogleError).error).toMatchObject({
      code: 429,
      status: "RESOURCE_EXHAUSTED",
      message: expect.stringContaining("Write requests per minute per user"),
    });
    expect((await client.getDoc(documentId)).status).toBe(200);
    // Person-side edits do not spend the quota.
    await emu.batchUpdateAs("admin@example.com", documentId, [
      { insertText: { location: { index: 1 }, text: "p" } },
    ]);
  });

  it("fires a fault the given number of times: 503s, Google's HTML 502, a write applied but never answered, a delay", async () => {
    const client = await connect();
    const { documentId } = await emu.createDocument({
      title: "F",
      sharedWith: [client.email],
      content: [{ paragraph: "a" }],
    });
    const write = (text: string) =>
      client.batch(documentId, [{ insertText: { location: { index: 1 }, text } }]);
    await emu.addFault({
      principal: client.email,
      path: "/v1/documents/:id:batchUpdate",
      status: 503,
      times: 2,
    });
    expect((await write("1")).status).toBe(503);
    expect((await write("2")).status).toBe(503);
    expect((await write("3")).status).toBe(200);
    // Other test files share the emulator: only this principal's faults are this test's.
    expect((await emu.faults()).filter((fault) => fault.spec.principal === client.email)).toEqual([]);

    await emu.addFault({ principal: client.email, method: "GET", path: "/drive/v3/files", status: 502 });
    const html = await client.api<string>("GET", "/drive/v3/files");
    expect(html.status).toBe(502);
    expect(html.headers.get("content-type")).toContain("text/html");

    await emu.addFault({ principal: client.email, path: "/v1/documents/:id:batchUpdate", drop: "after" });
    await expect(write("4")).rejects.toThrow();
    expect(paragraphsOf(bodyOf(await emu.document(documentId))).map(textOf)).toEqual(["43a"]);

    await emu.addFault({ principal: client.email, path: "/v1/documents/:id", delayMs: 150 });
    const started = Date.now();
    expect((await client.getDoc(documentId)).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it("counts calls per principal and endpoint", async () => {
    const client = await connect();
    const { documentId } = await emu.createDocument({ title: "C", sharedWith: [client.email] });
    await client.getDoc(documentId);
    await client.batch(documentId, [{ insertText: { location: { index: 1 }, text: "a" } }]);
    await client.batch(documentId, [{ insertText: { location: { index: 1 }, text: "b" } }]);
    await client.api("GET", "/drive/v3/files");
    await client.api("GET", `/drive/v3/files/${documentId}`);
    expect(await emu.calls(client.email)).toEqual({
      "POST /token": 1,
      "GET /v1/documents/:id": 1,
      "POST /v1/documents/:id:batchUpdate": 2,
      "GET /drive/v3/files": 1,
      "GET /drive/v3/files/:id": 1,
    });
    await emu.resetCalls(client.email);
    expect(await emu.calls(client.email)).toEqual({});
    expect(await emu.violations(client.email)).toEqual([]);
  });
});
