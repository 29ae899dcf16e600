// A local stand-in for the Bot Framework's identity endpoints, started by a test: the OpenID metadata and the
// signing keys (JWKS, each key with the channels it is endorsed for) that the channel's tokens are checked
// against, and an OAuth 2.0 token endpoint (client credentials) where the bot gets its token for the
// connector. Shaped after the Bot Framework authentication spec (login.botframework.com/v1/.well-known/
// openidconfiguration, keys with `endorsements`; tokens with iss https://api.botframework.com, aud = app id,
// serviceurl) and what botbuilder-js's own tests serve (libraries/botbuilder/tests/cloudAdapter.test.js).
import { generateKeyPairSync, randomBytes, randomUUID, type KeyObject } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import jwt from "jsonwebtoken";

export const CHANNEL_ISSUER = "https://api.botframework.com";

interface Key {
  kid: string;
  privateKey: KeyObject;
  publicJwk: Record<string, unknown>;
}

function makeKey(endorsements: string[]): Key {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const kid = randomUUID();
  return { kid, privateKey, publicJwk: { ...publicKey.export({ format: "jwk" }), kid, kty: "RSA", use: "sig", endorsements } };
}

export interface TokenOptions {
  /** Which key signs: the endorsed one (default), one endorsed only for webchat, or one the JWKS does not list. */
  key?: "teams" | "webchatOnly" | "unknown";
  aud?: string;
  iss?: string;
  serviceUrl?: string;
  /** Seconds from now; negative: expired. */
  expiresIn?: number;
}

export interface LocalIdentity {
  url: string;
  appId: string;
  appPassword: string;
  tenantId: string;
  /** Bot Framework's endpoint settings pointing here, as the bot reads them from the environment. */
  env: Record<string, string>;
  /** A channel token for a request to the bot (Authorization: Bearer …). */
  channelToken(serviceUrl: string, opts?: TokenOptions): string;
  /** Access tokens this endpoint issued to the bot (the connector accepts only these). */
  issued: Set<string>;
  tokenRequests: number;
  close(): Promise<void>;
}

export async function startIdentity(): Promise<LocalIdentity> {
  const teamsKey = makeKey(["msteams", "webchat", "emulator"]);
  const webchatKey = makeKey(["webchat"]);
  const strayKey = makeKey(["msteams"]);
  const appId = randomUUID();
  const appPassword = randomBytes(24).toString("base64url");
  const tenantId = randomUUID();
  const issued = new Set<string>();
  let url = "";
  const state = { tokenRequests: 0 };

  const server: Server = createServer((req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { "Content-Type": "application/json" });
      res.end(JSON.stringify(body));
    };
    const path = (req.url ?? "").split("?")[0];
    if (req.method === "GET" && path === "/v1/.well-known/openidconfiguration")
      return send(200, {
        issuer: CHANNEL_ISSUER,
        // As login.botframework.com serves it: no interactive sign-in for bots, the keys beside the metadata.
        authorization_endpoint: "https://invalid.botframework.com",
        jwks_uri: `${url}/v1/.well-known/keys`,
        id_token_signing_alg_values_supported: ["RS256"],
        token_endpoint_auth_methods_supported: ["private_key_jwt"],
      });
    if (req.method === "GET" && path === "/v1/.well-known/keys") return send(200, { keys: [teamsKey.publicJwk, webchatKey.publicJwk] });
    if (req.method === "POST" && path === `/botframework.test/oauth2/v2.0/token`) {
      let raw = "";
      req.setEncoding("utf8");
      req.on("data", (d: string) => (raw += d));
      req.on("end", () => {
        state.tokenRequests++;
        const form = new URLSearchParams(raw);
        if (form.get("grant_type") !== "client_credentials" || form.get("client_id") !== appId || form.get("client_secret") !== appPassword)
          return send(401, { error: "invalid_client" });
        if (form.get("scope") !== `${CHANNEL_ISSUER}/.default`) return send(400, { error: "invalid_scope" });
        const token = randomBytes(32).toString("base64url");
        issued.add(token);
        send(200, { token_type: "Bearer", expires_in: 3599, ext_expires_in: 3599, access_token: token });
      });
      return;
    }
    send(404, { error: "not found" });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    appId,
    appPassword,
    tenantId,
    issued,
    get tokenRequests() {
      return state.tokenRequests;
    },
    env: {
      ToBotFromChannelOpenIdMetadataUrl: `${url}/v1/.well-known/openidconfiguration`,
      ToBotFromChannelTokenIssuer: CHANNEL_ISSUER,
      ToChannelFromBotLoginUrl: `${url}/botframework.test`,
      ToChannelFromBotOAuthScope: CHANNEL_ISSUER,
      OAuthUrl: url,
      ToBotFromEmulatorOpenIdMetadataUrl: `${url}/v1/.well-known/openidconfiguration`,
      CallerId: "urn:botframework:azure",
      ValidateAuthority: "false",
    },
    channelToken(serviceUrl, opts = {}) {
      const key = opts.key === "webchatOnly" ? webchatKey : opts.key === "unknown" ? strayKey : teamsKey;
      const now = Math.floor(Date.now() / 1000);
      const exp = now + (opts.expiresIn ?? 3600);
      return jwt.sign(
        { iss: opts.iss ?? CHANNEL_ISSUER, aud: opts.aud ?? appId, serviceurl: opts.serviceUrl ?? serviceUrl, nbf: Math.min(now, exp) - 3600, exp },
        key.privateKey.export({ format: "pem", type: "pkcs1" }).toString(),
        { algorithm: "RS256", keyid: key.kid, noTimestamp: true },
      );
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
